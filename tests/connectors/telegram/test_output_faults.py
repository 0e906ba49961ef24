"""The Bot API answering 5xx or not at all: retried where that cannot send twice, bounded, and
otherwise marked failed on the timeline (where the agent console shows it); never lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from connectors.telegram.output import TelegramOutput
from tests.connectors.telegram.conftest import SANNE_CHAT, Served

SANNE = f"telegram:{SANNE_CHAT}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """Sending does not depend on the kind of database: SQLite only."""
    return f"sqlite:///{tmp_path / 'klantreis.db'}"


async def output(served: Served) -> TelegramOutput:
    await served.post(served.updates.text(SANNE_CHAT, "hallo"))
    served.fake.clear()
    channel = served.channel.get_output_channel()
    assert isinstance(channel, TelegramOutput)
    channel.retry_delay = 0.05  # the real schedule is 0.5 s, then 1 s
    return channel


async def test_a_passing_5xx_is_retried_and_the_message_goes_out(served: Served) -> None:
    channel = await output(served)
    served.fake.fail("sendMessage", 500, "Internal Server Error")
    served.fake.fail("sendMessage", 502, "Bad Gateway")
    before = len(served.fake.sent_messages(SANNE_CHAT))

    await channel.send_response(SANNE, {"text": "Je pakket komt morgen."})

    assert served.fake.sent_texts(SANNE_CHAT) == ["Je pakket komt morgen."] * 3
    assert len(served.fake.sent_messages(SANNE_CHAT)) == before + 1  # delivered once
    outbound = (await served.timeline(SANNE_CHAT))[-1]
    assert outbound.status == "sent" and outbound.provider_id


async def test_a_lasting_5xx_marks_the_message_failed_after_three_tries(served: Served) -> None:
    channel = await output(served)
    served.fake.fail("sendMessage", 503, "Service Unavailable", times=3)

    await channel.send_response(SANNE, {"text": "Je pakket komt morgen."})

    assert len(served.fake.calls_to("sendMessage")) == 3
    outbound = (await served.timeline(SANNE_CHAT))[-1]
    assert (outbound.text, outbound.status) == ("Je pakket komt morgen.", "failed")


async def test_a_read_timeout_is_not_retried_telegram_may_have_sent_it(served: Served) -> None:
    channel = await output(served)
    quick = HTTPXRequest(read_timeout=0.3)
    channel.bot = Bot(served.fake.token, base_url=served.fake.base_url, request=quick)
    served.fake.delay("sendMessage", 1.0)
    try:
        await channel.send_response(SANNE, {"text": "Je pakket komt morgen."})
    finally:
        await quick.shutdown()

    assert len(served.fake.calls_to("sendMessage")) == 1
    outbound = (await served.timeline(SANNE_CHAT))[-1]
    assert outbound.status == "failed"


async def test_a_refusal_is_final_at_once(served: Served) -> None:
    channel = await output(served)
    served.fake.fail("sendMessage", 400, "Bad Request: message text is empty")

    await channel.send_response(SANNE, {"text": "Hallo"})

    assert len(served.fake.calls_to("sendMessage")) == 1
    assert (await served.timeline(SANNE_CHAT))[-1].status == "failed"
