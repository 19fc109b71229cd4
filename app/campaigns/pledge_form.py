"""The pledge form: what keeps its counts honest without bothering people.

- Each form carries a signed, single-use token holding the campaign and a random
  number; a form sent again (a double tap, a script replaying it) is counted once.
- A person takes seconds to choose; a form sent back faster than
  PLEDGE_MIN_SECONDS is refused, and a form older than MAX_AGE gets a fresh one.
- A field people never see stays empty; a program that fills every field is refused.
- Limits per address (per hour and per day) and per browser (a first-party cookie
  holding a random number, kept a day), counted where every worker sees them.

No account, no tracking, no outside service: nothing about the person is kept
beyond the hashed keys of the limits, which go within a day.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from dataclasses import dataclass

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.alerts import events as alert_events
from app.alerts.subscribe import normal_email
from app.campaigns.models import Campaign
from app.campaigns.pledges import Pledge, PledgeAction, PledgeGoal, counted
from app.extensions import db
from app.limits import Limit, hashed, seconds_until_free
from app.publishing import mark_pledges_changed

MAX_AGE = 6 * 3600  # a form opened in the morning still works in the afternoon
BROWSER_COOKIE = "xanh_pledger"
BROWSER_COOKIE_SECONDS = 24 * 3600
HONEYPOT = "website"  # hidden from people and screen readers; programs fill it in
PLACE_LENGTH = 100
WINDOWS = {"hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1)}


class Refusal(Exception):
    """Why a pledge was not counted, said to the reader, with the HTTP status."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Submission:
    campaign: Campaign
    nonce: str
    actions: tuple[str, ...]
    province: str | None
    place: str | None
    email: str | None  # for a reminder and the campaign's news; never kept with the pledge


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="pledge-form")


def new_form_token(campaign: Campaign) -> str:
    # The signature's own time is in whole seconds; the form's fill time needs better.
    issued = round(time.time(), 3)
    return _serializer().dumps({"c": campaign.slug, "n": secrets.token_urlsafe(18), "t": issued})


def read_submission(campaign: Campaign, form: MultiDict[str, str]) -> Submission:
    """Check a sent form; raise Refusal saying what is wrong."""
    if form.get(HONEYPOT, "").strip():
        raise Refusal(
            400,
            _l(
                "Your pledge was not counted: a field meant to stay empty was filled in, "
                "as programs do. If you are a person, send the form again from this page."
            ),
        )
    nonce = _nonce(campaign, form.get("form", ""))
    keys = [action.key for action in campaign.actions]
    chosen = form.getlist("action")
    if not chosen:
        raise Refusal(400, _l("Choose at least one action you will take."))
    if any(key not in keys for key in chosen):
        raise Refusal(400, _l("One of the chosen actions is not part of this campaign."))
    province = form.get("province", "").strip() or None
    if province is not None and province not in {p.slug for p in campaign.provinces}:
        raise Refusal(400, _l("Choose a province from the list, or leave it empty."))
    place = " ".join(form.get("place", "").split()) or None
    if place is not None and len(place) > PLACE_LENGTH:
        raise Refusal(
            400,
            _l("Write the commune or ward in at most %(n)d characters.", n=PLACE_LENGTH),
        )
    email = None
    if form.get("email", "").strip():
        email = normal_email(form["email"])
        if email is None:
            raise Refusal(
                400,
                _l("Write an email address, such as ten@example.com, or leave it empty."),
            )
    chosen_keys = tuple(k for k in keys if k in chosen)
    return Submission(campaign, nonce, chosen_keys, province, place, email)


def _nonce(campaign: Campaign, token: str) -> str:
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except SignatureExpired:
        raise Refusal(
            400,
            _l(
                "This form was opened more than six hours ago. Here it is again, with your "
                "choices kept: please send it once more."
            ),
        ) from None
    except BadSignature:
        raise Refusal(
            400,
            _l("This form did not come from this page, or it was changed. Here is a fresh one."),
        ) from None
    if not isinstance(data, dict) or data.get("c") != campaign.slug:
        raise Refusal(400, _l("This form belongs to another campaign. Here is this one's."))
    age = time.time() - float(data.get("t", 0))
    if age < current_app.config["PLEDGE_MIN_SECONDS"]:
        raise Refusal(
            400,
            _l(
                "That was quicker than a person reads the form, so it was not counted. "
                "Take a moment to check your choices, then send it again."
            ),
        )
    return str(data["n"])


def already_sent(nonce: str) -> Pledge | None:
    return db.session.scalar(select(Pledge).where(Pledge.form_nonce == nonce))


def limits(browser: str | None) -> list[Limit]:
    """The limits this request counts against (a browser without our cookie has only
    its address's)."""
    most = current_app.config["PLEDGE_LIMITS"]
    address = request.remote_addr or ""
    found = [
        Limit(f"address-{span}", hashed(f"pa{span[0]}", address), most[f"address-{span}"], window)
        for span, window in WINDOWS.items()
    ]
    if browser:
        found.append(
            Limit("browser-hour", hashed("pb", browser), most["browser-hour"], WINDOWS["hour"])
        )
    return found


def over_limit(refused: Limit) -> Refusal:
    wait = seconds_until_free(refused)
    if refused.name == "address-day":
        message = _l(
            "Too many pledges came from your network today, so this one was not counted. "
            "Please try again tomorrow."
        )
    elif refused.name == "browser-hour":
        message = _l(
            "This browser has sent several pledges in the last hour, so this one was not "
            "counted. Please try again in an hour."
        )
    else:
        message = _l(
            "Many pledges came from your network in the last hour, so this one was not "
            "counted. Please try again in an hour."
        )
    return Refusal(429, message, retry_after=wait)


def record(submission: Submission) -> Pledge | None:
    """Count the pledge; None when its form was sent already (by a racing twin)."""
    pledge = Pledge(
        campaign_slug=submission.campaign.slug,
        province_slug=submission.province,
        place=submission.place,
        form_nonce=submission.nonce,
        actions=[PledgeAction(action_key=key) for key in submission.actions],
    )
    try:
        db.session.add(pledge)
        db.session.flush()  # the form's number is taken here, or its twin took it first
        mark_pledges_changed()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    goal = db.session.get(PledgeGoal, submission.campaign.slug)
    if goal is not None:
        people = db.session.scalar(
            select(func.count()).where(Pledge.campaign_slug == goal.campaign_slug, counted())
        )
        alert_events.goal_reached(goal.campaign_slug, people or 0, goal.people)
    return pledge


def new_browser_id() -> str:
    return secrets.token_urlsafe(16)
