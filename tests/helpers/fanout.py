"""A fan-out for the crash test and the benchmark: many customers on Telegram, a delay notice
queued for each, and delays worker processes that can be started and SIGKILLed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.delays.episodes import DELAY_INTENT
from bot.settings import PROJECT_ROOT, Settings
from bot.stack import child_env
from bot.store.db import make_session_factory
from bot.store.delay_models import OutboxMessage
from bot.store.models import ChannelIdentity, Consent, Customer, Order, utcnow

FIRST_CHAT = 900_000


def retailer_file(folder: Path, **notices: object) -> Path:
    """The shop's retailer file with `notices:` settings for a run (quiet hours off)."""
    lines = ["", "notices:", "  quiet_hours: off"]
    lines += [f"  {key}: {value}" for key, value in notices.items()]
    path = folder / "retailer-fanout.yml"
    text = (PROJECT_ROOT / "config" / "retailer.yml").read_text(encoding="utf-8")
    head = text.split("\nnotices:")[0]  # our own notices section replaces the shop's
    path.write_text(head + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def queue_notices(engine: Engine, count: int, *, first_chat: int = FIRST_CHAT) -> list[int]:
    """`count` customers with consent on Telegram, one queued delay notice each; their chats."""
    now = utcnow()
    chats = [first_chat + n for n in range(count)]
    sessions = make_session_factory(engine)
    with sessions() as session, session.begin():
        customers = [
            Customer(customer_ref=f"F{chat}", first_name="Klant", language="nl") for chat in chats
        ]
        session.add_all(customers)
        session.flush()
        for customer, chat in zip(customers, chats, strict=True):
            session.add(
                Consent(
                    customer_id=customer.id,
                    purpose="service",
                    channel="telegram",
                    granted=True,
                    recorded_at=now,
                )
            )
            session.add(
                ChannelIdentity(
                    channel="telegram",
                    external_id=str(chat),
                    customer_id=customer.id,
                    verified=True,
                    verified_at=now,
                    verification_method="fanout",
                )
            )
            # the notice is about the customer's own order: the bot names no one else's
            session.add(
                Order(
                    order_number=f"F{chat}",
                    customer_id=customer.id,
                    placed_at=now - dt.timedelta(days=3),
                    status="shipped",
                )
            )
            notice_id = f"delay:fanout-{chat}:1"
            session.add(
                OutboxMessage(
                    dedup_key=notice_id,
                    customer_id=customer.id,
                    intent=DELAY_INTENT,
                    entities={
                        "notice_id": notice_id,
                        "notice_kind": "first",
                        "order_number": f"F{chat}",
                        "old_date": (now.date() - dt.timedelta(days=1)).isoformat(),
                        "new_date": (now.date() + dt.timedelta(days=2)).isoformat(),
                        "reason": "carrier_delay",
                        "voucher_code": "",
                        "voucher_value_eur": "",
                        "voucher_expires": "",
                    },
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    return chats


def statuses(engine: Engine) -> dict[str, int]:
    with make_session_factory(engine)() as session:
        rows = session.execute(
            select(OutboxMessage.status, func.count(OutboxMessage.id)).group_by(
                OutboxMessage.status
            )
        )
        return {status: count for status, count in rows}


def start_worker(
    settings: Settings, retailer: Path, log: Path, extra_env: dict[str, str]
) -> subprocess.Popen:
    env = child_env(settings, extra_env)
    env["KLANTREIS_RETAILER_FILE"] = str(retailer)
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.delays"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_worker(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def wait_until_done(engine: Engine, count: int, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        found = statuses(engine)
        waiting = found.get("pending", 0)
        if waiting == 0 and sum(found.values()) >= count:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"the outbox did not drain in {timeout:.0f}s: {found}")
        time.sleep(0.5)
