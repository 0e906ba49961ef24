"""Product cards on WhatsApp: per product its facts, its page link and its picture as media
(Twilio's MediaUrl) where Twilio can fetch it; the buttons stay numbered options.

The cards come from the real show_products on the demo shop; the real twilio SDK sends to the
fake Twilio API, which records each request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.product_cards import show_products
from bot.store.catalogue import products_by_sku
from connectors.base import ChannelStore
from tests.connectors.whatsapp.conftest import SANNE, Harness, Start
from tests.helpers.fake_twilio import incoming_message

SHOP = "https://shop.example.nl"


def cards_reply(harness_store: ChannelStore) -> Callable[[UserMessage], list[dict[str, Any]]]:
    def make(session: Session) -> dict[str, Any]:
        dispatcher = CollectingDispatcher()
        products = products_by_sku(session=session, skus=["TP-RJK-001", "TP-RJK-002"])
        show_products(
            dispatcher, products=products, language="nl", intro="Welke bedoel je?", size="M"
        )
        return dispatcher.messages[0]

    with harness_store.unit() as session:
        message = make(session)

    def reply(incoming: UserMessage) -> list[dict[str, Any]]:
        if incoming.text and incoming.text.startswith("/product_question"):
            return [{"text": "Die kost € 199,95."}]
        return [message]

    return reply


async def ask(start: Start, **config: Any) -> Harness:
    harness = await start(**config)
    harness.agent.reply = cards_reply(harness.store)
    await harness.message(incoming_message(SANNE, "wat kost de storm jas?"))
    return harness


async def test_each_product_gets_its_link_and_picture_then_the_numbered_options(
    start: Start,
) -> None:
    harness = await ask(start, shop_url=SHOP)

    intro, heren, dames, options = harness.twilio.sent()
    assert intro.get("Body") == "Welke bedoel je?" and "MediaUrl" not in intro.form
    body = heren.get("Body") or ""
    assert body.startswith("Regenwoud Storm jas heren · €")
    assert "★ 4,5 (" in body and "maat M" in body
    assert body.endswith(f"{SHOP}/demo/products/TP-RJK-001")
    assert heren.form["MediaUrl"] == [f"{SHOP}/demo/images/TP-RJK-001.png"]
    assert dames.form["MediaUrl"] == [f"{SHOP}/demo/images/TP-RJK-002.png"]
    assert (options.get("Body") or "").startswith("1. Regenwoud Storm jas heren\n2. ")
    record = harness.timeline()[-1]
    assert record.provider_id == options.response["sid"]  # one timeline entry, four messages
    assert record.payload["product_cards"]["cards"][0]["sku"] == "TP-RJK-001"


async def test_without_a_public_shop_address_there_is_no_media_and_no_dead_link(
    start: Start,
) -> None:
    harness = await ask(start)

    sent = harness.twilio.sent()
    assert len(sent) == 4 and all("MediaUrl" not in s.form for s in sent)
    assert all("/demo/" not in (s.get("Body") or "") for s in sent)
    assert (sent[1].get("Body") or "").startswith("Regenwoud Storm jas heren · €")


async def test_a_number_picks_a_product_after_the_cards(start: Start) -> None:
    harness = await ask(start, shop_url=SHOP)

    await harness.message(incoming_message(SANNE, "2"))

    assert harness.agent.texts[-1] == '/product_question{"product": "TP-RJK-002"}'
    assert harness.twilio.bodies()[-1] == "Die kost € 199,95."
