"""Product cards on Telegram: per product a photo with its facts and its own inline keyboard.

The cards are made by the real show_products from the demo shop; PTB sends them to the fake
Bot API, which records every call.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.product_cards import show_products
from bot.store.catalogue import products_by_sku
from tests.connectors.telegram.conftest import SANNE_CHAT, Served

SHOP = "https://shop.example.nl"
JACKETS = ["TP-RJK-001", "TP-RJK-002"]


async def cards_message(served: Served, **changes: Any) -> dict[str, Any]:
    def make(session: Session) -> dict[str, Any]:
        dispatcher = CollectingDispatcher()
        products = products_by_sku(session=session, skus=JACKETS)
        show_products(dispatcher, products=products, language="nl", intro="Welke bedoel je?")
        return dispatcher.messages[0]

    message = await served.query(make)
    for key, value in changes.items():
        message["custom"]["cards"][0][key] = value
    return message


async def show_cards(served: Served, **changes: Any) -> None:
    message = await cards_message(served, **changes)

    def reply(incoming: UserMessage) -> list[dict[str, Any]]:
        if incoming.text and incoming.text.startswith("/product_question"):
            return [{"text": "De Regenwoud Storm jas dames kost € 199,95."}]
        return [message]

    served.agent.reply = reply
    await served.post(served.updates.text(SANNE_CHAT, "wat kost de storm jas?"))


def keyboard(call: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (row[0]["text"], row[0]["callback_data"]) for row in call["reply_markup"]["inline_keyboard"]
    ]


@pytest.mark.parametrize("channel_options", [{"config": {"shop_url": SHOP}}])
async def test_each_card_is_a_photo_with_caption_and_its_own_keyboard(served: Served) -> None:
    await show_cards(served)

    assert served.fake.sent_texts(SANNE_CHAT) == ["Welke bedoel je?"]
    heren, dames = served.fake.calls_to("sendPhoto")
    assert heren["photo"] == f"{SHOP}/demo/images/TP-RJK-001.png"  # PNG: Telegram takes no SVG
    lines = heren["caption"].split("\n")
    assert lines[0].startswith("Regenwoud Storm jas heren · €")
    assert lines[1].startswith("★ 4,5 (") and lines[2] == "Op voorraad"
    assert lines[3] == f"{SHOP}/demo/products/TP-RJK-001"
    assert "parse_mode" not in heren  # plain text: catalogue text is never markup
    assert [title for title, _ in keyboard(heren)] == ["Meer info", "Vergelijk", "In mijn maat?"]
    outbound = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "out"][-1]
    # the message's own two buttons come first in the record, then each card's three
    assert [data for _, data in keyboard(dames)] == [f"b:{outbound.id}:{i}" for i in (5, 6, 7)]
    assert all(len(data.encode()) <= 64 for _, data in keyboard(heren) + keyboard(dames))
    assert outbound.status == "sent" and outbound.payload["product_cards"]["intro"]


@pytest.mark.parametrize("channel_options", [{"config": {"shop_url": SHOP}}])
async def test_a_card_button_sends_its_payload_and_the_card_keeps_its_buttons(
    served: Served,
) -> None:
    await show_cards(served)
    _, dames = served.fake.calls_to("sendPhoto")
    more_info = keyboard(dames)[0][1]
    outbound = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "out"][-1]
    message_id = int(outbound.provider_id.split(":")[1])  # the last photo: the ladies' jacket
    served.fake.clear()

    answer = await served.post(served.updates.press(SANNE_CHAT, more_info, message_id))

    assert answer.json() == {"status": "processed"}
    assert served.agent.texts[-1] == '/product_question{"product": "TP-RJK-002"}'
    assert served.fake.calls_to("answerCallbackQuery")
    assert served.fake.calls_to("editMessageReplyMarkup") == []  # "Vergelijk" stays pressable
    assert served.fake.sent_texts(SANNE_CHAT) == ["De Regenwoud Storm jas dames kost € 199,95."]
    press = [m for m in await served.timeline(SANNE_CHAT) if m.direction == "in"][-1]
    assert press.text == "Meer info"


async def test_without_a_public_shop_address_cards_are_text_with_the_keyboard(
    served: Served,
) -> None:
    await show_cards(served)

    assert served.fake.calls_to("sendPhoto") == []
    intro, heren, dames = served.fake.calls_to("sendMessage")
    assert intro["text"] == "Welke bedoel je?"
    assert heren["text"].startswith("Regenwoud Storm jas heren · €")
    assert "/demo/" not in heren["text"]  # a site-relative link means nothing in Telegram
    assert [title for title, _ in keyboard(dames)] == ["Meer info", "Vergelijk", "In mijn maat?"]


async def test_a_catalogue_picture_on_the_web_is_sent_even_without_a_shop_address(
    served: Served,
) -> None:
    picture = "https://cdn.example.nl/regenwoud-storm-heren.jpg"
    await show_cards(served, photo=picture, image=picture)

    [photo] = served.fake.calls_to("sendPhoto")
    assert photo["photo"] == picture
    assert [c["text"] for c in served.fake.calls_to("sendMessage")][0] == "Welke bedoel je?"
