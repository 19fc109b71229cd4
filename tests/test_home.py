"""The home page answers what a resident comes for: what is known, what is due next, who
owes the next figure, and what they can do (issue 19)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.indicators.models import Indicator
from app.provinces.models import Province
from tests.html_tables import read_tables


def records(client: FlaskClient) -> dict[str, dict]:
    return {r["slug"]: r for r in client.get("/api/v1/indicators").get_json()["indicators"]}


def section(html: str, heading_id: str) -> str:
    start = html.index(f'aria-labelledby="{heading_id}"')
    return html[start : html.index("</section>", start)]


def linked_slugs(html: str) -> list[str]:
    return re.findall(r'href="/\w\w/indicators/([\w-]+)/"', html)


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_page_opens_on_the_latest_published_figure_with_its_source(
    client: FlaskClient, lang: str
) -> None:
    reported = [
        (o["year"], slug, o)
        for slug, record in records(client).items()
        for o in record["observations"]
    ]
    newest_year = max(year for year, _, _ in reported)
    card = section(client.get(f"/{lang}/").get_data(as_text=True), "glance-known")
    [slug] = linked_slugs(card)
    assert any(year == newest_year and s == slug for year, s, _ in reported)
    assert 'class="cite" href="/' + lang + "/sources/" in card  # its source, linked


def test_the_next_deadline_is_the_nearest_target_year_still_ahead(
    client: FlaskClient, lang: str
) -> None:
    this_year = dt.date.today().year
    ahead = {
        slug: r["target"]["year"]
        for slug, r in records(client).items()
        if r["target"]
        and r["target"]["year"]
        and r["target"]["year"] >= this_year
        and r["status"] != "target_achieved"
        and r["status_inputs"].get("reason") != "no_target"
    }
    assert ahead, "the content has targets still ahead"
    home = client.get(f"/{lang}/").get_data(as_text=True)
    card = section(home, "glance-next")
    [slug] = linked_slugs(card)
    assert ahead[slug] == min(ahead.values())
    assert f'<p class="big-figure">{min(ahead.values())}</p>' in card
    listed = linked_slugs(section(home, "promised"))
    years = [ahead[s] for s in listed]
    assert years == sorted(years) and len(listed) > 1


def test_home_shows_no_grid_of_counts_and_explains_each_status_it_shows(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/").get_data(as_text=True)
    assert not [t for t in read_tables(html) if "scoreboard" in t.classes]
    with site_app.test_request_context(), force_locale(lang):
        label = gettext("No published figure yet")
        meaning = gettext("No figure for this target has been made public.")
    legend = html[html.index('<dl class="legend">') :]
    assert f"∅ {label} {meaning}" in words(legend[: legend.index("</dl>")])


def test_who_owes_a_figure_names_each_agency_and_counts_link_to_those_targets(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/").get_data(as_text=True)
    owed = section(html, "owed")
    with site_app.app_context():
        awaited = [i for i in db.session.scalars(select(Indicator)) if not i.values]
        agencies = {
            (a.name_vi if lang == "vi" else a.name_en) for i in awaited for a in i.reported_by
        }
        unnamed = any(not i.reported_by for i in awaited)
    assert agencies and all(unescape(name) in words(owed) for name in agencies)
    with site_app.test_request_context(), force_locale(lang):
        no_agency = gettext("the plan names no agency to report it")
    assert (no_agency in words(owed)) == unnamed
    links = re.findall(
        r'<a href="([^"]+status=no_data[^"]*)">[^:<]+: <span class="count">(\d+)', owed
    )
    assert links
    for url, count in links:
        listing = client.get(unescape(url)).get_data(as_text=True)
        assert listing.count('class="card indicator-card"') == int(count), url


def test_a_campaigns_call_to_action_and_every_province_are_one_tap_away(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/").get_data(as_text=True)
    join = section(html, "glance-join")
    assert re.search(rf'class="button" href="/{lang}/campaigns/[\w-]+/#do"', join)
    with site_app.app_context():
        provinces = db.session.scalars(select(Province.slug)).all()
    picker = html[html.index('class="province-picker"') :]
    picker = picker[: picker.index("</nav>")]
    assert sorted(re.findall(rf'href="/{lang}/provinces/([\w-]+)/"', picker)) == sorted(provinces)


def test_a_province_page_tells_its_own_story_the_same_way(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    by_slug = records(client)
    for province in ("hai-phong", "bac-giang"):
        html = client.get(f"/{lang}/provinces/{province}/").get_data(as_text=True)
        own = {s for s, r in by_slug.items() if r["province"]["slug"] == province}
        shown = linked_slugs(html[html.index('class="glance"') : html.index('class="toc"')])
        assert shown and set(shown) <= own  # its own figures and deadlines, no one else's
        if any(by_slug[s]["observations"] for s in own):
            assert "glance-known" in html and section(html, "latest").count("figure-value")
        # Every agency in charge links to its tasks on the plan's page.
        for plan, agency in re.findall(
            rf'href="/{lang}/plans/([\w-]+)/#agency-([\w-]+)"', section(html, "in-charge")
        ):
            plan_page = client.get(f"/{lang}/plans/{plan}/").get_data(as_text=True)
            assert f'id="agency-{agency}"' in plan_page
    bac_giang = client.get(f"/{lang}/provinces/bac-giang/").get_data(as_text=True)
    assert set(linked_slugs(section(bac_giang, "promised"))) <= {
        s for s, r in by_slug.items() if r["province"]["slug"] == "bac-giang"
    }
    assert "status=no_data" in section(bac_giang, "owed")
