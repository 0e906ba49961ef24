"""The Telegram output holds the per-sender rate where the message leaves: a burst of turns
that end together still reaches the Bot API at most 10 a second."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from connectors.pacing import SendPacer
from connectors.telegram.output import TelegramOutput
from tests.connectors.telegram.conftest import OTHER_CHAT, SANNE_CHAT, Served
from tests.connectors.test_pacing import busiest


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'klantreis.db'}"


@pytest.fixture
def channel_options() -> dict[str, Any]:
    return {"pacer": SendPacer(10)}


async def test_a_burst_reaches_telegram_at_the_rate(served: Served) -> None:
    served.fake.delay("sendMessage", 0.25, times=3)  # a few slow requests bunch the rest
    outputs = [served.channel.get_output_channel() for _ in range(30)]
    assert all(isinstance(o, TelegramOutput) for o in outputs)
    chats = [SANNE_CHAT, OTHER_CHAT]

    await asyncio.gather(
        *(
            o.send_text_message(f"telegram:{chats[n % 2]}", f"Bericht {n}")
            for n, o in enumerate(outputs)
        )
    )

    sends = [c.at for c in served.fake.calls if c.method == "sendMessage"]
    assert len(sends) == 30
    assert busiest(sends) <= 10
    assert sends[-1] - sends[0] >= 2.0  # 30 at 10 a second: three windows at least
