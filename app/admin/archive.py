"""Everything editors entered, to plain CSV files and back, losing nothing.

Four files: accounts.csv (no password hashes or session tokens), values.csv
(published editor values), drafts.csv and changes.csv (the audit trail).
Rows point at indicators by slug and at accounts by email, so the files load
into any database that holds the same content, SQLite or PostgreSQL. Numbers
are written in Python's shortest exact form, so a value comes back bit for bit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.admin.models import ACTIONS, ROLES, Account, Draft, ValueChange
from app.api.tables import FORMULA_START
from app.extensions import db
from app.indicators.models import EDITOR, VALUE_FIELDS, Indicator, Observation
from app.plans.models import Plan
from app.provinces.models import Agency

REPORTED = ("year", *VALUE_FIELDS)


@dataclass(frozen=True)
class Table:
    """One file: its model, the columns copied as they are, and how rows are ordered."""

    file: str
    model: type[Any]
    fields: tuple[str, ...]
    order: tuple[Any, ...]
    rule: Any = None  # which rows of the model belong to editors

    def kind(self, name: str) -> type:
        """The Python type of a column, which says how its text is written and read."""
        return self.columns[name].type.python_type

    @property
    def columns(self) -> Any:
        return self.model.__table__.c


TABLES = (
    Table(
        "accounts.csv",
        Account,
        ("email", "name", "role", "active", "created_at"),
        (Account.email,),
    ),
    Table(
        "values.csv",
        Observation,
        (*REPORTED, "created_at"),
        (Observation.indicator_id, Observation.year),
        Observation.origin == EDITOR,
    ),
    Table("drafts.csv", Draft, (*REPORTED, "reason", "saved_at"), (Draft.indicator_id, Draft.year)),
    Table(
        "changes.csv",
        ValueChange,
        (
            "year",
            "action",
            "old_value",
            "old_achieved",
            "new_value",
            "new_achieved",
            "source_document",
            "source_section",
            "reason",
            "via",
            "at",
        ),
        (ValueChange.at, ValueChange.id),
    ),
)
ALLOWED = {"role": ROLES, "action": ACTIONS, "via": ("form", "csv")}


class ArchiveError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # A spreadsheet would run "=…" as a formula: such text (and text that already
        # starts with the quote) gets a leading quote, which the import takes off again.
        return "'" + value if value.startswith((*FORMULA_START, "'")) else value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same float
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


PARSERS: dict[type, Callable[[str], object]] = {
    int: int,
    float: float,
    bool: {"yes": True, "no": False}.__getitem__,
    dt.date: dt.date.fromisoformat,
    dt.datetime: dt.datetime.fromisoformat,
    str: lambda text: text[1:] if text.startswith("'") else text,
}


def _columns(table: Table) -> list[str]:
    links = {
        Account: ["agencies", "plans"],
        Observation: ["indicator"],
        Draft: ["indicator", "account"],
        ValueChange: ["indicator", "account"],
    }[table.model]
    if table.model is Account:
        return [*table.fields, *links]
    return [*links, *table.fields]


def _links_out(row: Any) -> dict[str, str]:
    if isinstance(row, Account):
        return {
            "agencies": " ".join(sorted(a.slug for a in row.agencies)),
            "plans": " ".join(sorted(p.slug for p in row.plans)),
        }
    links = {"indicator": row.indicator.slug}
    if not isinstance(row, Observation):
        links["account"] = row.account.email if row.account else ""
    return links


def _query(table: Table) -> Any:
    query: Any = select(table.model).order_by(*table.order)
    return query if table.rule is None else query.where(table.rule)


def export_editor_data(folder: Path) -> dict[str, int]:
    """Write the four files into folder; return how many rows each holds."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in TABLES:
        rows = list(db.session.scalars(_query(table)))
        with (folder / table.file).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=_columns(table), lineterminator="\n")
            writer.writeheader()
            for row in rows:
                fields = {name: _text(getattr(row, name)) for name in table.fields}
                writer.writerow({**fields, **_links_out(row)})
        counts[table.file] = len(rows)
    return counts


def has_editor_data() -> bool:
    return any(db.session.scalar(_query(table).limit(1)) is not None for table in TABLES)


class _Reader:
    """Reads every file, collecting problems by file and line rather than stopping at the first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[str] = []
        self.known: dict[str, dict[str, Any]] = {
            "indicator": {i.slug: i for i in db.session.scalars(select(Indicator))},
            "agency": {a.slug: a for a in db.session.scalars(select(Agency))},
            "plan": {p.slug: p for p in db.session.scalars(select(Plan))},
            "account": {},
        }

    def rows(self, table: Table) -> Iterable[tuple[str, dict[str, str]]]:
        path = self.folder / table.file
        if not path.is_file():
            self.problems.append(f"{table.file}: the file is missing")
            return
        try:
            text = path.read_text(encoding="utf-8-sig")  # a spreadsheet may add a BOM
        except UnicodeDecodeError:
            self.problems.append(f"{table.file}: not UTF-8 text")
            return
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            absent = set(_columns(table)) - set(reader.fieldnames or [])
            if absent:
                self.problems.append(f"{table.file}: no column {', '.join(sorted(absent))}")
                return
            width = len(reader.fieldnames or [])
            for row in reader:
                where = f"{table.file} line {reader.line_num}"
                extra: list[str] = row.pop(None, None) or []  # type: ignore[assignment]
                missing = [name for name, value in row.items() if value is None]
                if extra or missing:
                    cells = width + len(extra) - len(missing)
                    self.problems.append(f"{where}: {cells} fields where the header has {width}")
                    continue
                yield where, row
        except csv.Error as error:
            self.problems.append(f"{table.file} line {reader.line_num}: not CSV ({error})")

    def fields(self, table: Table, where: str, row: dict[str, str]) -> dict[str, object]:
        values: dict[str, object] = {}
        for name in table.fields:
            text = row[name]
            try:
                values[name] = None if text == "" else PARSERS[table.kind(name)](text)
            except (ValueError, KeyError):
                self.problems.append(f"{where}: {name} “{text[:40]}” cannot be read")
                continue
            if name in ALLOWED and values[name] not in ALLOWED[name]:
                self.problems.append(f"{where}: {name} “{text[:40]}” is not one of {ALLOWED[name]}")
            # SQLite would take a longer text; PostgreSQL would not. Refuse it on both.
            length = getattr(table.columns[name].type, "length", None)
            if length and len(text) > length:
                self.problems.append(f"{where}: {name} is longer than {length} characters")
        return values

    def find(self, where: str, kind: str, key: str) -> Any:
        if key not in self.known[kind]:
            self.problems.append(f"{where}: unknown {kind} “{key[:120]}”")
        return self.known[kind].get(key)

    def row(self, table: Table, where: str, raw: dict[str, str]) -> tuple[object, object]:
        """The new row, and the key no other row of its file may share (None if none)."""
        fields = self.fields(table, where, raw)
        if table.model is Account:
            account = Account(**fields)
            account.agencies = [self.find(where, "agency", s) for s in raw["agencies"].split()]
            account.plans = [self.find(where, "plan", s) for s in raw["plans"].split()]
            self.known["account"][raw["email"]] = account
            return account, raw["email"]
        row = table.model(**fields)
        row.indicator = self.find(where, "indicator", raw["indicator"])
        if table.model is Observation:
            row.origin = EDITOR
        else:
            row.account = self.find(where, "account", raw["account"]) if raw["account"] else None
        unique = table.model is not ValueChange
        return row, (raw["indicator"], raw["year"]) if unique else None


def import_editor_data(folder: Path) -> dict[str, int]:
    """Add the files' rows to a database that holds the content but no editors' data yet.

    Every row is checked before anything is flushed; on ArchiveError the caller
    rolls back, so the files load whole or not at all.
    """
    if has_editor_data():
        raise ArchiveError(["This database already holds editors' data; import into a fresh one."])
    reader = _Reader(folder)
    counts = {}
    with db.session.no_autoflush:  # nothing reaches the database before every row is checked
        for table in TABLES:
            seen: dict[object, str] = {}
            counts[table.file] = 0
            for where, raw in reader.rows(table):
                row, key = reader.row(table, where, raw)
                if key is not None:
                    if key in seen:
                        reader.problems.append(f"{where}: repeats {seen[key]}")
                    seen.setdefault(key, where)
                db.session.add(row)
                counts[table.file] += 1
    if reader.problems:
        raise ArchiveError(reader.problems)
    db.session.flush()
    return counts
