"""Product lists go out as one message: text for any channel, buttons, and cards."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.common import store_session
from actions.product_cards import CARD_TYPE, product_card, rating_text, show_products, stock_text
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
    assert "★ 4,5 (" in message["text"]  # the rating as a Dutch shopper writes it
    assert [b["title"] for b in message["buttons"]] == [p.name("nl") for p in products]
    cards = message["custom"]["cards"]
    assert message["custom"]["type"] == CARD_TYPE
    assert [c["sku"] for c in cards] == ["TP-RUN-001", "TP-TRL-001"]
    assert [b["title"] for b in cards[0]["buttons"]] == ["Meer info", "Vergelijk", "In mijn maat?"]


def test_cards_carry_picture_page_stock_in_the_size_and_rating(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    with store_session() as session:
        products = products_by_sku(session=session, skus=["TP-RUN-001", "TP-TRL-002"])
        show_products(dispatcher, products=products, language="en", intro="These fit:", size="43")
    (message,) = dispatcher.messages
    assert message["custom"]["intro"] == "These fit:"
    aero, _ = message["custom"]["cards"]
    assert aero["image"] == "/demo/images/TP-RUN-001.svg"
    assert aero["photo"] == "/demo/images/TP-RUN-001.png"
    assert aero["url"] == "/demo/products/TP-RUN-001?lang=en"
    assert aero["stock_text"] == "In stock in size 43"
    assert aero["rating_text"].startswith("★ 4.5 (")
    assert "• Veloce Aero 3: €" in message["text"] and "in stock in size 43" in message["text"]


def test_stock_text_names_the_size_and_a_catalogue_image_wins(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    with store_session() as session:
        (boot,) = products_by_sku(session=session, skus=["TP-TRL-001"])
        sold_out = next(v.variant for v in boot.variants if v.stock == 0)
        assert stock_text(boot, language="nl", size=sold_out) == f"Uitverkocht in maat {sold_out}"
        assert stock_text(boot, language="nl", size="99") == "Uitverkocht in maat 99"
        assert stock_text(boot, language="nl") == "Op voorraad"
        boot.image_url = "https://cdn.example.nl/trailblazer.jpg"  # the catalogue's own picture
        card = product_card(boot, language="nl")
        assert card["image"] == card["photo"] == "https://cdn.example.nl/trailblazer.jpg"
        boot.image_url = "javascript:alert(1)"
        assert product_card(boot, language="nl")["image"] == "/demo/images/TP-TRL-001.svg"
        assert rating_text(boot, "nl").startswith("★ 4,")  # Dutch decimal comma
