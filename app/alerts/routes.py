"""Following by email, from any province, plan, target or campaign page; and the page,
reached from a link in any email, where a subscriber sees and changes what they follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.alerts import subscribe
from app.alerts.models import Subscriber
from app.campaigns.pledge_form import HONEYPOT
from app.extensions import csrf, db
from app.http_policy import PRIVATE, declare
from app.limits import Limit, hashed, take

bp = Blueprint("alerts", __name__, template_folder="templates")
one_click = Blueprint("alerts_one_click", __name__)

FOLLOWS_PER_ADDRESS_HOUR = 20
HOUR = dt.timedelta(hours=1)


def consent_text() -> str:
    """The words the follow form shows, kept with the address as the consent given."""
    return _(
        "Send me at most one email a day when something I follow changes. I can leave "
        "with one click in any email."
    )


# INTERFACE.md's addresses (/<lang>/follow/…) come first, so links are built to them;
# the first addresses stay, for forms in pages cached before and links in emails sent.
@bp.post("/alerts/follow")
@bp.post("/follow/")
@declare(PRIVATE)
@csrf.exempt  # a forged request can only ask for a confirmation, at most one a day
def follow() -> ResponseReturnValue:
    kind, slug = request.form.get("kind", ""), request.form.get("slug", "")
    item = subscribe.scope_item(kind, slug)
    if item is None:
        return _refused(400, _("There is nothing to follow at this address."), None, None)
    if request.form.get(HONEYPOT, "").strip():
        return _refused(
            400, _("A field meant to stay empty was filled in, as programs do."), kind, item
        )
    email = subscribe.normal_email(request.form.get("email", ""))
    if email is None:
        return _refused(400, _("Write an email address, such as ten@example.com."), kind, item)
    address = request.remote_addr or ""
    limit = Limit("address-hour", hashed("fa", address), FOLLOWS_PER_ADDRESS_HOUR, HOUR)
    if take([limit]) is not None:
        return _refused(
            429,
            _("Many requests came from your network in the last hour. Please try again later."),
            kind,
            item,
        )
    subscribe.follow(email, kind, slug, g.lang, consent_text())
    return render_template("alerts/check_inbox.html", kind=kind, item=item, email=email)


def _refused(status: int, message: str, kind: str | None, item: Any) -> tuple[str, int]:
    page = render_template("alerts/follow_refused.html", message=message, kind=kind, item=item)
    return page, status


def _subscriber_or_404(token: str) -> Subscriber:
    found = subscribe.subscriber_of(token)
    if found is None:
        abort(404)
    return found


@bp.route("/alerts/<token>", methods=["GET", "POST"])
@bp.route("/follow/<token>", methods=["GET", "POST"])
@declare(PRIVATE)
@csrf.exempt  # the token in the address is the secret a forged request would need
def manage(token: str) -> ResponseReturnValue:
    subscriber = _subscriber_or_404(token)
    done = None
    if request.method == "POST":
        done = _change(subscriber, request.form)
        db.session.commit()
    items = {
        (s.kind, s.slug): subscribe.scope_item(s.kind, s.slug) for s in subscriber.subscriptions
    }
    return render_template(
        "alerts/manage.html", subscriber=subscriber, items=items, token=token, done=done
    )


def _change(subscriber: Subscriber, form: Any) -> str | None:
    action = form.get("action")
    if action == "confirm":
        confirmed = subscribe.confirm(subscriber)
        return (
            _("Confirmed. The first digest comes the next time there is news.")
            if confirmed
            else None
        )
    if action == "stop":
        kept = [
            s
            for s in subscriber.subscriptions
            if (s.kind, s.slug) != (form.get("kind"), form.get("slug"))
        ]
        subscriber.subscriptions[:] = kept
        return _("You no longer follow that.")
    if action == "language" and form.get("lang") in ("vi", "en"):
        subscriber.lang = form["lang"]
        return _("Your emails will be in the language you chose.")
    if action == "leave":
        subscribe.leave(subscriber)
        return _(
            "You are unsubscribed: Xanh sends you nothing more and deletes your address "
            "within a week."
        )
    return None


@one_click.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@declare(PRIVATE)
@csrf.exempt  # RFC 8058: the mail client's POST carries no cookie and no form token
def unsubscribe(token: str) -> ResponseReturnValue:
    """The List-Unsubscribe address. A POST (the mail client's one click) unsubscribes at
    once; a GET, which link checkers also make, only leads to the page with the button."""
    subscriber = subscribe.subscriber_of(token)
    if request.method == "GET":
        if subscriber is None:
            abort(404)
        return redirect(url_for("site.alerts.manage", lang=subscriber.lang, token=token))
    if subscriber is not None and subscriber.unsubscribed_at is None:
        subscribe.leave(subscriber)
        db.session.commit()
    return Response("Unsubscribed.\n", mimetype="text/plain")
