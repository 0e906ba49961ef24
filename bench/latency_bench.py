"""Single-conversation latency over the REST channel, and training time, beside `rasa init`.

Klantreis runs as in production-lite: Rasa + action server + SQLite (tracker store and customer
store). Each message is sent after the previous answer arrived (one customer). The plain
`rasa init` bot is trained and measured in the same run, on the same machine.
Usage: python bench/latency_bench.py [OUT_JSON]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.stack import bin_path, child_env, running_stack, wait_for  # noqa: E402

CONVERSATIONS = 30
# Checkouts sharing a machine shift their ports as the tests do (tests/helpers/stack.py).
SHIFT = int(os.environ.get("KLANTREIS_TEST_PORT_SHIFT", "0"))
KLANTREIS_SCRIPT = [
    "hoi",
    "wat kost de Veloce Aero 3?",
    "heb je hem in maat 42?",
    "waar is mijn bestelling?",
    "10452",
    "3572 BK",
    "where is my order now?",
    "what are your opening hours?",
    "bedankt!",
]
# Product conversations (#13): search, follow-ups, comparison, reviews, "we don't sell that".
PRODUCT_SCRIPT = [
    "heb je waterdichte trailschoenen in maat 44?",
    "welke kleuren?",
    "heb je ook iets goedkopers?",
    "wat is het verschil tussen de Ridge 5 en de Trailblazer GTX?",
    "wat vinden anderen ervan?",
    "a tent for two under €300",
    "do you sell laptops?",
]
RASA_INIT_SCRIPT = ["hello", "I am sad", "yes", "great", "are you a bot?", "bye"]


def post(url: str, sender: str, message: str) -> float:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def measure(url: str, script: list[str], prefix: str) -> dict[str, float]:
    for i in range(3):  # warm-up conversations, not counted
        for message in script:
            post(url, f"{prefix}-warm-{i}", message)
    times = [
        post(url, f"{prefix}-{i}", message) for i in range(CONVERSATIONS) for message in script
    ]
    times.sort()
    return {
        "messages": len(times),
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
        "mean_ms": round(statistics.fmean(times), 1),
    }


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - started, 1)


def main() -> None:
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        settings = Settings(
            runtime_dir=tmp / "runtime",
            database_url=f"sqlite:///{tmp}/bench.db",
            rasa_port=5205 + SHIFT,
            action_port=5255 + SHIFT,
            models_dir=tmp / "models",
        )
        env = child_env(settings)
        klantreis = [sys.executable, "-m", "bot.cli"]
        subprocess.run(
            [*klantreis, "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        subprocess.run(
            [*klantreis, "demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )
        results["klantreis_train_s"] = timed([*klantreis, "train", "--force"], ROOT, env)
        print("klantreis training", results["klantreis_train_s"], "s", flush=True)
        with running_stack(settings) as stack:
            url = f"{stack.rasa_url}/webhooks/rest/webhook"
            results["klantreis"] = measure(url, KLANTREIS_SCRIPT, "k")
            results["klantreis_products"] = measure(url, PRODUCT_SCRIPT, "p")
        print("klantreis", results["klantreis"], flush=True)
        print("klantreis products", results["klantreis_products"], flush=True)

        init_dir = tmp / "init"
        init_dir.mkdir()
        rasa = bin_path("rasa")
        subprocess.run(
            [rasa, "init", "--no-prompt", "--init-dir", str(init_dir)],
            cwd=init_dir,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        results["rasa_init_train_s"] = timed([rasa, "train", "--force"], init_dir, env)
        print("rasa init training", results["rasa_init_train_s"], "s", flush=True)
        log = (tmp / "rasa_init.log").open("wb")
        server = subprocess.Popen(
            [rasa, "run", "--enable-api", "--port", str(5305 + SHIFT)],
            cwd=init_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(
                f"http://127.0.0.1:{5305 + SHIFT}/status",
                server,
                180,
                tmp / "rasa_init.log",
                "rasa init",
            )
            results["rasa_init"] = measure(
                f"http://127.0.0.1:{5305 + SHIFT}/webhooks/rest/webhook", RASA_INIT_SCRIPT, "r"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        print("rasa init", results["rasa_init"], flush=True)
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "latency.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
