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

# The groups below were written from the documents and from how people type on
# phones, before the engine was changed to find them.

SOLID_WASTE = {
    "indicator:bac-giang-urban-solid-waste-treated",
    "indicator:hai-phong-urban-solid-waste-treated",
    "indicator:hai-phong-rural-solid-waste-treated",
    "indicator:lai-chau-urban-solid-waste-collected",
    "indicator:lai-chau-rural-solid-waste-collected",
}
RURAL_WASTE = {
    "indicator:lai-chau-rural-waste-sorted",
    "indicator:lai-chau-rural-solid-waste-collected",
    "indicator:hai-phong-rural-solid-waste-treated",
}
URBAN_WASTE = {
    "indicator:bac-giang-urban-solid-waste-treated",
    "indicator:hai-phong-urban-solid-waste-treated",
    "indicator:lai-chau-urban-solid-waste-collected",
}
FOREST_COVER = {"indicator:lai-chau-forest-cover", "indicator:bac-giang-forest-cover"}
PLASTIC_BAGS = {"campaign:plastic-bags", "indicator:bac-giang-plastic-bags-supermarkets"}
MEDICAL_WASTE = {
    "indicator:hai-phong-medical-waste-facilities",
    "indicator:lai-chau-medical-waste-treated",
}
WASTEWATER = {
    "indicator:hai-phong-urban-wastewater-treated",
    "indicator:hai-phong-industrial-zone-wastewater",
    "indicator:bac-giang-industrial-zone-wastewater",
    "indicator:bac-giang-business-wastewater-treated",
    "indicator:bac-giang-urban-wastewater-treated-major",
    "indicator:bac-giang-urban-wastewater-treated-other",
    "indicator:bac-giang-urban-wastewater-systems",
    "indicator:bac-giang-cluster-wastewater-systems",
}
URBAN_WASTEWATER = {
    "indicator:hai-phong-urban-wastewater-treated",
    "indicator:bac-giang-urban-wastewater-treated-major",
    "indicator:bac-giang-urban-wastewater-treated-other",
    "indicator:bac-giang-urban-wastewater-systems",
}
INDUSTRIAL_WASTEWATER = {
    "indicator:bac-giang-industrial-zone-wastewater",
    "indicator:hai-phong-industrial-zone-wastewater",
    "indicator:bac-giang-cluster-wastewater-systems",
}
CLEAN_WATER = {
    "indicator:bac-giang-clean-water-population",
    "indicator:bac-giang-clean-water-urban",
    "indicator:bac-giang-clean-water-rural",
    "indicator:hai-phong-clean-water-households",
}
GREENHOUSE_PLANS = {
    "plan:bac-giang-1026-2022",
    "plan:hai-phong-1463-2014",
    "plan:binh-duong-1847-2018",
    "plan:lai-chau-1498-2012",
}
BAC_GIANG_PLANS = {"plan:bac-giang-1026-2022", "plan:bac-giang-682-2018"}

# Vietnamese typed with Telex or VNI where the input method did not turn the
# keys into letters: tone keys (s f r x j, or 1-5), doubled vowels, w and 6-9.
TELEX_VNI: list[tuple[str, set[str]]] = [
    ("raccs thair noong thoon", RURAL_WASTE),
    ("khis nhaf kinhs", GREENHOUSE_PLANS),
    ("moi truong2 khong khi1", {"indicator:bac-giang-air-quality-plan"}),
    ("ddooj che phur rwngf Lai Chaau", {"indicator:lai-chau-forest-cover"}),
    ("nuwowcs sachj noong thoon", {"indicator:bac-giang-clean-water-rural"}),
    ("tuis ni loong", PLASTIC_BAGS),
    ("ddapj xe", {"campaign:cycling"}),
    ("chaats thair y tees", MEDICAL_WASTE),
    ("kinh tees soos", {"indicator:bac-giang-digital-economy-share"}),
    ("mua sawms coong xanh", {"indicator:bac-giang-green-public-procurement"}),
    ("tawng truwowngr xanh Bawcs Giang", BAC_GIANG_PLANS),
    (
        "thuyr lowij ddee ddieeuf",
        {"plan:lai-chau-1498-2012", "plan:hai-phong-1463-2014", "plan:bac-giang-1026-2022"},
    ),
    ("nuoc71 tha3i d9o6 thi5 Ha3i Pho2ng", {"indicator:hai-phong-urban-wastewater-treated"}),
    ("cha61t tha3i nguy ha5i", {"indicator:lai-chau-hazardous-waste-treated"}),
    ("d9i xe d9a5p", {"campaign:cycling"}),
    ("tu1i ni lo6ng sie6u thi5", PLASTIC_BAGS),
    ("che phu3 ru7ng2 Ba8c1 Giang", {"indicator:bac-giang-forest-cover"}),
]

# One letter wrong, missing, doubled or swapped.
TYPOS: list[tuple[str, str, set[str]]] = [
    ("vi", "chat thai rna", SOLID_WASTE),
    ("vi", "Lai Chua", {"plan:lai-chau-1498-2012"}),
    ("vi", "nuoc thia do thi", URBAN_WASTEWATER),
    ("vi", "do che phu rung Bac Giagn", {"indicator:bac-giang-forest-cover"}),
    ("vi", "tui ni lonh", PLASTIC_BAGS),
    ("vi", "mua sam cong xnah", {"indicator:bac-giang-green-public-procurement"}),
    ("vi", "chat luong khong khu", {"indicator:bac-giang-air-quality-plan"}),
    ("vi", "ke hoach hanh dong Hai Phogn", {"plan:hai-phong-1463-2014"}),
    ("vi", "Binh Duonh", {"plan:binh-duong-1847-2018"}),
    ("vi", "chất thải nguy hạ", {"indicator:lai-chau-hazardous-waste-treated"}),
    ("en", "plastik bags", PLASTIC_BAGS),
    ("en", "forrest cover", FOREST_COVER),
    (
        "en",
        "wastewatr Hai Phong",
        {
            "indicator:hai-phong-urban-wastewater-treated",
            "indicator:hai-phong-industrial-zone-wastewater",
        },
    ),
    ("en", "medcal waste", MEDICAL_WASTE),
    ("en", "hazardus waste", {"indicator:lai-chau-hazardous-waste-treated"}),
    ("en", "renewable enrgy", {"indicator:bac-giang-renewable-power-share"}),
    ("en", "cyclng", {"campaign:cycling"}),
    ("en", "dgital economy", {"indicator:bac-giang-digital-economy-share"}),
]

# Questions as people ask them; the question words must not decide the answer.
QUESTIONS: list[tuple[str, str, set[str]]] = [
    ("vi", "độ che phủ rừng Lai Châu là bao nhiêu", {"indicator:lai-chau-forest-cover"}),
    ("vi", "có bao nhiêu khu công nghiệp có hệ thống xử lý nước thải", INDUSTRIAL_WASTEWATER),
    (
        "vi",
        "tỷ lệ nước sạch nông thôn Bắc Giang là bao nhiêu",
        {"indicator:bac-giang-clean-water-rural"},
    ),
    ("vi", "phong trào đạp xe ở đâu", {"campaign:cycling"}),
    ("vi", "làm thế nào để giảm túi ni lông", PLASTIC_BAGS),
    (
        "vi",
        "Hải Phòng xử lý được bao nhiêu phần trăm nước thải đô thị",
        {"indicator:hai-phong-urban-wastewater-treated"},
    ),
    ("vi", "chỉ số HDI của Bắc Giang là gì", {"indicator:bac-giang-human-development-index"}),
    ("vi", "kế hoạch tăng trưởng xanh của Bình Dương là gì", {"plan:binh-duong-1847-2018"}),
    ("vi", "tôi có thể làm gì với túi ni lông", PLASTIC_BAGS),
    ("vi", "chất thải y tế được xử lý bao nhiêu", MEDICAL_WASTE),
    ("en", "what is the forest cover target in Bac Giang", {"indicator:bac-giang-forest-cover"}),
    ("en", "how many industrial zones treat their wastewater", INDUSTRIAL_WASTEWATER),
    (
        "en",
        "how much rural solid waste is collected in Lai Chau",
        {"indicator:lai-chau-rural-solid-waste-collected", "indicator:lai-chau-rural-waste-sorted"},
    ),
    ("en", "what is Bac Giang's green growth plan", BAC_GIANG_PLANS),
    ("en", "how can I cut down on plastic bags", PLASTIC_BAGS),
    ("en", "how does Xanh decide a target's status", {"page:methodology"}),
    (
        "en",
        "what share of Hai Phong's urban wastewater is treated",
        {"indicator:hai-phong-urban-wastewater-treated"},
    ),
    ("en", "is rural clean water in Bac Giang on track", {"indicator:bac-giang-clean-water-rural"}),
]

# Everyday words the documents do not use.
SYNONYMS: list[tuple[str, str, set[str]]] = [
    ("en", "rubbish collection in the countryside", RURAL_WASTE),
    ("en", "trash in towns", URBAN_WASTE),
    ("en", "garbage", SOLID_WASTE | RURAL_WASTE),
    ("en", "sewage treatment", WASTEWATER),
    ("en", "drinking water", CLEAN_WATER),
    ("en", "tree cover", FOREST_COVER),
    ("en", "woodland certified", {"indicator:bac-giang-certified-forest-area"}),
    ("en", "bike", {"campaign:cycling"}),
    ("en", "carbon emissions", GREENHOUSE_PLANS),
    ("en", "hospital waste", MEDICAL_WASTE),
    ("en", "toxic waste", {"indicator:lai-chau-hazardous-waste-treated"}),
    ("en", "shopping bags", PLASTIC_BAGS),
    ("en", "power use per unit of GDP", {"indicator:bac-giang-electricity-intensity-reduction"}),
    ("vi", "bịch ni lông", PLASTIC_BAGS),
    ("vi", "túi nilon", PLASTIC_BAGS),
    ("vi", "bao nylon siêu thị", PLASTIC_BAGS),
    ("vi", "rác đô thị", URBAN_WASTE),
    ("vi", "rác y tế", MEDICAL_WASTE),
    (
        "vi",
        "nước máy nông thôn",
        {"indicator:bac-giang-clean-water-rural", "indicator:hai-phong-clean-water-households"},
    ),
    ("vi", "khói bụi", {"indicator:bac-giang-air-quality-plan"}),
]

# Figures as the pages show them or as people write them, and document numbers.
FIGURES_AND_CODES: list[tuple[str, str, set[str]]] = [
    ("vi", "91%", {"indicator:hai-phong-rural-solid-waste-treated"}),
    ("vi", "91 % chất thải rắn", {"indicator:hai-phong-rural-solid-waste-treated"}),
    ("vi", "21,2%", {"indicator:hai-phong-urban-wastewater-treated"}),
    ("en", "21.2%", {"indicator:hai-phong-urban-wastewater-treated"}),
    ("vi", "0,85", {"indicator:bac-giang-human-development-index"}),
    ("en", "HDI 0.85", {"indicator:bac-giang-human-development-index"}),
    ("vi", "17.000 ha", {"indicator:bac-giang-certified-forest-area"}),
    ("en", "17,000 ha", {"indicator:bac-giang-certified-forest-area"}),
    ("en", "17000 ha forest", {"indicator:bac-giang-certified-forest-area"}),
    ("vi", "86% cơ sở y tế", {"indicator:hai-phong-medical-waste-facilities"}),
    ("vi", "giảm 1,5–2% điện năng", {"indicator:bac-giang-electricity-intensity-reduction"}),
    ("vi", "QĐ 1026", {"plan:bac-giang-1026-2022"}),
    ("vi", "qd 1463", {"plan:hai-phong-1463-2014"}),
    ("vi", "1498/QD-UBND", {"plan:lai-chau-1498-2012"}),
    ("vi", "1847 KH UBND", {"plan:binh-duong-1847-2018"}),
    ("vi", "quyết định 1463", {"plan:hai-phong-1463-2014"}),
    ("vi", "1026QĐ", {"plan:bac-giang-1026-2022"}),
    ("en", "Decision 1498", {"plan:lai-chau-1498-2012"}),
    ("vi", "UBND tỉnh Lai Châu", {"plan:lai-chau-1498-2012"}),
    (
        "vi",
        "Sở TN&MT Bắc Giang",
        {"indicator:bac-giang-urban-solid-waste-treated", "indicator:bac-giang-air-quality-plan"},
    ),
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
    rows += [("telex and vni", "vi", q, e) for q, e in TELEX_VNI]
    for group, queries in (
        ("typos", TYPOS),
        ("questions", QUESTIONS),
        ("synonyms", SYNONYMS),
        ("figures and codes", FIGURES_AND_CODES),
    ):
        rows += [(group, lang, q, e) for lang, q, e in queries]
    return rows
