"""Fuzzed import folders: every one is imported whole or refused with `file:line: reason`,
and a refused one leaves the database exactly as it was (no partial writes)."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bench.fuzz.endpoints import Tally
from bench.fuzz.inputs import Inputs
from bot.importer import import_folder
from bot.importer.errors import ImportRowError
from bot.store.db import make_session_factory
from bot.store.models import Base

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
KINDS = [
    "customers",
    "orders",
    "order_lines",
    "variants",
    "returns",
    "reviews",
    "products",
    "categories",
    "attributes",
]


def snapshot(engine: Engine) -> dict[str, int]:
    """Row counts of every table: a refused import must not change one."""
    with make_session_factory(engine)() as session:
        return {
            name: session.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in Base.metadata.tables.items()
        }


def _demo_rows(kind: str) -> tuple[list[str], list[dict[str, Any]], str]:
    path = DEMO / f"{kind}.csv"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader), "csv"
    data = yaml.safe_load((DEMO / f"{kind}.yml").read_text(encoding="utf-8"))
    return sorted({k for row in data for k in row}), data, "yml"


def write_fuzzed_file(folder: Path, inputs: Inputs) -> str:
    """One import file of a random kind: demo rows with a few cells fuzzed."""
    kind = inputs.pick(KINDS)
    names, rows, suffix = _demo_rows(kind)
    rows = [dict(r) for r in inputs.random.sample(rows, min(len(rows), 5))]
    for _ in range(inputs.random.randint(1, 3)):
        row = inputs.pick(rows)
        row[inputs.pick(names + ["extra"]) if inputs.chance(0.9) else inputs.text()[:20]] = (
            inputs.text() if suffix == "csv" else inputs.value()
        )
    if suffix == "csv":
        buffer = io.StringIO()
        names = sorted({k for r in rows for k in r})
        writer = csv.DictWriter(buffer, fieldnames=names, escapechar="\\")
        writer.writeheader()
        writer.writerows(rows)
        raw = buffer.getvalue().encode("utf-8", "surrogatepass")
    else:
        # Lone surrogates and NUL are written as YAML escapes ("\ud800", "\0"), as a
        # hand-edited export could hold them.
        raw = yaml.safe_dump(rows, allow_unicode=False).encode("ascii")
    if inputs.chance(0.1):
        raw = raw[: inputs.random.randint(0, len(raw))]  # a file cut off mid-row
    (folder / f"{kind}.{suffix}").write_bytes(raw)
    return kind


def fuzz_imports(engine: Engine, inputs: Inputs, count: int, tally: Tally) -> None:
    """`count` fuzzed folders into `engine`'s store, each in one transaction."""
    factory = make_session_factory(engine)
    for _ in range(count):
        folder = Path(tempfile.mkdtemp(prefix="klantreis-fuzz-import-"))
        try:
            kind = write_fuzzed_file(folder, inputs)
            before = snapshot(engine)
            try:
                with factory() as session, session.begin():
                    import_folder(session=session, folder=folder)
                tally.record("imported", kind)
            except ImportRowError:
                if snapshot(engine) != before:
                    tally.record("partial write", f"{kind}: refused, but the store changed")
                else:
                    tally.record("refused", kind)
            except Exception as exc:  # a crash: the report shows it
                files = {p.name: p.read_bytes()[:300] for p in folder.iterdir()}
                tally.record("crash", f"{kind}: {exc.__class__.__name__}: {exc} {files!r}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
