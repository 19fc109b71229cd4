"""Read the tables of a page as a reader sees them: caption, cell texts and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str = ""
    header: bool = False
    links: list[str] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.text)


@dataclass
class Table:
    caption: str = ""
    classes: str = ""
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)
    foot: list[list[Cell]] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return [cell.text for cell in self.head[0]] if self.head else []

    def as_dicts(self, rows: list[list[Cell]]) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in rows]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.section = "body"
        self.cell: Cell | None = None
        self.in_caption = False
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self.hidden_depth:
            self.hidden_depth += tag != "br"
            return
        if tag == "table":
            self.tables.append(Table(classes=attributes.get("class") or ""))
            self.section = "body"
        elif tag in ("thead", "tbody", "tfoot"):
            self.section = tag.removeprefix("t")
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.tables:
            getattr(self.tables[-1], self.section).append([])
        elif tag in ("td", "th") and self.tables:
            self.cell = Cell(header=tag == "th")
            getattr(self.tables[-1], self.section)[-1].append(self.cell)
        elif tag == "a" and self.cell is not None:
            self.cell.links.append(attributes.get("href") or "")
        elif attributes.get("aria-hidden") == "true":
            self.hidden_depth = 1  # symbols that screen readers skip are not part of the text

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_depth:
            self.hidden_depth -= 1
            return
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th"):
            if self.cell is not None:
                self.cell.text = re.sub(r"\s+", " ", self.cell.text).strip()
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            return
        if self.in_caption and self.tables:
            self.tables[-1].caption += data
        elif self.cell is not None:
            self.cell.text += data


def read_tables(html: str) -> list[Table]:
    reader = _Reader()
    reader.feed(html)
    for table in reader.tables:
        table.caption = re.sub(r"\s+", " ", table.caption).strip()
    return reader.tables
