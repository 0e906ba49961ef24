"""What the channels accept as product cards: known fields of the right type, nothing else."""

from __future__ import annotations

from connectors.base import Outbound
from connectors.cards import (
    MAX_CARDS,
    Card,
    card_buttons,
    cards_of,
    message_buttons,
    read_cards,
)

BUTTON = {"title": "Meer info", "payload": '/product_question{"product": "TP-RUN-001"}'}
CARD = {
    "sku": "TP-RUN-001",
    "name": "Veloce Aero 3",
    "price": "€ 129,95",
    "rating_text": "★ 4,5 (3 reviews)",
    "stock_text": "Op voorraad",
    "image": "/demo/images/TP-RUN-001.svg",
    "buttons": [BUTTON],
}


def test_a_cards_message_is_read_from_custom_and_recorded_with_the_message() -> None:
    message = Outbound.from_rasa(
        {
            "text": "Deze passen:\n• Veloce Aero 3: € 129,95",
            "custom": {"type": "product_cards", "intro": "Deze passen:", "cards": [CARD]},
        }
    )
    assert message.product_cards is not None
    [card] = cards_of(message.product_cards)
    assert card.caption() == "Veloce Aero 3 · € 129,95\n★ 4,5 (3 reviews)\nOp voorraad"
    assert message.payload()["product_cards"]["intro"] == "Deze passen:"


def test_junk_is_dropped_field_by_field_and_card_by_card() -> None:
    junk = [
        "a string",
        {"name": "no sku"},
        {"sku": 7, "name": "a number as sku"},
        {**CARD, "price": {"html": "<b>"}, "url": ["x"], "buttons": [{"title": 1}, BUTTON, "b"]},
    ]
    found = read_cards({"type": "product_cards", "intro": 5, "cards": junk})
    assert found is not None and found["intro"] == ""
    [card] = found["cards"]
    assert card["price"] == "" and card["url"] == "" and card["buttons"] == [BUTTON]
    assert read_cards({"type": "carousel", "cards": [CARD]}) is None
    assert read_cards({"type": "product_cards", "cards": "all"}) is None
    assert read_cards({"type": "product_cards", "cards": ["x"]}) is None
    many = read_cards({"type": "product_cards", "cards": [CARD] * 50})
    assert many is not None and len(many["cards"]) == MAX_CARDS


def test_card_buttons_follow_the_messages_own_buttons() -> None:
    own = {"title": "Veloce Aero 3", "payload": "/product_question"}
    recorded = {
        "buttons": [own],
        "product_cards": read_cards({"type": "product_cards", "cards": [CARD, CARD]}),
    }
    assert message_buttons(recorded) == [own, BUTTON, BUTTON]
    assert card_buttons(None) == [] and message_buttons(None) == []


def test_the_caption_carries_the_reason_under_the_rating() -> None:
    """Telegram's photo caption and WhatsApp's card text: a suggestion's review snippet too."""
    card = Card(
        sku="TP-X",
        name="Golfslag neoprene schoenen",
        price="€ 39,95",
        rating_text="★ 4,4 (5 reviews)",
        reason='"Warme voeten, ook in april."',
        stock_text="Op voorraad in maat 43",
    )
    assert card.caption().split("\n") == [
        "Golfslag neoprene schoenen · € 39,95",
        "★ 4,4 (5 reviews)",
        '"Warme voeten, ook in april."',
        "Op voorraad in maat 43",
    ]
