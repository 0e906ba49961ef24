"""Customer message → agent console: how long until 20 open consoles show it.

Runs the real stack (Rasa with the web channel, action server, services process, SQLite).
Twenty agents are logged in with the live stream (SSE) open; a customer sends messages over
the web chat (socket.io). For every message and every console, the time from the customer's
send to the console receiving it is one sample.
Usage: python bench/console_latency.py [OUT_JSON]
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.settings import Settings  # noqa: E402
from bot.stack import running_stack  # noqa: E402
from tests.helpers.demo import make_demo_store  # noqa: E402
from tests.helpers.services import PASSWORD, _agent  # noqa: E402
from tests.helpers.webchat import Tab  # noqa: E402

AGENTS = 20
MESSAGES = 60
CUSTOMERS = 10  # chatting at the same time, each at a person's pace
PAUSE_SECONDS = 2.2


def make_agents(database_url: str) -> list[str]:
    from bot.store.db import make_engine, make_session_factory

    engine = make_engine(database_url)
    names = [f"bench{n:02d}" for n in range(AGENTS)]
    with make_session_factory(engine)() as session, session.begin():
        for name in names:
            _agent(session, name, "agent")
    engine.dispose()
    return names


async def console(
    web_url: str,
    username: str,
    arrivals: dict[str, list[float]],
    ready: asyncio.Event,
    counter: list[int],
) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(base_url=web_url, cookie_jar=jar) as client:
        async with client.get("/agent/api/login-csrf") as reply:
            csrf = (await reply.json())["csrf"]
        async with client.post(
            "/agent/api/login",
            json={"username": username, "password": PASSWORD},
            headers={"X-CSRF-Token": csrf},
        ) as reply:
            assert reply.status == 200, await reply.text()
        async with client.get(
            "/agent/api/events", timeout=aiohttp.ClientTimeout(total=None)
        ) as stream:
            counter[0] += 1
            if counter[0] == AGENTS:
                ready.set()
            event = None
            async for raw in stream.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "message":
                    data = json.loads(line[6:])
                    if data.get("direction") == "in":
                        arrivals.setdefault(data["text"], []).append(time.perf_counter())


async def measure(settings: Settings, web_url: str, rasa_url: str, names: list[str]) -> dict:
    arrivals: dict[str, list[float]] = {}
    ready = asyncio.Event()
    counter = [0]
    tasks = [asyncio.create_task(console(web_url, n, arrivals, ready, counter)) for n in names]
    await asyncio.wait_for(ready.wait(), 60)
    await asyncio.sleep(1)
    sent: dict[str, float] = {}

    async def customer(number: int) -> None:
        tab = Tab(rasa_url)
        await tab.open()
        for n in range(MESSAGES // CUSTOMERS):
            text = f"klant {number} bericht {n}: wat zijn jullie openingstijden?"
            sent[text] = time.perf_counter()
            await tab.say(text)
            await asyncio.sleep(PAUSE_SECONDS)  # a person typing, and within the rate limit
        await tab.close()

    await asyncio.gather(*(customer(n) for n in range(CUSTOMERS)))
    await asyncio.sleep(1)
    for task in tasks:
        task.cancel()
    samples = [
        (arrived - sent[text]) * 1000
        for text, times in arrivals.items()
        if text in sent
        for arrived in times
    ]
    samples.sort()
    return {
        "agents": AGENTS,
        "messages": MESSAGES,
        "customers": CUSTOMERS,
        "samples": len(samples),
        "expected_samples": AGENTS * MESSAGES,
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
        "max_ms": round(samples[-1], 1),
    }


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as tmp:
        url = make_demo_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        settings = Settings(
            runtime_dir=Path(tmp) / "runtime",
            database_url=url,
            rasa_port=5705,
            action_port=5755,
            web_port=8705,
            models_dir=Settings.from_env().models_dir,
        )
        names = make_agents(url)
        with running_stack(settings) as stack:
            result = asyncio.run(measure(settings, stack.web_url, stack.rasa_url, names))
    print(json.dumps(result, indent=2))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
