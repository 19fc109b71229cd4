"""Search forgives how people type: Telex and VNI keys, slips, questions, synonyms, figures
(issue 18). The whole evaluation set runs in test_search.py; these tests pin down what a
reader sees and what an editor can change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.content.reader import ContentError, read_content
from app.search import figures, telex
from app.search.analyzers import fold
from app.search.documents import rebuild_index, search_index
from app.search.engine import Document, SearchIndex, rebuild
from app.search.terms import SearchTerms
from tests.conftest import ROOT, make_app


def search(client: FlaskClient, q: str, lang: str = "vi", **extra: str) -> dict:
    answer = client.get("/api/v1/search", query_string={"q": q, "lang": lang, **extra})
    assert answer.status_code == 200
    return answer.get_json()


@pytest.mark.parametrize(
    "keys, meant",
    [
        ("nguwowif", "người"),
        ("ddapj", "đạp"),
        ("rwngf", "rừng"),
        ("tawng", "tăng"),
        ("d9a5p", "đạp"),
        ("cha61t", "chất"),
        ("Ba8c1", "bắc"),
        ("ru7ng2", "rừng"),
    ],
)
def test_telex_and_vni_keys_read_as_the_syllable_they_type(keys: str, meant: str) -> None:
    assert meant in telex.readings(keys)


def test_plain_words_have_no_reading_or_one_the_site_must_confirm() -> None:
    assert telex.readings("xanh") == set()
    assert telex.readings("cycling") == set()
    # "tree" reads as "trê": only the vocabulary check keeps an English word English.
    assert telex.readings("tree") == {"trê"}


def test_figures_are_read_in_both_conventions() -> None:
    assert figures.readings("1.500") == ["1500", "1_5"]
    assert figures.readings("1,500") == ["1_5", "1500"]
    assert figures.readings("0,85") == ["0_85"]
    assert figures.readings("21.2") == ["21_2"]
    assert figures.figure_words("Đạt 17.000 ha, tỷ lệ 21,2%", "vi") == ["17000", "21_2"]
    assert figures.figure_words("17,000 ha and 21.2%", "en") == ["17000", "21_2"]


@pytest.mark.parametrize(
    "typed, lang, shown, first",
    [
        ("nuwowcs sachj noong thoon", "vi", "nước sạch nông thôn", "bac-giang-clean-water-rural"),
        ("d9i xe d9a5p", "vi", "đi xe đạp", "cycling"),
        ("chat thai rna", "vi", "chất thải rắn", None),
        ("hazardus waste", "en", "hazardous waste", "lai-chau-hazardous-waste-treated"),
    ],
)
def test_a_slip_is_searched_as_meant_and_says_so(
    client: FlaskClient, typed: str, lang: str, shown: str, first: str | None
) -> None:
    answer = search(client, typed, lang)
    assert answer["query"] == typed
    assert answer["corrected"] == shown
    assert answer["total"] > 0
    if first:
        assert answer["results"][0]["slug"] == first
    as_typed = search(client, typed, lang, as_typed="1")
    assert as_typed["corrected"] is None
    assert [r["slug"] for r in as_typed["results"]] != [r["slug"] for r in answer["results"]]


def test_the_page_says_what_it_searched_for_and_offers_the_words_as_typed(
    client: FlaskClient, lang: str
) -> None:
    page = client.get(f"/{lang}/search", query_string={"q": "raccs thair noong thoon"})
    html = page.get_data(as_text=True)
    shown = {"vi": "Đang hiện kết quả cho", "en": "Showing results for"}[lang]
    instead = {"vi": "Tìm đúng như đã gõ:", "en": "Search instead for"}[lang]
    assert shown in html and "rác thải nông thôn</strong>" in html
    link = re.search(rf'{instead} <a href="([^"]+)">raccs thair noong thoon</a>', html)
    assert link, html
    literal = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "as_typed=1" in link.group(1)
    assert shown not in literal and 'value="raccs thair noong thoon"' in literal


def test_questions_find_what_they_ask_about(client: FlaskClient) -> None:
    asked = search(client, "độ che phủ rừng Lai Châu là bao nhiêu")
    plain = search(client, "độ che phủ rừng Lai Châu")
    assert asked["results"][0]["slug"] == plain["results"][0]["slug"] == "lai-chau-forest-cover"
    # Only question words: they are searched rather than nothing.
    assert search(client, "là gì")["query"] == "là gì"


def test_a_synonym_finds_what_the_documents_call_it(client: FlaskClient) -> None:
    garbage = {r["slug"] for r in search(client, "garbage", "en")["results"]}
    assert "lai-chau-rural-solid-waste-collected" in garbage
    bags = [r["slug"] for r in search(client, "bịch nilon")["results"]]
    assert bags[0] in {"plastic-bags", "bac-giang-plastic-bags-supermarkets"}


def test_figures_are_found_as_either_language_writes_them(client: FlaskClient) -> None:
    for q, lang in (("17.000 ha", "vi"), ("17,000 ha", "en"), ("17000 ha", "vi")):
        first = search(client, q, lang)["results"][0]["slug"]
        assert first == "bac-giang-certified-forest-area", q
    for q in ("21,2%", "21.2 %"):
        assert search(client, q)["results"][0]["slug"] == "hai-phong-urban-wastewater-treated"


def test_a_plan_is_found_by_its_number_however_it_is_written(client: FlaskClient) -> None:
    for q in ("QĐ 1463", "qd 1463", "1463/QĐ-UBND", "quyết định 1463", "1463QD"):
        assert search(client, q)["results"][0]["slug"] == "hai-phong-1463-2014", q
    assert search(client, "Decision 1498", "en")["results"][0]["slug"] == "lai-chau-1498-2012"


def test_a_plan_named_by_its_number_comes_before_one_that_mentions_it(
    client: FlaskClient,
) -> None:
    """Decision 682's short page says three times that 1026 replaced it; whoever types
    1026 is after Decision 1026 itself, and whoever types 682 after 682."""
    for q, lang in (("QĐ 1026", "vi"), ("1026", "vi"), ("Decision 1026", "en")):
        found = [r["slug"] for r in search(client, q, lang)["results"]]
        assert found[:2] == ["bac-giang-1026-2022", "bac-giang-682-2018"], q
    assert search(client, "682")["results"][0]["slug"] == "bac-giang-682-2018"


def test_a_target_named_by_its_title_and_province_comes_before_the_plan(
    client: FlaskClient,
) -> None:
    """The page of Hai Phong's wastewater target says Hai Phong; its title does not."""
    found = [r["slug"] for r in search(client, "wastewater Hai Phong", "en")["results"]]
    assert found[0] == "hai-phong-urban-wastewater-treated"
    assert "hai-phong-1463-2014" in found  # the plan that sets it still follows


TYPED = [
    ("vi", "chat thai rna"),
    ("vi", "Lai Chua"),
    ("vi", "nuoc thia do thi"),
    ("vi", "mua sam cong xnah"),
    ("vi", "xyzzy qwrtp"),
    ("en", "forrest cover"),
    ("en", "plastik bags"),
    ("en", "trash in towns"),
    ("en", "renewable enrgy"),
    ("en", "qwxz"),
]


@pytest.mark.parametrize("lang, q", TYPED)
def test_corrections_and_suggestions_only_use_words_on_the_site(
    site_app: Flask, lang: str, q: str
) -> None:
    with site_app.test_request_context():
        index = search_index()
        results = index.search(q, lang)
        vocabulary = index._words(index._open())
    typed = {fold(w).lower() for w in re.findall(r"\w+", q)}
    for offered in (results.corrected, results.suggestion):
        for word in re.findall(r"\w+", offered or ""):
            plain = fold(word).lower()
            assert plain in typed or vocabulary.knows(plain), (q, offered)


def test_an_editor_adds_a_synonym_in_content_without_code(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    terms = content / "search_terms.yaml"
    app = make_app(tmp_path / "xanh.db", content, search_index_dir=tmp_path / "index")
    with app.app_context():
        from app.content.loader import load_content

        load_content(content)
        rebuild_index()
    client = app.test_client()
    assert search(client, "xe hai bánh", "vi")["results"][0]["slug"] != "cycling"
    terms.write_text(
        terms.read_text(encoding="utf-8").replace(
            "synonyms:\n", "synonyms:\n  - {lang: vi, words: [xe hai bánh], means: [xe đạp]}\n"
        ),
        encoding="utf-8",
    )
    with app.app_context():
        rebuild_index()
    assert search(client, "xe hai bánh", "vi")["results"][0]["slug"] == "cycling"


def test_a_mistake_in_the_terms_file_stops_the_load_and_names_the_entry(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "search_terms.yaml").write_text(
        "synonyms:\n  - {lang: fr, words: [poubelle], means: [chất thải]}\n", encoding="utf-8"
    )
    with pytest.raises(ContentError) as error:
        read_content(content)
    assert "search_terms.yaml" in str(error.value) and "lang" in str(error.value)


def test_a_build_keeps_the_terms_it_was_made_with(tmp_path: Path) -> None:
    doc = Document(
        "page",
        "recycling",
        (),
        (),
        {
            "title": {"vi": "Tái chế giấy", "en": "Paper recycling"},
            "summary": {"vi": "", "en": ""},
            "body": {"vi": "", "en": ""},
        },
    )
    terms = SearchTerms.from_data(
        {"synonyms": [{"lang": "en", "words": ["upcycling"], "means": ["recycling"]}]}
    )
    rebuild(tmp_path, [doc], terms=terms)
    assert [h.slug for h in SearchIndex(tmp_path).search("upcycling", "en").hits] == ["recycling"]
    rebuild(tmp_path, [doc])  # the site's own list has no such synonym
    assert SearchIndex(tmp_path).search("upcycling", "en").hits == []


def test_a_number_the_site_does_not_hold_finds_nothing_rather_than_its_words(
    client: FlaskClient,
) -> None:
    """ "412/BC-STNMT" is not on the site: the plans that say "báo cáo" and "Sở TN&MT" are
    not what was asked for, however loosely the other words are matched."""
    assert search(client, "412/BC-STNMT")["total"] == 0
    assert search(client, "nước thải 99%")["total"] == 0
    found = search(client, "chất thải rắn nông thôn 91%")["results"]
    assert found[0]["slug"] == "hai-phong-rural-solid-waste-treated"
