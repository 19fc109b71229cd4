"""A backup of the whole database in one portable file, and its restore.

The file is gzipped JSON lines: a header naming the schema revision, then one
line per row, table by table in dependency order, then a last line with the
number of rows and the SHA-256 of their lines, so that a file cut short (or a
line changed) is refused rather than half restored. Floats are written exactly,
so a restore, into SQLite or PostgreSQL, gives back the same rows with the same
ids. For PostgreSQL's own tools (pg_dump), see the README; this pair also moves
a site between the two databases.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select, text

from app import models  # noqa: F401  (every table in the metadata)
from app.database import schema_revision
from app.extensions import db

FORMAT = "xanh-backup/2"
UNCHECKED = "xanh-backup/1"  # older files, with no last line to check them by
BATCH = 1000


class BackupError(ValueError):
    """A backup that cannot be restored here, and why."""


# Residents' email addresses and what they follow: left out of a backup unless an
# administrator asks for them (`--with-subscribers`); pledges hold nothing personal.
SUBSCRIBER_TABLES = frozenset({"subscriber", "subscription", "delivery"})
# Messages waiting to go hold secret links (an invitation's, a reset's): never kept.
NEVER_KEPT = frozenset({"outbox"})


def _tables() -> list[Table]:
    return list(db.metadata.sorted_tables)


def _encode(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def write_backup(path: Path, with_subscribers: bool = False) -> dict[str, int]:
    """Write every table's rows to path (the subscribers' only when asked); return the row
    count of each table written."""
    counts: dict[str, int] = {}
    # Editors' accounts are in it: only the owner may read it, whatever the umask.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as out:
        header = {"format": FORMAT, "schema": schema_revision()[0], "made": _now()}
        out.write(json.dumps(header) + "\n")
        digest = hashlib.sha256()
        for table in _tables():
            if table.name in NEVER_KEPT or (
                table.name in SUBSCRIBER_TABLES and not with_subscribers
            ):
                continue
            counts[table.name] = 0
            ordered = select(table).order_by(*table.primary_key.columns)
            for row in db.session.execute(ordered).mappings():
                record = {"t": table.name, "r": {k: _encode(v) for k, v in row.items()}}
                line = json.dumps(record, ensure_ascii=False) + "\n"
                digest.update(line.encode("utf-8"))
                out.write(line)
                counts[table.name] += 1
        end = {"end": {"rows": sum(counts.values()), "sha256": digest.hexdigest()}}
        out.write(json.dumps(end) + "\n")
    return counts


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _read(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each line, as written and as read."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise BackupError(f"{path} line {number} is not a record")
                yield line, record
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a readable Xanh backup ({error})") from None


def verify(path: Path) -> None:
    """Read the whole file once and check its rows against its last line, before any row
    goes in. Files from before the last line existed (UNCHECKED) cannot be checked."""
    digest, rows, end = hashlib.sha256(), 0, None
    for number, (line, record) in enumerate(_read(path), start=1):
        if number == 1:
            if record.get("format") == UNCHECKED:
                return
            continue
        if end is not None:
            raise BackupError(f"{path} has rows after its last line")
        if "end" in record:
            end = record["end"] if isinstance(record["end"], dict) else {}
            continue
        digest.update(line.encode("utf-8"))
        rows += 1
    if end is None:
        raise BackupError(f"{path} is cut short: its last line (the row count) is missing")
    if end.get("rows") != rows or end.get("sha256") != digest.hexdigest():
        raise BackupError(
            f"{path} is damaged: it should hold {end.get('rows')} rows with checksum "
            f"{str(end.get('sha256'))[:12]}…, and holds {rows} with {digest.hexdigest()[:12]}…"
        )


def _decoder(table: Table) -> dict[str, Any]:
    """How to turn each column's JSON value back into its Python value."""
    parsers: dict[str, Any] = {}
    for column in table.columns:
        kind = column.type.python_type
        if kind is dt.datetime:
            parsers[column.name] = dt.datetime.fromisoformat
        elif kind is dt.date:
            parsers[column.name] = dt.date.fromisoformat
    return parsers


def restore_backup(path: Path) -> dict[str, int]:
    """Load a backup into this database, which must be migrated to the backup's schema and
    hold no rows. All rows go in one transaction; the caller commits or rolls back."""
    lines = _read(path)
    _, header = next(lines, ("", {}))
    if header.get("format") not in (FORMAT, UNCHECKED):
        raise BackupError(f"{path} is not a Xanh backup")
    verify(path)
    current = schema_revision()[0]
    if header.get("schema") != current:
        raise BackupError(
            f"the backup's schema is {header.get('schema')} and this database's is {current}: "
            "run `flask --app wsgi db upgrade` to the same revision first"
        )
    tables = {table.name: table for table in _tables()}
    filled = [
        name
        for name, table in tables.items()
        if db.session.scalar(select(func.count()).select_from(table))
    ]
    if filled:
        raise BackupError(
            f"this database is not empty ({', '.join(filled[:5])}); restore into a new one"
        )
    decoders = {name: _decoder(table) for name, table in tables.items()}
    counts = dict.fromkeys(tables, 0)
    batch: list[dict[str, Any]] = []
    batch_table: str | None = None
    for _line, record in lines:
        if "end" in record:
            break
        name, row = record.get("t"), record.get("r")
        if name not in tables or not isinstance(row, dict):
            raise BackupError(f"{path} holds a row for an unknown table {name!r}")
        if name != batch_table and batch:
            db.session.execute(insert(tables[batch_table]), batch)  # type: ignore[index]
            batch = []
        batch_table = name
        try:
            batch.append(
                {
                    k: decoders[name][k](v) if k in decoders[name] and v is not None else v
                    for k, v in row.items()
                }
            )
        except (TypeError, ValueError) as error:
            raise BackupError(f"{path}: a row of {name} cannot be read ({error})") from None
        counts[name] += 1
        if len(batch) >= BATCH:
            db.session.execute(insert(tables[name]), batch)
            batch = []
    if batch and batch_table:
        db.session.execute(insert(tables[batch_table]), batch)
    _continue_sequences(list(tables.values()))
    return counts


def _continue_sequences(tables: list[Table]) -> None:
    """PostgreSQL's id sequences do not see rows inserted with their ids: move them on."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) != 1 or key[0].type.python_type is not int:
            continue  # link tables have no sequence
        name, column = table.name, key[0].name
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
                f"COALESCE(MAX({column}), 1), MAX({column}) IS NOT NULL) FROM {name}"
            )
        )
