"""/admin/<lang>/accounts/: administrators invite officers and set what they report on;
officers set their password from the invitation, and reset it themselves by email.

Every message goes through the outbox that `flask alerts send` empties: nothing is
sent inside a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from app.admin import tokens
from app.admin.models import ADMIN, EDITOR_ROLE, ROLES, Account, new_session_token
from app.admin.passwords import hash_password, password_problem
from app.admin.routes import bp
from app.alerts.mail import in_language, rendered
from app.alerts.models import Outbox
from app.alerts.subscribe import normal_email
from app.database import utc_now
from app.extensions import db
from app.limits import Limit, hashed, take
from app.plans.models import Plan
from app.provinces.models import Agency, Province
from app.urls import absolute_url

RESETS_PER_HOUR = 5


def admins_only[V: Callable[..., Any]](view: V) -> V:
    @wraps(view)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return checked  # type: ignore[return-value]


def queue_mail(account: Account, template: str, lang: str, **context: Any) -> None:
    """Write the message to the outbox, in the officer's language."""
    with in_language(lang):
        subject = {
            "invite": _("Xanh: you are invited to report your department's figures"),
            "reset": _("Xanh: set a new password"),
        }[template]
    text, html = rendered(f"admin/email/{template}", lang, account=account, **context)
    db.session.add(Outbox(to=account.email, lang=lang, subject=subject, text=text, html=html))


def _choices() -> dict[str, Any]:
    provinces = db.session.scalars(select(Province).order_by(Province.slug)).all()
    return {
        "provinces": provinces,
        "plans": db.session.scalars(select(Plan).order_by(Plan.slug)).all(),
        "roles": ROLES,
    }


def _scope_from(form: Any) -> tuple[str, list[Agency], list[Plan], dict[str, str]]:
    problems: dict[str, str] = {}
    role = form.get("role", EDITOR_ROLE)
    if role not in ROLES:
        problems["role"] = _("Choose a role from the list.")
    agency_slugs, plan_slugs = form.getlist("agency"), form.getlist("plan")
    agencies = list(db.session.scalars(select(Agency).where(Agency.slug.in_(agency_slugs))))
    plans = list(db.session.scalars(select(Plan).where(Plan.slug.in_(plan_slugs))))
    if len(agencies) != len(set(agency_slugs)) or len(plans) != len(set(plan_slugs)):
        problems["scope"] = _("Choose agencies and plans from the lists.")
    elif role != ADMIN and not (agencies or plans):
        problems["scope"] = _("An officer needs at least one agency or plan to report on.")
    return role, agencies, plans, problems


@bp.get("/accounts/")
@login_required
@admins_only
def accounts() -> str:
    rows = db.session.scalars(select(Account).order_by(Account.email)).all()
    return render_template("admin/accounts.html", accounts=rows, form=request.form, **_choices())


@bp.post("/accounts/")
@login_required
@admins_only
def invite() -> Response | tuple[str, int]:
    form = request.form
    problems: dict[str, str] = {}
    email = normal_email(form.get("email", ""))
    name = " ".join(form.get("name", "").split())[:200]
    if email is None:
        problems["email"] = _("Write the officer's email address, such as lan@stnmt.example.")
    elif db.session.scalar(select(Account.id).where(Account.email == email.lower())):
        problems["email"] = _("There is an account for this address already.")
    if not name:
        problems["name"] = _("Write the officer's name.")
    role, agencies, plans, scope_problems = _scope_from(form)
    problems |= scope_problems
    lang = str(form.get("lang") if form.get("lang") in ("vi", "en") else g.lang)
    if problems or email is None:
        rows = db.session.scalars(select(Account).order_by(Account.email)).all()
        page = render_template(
            "admin/accounts.html", accounts=rows, form=form, problems=problems, **_choices()
        )
        return page, 400
    account = Account(
        email=email.lower(),
        name=name,
        role=role,
        agencies=agencies,
        plans=plans,
        password_hash=None,
        lang=lang,
    )
    db.session.add(account)
    db.session.flush()
    _send_invitation(account, lang)
    db.session.commit()
    flash(
        _("%(email)s is invited: the email goes out within minutes.", email=account.email),
        "success",
    )
    return redirect(url_for("admin.accounts"))


def _send_invitation(account: Account, lang: str) -> None:
    secret = tokens.issue(account, tokens.INVITE)
    link = absolute_url("admin.welcome", lang=lang, secret=secret)
    queue_mail(account, "invite", lang, link=link, days=tokens.LIFETIME[tokens.INVITE].days)


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@login_required
@admins_only
def account(account_id: int) -> Response | tuple[str, int]:
    found = db.session.get(Account, account_id)
    if found is None:
        abort(404)
    problems: dict[str, str] = {}
    if request.method == "POST":
        action = request.form.get("action")
        if action == "scope":
            role, agencies, plans, problems = _scope_from(request.form)
            if found.id == current_user.id and role != ADMIN:
                problems["role"] = _("You cannot take away your own administrator role.")
            if not problems:
                found.role, found.agencies, found.plans = role, agencies, plans
                db.session.commit()
                flash(_("Saved: what %(name)s reports on.", name=found.name), "success")
                return redirect(url_for("admin.account", account_id=found.id))
        elif action in ("disable", "enable"):
            if found.id == current_user.id:
                abort(400)
            found.active = action == "enable"
            found.session_token = new_session_token()  # a disabled account is signed out
            db.session.commit()
            flash(
                _("The account is disabled.")
                if action == "disable"
                else _("The account is enabled again."),
                "success",
            )
            return redirect(url_for("admin.account", account_id=found.id))
        elif action == "invite-again" and found.password_hash is None:
            _send_invitation(found, g.lang)
            db.session.commit()
            flash(_("A new invitation goes out within minutes."), "success")
            return redirect(url_for("admin.account", account_id=found.id))
    page = render_template(
        "admin/account.html", account=found, problems=problems, form=request.form, **_choices()
    )
    return page, 400 if problems else 200


def _set_password_page(
    token: tokens.AccountToken, secret: str, endpoint: str
) -> Response | tuple[str, int]:
    account = token.account
    if request.method == "GET":
        return render_template(
            "admin/set_password.html",
            account=account,
            purpose=token.purpose,
            action=url_for(endpoint, secret=secret),
        ), 200
    new, repeat = request.form.get("new") or "", request.form.get("repeat") or ""
    problem = (
        _("The two passwords differ.") if new != repeat else password_problem(new, account.email)
    )
    if problem:
        return render_template(
            "admin/set_password.html",
            account=account,
            purpose=token.purpose,
            action=url_for(endpoint, secret=secret),
            error=problem,
        ), 400
    account.password_hash = hash_password(new)
    account.session_token = new_session_token()  # any other session ends
    token.used_at = utc_now()
    account.last_sign_in_at = utc_now()
    db.session.commit()
    login_user(account)
    flash(_("Your password is set. Welcome."), "success")
    return redirect(url_for("admin.dashboard"))


# The two links that set a password: an invitation's, and a reset's.
LINKS = {"welcome": tokens.INVITE, "reset": tokens.RESET}


def password_link(kind: str, secret: str) -> Response | tuple[str, int]:
    """The link's page: the officer chooses a password and is signed in."""
    token = tokens.valid(secret, LINKS[kind])
    if token is None:
        return render_template("admin/link_invalid.html"), 404
    return _set_password_page(token, secret, f"admin.{kind}")


# One view, one endpoint per kind of link (admin.welcome, admin.reset).
for _kind in LINKS:
    bp.add_url_rule(
        f"/{_kind}/<secret>",
        _kind,
        password_link,
        methods=["GET", "POST"],
        defaults={"kind": _kind},
    )


@bp.route("/forgot", methods=["GET", "POST"])
def forgot() -> Response | tuple[str, int] | str:
    """An officer asks for a link to set a new password; the answer never says whether
    the address has an account."""
    if request.method == "GET":
        return render_template("admin/forgot.html")
    email = (normal_email(request.form.get("email", "")) or "").lower()
    if not email:
        return render_template(
            "admin/forgot.html", error=_("Write the email address you sign in with.")
        ), 400
    address = request.remote_addr or ""
    hour = dt.timedelta(hours=1)
    refused = take(
        [
            Limit("address", hashed("ra", address), RESETS_PER_HOUR, hour),
            Limit("account", hashed("rc", email), 3, hour),
        ]
    )
    if refused is not None:
        raise TooManyRequests(retry_after=3600)
    found = db.session.scalar(select(Account).where(Account.email == email))
    if found is not None and found.active and found.password_hash is not None:
        secret = tokens.issue(found, tokens.RESET)
        link = absolute_url("admin.reset", lang=g.lang, secret=secret)
        hours = int(tokens.LIFETIME[tokens.RESET].total_seconds() // 3600)
        queue_mail(found, "reset", g.lang, link=link, hours=hours)
        db.session.commit()
    return render_template("admin/forgot.html", sent=True)


@bp.route("/plans/", methods=["GET", "POST"])
@login_required
@admins_only
def plans() -> Response | str:
    """Which plans need a second editor's approval before a value is published."""
    rows = db.session.scalars(select(Plan).order_by(Plan.slug)).all()
    if request.method == "POST":
        wanted = set(request.form.getlist("second_approval"))
        for plan in rows:
            plan.second_approval = plan.slug in wanted
        db.session.commit()
        flash(_("Saved: which plans need a second editor."), "success")
        return redirect(url_for("admin.plans"))
    return render_template("admin/plans.html", plans=rows)
