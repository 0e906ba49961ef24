"""What Rasa's NLG call to the action server costs per `utter_*` response.

Domain responses (small talk, FAQ answers) get their text from the action server's /nlg route
(actions/nlg.py) instead of from domain.yml. This measures that extra local HTTP round trip as
Rasa makes it: a POST with the whole tracker (here a 60-event conversation), answered with the
rendered text, one request after the other, after 50 warm-up requests.
Usage: python bench/nlg_bench.py [OUT_JSON]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.stack import _spawn, _stop, action_server_command, child_env, wait_for  # noqa: E402

REQUESTS = 1000
RESPONSES = ["utter_faq/opening_hours", "utter_faq/shipping_costs", "utter_thank", "utter_ok"]


def tracker_state(events: int = 60) -> dict[str, object]:
    """A conversation of `events` events, shaped as Rasa sends it (EventVerbosity.ALL)."""
    log: list[dict[str, object]] = []
    for i in range(events // 3):
        text = f"bericht {i}: waar is mijn bestelling 10452?"
        parse = {"text": text, "intent": {"name": "order_status", "confidence": 0.97}}
        log.append({"event": "user", "text": text, "parse_data": parse, "timestamp": i})
        log.append({"event": "action", "name": "action_detect_language", "timestamp": i})
        log.append({"event": "bot", "text": "Wat is je bestelnummer?", "timestamp": i})
    return {
        "sender_id": "web:bench",
        "slots": {"language": "nl", "order_number": "10452", "verified_orders": []},
        "latest_message": log[-3]["parse_data"],
        "events": log,
        "paused": False,
    }


def measure(url: str) -> dict[str, float]:
    tracker = tracker_state()

    def post(response: str) -> float:
        body = {"response": response, "arguments": {}, "tracker": tracker, "channel": {}}
        request = urllib.request.Request(
            url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
        return (time.perf_counter() - started) * 1000

    for i in range(50):
        post(RESPONSES[i % len(RESPONSES)])
    times = sorted(post(RESPONSES[i % len(RESPONSES)]) for i in range(REQUESTS))
    return {
        "requests": len(times),
        "body_bytes": len(json.dumps({"tracker": tracker})),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "mean_ms": round(statistics.fmean(times), 2),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        settings = Settings(
            runtime_dir=tmp / "runtime",
            database_url=f"sqlite:///{tmp}/bench.db",
            action_port=5255 + int(os.environ.get("KLANTREIS_TEST_PORT_SHIFT", "0")),
        )
        log = tmp / "actions.log"
        server = _spawn(action_server_command(settings), child_env(settings), log)
        try:
            base = f"http://127.0.0.1:{settings.action_port}"
            wait_for(f"{base}/health", server, 120, log, "The action server")
            results = measure(f"{base}/nlg")
        finally:
            _stop(server)
    print(json.dumps(results), flush=True)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
