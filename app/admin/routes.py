"""/admin/: sign in, see what is due, enter and publish values, import a CSV, read the trail."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from app.admin import importer, values
from app.admin.attempts import WINDOW, Attempt, password_keys, sign_in_keys
from app.admin.auth import cookie_cannot_be_kept, plain_http_message
from app.admin.entries import EntryError, read_entry, value_range, year_range
from app.admin.models import (
    DISCARDED,
    PUBLISHED,
    SAVED,
    SUBMITTED,
    Account,
    Draft,
    new_session_token,
)
from app.admin.passwords import hash_password, needs_rehash, password_problem, verify_password
from app.admin.scope import in_scope, indicators_in_scope
from app.database import utc_now
from app.extensions import db
from app.http_policy import PRIVATE, declare, declare_all
from app.i18n import browser_language
from app.indicators.chart import build_chart
from app.indicators.models import Indicator
from app.indicators.progress import progress
from app.queries import by_slug_or_404, today
from app.site import add_language, take_language

entry = Blueprint("admin_entry", __name__)
bp = Blueprint("admin", __name__, url_prefix="/admin/<lang>", template_folder="templates")
bp.url_value_preprocessor(take_language)
bp.url_defaults(add_language)


@entry.get("/admin/")
@declare(PRIVATE)
def root() -> Response:
    return redirect(url_for("admin.dashboard", lang=browser_language()))


@bp.context_processor
def admin_names() -> dict[str, Any]:
    return {
        "action_names": {
            SAVED: _("Draft saved"),
            SUBMITTED: _("Sent for approval"),
            PUBLISHED: _("Published"),
            DISCARDED: _("Draft discarded"),
        }
    }


@bp.after_request
def not_for_search_engines(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# Signing in and out


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("admin.dashboard"))
    if request.method == "GET":
        return render_template("admin/login.html", email="", plain_http=_plain_http())
    email = (request.form.get("email") or "").strip().lower()[:254]
    password = request.form.get("password") or ""
    attempt = Attempt(sign_in_keys(email))
    if not attempt.allowed:
        raise TooManyRequests(retry_after=int(WINDOW.total_seconds()))
    account = db.session.scalar(select(Account).where(Account.email == email))
    # Checked even for an unknown address, so that it takes as long as a known one.
    password_ok = verify_password(account.password_hash if account else None, password)
    if not password_ok or account is None or not account.is_active:
        message = _("The email address or the password is wrong.")
        return render_template(
            "admin/login.html", email=email, error=message, plain_http=_plain_http()
        ), 200
    attempt.succeeded()
    if needs_rehash(account.password_hash or ""):
        account.password_hash = hash_password(password)
    account.last_sign_in_at = utc_now()
    account.lang = g.lang
    db.session.commit()
    login_user(account)
    return redirect(_safe_next() or url_for("admin.dashboard"))


def _plain_http() -> str | None:
    return plain_http_message() if cookie_cannot_be_kept() else None


def _safe_next() -> str | None:
    """Only a path inside /admin/ on this site, never another host, and no control
    characters (CR/LF would break the Location header)."""
    target = request.args.get("next") or ""
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    if target.startswith("/admin/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@bp.post("/logout")
def logout() -> Response:
    # Ended on the server, not only in this browser: a copy of the cookie stops working.
    # The account's other sessions end with it (one token per account).
    if current_user.is_authenticated:
        current_user.session_token = new_session_token()
        db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("admin.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("admin/password.html")
    account: Account = current_user._get_current_object()
    problem = None
    attempt = Attempt(password_keys(account.id))
    if not attempt.allowed:
        raise TooManyRequests(retry_after=int(WINDOW.total_seconds()))
    if not verify_password(account.password_hash, request.form.get("current") or ""):
        problem = _("Your current password is wrong.")
    elif request.form.get("new") != request.form.get("repeat"):
        problem = _("The two new passwords differ.")
    else:
        problem = password_problem(request.form.get("new") or "", account.email)
    if problem:
        return render_template("admin/password.html", error=problem), 400
    attempt.succeeded()
    account.password_hash = hash_password(request.form["new"])
    account.session_token = new_session_token()  # every other session ends here
    db.session.commit()
    login_user(account)
    flash(_("Your password is changed; you are signed out everywhere else."), "info")
    return redirect(url_for("admin.dashboard"))


# What is due


@bp.get("/")
@login_required
def dashboard() -> str:
    day = today()
    rows = [progress(indicator, day) for indicator in indicators_in_scope(current_user)]
    drafts = _draft_years([row.indicator for row in rows])
    overdue = [row for row in rows if row.report.overdue]
    to_approve = values.awaiting_approval([row.indicator.id for row in rows], current_user)
    return render_template(
        "admin/dashboard.html",
        rows=rows,
        drafts=drafts,
        overdue=overdue,
        today=day,
        to_approve=to_approve,
    )


def _draft_years(indicators: list[Indicator]) -> dict[int, list[int]]:
    ids = [i.id for i in indicators]
    found: dict[int, list[int]] = {}
    for draft in db.session.scalars(
        select(Draft).where(Draft.indicator_id.in_(ids)).order_by(Draft.year)
    ):
        found.setdefault(draft.indicator_id, []).append(draft.year)
    return found


# One indicator's values


def _editable(slug: str) -> Indicator:
    indicator = by_slug_or_404(Indicator, slug)
    if not in_scope(current_user, indicator):
        abort(403)
    return indicator


def _seen_revision() -> int:
    text = request.form.get("revision") or ""
    if not text.isdecimal() or len(text) > 12:
        abort(400)
    return int(text)


def _editor_page(indicator: Indicator, status: int = 200, **context: Any) -> tuple[str, int]:
    day = today()
    context.setdefault("form", {})
    years = year_range(indicator, day)
    page = render_template(
        "admin/indicator.html",
        indicator=indicator,
        row=progress(indicator, day),
        drafts=values.drafts_of(indicator),
        changes=values.value_changes([indicator.id], limit=50),
        years=years,
        year_choices={str(y) for y in range(years[0], years[1] + 1)},
        published_years={o.year for o in indicator.values},
        bounds=value_range(indicator),
        **context,
    )
    return page, status


@bp.get("/indicators/<slug>")
@login_required
def indicator(slug: str) -> tuple[str, int]:
    """The form starts from the published value when correcting one (`?correct=<year>`),
    else from the awaited year and the source of the officer's last entry."""
    found = _editable(slug)
    editing = request.args.get("edit", "")
    if editing.isdecimal() and len(editing) == 4:  # back from the review, to change the draft
        draft = next((d for d in values.drafts_of(found) if d.year == int(editing)), None)
        if draft is not None:
            form = values.form_of(found, draft) | {"reason": draft.reason or ""}
            return _editor_page(found, form=form)
    year = request.args.get("correct", "")
    correcting = values.published(found, int(year)) if year.isdecimal() and len(year) == 4 else None
    if correcting is not None:
        return _editor_page(found, form=values.form_of(found, correcting), correcting=correcting)
    row = progress(found, today())
    form = {"year": str(row.report.awaited_year or year_range(found, today())[1])}
    last = values.last_entry_by(current_user)
    if last is not None:
        form |= {
            "source_document": last.source_document or "",
            "source_section": last.source_section or "",
        }
    return _editor_page(found, form=form, remembered=last is not None)


@bp.post("/indicators/<slug>")
@login_required
def save(slug: str) -> Response | tuple[str, int]:
    indicator = _editable(slug)
    seen = _seen_revision()
    form = request.form.to_dict()
    if seen != indicator.revision:  # checked first: the page the entry was made on is stale
        return _conflict(indicator, form)
    try:
        entry = read_entry(indicator, form, today())
        values.check_correction(indicator, entry)
    except EntryError as error:
        problems = dict(error.fields)
        if "reason" not in problems and (missing := values.unexplained_correction(indicator, form)):
            problems["reason"] = missing
        return _editor_page(indicator, 400, form=form, problems=problems)
    # Nothing is published from the form: "Review" saves the draft and shows what the
    # public page will say, with the button that publishes it.
    to_review = request.form.get("action") in ("review", "publish")
    try:
        values.claim(indicator, seen)
        values.save_draft(indicator, entry, current_user)
        db.session.commit()
    except values.Conflict:
        db.session.rollback()
        return _conflict(indicator, form)
    if to_review:
        return redirect(url_for("admin.review", slug=slug, year=entry.year))
    flash(_("The value for %(year)d is saved as a draft.", year=entry.year), "success")
    return redirect(url_for("admin.indicator", slug=slug))


@bp.get("/indicators/<slug>/review/<int:year>")
@login_required
def review(slug: str, year: int) -> tuple[str, int]:
    """The draft as the public will see it: value, status before and after, chart."""
    indicator = _editable(slug)
    draft = next((d for d in values.drafts_of(indicator) if d.year == year), None)
    if draft is None:
        abort(404)
    day = today()
    after = values.with_draft(indicator, draft)
    page = render_template(
        "admin/review.html",
        indicator=indicator,
        draft=draft,
        before=progress(indicator, day),
        after=progress(after, day),  # type: ignore[arg-type]
        published=values.published(indicator, year),
        chart=build_chart(after),  # type: ignore[arg-type]
        shown=after,
    )
    return page, 200


def _conflict(indicator: Indicator, form: dict[str, str]) -> tuple[str, int]:
    db.session.refresh(indicator)
    message = _(
        "Someone else changed this indicator after you opened the page, so your entry was "
        "not saved. Check the values below; your entry is still in the form, ready to send again."
    )
    form = {**form, "revision": str(indicator.revision)}
    return _editor_page(indicator, 409, form=form, error=message)


@bp.post("/indicators/<slug>/drafts/<int:year>/<any(publish, discard, submit):action>")
@login_required
def draft_action(slug: str, year: int, action: str) -> Response | tuple[str, int]:
    indicator = _editable(slug)
    seen = _seen_revision()
    try:
        values.claim(indicator, seen)
        if action == "publish":
            done = values.publish(indicator, [year], current_user)
        elif action == "submit":
            done = int(values.submit(indicator, year, current_user))
        else:
            done = int(values.discard(indicator, year, current_user))
        if not done:
            abort(404)
        db.session.commit()
    except values.Conflict:
        db.session.rollback()
        return _conflict(indicator, {})
    except values.NeedsApproval:
        db.session.rollback()
        message = _(
            "This plan needs a second editor: the value is published once another editor "
            "approves it. Send it for approval from its review page."
        )
        return _editor_page(indicator, 409, error=message)
    if action == "publish":
        flash(_("The value for %(year)d is published.", year=year), "success")
    elif action == "submit":
        flash(
            _("The value for %(year)d waits for another editor's approval.", year=year), "success"
        )
    else:
        flash(_("The draft for %(year)d is discarded.", year=year), "success")
    return redirect(url_for("admin.indicator", slug=slug))


# CSV import


@bp.get("/import/template.csv")
@login_required
def import_template() -> Response:
    body = importer.template_csv(current_user, g.lang)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=xanh-values.csv"},
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_values() -> str | tuple[str, int] | Response:
    if request.method == "GET":
        return render_template("admin/import.html")
    upload = request.files.get("file")
    data = upload.read(importer.MAX_BYTES + 1) if upload else request.form.get("csv", "").encode()
    try:
        rows = importer.read_rows(data)
    except importer.ImportFileError as error:
        return render_template("admin/import.html", error=str(error)), 400
    plan = importer.plan_import(current_user, rows, today())
    if request.form.get("action") != "apply" or plan.errors:
        status = 400 if plan.errors else 200
        text = data.decode("utf-8-sig")
        return render_template("admin/import.html", plan=plan, csv_text=text), status
    seen = _seen_revisions()
    publish_now = request.form.get("publish") == "yes"
    try:
        count = importer.apply_import(current_user, plan, seen, publish_now)
        db.session.commit()
    except values.Conflict:
        db.session.rollback()
        message = _(
            "Someone changed some of these indicators after your dry run, so nothing was "
            "imported. Check the rows again below and import once more."
        )
        fresh = importer.plan_import(current_user, rows, today())
        text = data.decode("utf-8-sig")
        return render_template("admin/import.html", plan=fresh, csv_text=text, error=message), 409
    if publish_now and count:
        flash(_("%(n)d values imported and published.", n=count), "success")
    else:
        flash(_("%(n)d values imported as drafts.", n=count), "success")
    return redirect(url_for("admin.dashboard"))


def _seen_revisions() -> dict[str, int]:
    seen: dict[str, int] = {}
    for key, text in request.form.items():
        if key.startswith("revision:") and text.isdecimal() and len(text) <= 12:
            seen[key.removeprefix("revision:")] = int(text)
    return seen


# The audit trail


@bp.get("/history")
@login_required
def history() -> str:
    scope = [i.id for i in indicators_in_scope(current_user)]
    return render_template("admin/history.html", changes=values.value_changes(scope, limit=500))


# Campaigns' pledges and goals, and accounts on the web: their views join this blueprint.
from app.admin import accounts as _accounts  # noqa: E402,F401
from app.admin import campaigns as _campaigns  # noqa: E402,F401

# Last, so that it sees every view above: signed-in pages are never stored or framed.
declare_all(bp, PRIVATE)
