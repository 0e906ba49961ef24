"""Long polling: a task on the app's loop fetches updates from getUpdates and stops cleanly."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest

from tests.connectors.telegram.conftest import OTHER_CHAT, SANNE_CHAT, Served


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """Sending and polling do not depend on the kind of database: SQLite only."""
    return f"sqlite:///{tmp_path / 'klantreis.db'}"


@pytest.fixture
def channel_options() -> dict[str, Any]:
    return {
        "config": {"mode": "polling", "public_url": None},
        "poll_timeout": 1,
        "poll_backoff": 0.05,
    }


async def until(condition: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.02)


async def test_polling_feeds_updates_to_the_same_pipeline(served: Served) -> None:
    served.fake.queue_update(served.updates.text(SANNE_CHAT, "eerste"))
    served.fake.queue_update(served.updates.text(OTHER_CHAT, "van Fleur"))
    served.fake.queue_update(served.updates.text(SANNE_CHAT, "tweede"))

    await until(lambda: len(served.agent.messages) == 3)
    await until(lambda: len(served.fake.calls_to("sendMessage")) == 3)

    sanne = [m.text for m in served.agent.messages if m.sender_id == f"telegram:{SANNE_CHAT}"]
    assert sanne == ["eerste", "tweede"]  # one chat's updates in order
    assert served.fake.calls_to("deleteWebhook"), "a webhook would make getUpdates fail"
    health = (await served.client.get(f"{served.url}/")).json()
    assert health == {"status": "ok", "mode": "polling", "polling": True}


async def test_polling_confirms_updates_and_skips_a_redelivered_one(served: Served) -> None:
    update = served.updates.text(SANNE_CHAT, "hallo")
    served.fake.queue_update(update)
    await until(lambda: len(served.agent.messages) == 1)
    await until(
        lambda: any(
            int(c.get("offset") or 0) > update["update_id"]
            for c in served.fake.calls_to("getUpdates")
        )
    )

    served.fake.queue_update(update)  # Telegram delivers it again, e.g. after a restart
    served.fake.queue_update(served.updates.text(SANNE_CHAT, "daarna"))
    await until(lambda: len(served.agent.messages) == 2)

    assert served.agent.texts == ["hallo", "daarna"]


async def test_polling_backs_off_on_errors_and_carries_on(
    served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    served.fake.fail("getUpdates", 502, "Bad Gateway", times=3)
    served.fake.queue_update(served.updates.text(SANNE_CHAT, "na de storing"))

    await until(lambda: served.agent.texts == ["na de storing"])

    assert served.channel.poller is not None and served.channel.poller.errors >= 3
    assert "getUpdates failed" in caplog.text
    assert served.fake.token not in caplog.text


async def test_polling_stops_cleanly(served: Served) -> None:
    poller = served.channel.poller
    assert poller is not None and poller.running
    await until(lambda: served.fake.calls_to("getUpdates"))  # waiting in a long poll

    await served.channel.stop_polling()

    assert not poller.running
    polls = len(served.fake.calls_to("getUpdates"))
    await asyncio.sleep(0.3)
    assert len(served.fake.calls_to("getUpdates")) == polls
