"""python -m bench.fuzz [--seed N] [--scale F] [--out JSON]: the full fuzz run (12,000 inputs).

Starts its own bot (ports shifted by KLANTREIS_TEST_PORT_SHIFT, like the tests) on a fresh
SQLite store holding the demo shop, and a second store for the fuzzed imports. Prints the
counts per endpoint; exits 1 if anything gave way. Results: docs/robustness.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.fuzz import FULL, run
from bench.fuzz.world import fuzz_world
from tests.helpers.demo import make_demo_store
from tests.helpers.stack import require_model, test_settings

OFFSET = 1400


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 12,000")
    parser.add_argument("--out", type=Path, default=Path("bench/results/fuzz.json"))
    args = parser.parse_args()
    # Stopped from outside: still stop the bot's processes (running_stack's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    counts = {name: max(1, round(n * args.scale)) for name, n in FULL.items()}
    tmp = Path(tempfile.mkdtemp(prefix="klantreis-fuzz-"))
    if True:  # the folder stays when something gave way, for its logs
        settings = test_settings(tmp, make_demo_store(f"sqlite:///{tmp / 'bot.db'}"), OFFSET)
        require_model(settings)
        imports = make_demo_store(f"sqlite:///{tmp / 'imports.db'}")
        started = time.monotonic()
        with fuzz_world(settings) as world:
            result = run(world, counts, args.seed, imports)
        result["seconds"] = round(time.monotonic() - started)
    result["seed"] = args.seed
    result["machine"] = (
        f"{platform.node()} {platform.machine()}, Python {platform.python_version()}"
    )
    result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=True), encoding="utf-8")
    for name, tally in result["endpoints"].items():
        print(
            f"{name:18} {tally['sent']:6} inputs {tally['statuses']} failures: {tally['failures']}"
        )
    for key in ("inputs", "failures", "exited_processes", "refused_but_stored"):
        print(f"{key}: {result[key]}")
    print(f"conversation afterwards: {result['conversation_afterwards']}")
    print(f"tracebacks in logs: {result['tracebacks_in_logs']}")
    print("OK" if result["ok"] else "FAILED", f"in {result['seconds']}s")
    if result["ok"]:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print(f"logs kept in {tmp / 'runtime' / 'logs'}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
