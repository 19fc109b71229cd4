"""/admin/<lang>/campaigns/: pledges per hour, voiding a burst, and a campaign's goal."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.admin.routes import bp
from app.alerts import events as alert_events
from app.alerts.models import CAMPAIGN_UPDATE, AlertEvent
from app.campaigns.models import Campaign
from app.campaigns.pledges import (
    VOID_REASONS,
    Pledge,
    PledgeGoal,
    PledgeVoid,
    counted,
    pledges_per_hour,
    tally,
    void_pledges,
)
from app.campaigns.posts import PLACE_LENGTH, TEXT_LENGTH, TITLE_LENGTH, new_post, posts_of
from app.extensions import db
from app.publishing import mark_pledges_changed, mark_published
from app.queries import by_slug_or_404

# Editors work in Vietnam's time, which has no daylight saving.
VIETNAM = dt.timezone(dt.timedelta(hours=7))
DAYS_SHOWN = 7
LABEL_LENGTH = 120
NOTE_LENGTH = 500


def in_vietnam(utc: dt.datetime) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone(VIETNAM)


def _utc(local: str) -> dt.datetime | None:
    """A datetime-local field's value, read as Vietnam time, as naive UTC."""
    try:
        moment = dt.datetime.fromisoformat(local.strip()[:19])
    except ValueError:
        return None
    return moment.replace(tzinfo=VIETNAM).astimezone(dt.UTC).replace(tzinfo=None)


@bp.get("/campaigns/")
@login_required
def campaigns() -> str:
    rows = db.session.scalars(select(Campaign).order_by(Campaign.position)).all()
    return render_template("admin/campaigns.html", campaigns=rows)


def _campaign_page(campaign: Campaign, status: int = 200, **context: object) -> tuple[str, int]:
    since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=DAYS_SHOWN)
    places = db.session.execute(
        select(Pledge.place, func.count())
        .where(Pledge.campaign_slug == campaign.slug, counted(), Pledge.place.is_not(None))
        .group_by(Pledge.place)
        .order_by(func.count().desc())
        .limit(50)
    ).all()
    voids = db.session.scalars(
        select(PledgeVoid)
        .where(PledgeVoid.campaign_slug == campaign.slug)
        .order_by(PledgeVoid.voided_at.desc())
    ).all()
    return render_template(
        "admin/campaign.html",
        campaign=campaign,
        tally=tally(campaign.slug),
        hours=pledges_per_hour(campaign.slug, since),
        places=places,
        voids=voids,
        reasons=VOID_REASONS,
        in_vietnam=in_vietnam,
        form=request.form,
        days=DAYS_SHOWN,
        posts=posts_of(campaign.slug, limit=None),
        lengths={"title": TITLE_LENGTH, "text": TEXT_LENGTH, "place": PLACE_LENGTH},
        **context,
    ), status


@bp.get("/campaigns/<slug>")
@login_required
def campaign(slug: str) -> tuple[str, int]:
    return _campaign_page(by_slug_or_404(Campaign, slug))


@bp.post("/campaigns/<slug>/void")
@login_required
def void(slug: str) -> Response | tuple[str, int]:
    campaign = by_slug_or_404(Campaign, slug)
    start, end = _utc(request.form.get("start", "")), _utc(request.form.get("end", ""))
    reason = request.form.get("reason", "")
    note = request.form.get("note", "").strip()[:NOTE_LENGTH] or None
    errors = {}
    if start is None:
        errors["start"] = _("Give the first minute of the burst, as day and time.")
    if end is None:
        errors["end"] = _("Give the minute after the burst, as day and time.")
    elif start is not None and end <= start:
        errors["end"] = _("The end must come after the start.")
    if reason not in VOID_REASONS:
        errors["reason"] = _("Choose why these pledges are removed.")
    if errors or start is None or end is None:
        return _campaign_page(campaign, 400, errors=errors)
    done = void_pledges(campaign.slug, start, end, reason, note, current_user.id)
    mark_pledges_changed()
    db.session.commit()
    flash(
        _("%(n)d pledges removed from the count; the campaign page says so.", n=done.count),
        "success",
    )
    return redirect(url_for("admin.campaign", slug=slug))


@bp.post("/campaigns/<slug>/goal")
@login_required
def goal(slug: str) -> Response | tuple[str, int]:
    campaign = by_slug_or_404(Campaign, slug)
    people_text = request.form.get("people", "").strip()
    by_text = request.form.get("by", "").strip()
    labels = {
        lang: request.form.get(f"label_{lang}", "").strip()[:LABEL_LENGTH] or None
        for lang in ("vi", "en")
    }
    existing = db.session.get(PledgeGoal, campaign.slug)
    if not people_text:  # an empty goal takes the goal away
        if existing is not None:
            db.session.delete(existing)
        mark_pledges_changed()
        db.session.commit()
        flash(_("The goal is removed."), "success")
        return redirect(url_for("admin.campaign", slug=slug))
    errors = {}
    if not people_text.isdecimal() or not 1 <= int(people_text) <= 100_000_000:
        errors["people"] = _("Write the number of people as a whole number, such as 1000.")
    by = None
    if by_text:
        try:
            by = dt.date.fromisoformat(by_text)
        except ValueError:
            errors["by"] = _("Give the date as day, month and year.")
    if labels["en"] and not labels["vi"]:
        errors["label_vi"] = _("Give the occasion in Vietnamese too: it is shown first.")
    if errors:
        return _campaign_page(campaign, 400, errors=errors)
    goal = existing or PledgeGoal(campaign_slug=campaign.slug, people=0)
    goal.people, goal.by = int(people_text), by
    goal.label_vi, goal.label_en = labels["vi"], labels["en"]
    goal.account_id = current_user.id
    goal.set_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    db.session.add(goal)
    mark_pledges_changed()
    db.session.commit()
    alert_events.goal_reached(campaign.slug, tally(campaign.slug).people, goal.people)
    flash(_("The goal is saved and shown on the campaign page."), "success")
    return redirect(url_for("admin.campaign", slug=slug))


@bp.post("/campaigns/<slug>/posts")
@login_required
def post(slug: str) -> Response | tuple[str, int]:
    """Publish an update for the campaign: on its page, in its feed, and in alerts."""
    campaign = by_slug_or_404(Campaign, slug)
    field = {name: request.form.get(name, "").strip() for name in request.form}
    titles = {lang: field.get(f"post_title_{lang}") or None for lang in ("vi", "en")}
    texts = {lang: field.get(f"post_text_{lang}") or None for lang in ("vi", "en")}
    place = " ".join(field.get("event_place", "").split()) or None
    errors = {}
    if not titles["vi"]:
        errors["post_title_vi"] = _("Give the update a title in Vietnamese.")
    if not texts["vi"]:
        errors["post_text_vi"] = _("Write the update in Vietnamese; English is optional.")
    if bool(titles["en"]) != bool(texts["en"]):
        errors["post_text_en"] = _("In English, give both a title and a text, or neither.")
    for name, most in (
        *((f"post_title_{lang}", TITLE_LENGTH) for lang in ("vi", "en")),
        *((f"post_text_{lang}", TEXT_LENGTH) for lang in ("vi", "en")),
        ("event_place", PLACE_LENGTH),
    ):
        if len(field.get(name, "")) > most:
            errors[name] = _("At most %(n)d characters.", n=most)
    day = None
    if field.get("event_day"):
        try:
            day = dt.date.fromisoformat(field["event_day"])
        except ValueError:
            errors["event_day"] = _("Give the date as day, month and year.")
    if errors:
        return _campaign_page(campaign, 400, errors=errors)
    made = new_post(campaign.slug, titles, texts, day, place, current_user.id)
    db.session.flush()
    db.session.add(
        AlertEvent(kind=CAMPAIGN_UPDATE, campaign_slug=campaign.slug, detail=str(made.id))
    )
    mark_published([f"campaign:{campaign.slug}"])
    db.session.commit()
    flash(_("The update is published on the campaign page and in its feed."), "success")
    return redirect(url_for("admin.campaign", slug=slug) + "#posts")


@bp.post("/campaigns/<slug>/posts/<int:post_id>/delete")
@login_required
def delete_post(slug: str, post_id: int) -> Response:
    campaign = by_slug_or_404(Campaign, slug)
    found = next((p for p in posts_of(campaign.slug, limit=None) if p.id == post_id), None)
    if found is not None:
        db.session.delete(found)
        mark_published([f"campaign:{campaign.slug}"])
        db.session.commit()
        flash(_("The update is taken down."), "success")
    return redirect(url_for("admin.campaign", slug=slug) + "#posts")
