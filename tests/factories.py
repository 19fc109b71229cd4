"""TEST DATA: a small generated content tree, never loaded as real content.

Every name and figure here is made up for the tests and marked as such.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

PROVINCE = """\
name: {vi: Tỉnh Thử, en: Test Province}
kind: {vi: Tỉnh, en: Province}
since_2025: {vi: Tỉnh thử giữ nguyên., en: The test province was left as it was.}
agencies:
  - slug: dpi
    name: {vi: Sở Thử, en: Test Department}
  - slug: committee
    name: {vi: UBND Thử, en: Test Committee}
"""

PLAN = """\
province: test-province
number: 1/QĐ-TEST
issuing_body: {vi: UBND Thử, en: Test Committee}
issued: 2020-01-15
period: {start: 2020, end: 2099}
documents:
  - {document: 1/QĐ-TEST, role: read_from}
  - {document: 9/QĐ-TEST, role: implements, section: "I"}
source: {vi: Văn bản thử, en: Test document}
themes:
  - {key: a, kind: targets, code: "a", title: {vi: Nhóm thử, en: Test group}}
reporting:
  - reporters: {vi: Các sở thử, en: Test departments}
    recipient: committee
    via: dpi
    due: {month: 11, day: 10}
    section: "III"
tasks:
  - {key: do-it, lead: dpi, partners: [committee], section: "II.1", title: {vi: Việc thử, en: Test task}}
"""

INDICATORS = """\
- slug: test-waste-collected
  reported_by: [dpi]
  code: "1"
  theme: a
  topic: test-topic
  kind: quantitative
  title: {vi: Rác thử được thu gom, en: Test waste collected}
  unit: {vi: "%", en: "%"}
  direction: increase
  target: {year: 2030, value: 90, comparator: ">=", text: {vi: Đạt 90%, en: 90%}}
  source: "II.1 (1)"
  observations:
    - {year: 2021, value: 40.5, source: {document: test-report, section: "1"}}
- slug: test-milestone
  reported_by_unstated: true
  topic: test-topic
  kind: milestone
  title: {vi: Mốc thử, en: Test milestone}
  target: {year: 2025, text: {vi: Làm xong, en: Done}}
  source: "II.2"
"""


SOURCES = """\
- {key: test-plan-text, number: 1/QĐ-TEST, kind: decision, level: provincial, issued: 2020-01-15,
   title: {vi: Văn bản thử, en: Test document}, held: true,
   takes: {vi: Mọi thứ thử, en: Everything tested}, find: {vi: Không có thật, en: Not real}}
- {key: test-decision, number: 9/QĐ-TEST, kind: decision, level: national, issued: 2019-01-01,
   title: {vi: Quyết định thử, en: Test decision}, held: false}
- {key: test-report, kind: article, level: press, issued: 2021-06-01,
   issuer: {vi: Báo thử, en: Test paper}, title: {vi: Bài thử, en: Test article}, held: true,
   takes: {vi: Một giá trị thử, en: One test value}, find: {vi: Không có thật, en: Not real}}
"""


def write_content(root: Path, *, english: bool = True) -> Path:
    """Write a complete, valid content tree under root and return it."""
    files = {
        "topics.yaml": "- {slug: test-topic, name: {vi: Chủ đề thử, en: Test topic}}\n",
        "sources.yaml": SOURCES,
        "provinces/test-province.yaml": PROVINCE,
        "provinces/test-province.vi.md": "---\ntitle: Tỉnh Thử\n---\nĐoạn văn thử.\n",
        "plans/test-plan/plan.yaml": PLAN,
        "plans/test-plan/indicators.yaml": INDICATORS,
        "plans/test-plan/vi.md": "---\ntitle: Kế hoạch thử\nsummary: Tóm tắt thử.\n---\nNội dung **thử**.\n",
        "campaigns/test-campaign/campaign.yaml": (
            "actions: [step-one, step-two]\nprovinces: [test-province]\nindicators: [test-waste-collected]\ntasks: [test-plan/do-it]\n"
        ),
        "campaigns/test-campaign/vi.md": (
            "---\ntitle: Chiến dịch thử\nsummary: Tóm tắt chiến dịch thử.\nactions: [Việc một, Việc hai]\n---\nThân bài thử.\n"
        ),
        "pages/methodology.vi.md": "---\ntitle: Phương pháp thử\n---\nThử.\n",
    }
    if english:
        files.update(
            {
                "provinces/test-province.en.md": "---\ntitle: Test Province\n---\nA test paragraph.\n",
                "plans/test-plan/en.md": "---\ntitle: Test plan\nsummary: Test summary.\n---\nTest **body**.\n",
                "campaigns/test-campaign/en.md": (
                    "---\ntitle: Test campaign\nsummary: Test campaign summary.\nactions: [Step one, Step two]\n---\nTest body.\n"
                ),
                "pages/methodology.en.md": "---\ntitle: Test method\n---\nTest.\n",
            }
        )
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return root
