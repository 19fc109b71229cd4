"""Email alerts, sent by the real `flask alerts send` to a real SMTP server (aiosmtpd, in
a process of its own), on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.alerts.mail import Mailer, smtp_settings
from app.alerts.models import AlertEvent, Subscriber
from app.alerts.sender import send_all
from app.alerts.subscribe import forget_the_departed
from app.config import ROOT
from app.extensions import db
from app.ops.backup import write_backup
from tests.admin_helpers import Editor
from tests.mailbox import Mailbox
from tests.serving import flask_command, site_environment
from tests.test_admin import WASTE

PUBLIC = "https://xanh.example"
PROVINCE = "bac-giang"  # WASTE is one of its targets


def alerts_env(app: Flask, smtp: Mailbox) -> dict[str, str]:
    return {
        "SMTP_URL": smtp.url,
        "XANH_PUBLIC_URL": PUBLIC,
        "XANH_ALERTS_SETTLE_SECONDS": "0",
        "SECRET_KEY": app.config["SECRET_KEY"],
    }


def send_alerts(app: Flask, smtp: Mailbox) -> subprocess.CompletedProcess[str]:
    """The command cron runs, against this test's database."""
    with app.app_context():
        db.session.remove()
    return flask_command(
        app.config["SQLALCHEMY_DATABASE_URI"],
        Path(app.config["SEARCH_INDEX_DIR"]),
        "alerts",
        "send",
        env=alerts_env(app, smtp),
    )


def follow(
    client: FlaskClient, lang: str, address: str, kind: str = "provinces", slug: str = PROVINCE
):
    return client.post(f"/{lang}/follow/", data={"kind": kind, "slug": slug, "email": address})


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()  # type: ignore[union-attr]


def local(url: str) -> str:
    """A link from an email, as a path the test client can open."""
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC, url
    return parts.path


def manage_link(message: EmailMessage) -> str:
    found = re.search(rf"{re.escape(PUBLIC)}/(?:vi|en)/follow/[^\s\"<]+", text_of(message))
    assert found, text_of(message)
    return local(found.group(0))


def subscribed(app: Flask, lang: str, smtp: Mailbox, address: str) -> tuple[FlaskClient, str]:
    """A resident follows Bắc Giang and confirms from the email: their browser and the
    address of their page."""
    reader = app.test_client()
    assert follow(reader, lang, address).status_code == 200
    sent = send_alerts(app, smtp)
    assert sent.returncode == 0, sent.stderr
    page = manage_link(smtp.messages()[-1])
    assert reader.post(page, data={"action": "confirm"}).status_code == 200
    return reader, page


def publish(app: Flask, value: str, year: str = "2024", **fields: str) -> None:
    editor = Editor(app, "en")
    editor.sign_in("lan@donre.example")
    answer = editor.enter(WASTE, year=year, value=value, source_document="BC 12/STNMT", **fields)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]


def test_follow_confirm_and_get_a_digest_in_ones_language(
    site: Flask, smtp: Mailbox, lang: str
) -> None:
    reader = site.test_client()
    answer = follow(reader, lang, "An.Nguyen@Example.VN")
    assert answer.status_code == 200
    assert ("Kiểm tra hộp thư" if lang == "vi" else "Check your inbox") in answer.get_data(
        as_text=True
    )
    assert smtp.messages() == []  # nothing is sent inside a web request

    assert send_alerts(site, smtp).returncode == 0
    [confirmation] = smtp.messages()
    assert confirmation["To"] == "An.Nguyen@example.vn"
    assert confirmation["Content-Language"] == lang
    assert ("Bắc Giang" if lang == "vi" else "Bac Giang") in text_of(confirmation)
    page = manage_link(confirmation)
    # Until confirmed, nothing but the confirmation is sent.
    publish(site, "55")
    assert send_alerts(site, smtp).returncode == 0
    assert len(smtp.messages()) == 1
    shown = reader.get(page).get_data(as_text=True)
    assert 'name="action" value="confirm"' in shown
    assert reader.post(page, data={"action": "confirm"}).status_code == 200

    publish(site, "70", year="2025")
    assert send_alerts(site, smtp).returncode == 0
    digest = smtp.messages()[-1]
    assert len(smtp.messages()) == 2
    body = text_of(digest)
    assert "70%" in body and "2025" in body
    assert ("Giá trị mới" if lang == "vi" else "New value") in body
    assert "55%" not in body  # published before the subscriber confirmed
    assert "70%" in html_of(digest)
    unsubscribe = digest["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{PUBLIC}/alerts/unsubscribe/")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert manage_link(digest) == page  # a visible link to change or leave

    # One email a day at most: today's next value waits for tomorrow.
    publish(site, "72", year="2023")
    assert send_alerts(site, smtp).returncode == 0
    assert len(smtp.messages()) == 2


def test_one_click_unsubscribe_is_a_post_without_a_cookie(site: Flask, smtp: Mailbox) -> None:
    reader, page = subscribed(site, "en", smtp, "binh@example.com")
    publish(site, "70")
    assert send_alerts(site, smtp).returncode == 0
    link = local(smtp.messages()[-1]["List-Unsubscribe"].strip("<>"))
    stranger = site.test_client()  # a mail client: no cookie, no form token
    assert stranger.get(link).status_code == 302  # link checkers' GET changes nothing
    with site.app_context():
        assert db.session.scalar(select(Subscriber.unsubscribed_at)) is None
    done = stranger.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    with site.app_context():
        assert db.session.scalar(select(Subscriber.unsubscribed_at)) is not None
    assert "You are unsubscribed" in reader.get(page).get_data(as_text=True)
    # Nothing more is sent, and a week later the address is gone.
    with site.app_context():
        db.session.add(AlertEvent(kind="campaign_update", campaign_slug="plastic-bags", detail="0"))
        db.session.commit()
        assert forget_the_departed(dt.datetime.now() + dt.timedelta(days=8)) == 1
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_a_refused_send_is_tried_again_and_a_crash_never_sends_twice(
    site: Flask, smtp: Mailbox
) -> None:
    reader = site.test_client()
    assert follow(reader, "vi", "chi@example.com").status_code == 200
    (smtp.folder / "refuse").write_text("1")
    failed = send_alerts(site, smtp)
    assert failed.returncode == 75 and "1 failed" in failed.stdout
    assert smtp.messages() == []
    assert send_alerts(site, smtp).returncode == 0
    assert len(smtp.messages()) == 1  # the confirmation, at the second try
    assert (
        reader.post(manage_link(smtp.messages()[0]), data={"action": "confirm"}).status_code == 200
    )

    publish(site, "70")
    with site.app_context():
        db.session.remove()
    sender = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "alerts", "send"],
        cwd=ROOT,
        env=site_environment(
            site.config["SQLALCHEMY_DATABASE_URI"],
            Path(site.config["SEARCH_INDEX_DIR"]),
            **alerts_env(site, smtp),
        ),
    )
    # The server takes the digest, then the sender dies before it can record that.
    (smtp.folder / "kill-after-data").write_text(str(sender.pid))
    assert sender.wait(120) == -9
    assert len(smtp.messages()) == 2
    again = send_alerts(site, smtp)
    assert again.returncode == 0, again.stderr
    assert len(smtp.messages()) == 2  # not sent a second time


def test_each_trigger_has_its_entry(site: Flask, smtp: Mailbox, lang: str) -> None:
    reader, _page = subscribed(site, lang, smtp, "dung@example.com")
    # Bắc Giang's plan sets no report date; Hải Phòng's and Bình Dương's do.
    for kind, slug in (
        ("campaigns", "plastic-bags"),
        ("provinces", "hai-phong"),
        ("provinces", "binh-duong"),
    ):
        assert follow(reader, lang, "dung@example.com", kind, slug).status_code == 200
    editor = Editor(site, lang)
    editor.sign_in("admin@xanh.example")
    campaign = editor.client.get(editor.url("campaigns/plastic-bags")).get_data(as_text=True)
    with site.app_context():
        # The campaign scope waits for its confirmation, sent with the next run.
        db.session.remove()
    assert send_alerts(site, smtp).returncode == 0
    assert (
        reader.post(manage_link(smtp.messages()[-1]), data={"action": "confirm"}).status_code == 200
    )
    editor.submit(
        campaign,
        "campaigns/plastic-bags/posts",
        post_title_vi="Tuần lễ xanh ở Bắc Giang",
        post_text_vi="Mang túi vải tới **chợ**.",
        post_title_en="Green week in Bac Giang",
        post_text_en="Bring a cloth bag to the **market**.",
        event_day="2026-12-12",
        event_place="Chợ Thương",
    )
    editor.submit(campaign, "campaigns/plastic-bags/goal", people="1")
    site.config["PLEDGE_MIN_SECONDS"] = 0
    form = reader.get(f"/{lang}/campaigns/plastic-bags/pledge").get_data(as_text=True)
    token = re.search(r'name="form" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    assert (
        reader.post(
            f"/{lang}/campaigns/plastic-bags/pledge", data={"form": token, "action": "green-weeks"}
        ).status_code
        == 303
    )
    publish(site, "70")
    publish(site, "75", reason="The department corrected its report")  # same year: corrected

    settings = smtp_settings(smtp.url)
    site.config.update(PUBLIC_URL=PUBLIC, ALERTS_SETTLE_SECONDS=0)
    with site.test_request_context(base_url=PUBLIC), site.app_context(), Mailer(settings) as mailer:
        # A day on which a report of Hải Phòng's plan is due within a month, and Bình
        # Dương's is overdue.
        report = send_all(mailer, due_soon_day(site))
    assert report.digests == 1
    body = text_of(smtp.messages()[-1])
    expected = {
        "vi": [
            "Giá trị mới",
            "Giá trị đã sửa",
            "Trạng thái thay đổi",
            "Tin chiến dịch",
            "Tuần lễ xanh ở Bắc Giang",
            "Đạt mục tiêu",
            "Sắp đến hạn báo cáo",
        ],
        "en": [
            "New value",
            "Corrected value",
            "Status changed",
            "Campaign news",
            "Green week in Bac Giang",
            "Goal reached",
            "Report due soon",
        ],
    }[lang]
    for words in expected:
        assert words in body, (words, body)


def due_soon_day(app: Flask) -> dt.date:
    """A day 20 days before a report date of Hải Phòng's plan (its dates are all past:
    the sender is run as on that day)."""
    from app.indicators.models import Indicator
    from app.indicators.progress import progress

    with app.app_context():
        slug = "hai-phong-urban-solid-waste-treated"
        indicator = db.session.scalar(select(Indicator).where(Indicator.slug == slug))
        day = dt.date(2014, 1, 1)
        for _ in range(4000):
            due = progress(indicator, day).report.next_due
            if due and (due - day).days == 20:
                return day
            day += dt.timedelta(days=1)
    raise AssertionError("no report date found")


def test_a_wrong_follow_gets_a_clear_answer_and_keeps_nothing(site: Flask, lang: str) -> None:
    reader = site.test_client()
    cases = [
        ({"kind": "provinces", "slug": PROVINCE, "email": "not an address"}, 400),
        ({"kind": "provinces", "slug": "atlantis", "email": "a@example.com"}, 400),
        ({"kind": "weather", "slug": PROVINCE, "email": "a@example.com"}, 400),
        ({"kind": "provinces", "slug": PROVINCE, "email": "a@example.com", "website": "x"}, 400),
    ]
    for form, status in cases:
        answer = reader.post(f"/{lang}/follow/", data=form)
        assert answer.status_code == status, form
        assert 'role="alert"' in answer.get_data(as_text=True)
    assert reader.get(f"/{lang}/follow/not-a-token").status_code == 404
    assert reader.post("/alerts/unsubscribe/not-a-token").status_code == 200
    with site.app_context():
        assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 0


def test_addresses_never_leave_through_the_api_exports_or_backups(
    site: Flask, smtp: Mailbox, tmp_path: Path
) -> None:
    subscribed(site, "en", smtp, "secret.person@example.com")
    client = site.test_client()
    for path in (
        "/api/v1/campaigns/plastic-bags/pledges",
        "/api/v1/indicators.csv",
        f"/api/v1/indicators/{WASTE}",
        "/en/feed.atom",
        f"/en/provinces/{PROVINCE}/",
    ):
        assert b"secret.person" not in client.get(path).data, path
    with site.app_context():
        write_backup(tmp_path / "plain.jsonl.gz")
        write_backup(tmp_path / "asked.jsonl.gz", with_subscribers=True)
    import gzip

    assert b"secret.person" not in gzip.open(tmp_path / "plain.jsonl.gz").read()
    assert b"secret.person" in gzip.open(tmp_path / "asked.jsonl.gz").read()


def test_a_pledge_with_an_address_brings_a_reminder_a_week_later(
    site: Flask, smtp: Mailbox, lang: str
) -> None:
    site.config["PLEDGE_MIN_SECONDS"] = 0
    reader = site.test_client()
    form = reader.get(f"/{lang}/campaigns/cycling/pledge").get_data(as_text=True)
    token = re.search(r'name="form" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    sent = reader.post(
        f"/{lang}/campaigns/cycling/pledge",
        data={"form": token, "action": "cycle-short-trips", "email": "em@example.com"},
    )
    assert sent.status_code == 303
    receipt = reader.get(sent.headers["Location"]).get_data(as_text=True)
    assert ("đang gửi một đường dẫn" if lang == "vi" else "We are sending a link") in receipt
    with site.app_context():  # the address is not kept with the pledge
        from app.campaigns.pledges import Pledge

        assert "em@example.com" not in repr(db.session.scalars(select(Pledge)).all()[0].__dict__)
    assert send_alerts(site, smtp).returncode == 0
    assert (
        reader.post(manage_link(smtp.messages()[-1]), data={"action": "confirm"}).status_code == 200
    )
    settings = smtp_settings(smtp.url)
    site.config.update(PUBLIC_URL=PUBLIC, ALERTS_SETTLE_SECONDS=0)
    with site.test_request_context(base_url=PUBLIC), Mailer(settings) as mailer:
        assert send_all(mailer, dt.date.today() + dt.timedelta(days=6)).digests == 0
    with site.test_request_context(base_url=PUBLIC), Mailer(settings) as mailer:
        assert send_all(mailer, dt.date.today() + dt.timedelta(days=7)).digests == 1
    body = text_of(smtp.messages()[-1])
    assert ("Nhắc lại cam kết của bạn" if lang == "vi" else "A reminder of your pledge") in body
    assert "/campaigns/cycling/" in body


def test_a_subscriber_stops_one_thing_and_changes_language_from_their_page(
    site: Flask, smtp: Mailbox
) -> None:
    reader, page = subscribed(site, "vi", smtp, "giang@example.com")
    assert follow(reader, "vi", "giang@example.com", "campaigns", "cycling").status_code == 200
    assert send_alerts(site, smtp).returncode == 0
    assert reader.post(page, data={"action": "confirm"}).status_code == 200
    shown = reader.get(page).get_data(as_text=True)
    assert "/vi/provinces/bac-giang/" in shown and "/vi/campaigns/cycling/" in shown
    reader.post(page, data={"action": "stop", "kind": "provinces", "slug": PROVINCE})
    reader.post(page, data={"action": "language", "lang": "en"})
    shown = reader.get(page).get_data(as_text=True)
    assert "/vi/provinces/bac-giang/" not in shown and "/vi/campaigns/cycling/" in shown
    with site.app_context():
        assert db.session.scalar(select(Subscriber.lang)) == "en"
    # Bắc Giang's news no longer comes; the next email is in English.
    publish(site, "70")
    assert send_alerts(site, smtp).returncode == 0
    assert len(smtp.messages()) == 2  # two confirmations, and no digest


def test_the_first_addresses_of_following_still_work_and_no_link_reaches_the_log(
    site: Flask, smtp: Mailbox, request_log: list[str]
) -> None:
    """INTERFACE.md names /<lang>/follow/…; a form served from a page cached before, or a
    link in an email sent before, at /<lang>/alerts/…, still works. Neither address's
    secret is written to the request log."""
    reader = site.test_client()
    form = {"kind": "provinces", "slug": PROVINCE, "email": "earlier@example.com"}
    assert reader.post("/vi/alerts/follow", data=form).status_code == 200
    assert send_alerts(site, smtp).returncode == 0
    page = manage_link(smtp.messages()[-1])
    token = page.rsplit("/", 1)[1]
    assert page == f"/vi/follow/{token}"
    earlier = reader.post(f"/vi/alerts/{token}", data={"action": "confirm"})
    assert earlier.status_code == 200 and "Đã xác nhận" in earlier.get_data(as_text=True)
    assert reader.get(page).status_code == 200
    paths = [json.loads(line)["path"] for line in request_log]
    assert "/vi/follow/…" in paths and "/vi/alerts/…" in paths
    assert not any(token in line for line in request_log)
