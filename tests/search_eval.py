"""The search evaluation set: queries and the documents that should come first.

Each Vietnamese query also runs without diacritics, in NFD, and with the other
tone-mark convention where it differs. Expected documents are "type:slug";
any one of them in the top three counts as found.
"""

from __future__ import annotations

import re
import unicodedata

from app.search.analyzers import OLD_TO_NEW_TONE_MARKS, fold

VIETNAMESE: list[tuple[str, set[str]]] = [
    ("đi xe đạp", {"campaign:cycling"}),
    (
        "túi ni lông siêu thị",
        {"indicator:bac-giang-plastic-bags-supermarkets", "campaign:plastic-bags"},
    ),
    ("độ che phủ rừng Lai Châu", {"indicator:lai-chau-forest-cover"}),
    ("độ che phủ rừng Bắc Giang", {"indicator:bac-giang-forest-cover"}),
    ("nước thải đô thị Hải Phòng", {"indicator:hai-phong-urban-wastewater-treated"}),
    (
        "chất thải y tế",
        {
            "indicator:hai-phong-medical-waste-facilities",
            "indicator:lai-chau-medical-waste-treated",
        },
    ),
    ("nước sạch nông thôn", {"indicator:bac-giang-clean-water-rural"}),
    ("kinh tế số", {"indicator:bac-giang-digital-economy-share"}),
    ("mua sắm công xanh", {"indicator:bac-giang-green-public-procurement"}),
    ("chỉ số phát triển con người", {"indicator:bac-giang-human-development-index"}),
    ("chất lượng không khí", {"indicator:bac-giang-air-quality-plan"}),
    ("điện mặt trời điện gió", {"indicator:bac-giang-renewable-power-share"}),
    ("chất thải nguy hại", {"indicator:lai-chau-hazardous-waste-treated"}),
    (
        "rác thải nông thôn",
        {
            "indicator:lai-chau-rural-waste-sorted",
            "indicator:lai-chau-rural-solid-waste-collected",
            "indicator:hai-phong-rural-solid-waste-treated",
        },
    ),
    ("kế hoạch hành động Hải Phòng", {"plan:hai-phong-1463-2014"}),
    ("Bình Dương", {"plan:binh-duong-1847-2018"}),
    (
        "thủy lợi đê điều",
        {"plan:lai-chau-1498-2012", "plan:hai-phong-1463-2014", "plan:bac-giang-1026-2022"},
    ),
    ("khu dự trữ sinh quyển Cát Bà", {"plan:hai-phong-1463-2014"}),
    ("diện tích cây xanh đô thị", {"indicator:lai-chau-urban-green-space"}),
    ("cách tính trạng thái", {"page:methodology"}),
    ("thủy sản công nghệ cao", {"indicator:bac-giang-high-tech-aquaculture"}),
    ("chứng chỉ quản lý rừng bền vững", {"indicator:bac-giang-certified-forest-area"}),
    ("tưới tiết kiệm nước", {"indicator:bac-giang-water-saving-irrigation"}),
    ("khỏe", {"plan:bac-giang-1026-2022"}),
]

ABBREVIATIONS: list[tuple[str, set[str]]] = [
    ("TTX Bắc Giang", {"plan:bac-giang-1026-2022"}),
    ("ttx bac giang", {"plan:bac-giang-1026-2022"}),
    (
        "KCN nước thải",
        {
            "indicator:bac-giang-industrial-zone-wastewater",
            "indicator:hai-phong-industrial-zone-wastewater",
        },
    ),
    (
        "kcn nuoc thai",
        {
            "indicator:bac-giang-industrial-zone-wastewater",
            "indicator:hai-phong-industrial-zone-wastewater",
        },
    ),
    (
        "CCN",
        {
            "indicator:bac-giang-cluster-wastewater-systems",
            "indicator:bac-giang-industrial-zone-wastewater",
            "indicator:hai-phong-industrial-zone-wastewater",
        },
    ),
    ("BĐKH", {"plan:lai-chau-1498-2012", "plan:bac-giang-1026-2022", "plan:hai-phong-1463-2014"}),
    ("bdkh", {"plan:lai-chau-1498-2012", "plan:bac-giang-1026-2022", "plan:hai-phong-1463-2014"}),
    (
        "KNK",
        {
            "plan:bac-giang-1026-2022",
            "plan:hai-phong-1463-2014",
            "plan:binh-duong-1847-2018",
            "plan:lai-chau-1498-2012",
        },
    ),
    (
        "PTBV",
        {
            "plan:bac-giang-1026-2022",
            "plan:hai-phong-1463-2014",
            "plan:lai-chau-1498-2012",
            "indicator:lai-chau-sustainable-mining",
        },
    ),
    ("csdl", {"plan:lai-chau-1498-2012", "plan:hai-phong-1463-2014", "plan:bac-giang-1026-2022"}),
]

ENGLISH: list[tuple[str, set[str]]] = [
    ("plastic bags", {"campaign:plastic-bags", "indicator:bac-giang-plastic-bags-supermarkets"}),
    ("cycling", {"campaign:cycling"}),
    ("forest cover", {"indicator:lai-chau-forest-cover", "indicator:bac-giang-forest-cover"}),
    (
        "wastewater Hai Phong",
        {
            "indicator:hai-phong-urban-wastewater-treated",
            "indicator:hai-phong-industrial-zone-wastewater",
        },
    ),
    ("rural clean water", {"indicator:bac-giang-clean-water-rural"}),
    ("digital economy", {"indicator:bac-giang-digital-economy-share"}),
    ("human development index", {"indicator:bac-giang-human-development-index"}),
    (
        "medical waste",
        {
            "indicator:hai-phong-medical-waste-facilities",
            "indicator:lai-chau-medical-waste-treated",
        },
    ),
    ("green public procurement", {"indicator:bac-giang-green-public-procurement"}),
    ("air quality plan", {"indicator:bac-giang-air-quality-plan"}),
    ("Binh Duong action plan", {"plan:binh-duong-1847-2018"}),
    ("how status is worked out", {"page:methodology"}),
    ("renewable energy", {"indicator:bac-giang-renewable-power-share"}),
    ("hazardous waste", {"indicator:lai-chau-hazardous-waste-treated"}),
]

_OLD_STYLE = {new: old for old, new in OLD_TO_NEW_TONE_MARKS.items()}


def old_tone_style(text: str) -> str:
    """Rewrite open "oa", "oe", "uy" syllables with the mark on the second vowel."""
    pattern = re.compile(r"(?<!q)(" + "|".join(_OLD_STYLE) + r")\b")
    return pattern.sub(lambda m: _OLD_STYLE[m.group(1)], text)


def query_set() -> list[tuple[str, str, str, set[str]]]:
    """(group, lang, query, expected) for every query form."""
    rows: list[tuple[str, str, str, set[str]]] = []
    for query, expected in VIETNAMESE:
        rows.append(("vietnamese", "vi", query, expected))
        rows.append(("no diacritics", "vi", fold(query).lower(), expected))
        rows.append(("nfd", "vi", unicodedata.normalize("NFD", query), expected))
        if old_tone_style(query) != query:
            rows.append(("old tone marks", "vi", old_tone_style(query), expected))
    rows += [("abbreviations", "vi", q, e) for q, e in ABBREVIATIONS]
    rows += [("english", "en", q, e) for q, e in ENGLISH]
    return rows
