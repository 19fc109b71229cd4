"""Drive the real site, served by gunicorn, in headless Chromium on a phone-sized screen."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from html import escape

import pytest

from tests.admin_helpers import PASSWORD
from tests.chromium import CHROMIUM_FLAGS, chromium_path
from tests.factories import write_content
from tests.serving import flask_command, gunicorn_site

pytestmark = pytest.mark.browser


EDITOR = "lan@donre.example"  # reports for Bắc Giang's Department of Natural Resources


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn on a fresh SQLite database, loaded through the real CLI, with one editor."""
    folder = tmp_path_factory.mktemp("browser")
    url, index = f"sqlite:///{folder / 'xanh.db'}", folder / "index"
    with gunicorn_site(url, index) as base:
        account = ("accounts", "create", EDITOR, "--name", "Lan", "--agency", "bac-giang-donre")
        done = flask_command(url, index, *account, "--password-stdin", stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        yield base


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(server: str, browser):  # noqa: ANN001, ANN201
    """A phone-sized page with JavaScript off: the site must work without it."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
    )
    yield context.new_page()
    context.close()


def no_sideways_scroll(page) -> bool:  # noqa: ANN001
    width = page.evaluate("document.documentElement.scrollWidth")
    return width <= 360


def test_home_to_plan_to_indicator_then_switch_language(server: str, page) -> None:  # noqa: ANN001
    page.goto(f"{server}/")
    assert page.url == f"{server}/vi/"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="Bắc Giang: 1026/QĐ-UBND").click()
    assert page.url == f"{server}/vi/plans/bac-giang-1026-2022/"
    assert no_sideways_scroll(page)

    page.locator("a[href='/vi/indicators/bac-giang-urban-solid-waste-treated/']").first.click()
    assert page.url == f"{server}/vi/indicators/bac-giang-urban-solid-waste-treated/"
    assert "95%" in page.locator(".headline").inner_text()
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="English").click()
    assert page.url == f"{server}/en/indicators/bac-giang-urban-solid-waste-treated/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Urban solid waste collected and treated" in page.locator("h1").inner_text()
    assert no_sideways_scroll(page)


def test_filters_work_without_javascript(server: str, page) -> None:  # noqa: ANN001
    page.goto(f"{server}/en/indicators/")
    page.select_option("#f-province", "lai-chau")
    page.get_by_role("button", name="Show").click()
    assert "province=lai-chau" in page.url
    cards = page.locator(".indicator-card h3").all_inner_texts()
    assert cards and any("Forest cover" in text for text in cards)
    assert no_sideways_scroll(page)


@pytest.mark.parametrize(
    "path",
    [
        "/en/plans/hai-phong-1463-2014/",
        "/vi/campaigns/plastic-bags/",
        "/vi/compare/",
        "/en/provinces/bac-giang/",
        "/vi/indicators/?province=nowhere",
        "/en/no-such-page/",
    ],
)
def test_pages_fit_a_phone_screen(server: str, page, path: str) -> None:  # noqa: ANN001
    page.goto(f"{server}{path}")
    assert no_sideways_scroll(page), path


def above_the_fold(page, selector: str) -> bool:  # noqa: ANN001
    """Whether the element is on screen, whole, without scrolling."""
    box = page.locator(selector).first.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= 740


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_phone_shows_a_reported_figure_a_deadline_and_a_campaign_without_scrolling(
    server: str,
    page,
    lang: str,  # noqa: ANN001
) -> None:
    """Issue 19: what is known (with its source), what is due next, and something to do,
    on the first screen of a 360 × 740 phone."""
    page.goto(f"{server}/{lang}/")
    known = "[aria-labelledby=glance-known]"
    assert above_the_fold(page, f"{known} .big-figure")
    assert page.locator(f"{known} .big-figure").inner_text().strip()
    assert above_the_fold(page, f"{known} a.cite")  # the source
    assert above_the_fold(page, "[aria-labelledby=glance-next] .big-figure")
    assert re.fullmatch(
        r"20\d\d", page.locator("[aria-labelledby=glance-next] .big-figure").inner_text()
    )
    assert above_the_fold(page, "[aria-labelledby=glance-join] a.button")
    assert no_sideways_scroll(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_plans_contents_reach_who_does_what_in_one_tap_and_sections_fold(
    server: str,
    page,
    lang: str,  # noqa: ANN001
) -> None:
    page.goto(f"{server}/{lang}/plans/bac-giang-1026-2022/")
    assert above_the_fold(page, ".toc a[href='#tasks']")
    page.locator(".toc a[href='#tasks']").click()
    box = page.locator("#tasks").bounding_box()
    assert box and -1 <= box["y"] < 740 / 2  # scrolled to, near the top of the screen
    agency = page.locator("section[aria-labelledby=tasks] details.fold").first
    assert not agency.locator("ul.tasks").is_visible()  # folded: the agencies fit a screen
    agency.locator("summary").click()
    assert agency.locator("ul.tasks li").first.is_visible()
    page.locator("section[aria-labelledby=tasks] .to-top a").click()
    assert page.evaluate("window.scrollY") == 0
    assert no_sideways_scroll(page)


def test_copy_link_puts_the_pages_address_on_the_clipboard(server: str, browser) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    page.goto(f"{server}/vi/campaigns/plastic-bags/")
    button = page.get_by_role("button", name="Chép đường dẫn")
    button.click()
    page.get_by_role("button", name="Đã chép đường dẫn").wait_for(timeout=5000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/vi/campaigns/plastic-bags/")
    # Chromium on a desktop has no share sheet: the button that would open it stays hidden.
    assert page.locator("button.share-button").is_hidden() == (
        not page.evaluate("Boolean(navigator.share)")
    )
    context.close()


@pytest.fixture(scope="module")
def checked_page(server: str, browser):  # noqa: ANN001, ANN201
    """A phone-sized page where the test, not the site, runs the accessibility checker."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    yield context.new_page()
    context.close()


REPORTED = "hai-phong-urban-wastewater-treated"  # 21.2% in 2021, from the city's news portal


@pytest.mark.parametrize(("lang", "figure"), [("vi", "21,2%"), ("en", "21.2%")])
def test_indicator_page_shows_chart_table_status_and_source_on_a_phone(
    server: str,
    page,
    lang: str,
    figure: str,  # noqa: ANN001
) -> None:
    page.goto(f"{server}/{lang}/indicators/{REPORTED}/")
    chart = page.locator(".chart svg")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box and 0 < box["x"] and box["x"] + box["width"] <= 360 and box["height"] > 80
    assert figure in (chart.locator("desc").text_content() or "")
    # Its labels read at 14 px or more on the phone (SVG text scales with the drawing).
    smallest = chart.evaluate(
        """svg => Math.min(...[...svg.querySelectorAll('text')].map(t =>
            parseFloat(getComputedStyle(t).fontSize)
            * svg.clientWidth / svg.viewBox.baseVal.width))"""
    )
    assert smallest >= 14
    table = page.locator("#values ~ table, section[aria-labelledby=values] table").first
    assert table.is_visible() and figure in table.inner_text() and "2021" in table.inner_text()
    # The source of the value, named in the reader's language.
    assert ("Hải Phòng" if lang == "vi" else "Hai Phong city news portal") in table.inner_text()
    status = page.locator(".headline .status").first
    assert status.is_visible() and status.inner_text().strip()
    # Its source is the city's news report, linked to its own page among the sources.
    source = page.locator(".headline a.cite")
    assert source.is_visible() and "/sources/hai-phong-news-2021/" in source.get_attribute("href")
    assert no_sideways_scroll(page)


ACCESSIBILITY_PAGES = [
    "/",
    "/plans/bac-giang-1026-2022/",
    f"/indicators/{REPORTED}/",
    "/indicators/?province=lai-chau",
    "/campaigns/plastic-bags/",
    "/campaigns/plastic-bags/pledge?action=refuse-a-bag",
    "/privacy/",
    "/provinces/hai-phong/",
    "/compare/",
    "/methodology/",
    "/sources/",
    "/api/",
    "/provinces/",
    "/provinces/bac-giang/",
    "/plans/lai-chau-1498-2012/",
    "/search?q=rac+thai",
    "/search?q=raccs+thair+noong+thoon",  # says what it searched for instead
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", ACCESSIBILITY_PAGES)
def test_no_wcag_21_aa_violation(server: str, checked_page, lang: str, path: str) -> None:  # noqa: ANN001
    from tests.axe import violations

    checked_page.goto(f"{server}/{lang}{path}")
    assert violations(checked_page) == []


@pytest.mark.parametrize("width", [360, 1280])
def test_every_page_type_fits_a_phone_and_a_desktop(server: str, browser, width: int) -> None:  # noqa: ANN001
    """No page scrolls sideways, in either language, at a phone's width or a desktop's; at
    the desktop's, axe-core checks each too (the phone's run is the test above)."""
    from tests.axe import violations

    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    wider, failing = [], {}
    for lang in ("vi", "en"):
        for path in ACCESSIBILITY_PAGES:
            page.goto(f"{server}/{lang}{path}")
            if page.evaluate("document.documentElement.scrollWidth") > width:
                wider.append(f"/{lang}{path}")
            if width > 360 and (found := violations(page)):
                failing[f"/{lang}{path}"] = found
    context.close()
    assert wider == [] and failing == {}


def test_the_accessibility_check_catches_what_it_should(server: str, checked_page) -> None:  # noqa: ANN001
    """The check above is only worth something if it fails on a page that breaks the rules."""
    from tests.axe import violations

    checked_page.goto(f"{server}/en/")
    checked_page.evaluate(
        """() => {
            document.querySelector('h1').style.color = '#ccc';
            document.querySelector('.lang-switch').textContent = '';
            document.documentElement.removeAttribute('lang');
        }"""
    )
    found = {v["id"] for v in violations(checked_page)}
    assert {"color-contrast", "link-name", "html-has-lang"} <= found


@pytest.fixture(scope="module")
def host_site(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A news article on another origin that pastes the snippet from Xanh's embed panel."""
    import html
    import re
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    with urllib.request.urlopen(f"{server}/en/indicators/{REPORTED}/?view=chart") as answer:
        panel = answer.read()
    snippet = html.unescape(re.search(rb"<textarea[^>]*>(.*?)</textarea>", panel, re.S)[1].decode())
    folder = tmp_path_factory.mktemp("host")
    (folder / "article.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>News</title>"
        "<script>window.received = []; addEventListener('message', e => received.push(e.data));"
        "</script></head><body><h1>An article</h1><p>Some text before the figure.</p>"
        f"{snippet}<p>Some text after it.</p></body></html>",
        encoding="utf-8",
    )
    # The same article trying to frame a whole page of Xanh, which only widgets allow.
    (folder / "framing.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Framing</title>"
        f"</head><body><iframe id='page' src='{server}/en/indicators/{REPORTED}/'></iframe>"
        f"<iframe id='widget' src='{server}/embed/en/indicators/{REPORTED}'></iframe>"
        "</body></html>",
        encoding="utf-8",
    )
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    # "localhost" against Xanh's "127.0.0.1", and another port: a different origin twice over.
    yield f"http://localhost:{httpd.server_address[1]}/article.html"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("width", [320, 1024])
def test_embedded_widget_takes_its_contents_height_on_another_origin(
    browser,
    host_site: str,
    width: int,  # noqa: ANN001
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(host_site)
    page.wait_for_function("document.querySelector('iframe').style.height !== ''")
    frame = page.frames[1]
    assert frame.url.startswith("http://127.0.0.1:")  # Xanh, not the host
    page.wait_for_timeout(200)  # let a last resize message arrive
    content = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    shown = page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")
    assert abs(shown - content) <= 1, (width, shown, content)
    box = page.locator("iframe").bounding_box()
    assert box and box["width"] <= width
    received = page.evaluate("received")
    assert any(m.get("type") == "xanh-embed-size" and m["height"] == content for m in received)
    assert any(m.get("sentinel") == "amp" and m.get("type") == "embed-size" for m in received)
    assert any(m.get("message") == "height" and m.get("value") == content for m in received)
    context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("query", ["", "?view=chart", "?view=chart&theme=dark"])
def test_widget_passes_the_accessibility_check(
    server: str,
    checked_page,
    lang: str,
    query: str,  # noqa: ANN001
) -> None:
    from tests.axe import violations

    checked_page.goto(f"{server}/embed/{lang}/indicators/{REPORTED}{query}")
    assert violations(checked_page) == []


WASTE = "bac-giang-urban-solid-waste-treated"  # reported by the editor's department


def sign_in(page, server: str, lang: str, email: str = EDITOR) -> None:  # noqa: ANN001
    page.goto(f"{server}/admin/{lang}/")  # sent to the sign-in form
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/{lang}/?$"))


@pytest.fixture(scope="module")
def dated_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The generated test content, whose plan sets a yearly report date (10 November).

    No plan in the real content both sets a report date and is still running, so
    no real indicator can show an editor a report that is overdue and a value to
    enter; the test plan does, every day of the year.
    """
    folder = tmp_path_factory.mktemp("dated")
    content = write_content(folder / "content")
    url, index = f"sqlite:///{folder / 'xanh.db'}", folder / "index"
    env = {"XANH_CONTENT_DIR": str(content)}
    with gunicorn_site(url, index, **env) as base:
        account = ("accounts", "create", EDITOR, "--name", "Lan", "--plan", "test-plan")
        done = flask_command(
            url, index, *account, "--password-stdin", stdin=PASSWORD + "\n", env=env
        )
        assert done.returncode == 0, done.stderr
        yield base


def test_an_editors_day_from_the_overdue_report_to_the_public_page(
    dated_server: str,
    browser,  # noqa: ANN001
) -> None:
    """Sign in on a phone, see the overdue report, enter it with a decimal comma, publish."""
    server, slug = dated_server, "test-waste-collected"
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
    )
    page = context.new_page()
    public = f"{server}/vi/indicators/{slug}/"
    page.goto(public)
    status_before = page.locator(".headline .status").inner_text()
    assert "Đã qua hạn báo cáo, chưa thấy công bố" in page.locator(".headline").inner_text()

    sign_in(page, server, "vi")
    overdue = page.locator("ul.cards li", has=page.locator(f"a[href$='/indicators/{slug}']"))
    assert "Đã qua hạn báo cáo, chưa thấy công bố" in overdue.inner_text()
    awaited = re.search(r"Giá trị năm (\d{4})", overdue.inner_text())
    assert awaited, overdue.inner_text()
    year = awaited.group(1)
    assert no_sideways_scroll(page)

    overdue.locator("a").click()
    assert page.locator("#year").input_value() == year  # the form offers the year that is due
    page.fill("#value", "87,5")
    page.fill("#source_document", "Báo cáo 45/BC-THU")
    page.get_by_role("button", name="Xem lại trước khi công bố").click()
    # The review shows what the public page will say, before anything is public.
    review = page.locator("main").inner_text()
    assert "87,5%" in review and "Trạng thái khi công bố" in review
    assert no_sideways_scroll(page)
    page.get_by_role("button", name="Công bố", exact=True).click()
    assert f"Đã công bố giá trị năm {year}" in page.locator(".notice").inner_text()
    page.goto(f"{server}/admin/vi/")
    assert page.locator(f"ul.cards a[href$='/indicators/{slug}']").count() == 0  # not overdue

    page.wait_for_timeout(1100)  # every worker sees the new data version within a second
    page.goto(public)
    headline = page.locator(".headline").inner_text()
    assert "87,5%" in headline and f"({year})" in headline
    assert "Đã qua hạn báo cáo, chưa thấy công bố" not in headline
    assert page.locator(".headline .status").inner_text() != status_before
    history = page.locator("section[aria-labelledby=history]").inner_text()
    assert "— → 87,5%" in history and "Báo cáo 45/BC-THU" in history
    page.goto(f"{server}/embed/vi/indicators/{slug}")
    widget = page.locator("body").inner_text()
    assert "87,5%" in widget and year in widget
    context.close()


ADMIN_PAGES = ["", f"indicators/{WASTE}", "import", "history", "password"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_editors_pages_pass_the_accessibility_check(
    server: str,
    browser,  # noqa: ANN001
    lang: str,
) -> None:
    from tests.axe import violations

    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{server}/admin/{lang}/login")
    assert violations(page) == [], "login"
    sign_in(page, server, lang)
    for path in ADMIN_PAGES:
        page.goto(f"{server}/admin/{lang}/{path}")
        assert violations(page) == [], path
        assert no_sideways_scroll(page), path
    # A dry run with an error row, and a form sent back with a mistake in it.
    page.goto(f"{server}/admin/{lang}/import")
    rows = f'indicator,year,value,source_document\n{WASTE},2024,"12,5,3",BC 1\n'
    page.set_input_files(
        "#file", files=[{"name": "v.csv", "mimeType": "text/csv", "buffer": rows.encode()}]
    )
    page.locator("main form button[type=submit]").click()
    assert page.locator("tbody tr").count() == 1
    assert violations(page) == [], "dry run"
    page.goto(f"{server}/admin/{lang}/indicators/{WASTE}")
    page.select_option("#year", "2024")
    page.fill("#value", "abc")
    page.fill("#source_document", "BC")
    page.locator("button[value=draft]").click()
    page.locator("#form-error").wait_for()
    assert violations(page) == [], "refused entry"
    context.close()


def test_the_content_security_policy_blocks_nothing_the_site_uses(
    server: str,
    browser,  # noqa: ANN001
) -> None:
    """With the policy enforced and scripts on, no page asks for anything it refuses."""
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    refused: list[str] = []
    failed: list[str] = []
    page.on("console", lambda message: refused.append(f"{message.text} {message.location}"))
    page.on("pageerror", lambda error: refused.append(str(error)))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    paths = [f"/vi{path}" for path in ACCESSIBILITY_PAGES]
    paths += [f"/embed/en/indicators/{REPORTED}?view=chart", "/admin/vi/login"]
    for path in paths:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{server}/en/indicators/{REPORTED}/")
    page.locator("button.copy[data-copy=e-code]").wait_for()  # copy.js ran: scripts allowed
    preview = page.frame_locator("iframe.embed-preview")
    assert "21.2%" in preview.locator("body").inner_text()  # the preview frame is allowed
    assert refused == [] and failed == [], (refused, failed)
    context.close()


# Markup in every text field an editor fills in; it must reach every page as plain text.
PAYLOAD = (
    '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'
    '"\'><svg onload="window.pwned=1">'
)
SHOWN = "<script>window.pwned=1</script>"


def test_script_in_every_editable_field_is_shown_inert(
    server: str,
    browser,  # noqa: ANN001
) -> None:
    """The policy is bypassed here, so that escaping alone has to keep the pages safe."""
    context = browser.new_context(viewport={"width": 1024, "height": 800}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, server, "en")
    for value, reason in (("55", ""), ("56", f"pwned reason {PAYLOAD}")):
        page.goto(f"{server}/admin/en/indicators/{WASTE}")
        page.select_option("#year", "2023")
        page.fill("#value", value)
        page.fill("#source_document", f"pwned doc {PAYLOAD}")
        page.fill("#source_section", f"pwned section {PAYLOAD}")
        page.fill("#note_vi", f"pwned ghi chú {PAYLOAD}")
        page.fill("#note_en", f"pwned note {PAYLOAD}")
        page.fill("#reason", reason)
        page.get_by_role("button", name="Review before publishing").click()
        page.get_by_role("button", name="Publish", exact=True).click()
        page.locator(".notice.success").wait_for()
    page.wait_for_timeout(1100)  # every worker sees the new data version
    pages = [
        f"/en/indicators/{WASTE}/",
        f"/vi/indicators/{WASTE}/",
        f"/embed/en/indicators/{WASTE}",
        f"/embed/vi/indicators/{WASTE}?view=chart",
        "/en/search?q=pwned",
        "/vi/search?q=pwned",
        "/en/feed.atom",
        f"/api/v1/indicators/{WASTE}",
        f"/admin/en/indicators/{WASTE}",
        "/admin/en/history",
    ]
    for path in pages:
        page.goto(f"{server}{path}")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.pwned") is None, path
        injected = page.evaluate("document.querySelectorAll('img[src=x], svg[onload]').length")
        assert injected == 0, path
        text = page.locator("body").inner_text()
        # Shown as text; the feed is shown as its XML source, where the text is escaped.
        assert (SHOWN if "feed" not in path else escape(SHOWN)) in text, path
    context.close()


def test_another_site_can_frame_a_widget_but_not_a_page(
    host_site: str,
    browser,  # noqa: ANN001
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(host_site.replace("article.html", "framing.html"))
    page.wait_for_load_state("networkidle")
    frames = {frame.url: frame for frame in page.frames[1:]}
    widget = next(f for url, f in frames.items() if "/embed/" in url)
    assert "21.2%" in widget.locator("body").inner_text()
    framed_page = page.frame_locator("#page")
    # Chromium shows its own error page in place of a page that refuses framing.
    assert framed_page.locator("h1.page-title, .headline").count() == 0
    assert not any("/en/indicators/" in url and "/embed/" not in url for url in frames)
    context.close()
