"""Load an import folder into the store: validate every row, then upsert in bulk.

The caller owns the transaction: wrap the call in `session.begin()` so that a bad
row anywhere leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from bot.importer.errors import ImportRowError
from bot.importer.fields import FieldError
from bot.importer.kinds import KINDS, Kind
from bot.importer.reader import find_file, read_rows
from bot.importer.refs import References
from bot.store.models import ShipmentEvent

Progress = Callable[[str, int, int], None]  # kind, rows done, rows in file
BATCH = 5000


@dataclass
class KindReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """How many rows of each kind were new, changed or already there."""

    kinds: dict[str, KindReport] = field(default_factory=dict)
    removed: int = 0

    @property
    def changed(self) -> int:
        return sum(r.inserted + r.updated for r in self.kinds.values())

    def lines(self) -> list[str]:
        lines = [
            f"{name}: {r.inserted} new, {r.updated} updated, {r.unchanged} unchanged"
            for name, r in self.kinds.items()
        ]
        if self.removed:
            lines.append(f"shipment_events: {self.removed} outdated removed")
        return lines


def import_folder(
    *,
    session: Session,
    folder: Path,
    shift: dt.timedelta = dt.timedelta(0),
    progress: Progress | None = None,
    replace_history: bool = False,
) -> ImportReport:
    """Import every known file in `folder`, in reference order.

    With `replace_history`, the shipment events in the file are each named parcel's whole
    history: its events that are not in the file are removed (the demo uses this, since
    moving its dates to today would otherwise add every event again).
    """
    if not folder.is_dir():
        raise ImportRowError(folder, 0, "no such folder")
    files = {kind.name: find_file(folder, kind.name) for kind in KINDS}
    if not any(files.values()):
        names = ", ".join(k.name for k in KINDS)
        raise ImportRowError(folder, 0, f"no import files found; expected some of: {names}")
    report = ImportReport()
    refs = References(session)
    for kind in KINDS:
        path = files[kind.name]
        if path is None:
            continue
        rows = _parse_file(kind, path, refs, shift, progress)
        if replace_history and kind.name == "shipment_events":
            report.removed = _prune_history(session, rows)
        report.kinds[kind.name] = _upsert(session, kind, rows)
        refs.invalidate()
    return report


def _parse_file(
    kind: Kind, path: Path, refs: References, shift: dt.timedelta, progress: Progress | None
) -> list[dict[str, Any]]:
    raw = list(read_rows(path))
    total = len(raw)
    seen: dict[tuple[Any, ...], int] = {}
    result = []
    for done, (line, row) in enumerate(raw, start=1):
        unknown = sorted(set(row) - set(kind.fields))
        if unknown:
            raise ImportRowError(
                path,
                line,
                f"unknown field(s): {', '.join(unknown)}; "
                f"the fields of {kind.name} are {', '.join(kind.fields)}",
            )
        parsed: dict[str, Any] = {}
        try:
            for name, (parser, required) in kind.fields.items():
                value = row.get(name)
                if value is None:
                    if required:
                        raise FieldError(f"{name} is required; give it a value")
                    continue
                try:
                    parsed[name] = parser(value, shift)
                except FieldError as exc:
                    raise FieldError(f"{name}: {exc}") from None
            columns = kind.to_columns(parsed, refs)
        except FieldError as exc:
            raise ImportRowError(path, line, str(exc)) from None
        key = tuple(columns[c] for c in kind.key_columns)
        if key in seen:
            raise ImportRowError(
                path, line, f"duplicate of line {seen[key]} (same {kind.name} key)"
            )
        seen[key] = line
        result.append(columns)
        if progress and (done % 1000 == 0 or done == total):
            progress(kind.name, done, total)
    return result


def _prune_history(session: Session, rows: list[dict[str, Any]]) -> int:
    table = ShipmentEvent.__table__
    wanted = {(r["shipment_id"], r["at"], r["status"]) for r in rows}
    shipment_ids = {r["shipment_id"] for r in rows}
    stale = [
        row.id
        for row in session.execute(
            select(table.c.id, table.c.shipment_id, table.c.at, table.c.status).where(
                table.c.shipment_id.in_(shipment_ids)
            )
        ).all()
        if (row.shipment_id, row.at, row.status) not in wanted
    ]
    for start in range(0, len(stale), BATCH):
        session.execute(delete(table).where(table.c.id.in_(stale[start : start + BATCH])))
    return len(stale)


def _upsert(session: Session, kind: Kind, rows: list[dict[str, Any]]) -> KindReport:
    report = KindReport()
    if not rows:
        return report
    model = kind.model
    table = model.__table__
    value_columns = [c for c in rows[0] if c not in kind.key_columns]
    existing = {
        tuple(r[: len(kind.key_columns)]): r[len(kind.key_columns) :]
        for r in session.execute(
            select(*[table.c[c] for c in (*kind.key_columns, *value_columns, "id")])
        ).all()
    }
    inserts, updates = [], []
    for row in rows:
        key = tuple(row[c] for c in kind.key_columns)
        current = existing.get(key)
        if current is None:
            inserts.append(row)
            continue
        *values, row_id = current
        if [row[c] for c in value_columns] == list(values):
            report.unchanged += 1
        else:
            updates.append({"_id": row_id, **{f"b_{c}": row[c] for c in value_columns}})
    for start in range(0, len(inserts), BATCH):
        session.execute(insert(table), inserts[start : start + BATCH])
    if updates:
        statement = (
            update(table)
            .where(table.c.id == bindparam("_id"))
            .values({c: bindparam(f"b_{c}") for c in value_columns})
        )
        for start in range(0, len(updates), BATCH):
            session.execute(statement, updates[start : start + BATCH])
    report.inserted = len(inserts)
    report.updated = len(updates)
    return report
