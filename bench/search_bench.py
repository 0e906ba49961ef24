"""Search benchmark: the search answers of actions/product_search.py, as a turn runs them.

Times whole product questions that are answered by search (facts as the NLU gives them, the
action's own store session, the cards built) on the demo catalogue and on a catalogue twenty
times its size (copies of the demo products under new SKUs), in both languages.
Usage: python bench/search_bench.py [OUT_JSON]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from actions import common  # noqa: E402
from actions.products import answer_product_question  # noqa: E402
from tests.helpers.demo import make_demo_store  # noqa: E402
from tests.helpers.trackers import entity, make_tracker  # noqa: E402

TURNS: list[tuple[str, str, list[dict[str, Any]], dict[str, Any]]] = [
    (
        "nl",
        "heb je waterdichte trailschoenen in maat 44?",
        [
            entity("category", "trail_shoes"),
            entity("attribute", "waterproof=true"),
            entity("size", "44"),
        ],
        {},
    ),
    (
        "nl",
        "heb je een tent voor twee onder de 200 euro?",
        [
            entity("category", "tents"),
            entity("attribute", "persons=2"),
            entity("price_max", "20000"),
        ],
        {},
    ),
    ("en", "which tents do you have?", [entity("category", "tents")], {}),
    (
        "en",
        "anything waterproof under 100 euros?",
        [entity("attribute", "waterproof=true"), entity("price_max", "10000")],
        {},
    ),
    (
        "nl",
        "heb je ook iets goedkopers?",
        [entity("reference", "cheaper")],
        {"product": "TP-RUN-001"},
    ),
    ("en", "what do you recommend for a beginner runner?", [], {}),
    ("nl", "verkopen jullie fietsen?", [], {}),
    (
        "en",
        "which is the best sleeping bag?",
        [entity("category", "sleeping_bags"), entity("sort", "best")],
        {},
    ),
]
ROUNDS = 15


def bigger_catalogue(folder: Path, times: int) -> None:
    """The demo shop with each product `times` times (new SKUs, same stock)."""
    demo = ROOT / "data" / "demo"
    for name in os.listdir(demo):
        shutil.copy(demo / name, folder)
    products = yaml.safe_load((demo / "products.yml").read_text(encoding="utf-8"))
    lines = (demo / "variants.csv").read_text(encoding="utf-8").splitlines()
    copies, variant_lines = [], [lines[0]]
    for n in range(times):
        for product in products:
            sku = product["sku"] if n == 0 else f"{product['sku']}-{n}"
            copies.append({**product, "sku": sku, "complementary": []})
        for line in lines[1:]:
            sku, rest = line.split(",", 1)
            variant_lines.append(f"{sku if n == 0 else f'{sku}-{n}'},{rest}")
    (folder / "products.yml").write_text(
        yaml.safe_dump(copies, allow_unicode=True), encoding="utf-8"
    )
    (folder / "variants.csv").write_text("\n".join(variant_lines) + "\n", encoding="utf-8")


def measure(url: str) -> dict[str, float]:
    os.environ["DATABASE_URL"] = url
    common._store.cache_clear()
    timings, cpu = [], []
    for round_ in range(ROUNDS + 1):
        for language, text, facts, slots in TURNS:
            tracker = make_tracker(
                text=text, intent="product_question", slots={"language": language, **slots}
            )
            tracker.latest_message["catalogue"] = facts
            started, started_cpu = time.perf_counter(), time.process_time()
            answer_product_question(CollectingDispatcher(), tracker)
            if round_:  # the first round warms caches, as a running action server has them
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
    timings.sort()
    cpu.sort()
    return {
        "turns": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        # CPU time of this process: what the turn costs, whatever else the machine is doing
        "cpu_p50_ms": round(statistics.median(cpu), 1),
        "cpu_p95_ms": round(cpu[int(len(cpu) * 0.95) - 1], 1),
    }


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        demo_url = make_demo_store(f"sqlite:///{tmp}/demo.db")
        results["demo (45 products)"] = measure(demo_url)
        folder = Path(tmp) / "big"
        folder.mkdir()
        bigger_catalogue(folder, 20)
        from bot.importer import import_folder
        from bot.store import migrate
        from bot.store.db import make_engine, make_session_factory

        engine = make_engine(f"sqlite:///{tmp}/big.db")
        migrate.upgrade(engine)
        with make_session_factory(engine)() as session, session.begin():
            import_folder(session=session, folder=folder)
        engine.dispose()
        results["demo x20 (900 products)"] = measure(f"sqlite:///{tmp}/big.db")
    print(json.dumps(results, indent=2))
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
