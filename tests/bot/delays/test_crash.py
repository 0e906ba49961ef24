"""Crash-safety: SIGKILL a worker in the middle of a fan-out, start another, and every customer
gets the notice exactly once (counted at the fake Telegram API), on SQLite and on PostgreSQL
with two workers at once."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.stack import running_stack
from bot.store import migrate
from bot.store.db import make_engine
from bot.store.delay_models import OutboxMessage
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.fanout import (
    queue_notices,
    retailer_file,
    start_worker,
    stop_worker,
    wait_until_done,
)
from tests.helpers.stack import require_model, test_settings

pytestmark = pytest.mark.stack

NOTICES = 60
OFFSETS = {"sqlite": 2300, "postgres": 2400}


def holding_a_lease(
    engine: Engine, workers: list[subprocess.Popen], deadline: float
) -> subprocess.Popen:
    """A worker that holds leased, unfinished notices right now (worker names end in :pid)."""
    by_pid = {str(worker.pid): worker for worker in workers}
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            tokens = connection.execute(
                select(OutboxMessage.locked_by).where(
                    OutboxMessage.status == "pending", OutboxMessage.locked_by.is_not(None)
                )
            ).scalars()
            pids = {token.rsplit(":", 2)[-2] for token in tokens}
        for pid in pids & set(by_pid):
            return by_pid[pid]
        time.sleep(0.02)
    raise AssertionError("no worker held a lease")


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_killing_a_worker_mid_fan_out_still_delivers_every_notice_once(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'crash.db'}"
    else:
        from tests.conftest import _reset_postgres

        url = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
    engine = make_engine(url)
    migrate.upgrade(engine)
    settings = test_settings(tmp_path, url, OFFSETS[kind])
    require_model(settings)
    chats = queue_notices(engine, NOTICES)
    # paced to 20 a second so the kill lands mid-fan-out; short leases so the test is quick
    retailer = retailer_file(tmp_path, per_sender_per_second=20, lease_seconds=6, batch_size=5)
    logs = settings.runtime_dir / "logs"
    with FakeTelegram() as telegram:
        for chat in chats:
            telegram.add_chat(chat)
        env = {
            "TELEGRAM_BOT_TOKEN": telegram.token,
            "TELEGRAM_WEBHOOK_SECRET": "crash-secret",
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_API_BASE": telegram.base_url,
        }
        with running_stack(settings, extra_env=env):
            workers = [
                start_worker(settings, retailer, logs / f"worker-{n}.log", env) for n in (1, 2)
            ]
            try:
                deadline = time.monotonic() + 120
                while len(telegram.calls_to("sendMessage")) < NOTICES // 3:
                    assert time.monotonic() < deadline, "the workers sent nothing"
                    time.sleep(0.05)
                victim = holding_a_lease(engine, workers, deadline)
                stop_worker(victim, signal.SIGKILL)  # mid-batch, no clean-up at all
                workers.append(start_worker(settings, retailer, logs / "worker-3.log", env))
                final = wait_until_done(engine, NOTICES, timeout=240)
            finally:
                for worker in workers:
                    stop_worker(worker)
        sent = Counter(int(call["chat_id"]) for call in telegram.calls_to("sendMessage"))
    with engine.connect() as connection:
        taken_over = connection.execute(
            select(func.count(OutboxMessage.id)).where(OutboxMessage.attempts > 1)
        ).scalar_one()
    engine.dispose()
    assert taken_over >= 1, "the kill landed between batches: no lease was taken over"
    assert final == {"sent": NOTICES}
    assert set(sent) == set(chats)
    assert [chat for chat, times in sent.items() if times != 1] == []
    for log in logs.glob("worker-*.log"):
        assert "Traceback" not in log.read_text(), log.name
