"""Write content N times today's size, for scale and crash tests: clearly fake, never real.

    python bench/generate.py --scale 40 /tmp/xanh-40x
    XANH_CONTENT_DIR=/tmp/xanh-40x .venv/bin/flask --app wsgi content load

The real content is copied as it is, and then copied again N - 1 times from its
own structure under new slugs (`fake-07-lai-chau-1498-2012`): every province,
plan, indicator, campaign and comparison, with their references rewritten to the
copy. Every generated name says it is test data. A generated target with a
value gets a value for every year of its plan up to 2025, as provinces that report
yearly will have; each is near the target or the real value, its source named
"FAKE DATA" and its note saying it was generated. The registry entries of the
documents each plan is read from are copied with the plans (marked too); topics,
the other documents of the registry and free-standing pages are shared.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path
from typing import Any

import frontmatter
import yaml

ROOT = Path(__file__).resolve().parent.parent
FAKE_SOURCE = "fake-data-bench-generate"
# The registry entry every generated value cites.
FAKE_DOCUMENT = {
    "key": FAKE_SOURCE,
    "kind": "letter",
    "level": "provincial",
    "title": {"vi": "DỮ LIỆU GIẢ (bench/generate.py)", "en": "FAKE DATA (bench/generate.py)"},
    "held": True,
    "takes": {
        "vi": "Các giá trị giả dùng để thử tải; không phải số liệu thật.",
        "en": "Fake values for load tests; not real figures.",
    },
    "find": {"vi": "Không có bản gốc.", "en": "There is no original."},
}
LAST_REPORTED_YEAR = 2025
FAKE_NOTE = {
    "vi": "Giá trị giả do bench/generate.py sinh ra để thử tải, không phải số liệu thật.",
    "en": "A fake value made by bench/generate.py for load tests, not a real figure.",
}


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class Copy:
    """The n-th generated copy: how its slugs and names are made from the real ones."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.prefix = f"fake-{n:02d}-"
        self.random = random.Random(n)

    def slug(self, slug: str) -> str:
        return self.prefix + slug

    def label(self, text: dict[str, str]) -> dict[str, str]:
        marks = {"vi": f"[Dữ liệu giả {self.n:02d}]", "en": f"[Fake data {self.n:02d}]"}
        return {lang: f"{marks[lang]} {value}" for lang, value in text.items() if value}

    def number(self, number: str) -> str:
        return f"{number} (fake {self.n:02d})"

    def value(self, value: float) -> float:
        return round(value * self.random.uniform(0.8, 1.1), 2)


def _copy_texts(source: str, target: str, copy: Copy) -> None:
    """Copy `<source>vi.md` and `<source>en.md` to `<target>vi.md`…, each with a marked
    title and a warning before the body."""
    for lang in ("vi", "en"):
        path = Path(f"{source}{lang}.md")
        if not path.exists():
            continue
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        post["title"] = copy.label({lang: post["title"]})[lang]
        post.content = f"*{FAKE_NOTE[lang]}*\n\n{post.content}"
        out = Path(f"{target}{lang}.md")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(frontmatter.dumps(post, allow_unicode=True) + "\n", encoding="utf-8")


def _copy_province(content: Path, out: Path, slug: str, copy: Copy) -> None:
    data = _read(content / "provinces" / f"{slug}.yaml")
    data["name"] = copy.label(data["name"])
    _write(out / "provinces" / f"{copy.slug(slug)}.yaml", data)
    provinces = out / "provinces"
    _copy_texts(f"{content}/provinces/{slug}.", f"{provinces}/{copy.slug(slug)}.", copy)


def _fake_observation(observation: dict, copy: Copy) -> dict:
    observation = dict(observation)
    if observation.get("value") is not None:
        observation["value"] = copy.value(observation["value"])
    observation["source"] = {"document": FAKE_SOURCE}
    observation["note"] = dict(FAKE_NOTE)
    return observation


def _yearly_series(indicator: dict, period: dict | None, copy: Copy) -> list[dict]:
    """A fake value for every year of the plan that has passed, as a province that
    reports each year would have: the shape national-scale content will take."""
    target = indicator.get("target") or {}
    if indicator["kind"] != "quantitative" or target.get("value") is None or not period:
        return []
    last = min(period["end"], LAST_REPORTED_YEAR)
    return [
        {"year": year, "value": copy.value(target["value"])}
        for year in range(period["start"], last + 1)
    ]


class Registry:
    """The real sources registry, and which of its entries each copy gets its own of."""

    def __init__(self, content: Path) -> None:
        self.sources: list[dict] = _read(content / "sources.yaml") or []
        self.key_of = {n: s["key"] for s in self.sources for n in (s["key"], s.get("number")) if n}
        plans = [_read(p) for p in sorted((content / "plans").glob("*/plan.yaml"))]
        numbers = {p["number"] for p in plans}
        read_from = {
            self.key_of[d["document"]]
            for p in plans
            for d in p.get("documents", [])
            if d["role"] == "read_from"
        }
        self.copied = {s["key"] for s in self.sources if s.get("number") in numbers} | read_from

    def ref(self, name: str, copy: Copy) -> str:
        """A citation of the copy: its own entry where it has one, else the shared one."""
        key = self.key_of.get(name, name)
        return copy.slug(key) if key in self.copied else name

    def copies(self, copy: Copy) -> list[dict]:
        made = []
        for source in self.sources:
            if source["key"] in self.copied:
                entry = {
                    **source,
                    "key": copy.slug(source["key"]),
                    "title": copy.label(source["title"]),
                }
                if source.get("number"):
                    entry["number"] = copy.number(source["number"])
                made.append(entry)
        return made


def _copy_plan(content: Path, out: Path, slug: str, copy: Copy, registry: Registry) -> None:
    folder = content / "plans" / slug
    target = out / "plans" / copy.slug(slug)
    plan = _read(folder / "plan.yaml")
    plan["province"] = copy.slug(plan["province"])
    plan["number"] = copy.number(plan["number"])
    plan["documents"] = [
        {**d, "document": registry.ref(d["document"], copy)} for d in plan.get("documents", [])
    ]
    for provision in plan.get("provisions", []):
        if provision.get("document"):
            provision["document"] = registry.ref(provision["document"], copy)
    if plan.get("replaces"):
        plan["replaces"] = copy.slug(plan["replaces"])
    _write(target / "plan.yaml", plan)
    if (folder / "indicators.yaml").exists():
        indicators = _read(folder / "indicators.yaml") or []
        for indicator in indicators:
            indicator["slug"] = copy.slug(indicator["slug"])
            if isinstance(indicator.get("source"), dict):
                source = indicator["source"]
                indicator["source"] = {**source, "document": registry.ref(source["document"], copy)}
            real = {o["year"]: o for o in indicator.get("observations", [])}
            made = {o["year"]: o for o in _yearly_series(indicator, plan.get("period"), copy)}
            indicator["observations"] = [
                _fake_observation(o, copy) for _, o in sorted({**made, **real}.items())
            ]
        _write(target / "indicators.yaml", indicators)
    _copy_texts(f"{folder}/", f"{target}/", copy)


def _copy_campaign(content: Path, out: Path, slug: str, copy: Copy) -> None:
    folder = content / "campaigns" / slug
    data = _read(folder / "campaign.yaml")
    data["provinces"] = [copy.slug(s) for s in data["provinces"]]
    data["indicators"] = [copy.slug(s) for s in data.get("indicators", [])]
    data["tasks"] = [copy.slug(ref) for ref in data.get("tasks", [])]
    target = out / "campaigns" / copy.slug(slug)
    _write(target / "campaign.yaml", data)
    _copy_texts(f"{folder}/", f"{target}/", copy)


def _copied_comparisons(comparisons: list[dict], copy: Copy) -> list[dict]:
    copies = []
    for comparison in comparisons:
        comparison = dict(comparison)
        comparison["slug"] = copy.slug(comparison["slug"])
        comparison["title"] = copy.label(comparison["title"])
        comparison["indicators"] = [
            {**entry, "indicator": copy.slug(entry["indicator"])}
            for entry in comparison["indicators"]
        ]
        copies.append(comparison)
    return copies


def generate(scale: int, out: Path, content: Path = ROOT / "content") -> Path:
    """Write `scale` times the content of `content` into `out` (replaced if it exists)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(content, out)
    provinces = sorted(p.stem for p in (content / "provinces").glob("*.yaml"))
    plans = sorted(p.name for p in (content / "plans").iterdir() if p.is_dir())
    campaigns = sorted(p.name for p in (content / "campaigns").iterdir() if p.is_dir())
    comparisons = _read(content / "comparisons.yaml") or []
    all_comparisons = list(comparisons)
    registry = Registry(content)
    all_sources = [*registry.sources, FAKE_DOCUMENT] if scale > 1 else registry.sources
    for n in range(2, scale + 1):
        copy = Copy(n)
        all_sources += registry.copies(copy)
        for slug in provinces:
            _copy_province(content, out, slug, copy)
        for slug in plans:
            _copy_plan(content, out, slug, copy, registry)
        for slug in campaigns:
            _copy_campaign(content, out, slug, copy)
        all_comparisons += _copied_comparisons(comparisons, copy)
    _write(out / "comparisons.yaml", all_comparisons)
    _write(out / "sources.yaml", all_sources)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="times today's content (default 10)")
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    args = parser.parse_args()
    generate(args.scale, args.out)
    print(f"wrote {args.scale}x content to {args.out}")


if __name__ == "__main__":
    main()
