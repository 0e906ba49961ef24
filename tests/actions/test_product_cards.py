"""Product lists go out as one message: text for any channel, buttons, and cards."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.common import store_session
from actions.product_cards import CARD_TYPE, show_products
from bot.store.catalogue import products_by_sku


def test_one_message_with_text_buttons_and_cards(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    with store_session() as session:
        products = products_by_sku(session=session, skus=["TP-RUN-001", "TP-TRL-001"])
        show_products(
            dispatcher,
            products=products,
            language="nl",
            intro="Deze passen bij je vraag:",
            reasons={"TP-RUN-001": "gedempt"},
        )
    (message,) = dispatcher.messages
    assert message["text"].startswith("Deze passen bij je vraag:\n• Veloce Aero 3: €")
    assert "gedempt" in message["text"]
    assert [b["title"] for b in message["buttons"]] == [p.name("nl") for p in products]
    cards = message["custom"]["cards"]
    assert message["custom"]["type"] == CARD_TYPE
    assert [c["sku"] for c in cards] == ["TP-RUN-001", "TP-TRL-001"]
    assert [b["title"] for b in cards[0]["buttons"]] == ["Meer info", "Vergelijk", "In mijn maat?"]
