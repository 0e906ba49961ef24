"""Sending: long texts, images, agents' messages, and chats the bot cannot reach."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.core.channels.channel import OutputChannel

from connectors.telegram.output import TelegramOutput, split_text
from tests.connectors.telegram.conftest import SANNE_CHAT, Served

SANNE = f"telegram:{SANNE_CHAT}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """Sending and polling do not depend on the kind of database: SQLite only."""
    return f"sqlite:///{tmp_path / 'klantreis.db'}"


def output(served: Served) -> TelegramOutput:
    """What Rasa's trigger_intent / execute use with ?output_channel=telegram."""
    channel: OutputChannel | None = served.channel.get_output_channel()
    assert isinstance(channel, TelegramOutput) and channel.name() == "telegram"
    return channel


def test_split_text_keeps_every_piece_within_the_limit() -> None:
    paragraph = "Een zin over fietsen en wandelschoenen. " * 40
    text = "\n\n".join([paragraph] * 8)

    pieces = split_text(text)

    assert len(pieces) > 1
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())  # nothing lost
    assert all(not p.startswith(" ") and p.strip() for p in pieces)
    assert all(p.endswith("wandelschoenen.") for p in pieces)  # at a paragraph, not mid-word


def test_split_text_counts_emoji_as_telegram_does() -> None:
    text = "🚲" * 3000  # 6000 UTF-16 code units

    pieces = split_text(text)

    assert [len(p) for p in pieces] == [2048, 952]
    assert split_text("kort") == ["kort"]


async def test_a_long_answer_is_split_into_messages_telegram_accepts(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "hallo"))
    served.fake.clear()
    long_text = ("Dit is een lange uitleg over retourneren. " * 30 + "\n\n") * 9

    await output(served).send_response(SANNE, {"text": long_text})

    sent = served.fake.sent_texts(SANNE_CHAT)
    assert len(sent) == 3 and all(len(t) <= 4096 for t in sent)
    assert all(t.endswith("retourneren.") for t in sent)  # cut between paragraphs
    outbound = (await served.timeline(SANNE_CHAT))[-1]
    assert outbound.text == long_text and outbound.status == "sent"  # one timeline entry


async def test_an_image_is_sent_as_a_photo_before_its_text(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "hallo"))
    served.fake.clear()
    image = "https://trekenpeddel.example/img/veloce-aero-3.jpg"

    await output(served).send_response(SANNE, {"text": "De Veloce Aero 3", "image": image})

    [photo] = served.fake.calls_to("sendPhoto")
    assert photo["photo"] == image and photo["chat_id"] == str(SANNE_CHAT)
    assert served.fake.sent_texts(SANNE_CHAT) == ["De Veloce Aero 3"]
    assert [c.method for c in served.fake.calls] == ["sendPhoto", "sendMessage"]


async def test_an_agent_message_says_who_writes_in_plain_text(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "ik wil een mens spreken"))
    served.fake.clear()
    message = {
        "text": "Ik kijk *even* voor je <b>mee</b>.",
        "custom": {"klantreis": {"author": "agent", "agent_name": "Sanne"}},
    }

    await output(served).send_response(SANNE, message)

    [sent] = served.fake.calls_to("sendMessage")
    assert sent["text"] == "Sanne (klantenservice): Ik kijk *even* voor je <b>mee</b>."
    assert "parse_mode" not in sent
    outbound = (await served.timeline(SANNE_CHAT))[-1]
    assert outbound.author == "agent" and outbound.payload["agent_name"] == "Sanne"


async def test_a_chat_the_bot_never_met_fails_quietly(served: Served) -> None:
    channel = output(served)

    await channel.send_response("telegram:424242", {"text": "hallo?"})
    await channel.send_response("telegram:not-a-number", {"text": "hallo?"})
    await channel.send_response("whatsapp:+31612345678", {"text": "verkeerd kanaal"})

    # Telegram was asked once (the id is a number) and said "chat not found"; nothing crashed.
    assert [c["chat_id"] for c in served.fake.calls_to("sendMessage")] == ["424242"]


async def test_a_failed_delivery_is_kept_on_the_timeline_as_failed(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "hallo"))
    served.fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")

    await output(served).send_response(SANNE, {"text": "Je pakket komt morgen."})

    outbound = (await served.timeline(SANNE_CHAT))[-1]
    assert (outbound.text, outbound.status) == ("Je pakket komt morgen.", "failed")


async def test_telegram_asking_to_wait_is_honoured_once(served: Served) -> None:
    await served.post(served.updates.text(SANNE_CHAT, "hallo"))
    served.fake.clear()
    served.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 1", parameters={"retry_after": 1}
    )

    await output(served).send_response(SANNE, {"text": "Na een seconde."})

    assert served.fake.sent_texts(SANNE_CHAT) == ["Na een seconde.", "Na een seconde."]
    assert (await served.timeline(SANNE_CHAT))[-1].status == "sent"
