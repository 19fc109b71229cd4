"""Officers manage their own work: signing in where it cannot work says why, and the
account commands say what they ask for and what they accept."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask

from tests.admin_helpers import PASSWORD, Editor, create_account, csrf_token
from tests.mailbox import Mailbox
from tests.test_admin import WASTE
from tests.test_admin import text_of as page_text
from tests.test_alerts import send_alerts, text_of


def test_signing_in_over_plain_http_from_another_machine_says_why(site: Flask, lang: str) -> None:
    remote = "http://192.0.2.20"
    officer = site.test_client()
    page = officer.get(f"/admin/{lang}/login", base_url=remote).get_data(as_text=True)
    assert "XANH_SECURE_COOKIES=0" in page and 'role="alert"' in page
    # The browser dropped the Secure cookie: the form comes back without its session.
    browser = site.test_client()
    sent = browser.post(
        f"/admin/{lang}/login",
        base_url=remote,
        data={"csrf_token": csrf_token(page), "email": "lan@donre.example", "password": PASSWORD},
    )
    assert sent.status_code == 400
    said = page_text(sent.get_data(as_text=True))
    assert "https://" in said and "XANH_SECURE_COOKIES=0" in said
    assert ("HTTP thường" if lang == "vi" else "plain HTTP") in said
    assert ("đã hết hạn" if lang == "vi" else "has expired") not in said
    # On the machine itself, or over HTTPS, there is nothing to warn about.
    for base in ("http://localhost", "https://xanh.example"):
        page = site.test_client().get(f"/admin/{lang}/login", base_url=base).get_data(as_text=True)
        assert "XANH_SECURE_COOKIES" not in page


def test_creating_an_account_says_what_it_asks_for_and_lists_valid_scopes(site: Flask) -> None:
    runner = site.test_cli_runner()
    asked = runner.invoke(
        args=["accounts", "create", "minh@doc.example", "--name", "Minh", "--agency", "hp-doc"],
        input="a long enough passphrase 7\na long enough passphrase 7\n",
    )
    assert asked.exit_code != 0
    assert "Unknown agency: hp-doc" in asked.output
    assert "hai-phong-" in asked.output and "bac-giang-donre" in asked.output
    made = runner.invoke(
        args=[
            "accounts",
            "create",
            "minh@doc.example",
            "--name",
            "Minh",
            "--agency",
            "bac-giang-doc",
        ],
        input="a long enough passphrase 7\na long enough passphrase 7\n",
    )
    assert made.exit_code == 0, made.output
    assert "Choose the password minh@doc.example will sign in with" in made.output
    assert "--password-stdin" in made.output
    assert "The same password again" in made.output
    helped = runner.invoke(args=["accounts", "create", "--help"])
    assert "standard input" in helped.output


def test_every_mistake_is_shown_beside_its_field_at_once(site: Flask, lang: str) -> None:
    lan = Editor(site, lang)
    lan.sign_in("lan@donre.example")
    form = lan.open(WASTE)
    # The year is a list of the plan's years up to now, the awaited one chosen.
    years = re.findall(r'<option value="(\d{4})"', form.split('id="year"')[1].split("</select>")[0])
    assert years[0] == str(dt.date.today().year) and years[-1] == "2021"
    refused = lan.submit(
        form, f"indicators/{WASTE}", action="publish", year="2024", value="120", source_document=""
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    for field in ("value", "source_document"):
        assert f'id="{field}-error"' in page
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page)
        assert re.search(rf'aria-describedby="[^"]*{field}-error', page)
    assert 'id="year-error"' not in page
    summary = page.split('class="notice error error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 2 and 'href="#value"' in summary
    assert ("2 điều cần sửa" if lang == "vi" else "2 things to fix") in summary


def test_the_form_remembers_the_source_and_a_correction_starts_from_the_value(
    site: Flask, lang: str
) -> None:
    lan = Editor(site, lang)
    lan.sign_in("lan@donre.example")
    sent = lan.enter(
        WASTE,
        year="2024",
        value="70,5",
        source_document="BC 12/STNMT",
        source_section="Mục II",
        note_vi="Theo báo cáo năm",
    )
    assert sent.status_code == 302
    # The next entry starts from the same report.
    page = lan.open(WASTE)
    assert 'value="BC 12/STNMT"' in page and 'value="Mục II"' in page
    # Correcting 2024 starts from what is published, and asks why.
    link = re.search(rf'href="(/admin/{lang}/indicators/{WASTE}\?correct=2024)#enter"', page)
    assert link
    correcting = lan.client.get(link.group(1)).get_data(as_text=True)
    assert ('value="70,5"' if lang == "vi" else 'value="70.5"') in correcting
    assert 'value="Theo báo cáo năm"' in correcting
    assert re.search(r'<option value="2024"[^>]* selected', correcting)
    assert re.search(r'id="reason"[^>]* required', correcting)
    no_reason = lan.submit(
        correcting,
        f"indicators/{WASTE}",
        action="publish",
        year="2024",
        value="72",
        source_document="BC 12/STNMT",
    )
    assert no_reason.status_code == 400 and 'id="reason-error"' in no_reason.get_data(as_text=True)


def sent_link(app: Flask, smtp: Mailbox, path: str) -> str:
    """Run the sender as cron does; the link (as a path) in the last message received."""
    done = send_alerts(app, smtp)
    assert done.returncode == 0, done.stdout + done.stderr
    text = text_of(smtp.messages()[-1])
    found = re.search(rf"https?://[^/\s]+(/admin/(?:vi|en)/{path}/\S+)", text)
    assert found, text
    return found.group(1)


def test_an_administrator_invites_an_officer_who_sets_a_password_once(
    site: Flask, smtp: Mailbox
) -> None:
    boss = Editor(site, "en")
    boss.sign_in("admin@xanh.example")
    page = boss.client.get(boss.url("accounts/")).get_data(as_text=True)
    # Every agency of every province and every plan is offered, by name.
    assert 'value="hai-phong-donre"' in page and 'value="lai-chau-1498-2012"' in page
    wrong = boss.submit(page, "accounts/", email="not-an-address", name="", role="editor")
    assert wrong.status_code == 400
    shown = wrong.get_data(as_text=True)
    assert all(f'id="{f}-error"' in shown for f in ("email", "name", "scope"))
    invited = boss.submit(
        page,
        "accounts/",
        email="Thu@SoTNMT.example",
        name="Thu",
        role="editor",
        agency="hai-phong-donre",
        lang="vi",
    )
    assert invited.status_code == 302
    assert smtp.messages() == []  # queued, not sent inside the request
    link = sent_link(site, smtp, "welcome")
    message = smtp.messages()[-1]
    assert message["To"] == "Thu@sotnmt.example".lower() and message["Content-Language"] == "vi"
    assert "Chào Thu" in text_of(message)

    officer = site.test_client()
    form = officer.get(link).get_data(as_text=True)
    assert "thu@sotnmt.example" in form
    short = officer.post(
        link, data={"csrf_token": csrf_token(form), "new": "short", "repeat": "short"}
    )
    assert short.status_code == 400
    done = officer.post(
        link, data={"csrf_token": csrf_token(form), "new": PASSWORD, "repeat": PASSWORD}
    )
    assert done.status_code == 302
    dashboard = officer.get("/admin/vi/").get_data(as_text=True)
    assert "Thu" in dashboard
    # The link worked once.
    assert officer.get(link).status_code == 404
    listed = boss.client.get(boss.url("accounts/")).get_data(as_text=True)
    assert "thu@sotnmt.example" in listed and "Never" not in listed.split("thu@sotnmt")[1][:400]


def test_a_forgotten_password_is_reset_by_email_and_the_link_is_bound(
    site: Flask, smtp: Mailbox
) -> None:
    lan = Editor(site, "en")
    assert lan.sign_in("lan@donre.example").status_code == 302
    stranger = site.test_client()
    page = stranger.get("/admin/en/forgot").get_data(as_text=True)
    unknown = stranger.post(
        "/admin/en/forgot", data={"csrf_token": csrf_token(page), "email": "nobody@x.example"}
    )
    asked = stranger.post(
        "/admin/en/forgot", data={"csrf_token": csrf_token(page), "email": "lan@donre.example"}
    )
    # The same answer whether or not the address has an account.
    assert unknown.status_code == asked.status_code == 200
    assert "If an account has this address" in asked.get_data(as_text=True)
    link = sent_link(site, smtp, "reset")
    assert len(smtp.messages()) == 1
    second_page = stranger.post(
        "/admin/en/forgot", data={"csrf_token": csrf_token(page), "email": "lan@donre.example"}
    )
    assert second_page.status_code == 200
    later = sent_link(site, smtp, "reset")
    form = stranger.get(link).get_data(as_text=True)
    new = "another long passphrase 8"
    assert (
        stranger.post(
            link, data={"csrf_token": csrf_token(form), "new": new, "repeat": new}
        ).status_code
        == 302
    )
    # The old session ended; the old password no longer works; the new one does.
    assert lan.client.get("/admin/en/").status_code == 302
    assert "wrong" in Editor(site).sign_in("lan@donre.example").get_data(as_text=True)
    assert Editor(site).sign_in("lan@donre.example", new).status_code == 302
    # Used once, and the other link died with the password change.
    assert stranger.get(link).status_code == 404
    assert stranger.get(later).status_code == 404
    # Asking again and again is limited.
    statuses = [
        stranger.post(
            "/admin/en/forgot", data={"csrf_token": csrf_token(page), "email": "lan@donre.example"}
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429


def test_only_administrators_manage_accounts(site: Flask) -> None:
    lan = Editor(site, "en")
    lan.sign_in("lan@donre.example")
    assert lan.client.get(lan.url("accounts/")).status_code == 403
    assert "Accounts" not in lan.client.get(lan.url("")).get_data(as_text=True)


def test_officers_are_reminded_a_month_and_a_week_before_and_when_overdue(
    site: Flask, smtp: Mailbox
) -> None:
    from app.alerts.mail import Mailer, smtp_settings
    from app.alerts.sender import send_all

    create_account(
        site, "hoa@sxd.example", "--plan", "hai-phong-1463-2014", "--plan", "binh-duong-1847-2018"
    )
    officer = Editor(site, "vi")
    assert officer.sign_in("hoa@sxd.example").status_code == 302  # her language: Vietnamese
    site.config.update(PUBLIC_URL="https://xanh.example", ALERTS_SETTLE_SECONDS=0)

    def run(day: dt.date) -> list[str]:
        before = len(smtp.messages())
        with site.test_request_context(base_url="https://xanh.example"):
            with Mailer(smtp_settings(smtp.url)) as mailer:
                send_all(mailer, day)
        return [text_of(m) for m in smtp.messages()[before:] if m["To"] == "hoa@sxd.example"]

    # Hải Phòng's plan asks for its yearly report by 10 November (its last, for 2020).
    month = run(dt.date(2020, 10, 11))
    assert len(month) == 1 and "10/11/2020" in month[0]
    assert "hai-phong-urban-wastewater-treated" in month[0]
    assert run(dt.date(2020, 10, 20)) == []  # once per stage
    week = run(dt.date(2020, 11, 5))
    assert len(week) == 1 and "10/11/2020" in week[0]
    # On 26 October 2018: Bình Dương's report of the 24th passed with nothing published,
    # and Hải Phòng's of 10 November is within a month: one message each.
    overdue, soon = sorted(run(dt.date(2018, 10, 26)), key=lambda text: "24/10/2018" not in text)
    assert "24/10/2018" in overdue and "binh-duong-" in overdue
    assert "chưa có số liệu nào được công bố" in overdue and "hai-phong-" not in overdue
    assert "10/11/2018" in soon and "hai-phong-" in soon


def test_a_plan_can_need_a_second_editors_approval(site: Flask, lang: str) -> None:
    boss = Editor(site, lang)
    boss.sign_in("admin@xanh.example")
    plans = boss.client.get(boss.url("plans/")).get_data(as_text=True)
    assert boss.submit(plans, "plans/", second_approval="bac-giang-1026-2022").status_code == 302

    lan = Editor(site, lang)
    lan.sign_in("lan@donre.example")
    sent = lan.enter(WASTE, action="review", year="2024", value="66", source_document="BC 3")
    review = lan.client.get(sent.location).get_data(as_text=True)
    submit = re.search(r'action="([^"]+/drafts/2024/submit)"', review)
    assert submit and "/publish" not in review.split("<main")[1]
    assert lan.submit(review, submit.group(1).removeprefix(f"/admin/{lang}/")).status_code == 302
    # Sent, not public; and the one who sent it cannot publish it.
    public = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert public["observations"] == []
    again = lan.client.get(sent.location).get_data(as_text=True)
    assert "/drafts/2024/publish" not in again
    forced = lan.submit(lan.open(WASTE), f"indicators/{WASTE}/drafts/2024/publish")
    assert forced.status_code == 409

    dashboard = boss.client.get(boss.url("")).get_data(as_text=True)
    assert f"/indicators/{WASTE}/review/2024" in dashboard
    assert boss.publish_reviewed(boss.url(f"indicators/{WASTE}/review/2024")).status_code == 302
    public = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert [o["value"] for o in public["observations"]] == [66.0]
    trail = boss.client.get(boss.url("history")).get_data(as_text=True)
    assert ("Đã gửi để duyệt" if lang == "vi" else "Sent for approval") in trail


def test_every_target_names_who_reports_it_or_says_the_plan_does_not(site_app: Flask) -> None:
    from sqlalchemy import select

    from app.config import ROOT
    from app.content.reader import read_content
    from app.indicators.models import Indicator

    content = read_content(ROOT / "content")
    for plan in content.plans:
        for item in plan.indicators:
            assert bool(item.reported_by) != item.reported_by_unstated, item.slug
    with site_app.app_context():
        named = {
            i.plan.province.slug
            for i in site_app.extensions["sqlalchemy"].session.scalars(select(Indicator))
            if i.reported_by
        }
    # Officers of an agency can report in every province whose plan names one.
    assert named >= {"bac-giang", "hai-phong", "binh-duong"}


def test_content_that_says_nothing_of_who_reports_is_refused(tmp_path: Path) -> None:
    from app.content.loader import load_content
    from app.content.reader import ContentError
    from tests.factories import write_content

    content = write_content(tmp_path / "content")
    path = content / "plans/test-plan/indicators.yaml"
    path.write_text(path.read_text().replace("  reported_by_unstated: true\n", ""))
    with pytest.raises(ContentError, match="reported_by_unstated"):
        load_content(content)


@pytest.mark.parametrize(
    ("plan", "agency"),
    [
        ("bac-giang-1026-2022", "bac-giang-donre"),
        ("hai-phong-1463-2014", "hai-phong-doc"),
        ("lai-chau-1498-2012", None),
        ("binh-duong-1847-2018", "binh-duong-dpi"),
    ],
)
def test_officers_of_every_province_can_report(site: Flask, plan: str, agency: str | None) -> None:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.indicators.models import Indicator
    from app.plans.models import Plan

    by_plan = f"{plan}@officer.example"
    create_account(site, by_plan, "--plan", plan)
    officer = Editor(site, "en")
    assert officer.sign_in(by_plan).status_code == 302
    dashboard = officer.client.get(officer.url("")).get_data(as_text=True)
    with site.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Indicator).join(Plan).where(Plan.slug == plan)
        )
        first = db.session.scalar(
            select(Indicator.slug).join(Plan).where(Plan.slug == plan).order_by(Indicator.id)
        )
    assert f"{count} indicators" in dashboard
    assert officer.client.get(officer.url(f"indicators/{first}")).status_code == 200
    if agency:
        by_agency = f"{agency}@officer.example"
        create_account(site, by_agency, "--agency", agency)
        reporter = Editor(site, "en")
        reporter.sign_in(by_agency)
        listed = reporter.client.get(reporter.url("")).get_data(as_text=True)
        assert "No indicator is in your scope yet" not in listed


def test_an_expired_invitation_is_refused_and_can_be_sent_again(site: Flask, smtp: Mailbox) -> None:
    from sqlalchemy import update

    from app.admin.tokens import AccountToken
    from app.database import utc_now
    from app.extensions import db

    boss = Editor(site, "en")
    boss.sign_in("admin@xanh.example")
    page = boss.client.get(boss.url("accounts/")).get_data(as_text=True)
    invited = boss.submit(
        page,
        "accounts/",
        email="late@sxd.example",
        name="Late",
        role="editor",
        plan="lai-chau-1498-2012",
        lang="en",
    )
    assert invited.status_code == 302
    link = sent_link(site, smtp, "welcome")
    with site.app_context():  # a week and a day later
        db.session.execute(update(AccountToken).values(expires_at=utc_now() - dt.timedelta(days=1)))
        db.session.commit()
    gone = site.test_client().get(link)
    assert gone.status_code == 404 and "no longer works" in gone.get_data(as_text=True)
    # The administrator sends it again; the new link works.
    accounts = boss.client.get(boss.url("accounts/")).get_data(as_text=True)
    account_page = re.search(r'href="/admin/en/(accounts/\d+)">Late<', accounts)
    assert account_page
    page = boss.client.get(boss.url(account_page.group(1))).get_data(as_text=True)
    assert boss.submit(page, account_page.group(1), action="invite-again").status_code == 302
    fresh = sent_link(site, smtp, "welcome")
    assert fresh != link and site.test_client().get(fresh).status_code == 200
