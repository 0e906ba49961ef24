"""Delay fan-out: N late orders found by the scan and announced through Rasa by the outbox
workers, recorded in Rasa's trackers; the fake Telegram API answers unthrottled.

Runs the real stack (Rasa, action server; SQLite for the store and the tracker store) and
`python -m bot.delays` workers as processes. Reports the rate with one and with two workers,
and a separate paced run that must hold 10 messages a second per sender.
Usage: python bench/delays_bench.py [OUT_JSON] [--orders N] [--paced N] [--only RUN]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bot.delays.policy import load_delay_policy  # noqa: E402
from bot.delays.scan import scan  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.stack import running_stack  # noqa: E402
from bot.store import migrate  # noqa: E402
from bot.store.db import make_engine, make_session_factory  # noqa: E402
from bot.store.models import (  # noqa: E402
    ChannelIdentity,
    Consent,
    Customer,
    Order,
    Shipment,
    ShipmentEvent,
    utcnow,
)
from tests.helpers.fake_telegram import FakeTelegram  # noqa: E402
from tests.helpers.fanout import (  # noqa: E402
    retailer_file,
    start_worker,
    statuses,
    stop_worker,
)
from tests.helpers.stack import PORT_SHIFT  # noqa: E402

FIRST_CHAT = 800_000
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | None) -> float:
    """User and system CPU time of a live process so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def seed(database_url: str, count: int) -> list[int]:
    """`count` customers on Telegram (service consent), each with one parcel running late."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    now = utcnow()
    today = now.date()
    chats = [FIRST_CHAT + n for n in range(count)]
    with engine.begin() as connection:
        connection.execute(
            insert(Customer),
            [
                {
                    "id": n + 1,
                    "customer_ref": f"B{chat}",
                    "first_name": "Klant",
                    "language": "nl",
                    "is_anonymous": False,
                    "created_at": now,
                }
                for n, chat in enumerate(chats)
            ],
        )
        connection.execute(
            insert(Consent),
            [
                {
                    "customer_id": n + 1,
                    "purpose": "service",
                    "channel": "telegram",
                    "granted": True,
                    "recorded_at": now,
                }
                for n in range(count)
            ],
        )
        connection.execute(
            insert(ChannelIdentity),
            [
                {
                    "channel": "telegram",
                    "external_id": str(chat),
                    "customer_id": n + 1,
                    "verified": True,
                    "verified_at": now,
                    "verification_method": "bench",
                    "created_at": now,
                }
                for n, chat in enumerate(chats)
            ],
        )
        connection.execute(
            insert(Order),
            [
                {
                    "id": n + 1,
                    "order_number": f"B{chat}",
                    "customer_id": n + 1,
                    "placed_at": now - dt.timedelta(days=3),
                    "status": "shipped",
                }
                for n, chat in enumerate(chats)
            ],
        )
        connection.execute(
            insert(Shipment),
            [
                {
                    "id": n + 1,
                    "order_id": n + 1,
                    "carrier": "postnl",
                    "tracking_code": f"3SBENCH{chat}",
                    "status": "in_transit",
                    "promised_date": today + dt.timedelta(days=1),
                    "eta": today + dt.timedelta(days=3),
                    "shipped_at": now - dt.timedelta(days=2),
                }
                for n, chat in enumerate(chats)
            ],
        )
        connection.execute(
            insert(ShipmentEvent),
            [
                {"shipment_id": n + 1, "at": now - dt.timedelta(hours=2), "status": "in_transit"}
                for n in range(count)
            ],
        )
    engine.dispose()
    return chats


def one_run(folder: Path, count: int, workers: int, pace: float, offset: int) -> dict[str, Any]:
    url = f"sqlite:///{folder / 'bench.db'}"
    chats = seed(url, count)
    retailer = retailer_file(folder, per_sender_per_second=pace, batch_size=25, lease_seconds=120)
    settings = Settings(
        runtime_dir=folder / "runtime",
        database_url=url,
        rasa_port=5105 + offset + PORT_SHIFT,
        action_port=5155 + offset + PORT_SHIFT,
        web_port=8100 + offset + PORT_SHIFT,
        retailer_file=retailer,  # Rasa's channel outputs pace at the provider by the same file
    )
    engine = make_engine(url)
    started = time.perf_counter()
    with make_session_factory(engine)() as session, session.begin():
        report = scan(session, now=utcnow(), policy=load_delay_policy(retailer))
    scan_s = time.perf_counter() - started
    result: dict[str, Any] = {
        "orders": count,
        "workers": workers,
        "pace_per_s": pace,
        "scan_s": round(scan_s, 2),
        "found": report.counts,
    }
    with FakeTelegram() as telegram:
        for chat in chats:
            telegram.add_chat(chat)
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": "bench-secret",
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
        }
        with running_stack(settings, extra_env=env) as stack:
            logs = settings.runtime_dir / "logs"
            children = {c.spec.name: c.pid for c in stack.supervisor.children}
            procs = [
                start_worker(settings, retailer, logs / f"worker-{n}.log", env)
                for n in range(workers)
            ]
            # Counted from the first lease: a worker process takes a few seconds to import.
            wait_for_first_lease(engine)
            started = time.perf_counter()
            cpu_before = {name: cpu_seconds(pid) for name, pid in children.items()}
            cpu_before |= {f"worker {n}": cpu_seconds(p.pid) for n, p in enumerate(procs)}
            load_before = load_average()
            try:
                final = wait_with_progress(engine, count, started, timeout=1800)
                cpu_after = {name: cpu_seconds(pid) for name, pid in children.items()}
                cpu_after |= {f"worker {n}": cpu_seconds(p.pid) for n, p in enumerate(procs)}
            finally:
                for process in procs:
                    stop_worker(process)
            elapsed = time.perf_counter() - started
            settle = time.monotonic() + 15  # the channel may still be posting the last ones
            while len(telegram.calls_to("sendMessage")) < count and time.monotonic() < settle:
                time.sleep(0.2)
        sends = sorted(call.at for call in telegram.calls if call.method == "sendMessage")
    with engine.connect() as connection:
        recorded = connection.execute(
            text(
                "SELECT COUNT(DISTINCT sender_id) FROM events "
                "WHERE type_name = 'user' AND intent_name = 'EXTERNAL_delivery_delayed'"
            )
        ).scalar_one()
    engine.dispose()
    busiest = busiest_second(sends)
    cpu_ms = {
        name: round(1000 * (cpu_after[name] - cpu_before.get(name, 0.0)) / count, 1)
        for name in cpu_after
    }
    result.update(
        load_average=[load_before, load_average()],
        cpu_ms_per_notice=cpu_ms,
        outbox=final,
        seconds=round(elapsed, 1),
        per_second=round(count / elapsed, 1),
        telegram_messages=len(sends),
        distinct_chats=len(
            {c.params.get("chat_id") for c in telegram.calls if c.method == "sendMessage"}
        ),
        trackers_with_notice=recorded,
        busiest_second=busiest,
        send_span_s=round(sends[-1] - sends[0], 1) if sends else 0,
    )
    return result


def busiest_second(times: list[float]) -> int:
    """The most messages in any one-second window [t, t + 1) of the sorted receive times."""
    most, first = 0, 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def wait_with_progress(
    engine: Any, count: int, started: float, timeout: float, every: float = 10.0
) -> dict[str, int]:
    """Wait for the outbox to drain, printing how far it is every `every` seconds."""
    deadline = time.monotonic() + timeout
    shown = time.monotonic()
    while True:
        found = statuses(engine)
        if found.get("pending", 0) == 0 and sum(found.values()) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox did not drain in {timeout:.0f}s: {found}")
        if time.monotonic() - shown >= every:
            shown = time.monotonic()
            done = sum(n for status, n in found.items() if status != "pending")
            elapsed = time.perf_counter() - started
            print(
                f"  {done:>6,}/{count:,} done in {elapsed:5.0f} s, {done / elapsed:5.1f} /s,"
                f" load {load_average()}",
                flush=True,
            )
        time.sleep(0.5)


def wait_for_first_lease(engine: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    query = text(
        "SELECT COUNT(*) FROM outbox_messages WHERE locked_by IS NOT NULL OR status != 'pending'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            if connection.execute(query).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError(f"no worker leased a message in {timeout:.0f}s")


def summary(results: dict[str, Any], orders: int) -> str:
    """The figures the target is about: the rates, and whether the pacing held."""
    lines = ["", "summary"]
    for name, label in (("one_worker", "1 worker"), ("two_workers", "2 workers")):
        run = results.get(name)
        if run:
            minutes = 10_000 / 60 / max(run["per_second"], 0.01)
            lines.append(
                f"  {label}: {run['orders']:,} notices in {run['seconds']} s ="
                f" {run['per_second']} /s (10,000 at this rate: {minutes:.1f} min;"
                f" target 5 min = 33.3 /s); at the fake {run['telegram_messages']:,},"
                f" in the trackers {run['trackers_with_notice']:,}; CPU ms per notice"
                f" {run['cpu_ms_per_notice']}"
            )
    paced = results.get("paced_two_workers")
    if paced:
        held = paced["busiest_second"] <= paced["pace_per_s"]
        lines.append(
            f"  pacing at {paced['pace_per_s']:g} /s per sender: busiest second"
            f" {paced['busiest_second']} ({'held' if held else 'NOT held'}),"
            f" {paced['per_second']} /s over {paced['orders']:,} notices"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default=str(ROOT / "bench" / "results" / "delays.json"))
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--paced", type=int, default=300)
    parser.add_argument(
        "--only", action="append", default=[], help="run only these: one_worker, two_workers, …"
    )
    args = parser.parse_args()
    results: dict[str, Any] = {"date": dt.date.today().isoformat()}
    runs = [
        ("one_worker", args.orders, 1, 0),
        ("two_workers", args.orders, 2, 0),
        ("paced_two_workers", args.paced, 2, 10),
    ]
    for offset, (name, count, workers, pace) in enumerate(runs):
        if args.only and name not in args.only:
            continue
        with tempfile.TemporaryDirectory(prefix=f"klantreis-delays-{name}-") as tmp:
            results[name] = one_run(Path(tmp), count, workers, pace, 2700 + offset * 10)
        print(name, json.dumps(results[name]), flush=True)
    print(summary(results, args.orders), flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
