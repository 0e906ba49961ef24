"""Fuzz every way into the bot and check that nothing gave way (issue #15).

`run(world, counts, seed)` sends generated inputs to each endpoint of a running bot (see
world.py), imports fuzzed files into a store of their own, then checks:

* no answer of 500 or above, and none missing;
* every process still running;
* no partial writes: a refused request left no trace of its ids, a refused import no rows;
* a normal conversation, over REST and the web chat, is answered correctly afterwards.

`python -m bench.fuzz` runs the full 12,000 inputs; tests/test_robustness.py a few hundred.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.fuzz.carrier import fuzz_carrier
from bench.fuzz.endpoints import (
    Tally,
    fuzz_console,
    fuzz_rest,
    fuzz_telegram,
    fuzz_twilio,
    fuzz_webchat,
)
from bench.fuzz.imports import fuzz_imports
from bench.fuzz.inputs import Inputs
from bench.fuzz.rasa_api import fuzz_rasa_api
from bench.fuzz.world import SECRET, World
from bot.store.db import make_engine

FULL = {
    "rest": 2500,
    "webchat": 2000,
    "whatsapp_webhook": 1500,
    "whatsapp_status": 500,
    "telegram_webhook": 1500,
    "console_api": 1500,
    "carrier_webhook": 1000,
    "rasa_api": 1000,
    "import_files": 500,
}


async def _endpoints(world: World, counts: dict[str, int], seed: int) -> dict[str, Tally]:
    target = world.target
    tallies = {name: Tally() for name in counts}
    runs = {
        "rest": lambda i, n, t: fuzz_rest(target, i, n, t),
        "webchat": lambda i, n, t: fuzz_webchat(target, i, n, t),
        "whatsapp_webhook": lambda i, n, t: fuzz_twilio(target, i, n, t, status=False),
        "whatsapp_status": lambda i, n, t: fuzz_twilio(target, i, n, t, status=True),
        "telegram_webhook": lambda i, n, t: fuzz_telegram(target, i, n, t),
        "console_api": lambda i, n, t: fuzz_console(target, i, n, t),
        "carrier_webhook": lambda i, n, t: fuzz_carrier(target, i, n, t, secret=SECRET),
        "rasa_api": lambda i, n, t: fuzz_rasa_api(target, i, n, t, token=target.rasa_token),
    }
    for number, (name, fuzz) in enumerate(runs.items()):
        if counts.get(name):
            await fuzz(Inputs(seed * 100 + number), counts[name], tallies[name])
    return tallies


async def _conversation_afterwards(world: World) -> dict[str, bool]:
    from tests.helpers.webchat import Tab

    asked = world.rest("after-fuzz", "waar is mijn bestelling 10452?")
    answered = world.rest("after-fuzz", "3572 BK")
    rest_ok = "postcode" in " ".join(m.get("text", "") for m in asked).lower() and any(
        "10452" in m.get("text", "") and "PostNL" in m.get("text", "") for m in answered
    )
    tab = Tab(world.stack.rasa_url)
    try:
        await tab.open()
        greeting = await tab.say("hoi")
        web_ok = any("Trek & Peddel" in text for text in greeting)
    finally:
        await tab.close()
    return {"rest": rest_ok, "webchat": web_ok}


def _tracebacks(world: World) -> dict[str, int]:
    logs = Path(world.settings.runtime_dir) / "logs"
    return {
        log.name: log.read_text(encoding="utf-8", errors="replace").count("Traceback")
        for log in sorted(logs.glob("*.log"))
    }


def run(world: World, counts: dict[str, int], seed: int, import_url: str) -> dict[str, Any]:
    """Fuzz, then check; the result is JSON-ready and `ok` says whether everything held."""
    tallies = asyncio.run(_endpoints(world, counts, seed))
    if counts.get("import_files"):
        engine = make_engine(import_url)
        tallies["import_files"] = Tally()
        try:
            fuzz_imports(
                engine, Inputs(seed * 100 + 99), counts["import_files"], tallies["import_files"]
            )
        finally:
            engine.dispose()
    dead = world.alive()
    stored = world.stored_senders()
    leaked = {
        name: sorted(repr(i) for i in tally.refused_ids & stored)[:5]
        for name, tally in tallies.items()
        if tally.refused_ids & stored
    }
    afterwards = asyncio.run(_conversation_afterwards(world)) if not dead else {}
    failures = sum(t.failures for t in tallies.values())
    return {
        "ok": not failures and not dead and not leaked and all(afterwards.values()),
        "inputs": sum(t.sent for t in tallies.values()),
        "failures": failures,
        "endpoints": {name: tally.as_dict() for name, tally in tallies.items()},
        "exited_processes": dead,
        "refused_but_stored": leaked,
        "conversation_afterwards": afterwards,
        "tracebacks_in_logs": _tracebacks(world),
    }
