"""Campaigns residents can join, and the pledges they make."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from app.alerts import subscribe
from app.campaigns import pledge_form
from app.campaigns.models import Campaign
from app.campaigns.pledges import Pledge, people_per_campaign, tally
from app.campaigns.posts import posts_of
from app.extensions import csrf, db
from app.http_policy import PRIVATE, declare, page
from app.limits import take
from app.queries import by_slug_or_404, today, with_progress

bp = Blueprint("campaigns", __name__, template_folder="templates")
REMIND_AFTER_DAYS = 7


@bp.get("/campaigns/")
@declare(page(shows_pledges=True))
def index() -> str:
    campaigns = db.session.scalars(
        select(Campaign).order_by(Campaign.position).options(selectinload(Campaign.provinces))
    ).all()
    return render_template(
        "campaigns/index.html", campaigns=campaigns, people=people_per_campaign()
    )


@bp.get("/campaigns/<slug>/")
@declare(page(shows_pledges=True, about="campaign"))
def detail(slug: str) -> str:
    campaign = by_slug_or_404(Campaign, slug)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        indicators=with_progress(campaign.indicators),
        tally=tally(campaign.slug),
        posts=posts_of(campaign.slug),
    )


@bp.get("/campaigns/<slug>/pledge")
@declare(PRIVATE)  # each form has its own single-use token
def pledge(slug: str) -> ResponseReturnValue:
    campaign = by_slug_or_404(Campaign, slug)
    return _pledge_form(campaign, MultiDict(request.args), None)


# INTERFACE.md's address comes first, so the form posts to it; the first one stays for
# forms served before.
@bp.post("/campaigns/<slug>/pledge")
@bp.post("/campaigns/<slug>/pledges")
@declare(PRIVATE)
@csrf.exempt  # the form's own signed token does what the CSRF token would
def pledges(slug: str) -> ResponseReturnValue:
    """Count a pledge, then show it counted (a page under the campaign's address)."""
    campaign = by_slug_or_404(Campaign, slug)
    try:
        submission = pledge_form.read_submission(campaign, request.form)
        if pledge_form.already_sent(submission.nonce):
            raise _sent_twice()
        refused = take(pledge_form.limits(request.cookies.get(pledge_form.BROWSER_COOKIE)))
        if refused is not None:
            raise pledge_form.over_limit(refused)
        made = pledge_form.record(submission)
        if made is None:
            raise _sent_twice()
        if submission.email:
            subscribe.follow(
                submission.email,
                "campaigns",
                campaign.slug,
                g.lang,
                pledge_consent(),
                remind_on=today() + dt.timedelta(days=REMIND_AFTER_DAYS),
            )
    except pledge_form.Refusal as refusal:
        return _pledge_form(campaign, request.form, refusal)
    receipt = _receipts().dumps([made.id, bool(submission.email)])
    return redirect(url_for("site.campaigns.pledged", slug=slug, receipt=receipt), 303)


def pledge_consent() -> str:
    """The words beside the pledge form's email field, kept as the consent given."""
    return _(
        "Email me a reminder a week from now and this campaign's news, at most one email a "
        "day. I can leave with one click in any email."
    )


def _sent_twice() -> pledge_form.Refusal:
    return pledge_form.Refusal(
        409,
        _(
            "This form was sent already, and the pledge it carries is counted once. "
            "To pledge again, for someone else, use this fresh form."
        ),
    )


def _pledge_form(
    campaign: Campaign, chosen: MultiDict[str, str], refusal: pledge_form.Refusal | None
) -> Response:
    """The form, with a fresh token and the reader's earlier choices kept."""
    body = render_template(
        "campaigns/pledge.html",
        campaign=campaign,
        token=pledge_form.new_form_token(campaign),
        chosen=chosen,
        refusal=refusal,
        honeypot=pledge_form.HONEYPOT,
        consent=pledge_consent(),
        place_length=pledge_form.PLACE_LENGTH,
    )
    response = Response(body, refusal.status if refusal else 200)
    if refusal and refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    if not request.cookies.get(pledge_form.BROWSER_COOKIE):
        response.set_cookie(
            pledge_form.BROWSER_COOKIE,
            pledge_form.new_browser_id(),
            max_age=pledge_form.BROWSER_COOKIE_SECONDS,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
            path=url_for("site.campaigns.index"),
        )
    return response


def _receipts() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="pledge-receipt")


@bp.get("/campaigns/<slug>/pledged/<receipt>")
@declare(PRIVATE)
def pledged(slug: str, receipt: str) -> str:
    """After a pledge: what was pledged and how many have, now."""
    campaign = by_slug_or_404(Campaign, slug)
    try:
        pledge_id, asked_for_email = _receipts().loads(receipt)
    except (BadSignature, ValueError, TypeError):
        abort(404)
    made = db.session.get(Pledge, pledge_id)
    if made is None or made.campaign_slug != campaign.slug:
        abort(404)
    return render_template(
        "campaigns/pledged.html",
        campaign=campaign,
        pledge=made,
        tally=tally(campaign.slug),
        asked_for_email=asked_for_email,
    )
