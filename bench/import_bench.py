"""Import benchmark: 100,000 order lines (plus their orders and customers) into a fresh store.

Generates a synthetic retailer export next to the demo catalogue, then times `import_folder`
on SQLite and, when reachable, PostgreSQL. Usage: python bench/import_bench.py [OUT_JSON]
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.importer import import_folder  # noqa: E402
from bot.store import migrate  # noqa: E402
from bot.store.db import make_engine, make_session_factory  # noqa: E402

LINES = 100_000
CUSTOMERS = 10_000


def generate(folder: Path, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    demo = ROOT / "data" / "demo"
    for name in ("categories.yml", "attributes.yml", "products.yml"):
        shutil.copy(demo / name, folder)
    shutil.copy(demo / "variants.csv", folder)
    with (demo / "variants.csv").open(encoding="utf-8") as fh:
        variants = [(r["sku"], r["variant"]) for r in csv.DictReader(fh)]
    with (folder / "customers.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "customer_ref",
                "first_name",
                "last_name",
                "email",
                "phone",
                "language",
                "street",
                "house_number",
                "postcode",
                "city",
            ]
        )
        for i in range(CUSTOMERS):
            w.writerow(
                [
                    f"B{i:06d}",
                    "Klant",
                    f"Nummer {i}",
                    f"klant{i}@example.nl",
                    f"+3161{i:07d}",
                    "nl",
                    "Teststraat",
                    str(i % 200 + 1),
                    f"{1000 + i % 8999} AB",
                    "Utrecht",
                ]
            )
    start = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
    orders = lines = 0
    with (
        (folder / "orders.csv").open("w", newline="", encoding="utf-8") as fo,
        (folder / "order_lines.csv").open("w", newline="", encoding="utf-8") as fl,
    ):
        wo, wl = csv.writer(fo), csv.writer(fl)
        wo.writerow(["order_number", "customer_ref", "placed_at", "status", "payment_method"])
        wl.writerow(["order_number", "line_no", "sku", "variant", "quantity", "unit_price"])
        while lines < LINES:
            orders += 1
            number = str(200000 + orders)
            placed = start + dt.timedelta(minutes=7 * orders)
            wo.writerow(
                [
                    number,
                    f"B{rng.randrange(CUSTOMERS):06d}",
                    placed.isoformat(),
                    "delivered",
                    "ideal",
                ]
            )
            for line_no in range(1, min(rng.randint(1, 4), LINES - lines) + 1):
                sku, variant = rng.choice(variants)
                wl.writerow([number, line_no, sku, variant, rng.randint(1, 3), "19.95"])
                lines += 1
    return {"customers": CUSTOMERS, "orders": orders, "order_lines": lines}


def time_import(url: str, folder: Path) -> dict[str, float]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with factory() as session, session.begin():
        import_folder(session=session, folder=folder)
    first = time.perf_counter() - started
    started = time.perf_counter()
    with factory() as session, session.begin():
        report = import_folder(session=session, folder=folder)
    again = time.perf_counter() - started
    assert report.changed == 0
    engine.dispose()
    return {"first_import_s": round(first, 2), "reimport_unchanged_s": round(again, 2)}


def postgres_url() -> tuple[str, str] | None:
    admin = make_engine(
        "postgresql://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    name = f"klantreis_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{name}", name


def drop_postgres(name: str) -> None:
    admin = make_engine(
        "postgresql://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        counts = generate(folder)
        print(f"generated {counts}", flush=True)
        results: dict[str, object] = {"rows": counts}
        results["sqlite"] = time_import(f"sqlite:///{tmp}/bench.db", folder)
        print("sqlite", results["sqlite"], flush=True)
        pg = postgres_url()
        if pg:
            try:
                results["postgresql"] = time_import(pg[0], folder)
                print("postgresql", results["postgresql"], flush=True)
            finally:
                drop_postgres(pg[1])
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "import.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
