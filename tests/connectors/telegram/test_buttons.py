"""Quick replies: inline keyboards with short references, pressed and resolved on the timeline."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import UserMessage

from tests.connectors.telegram.conftest import OTHER_CHAT, SANNE_CHAT, Served

PAYLOAD = (
    '/inform{"order_number": "10452", "note": "a payload far longer than Telegram\'s 64 bytes"}'
)


def with_buttons(message: UserMessage) -> list[dict[str, Any]]:
    if message.text == PAYLOAD:
        return [{"text": "Bestelling 10452 is onderweg."}]
    return [
        {
            "text": "Waarover gaat je vraag?",
            "buttons": [
                {"title": "Bestelling 10452", "payload": PAYLOAD},
                {"title": "Iets anders", "payload": "Ik heb een andere vraag"},
            ],
        }
    ]


async def ask(served: Served, chat_id: int = SANNE_CHAT) -> tuple[list[str], int]:
    """Let the bot send a keyboard; returns the callback data and the Telegram message id."""
    served.agent.reply = with_buttons
    await served.post(served.updates.text(chat_id, "ik heb een vraag"))
    sent = [c for c in served.fake.calls_to("sendMessage") if c["chat_id"] == str(chat_id)][-1]
    rows = sent["reply_markup"]["inline_keyboard"]
    data = [row[0]["callback_data"] for row in rows]
    outbound = [m for m in await served.timeline(chat_id) if m.direction == "out"][-1]
    return data, int(outbound.provider_id.split(":")[1])


async def test_buttons_become_an_inline_keyboard_with_short_references(served: Served) -> None:
    data, _ = await ask(served)

    [sent] = served.fake.calls_to("sendMessage")
    titles = [row[0]["text"] for row in sent["reply_markup"]["inline_keyboard"]]
    assert titles == ["Bestelling 10452", "Iets anders"]
    outbound = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "out"][-1]
    assert data == [f"b:{outbound.id}:0", f"b:{outbound.id}:1"]
    assert all(len(d.encode()) <= 64 for d in data)
    assert outbound.payload["buttons"][0]["payload"] == PAYLOAD


async def test_a_press_sends_the_payload_to_rasa_and_the_title_to_the_timeline(
    served: Served,
) -> None:
    data, message_id = await ask(served)

    answer = await served.post(served.updates.press(SANNE_CHAT, data[0], message_id))

    assert answer.json() == {"status": "processed"}
    assert served.agent.texts[-1] == PAYLOAD
    [acknowledged] = served.fake.calls_to("answerCallbackQuery")
    assert acknowledged["callback_query_id"].startswith("cq-")
    [edited] = served.fake.calls_to("editMessageReplyMarkup")
    assert edited["chat_id"] == str(SANNE_CHAT) and edited["message_id"] == str(message_id)
    assert "reply_markup" not in edited  # the keyboard is taken away: no second press
    assert served.fake.sent_texts(SANNE_CHAT)[-1] == "Bestelling 10452 is onderweg."
    press = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "in"][-1]
    assert press.text == "Bestelling 10452"
    assert press.payload == {"kind": "button", "button_payload": PAYLOAD}


async def test_a_repeated_press_update_is_processed_once(served: Served) -> None:
    data, message_id = await ask(served)
    update = served.updates.press(SANNE_CHAT, data[1], message_id)

    await served.post(update)
    again = await served.post(update)

    assert again.json() == {"status": "duplicate"}
    assert served.agent.texts.count("Ik heb een andere vraag") == 1


async def test_a_reference_to_another_chats_message_is_ignored(served: Served) -> None:
    data, message_id = await ask(served, SANNE_CHAT)
    messages = len(served.agent.messages)
    inbound_before = len(await served.timeline(OTHER_CHAT))

    # Fleur's (modified) client sends the reference of a button in Sanne's chat.
    answer = await served.post(served.updates.press(OTHER_CHAT, data[0], message_id))

    assert answer.json() == {"status": "ignored"}
    assert len(served.agent.messages) == messages
    assert len(await served.timeline(OTHER_CHAT)) == inbound_before
    assert served.fake.calls_to("editMessageReplyMarkup") == []
    assert len(served.fake.calls_to("answerCallbackQuery")) == 1  # the spinner still stops


async def test_forged_or_stale_callback_data_is_ignored(served: Served) -> None:
    data, message_id = await ask(served)
    record_id = data[0].split(":")[1]
    forged = [
        "/restart",
        f"b:{record_id}:7",  # no such button
        "b:99999999:0",  # no such message
        f"b:{record_id}:0:extra",
        "b:-1:0",
        "",
    ]
    messages = len(served.agent.messages)
    for value in forged:
        answer = await served.post(served.updates.press(SANNE_CHAT, value, message_id))
        assert answer.json() == {"status": "ignored"}, value
    assert len(served.agent.messages) == messages
    # A press on the bot's message is not a customer message: only buttons of "out" messages.
    inbound = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "in"][0]
    answer = await served.post(served.updates.press(SANNE_CHAT, f"b:{inbound.id}:0", message_id))
    assert answer.json() == {"status": "ignored"}
    assert len(served.fake.calls_to("answerCallbackQuery")) == len(forged) + 1
