"""Product answers come from the live catalogue."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.products import answer_product_question
from tests.helpers.trackers import entity, make_tracker, texts


def ask(dispatcher: CollectingDispatcher, *facts: dict, language: str = "nl", **slots):  # type: ignore[no-untyped-def]
    tracker = make_tracker(intent="product_question", slots={"language": language, **slots})
    tracker.latest_message["catalogue"] = list(facts)
    return answer_product_question(dispatcher, tracker)


def test_price_in_both_languages(store: str) -> None:
    nl, en = CollectingDispatcher(), CollectingDispatcher()
    events = ask(nl, entity("product", "TP-RUN-001", "0"), entity("product_aspect", "price"))
    ask(en, entity("product", "TP-RUN-001", "0"), entity("product_aspect", "price"), language="en")
    assert texts(nl) == ["Veloce Aero 3 kost €\xa0149,95."]  # Dutch style, no-break space
    assert texts(en) == ["Veloce Aero 3 costs €149.95."]
    assert {"event": "slot", "timestamp": None, "name": "product", "value": "TP-RUN-001"} in events


def test_sold_out_size_offers_what_is_left(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, entity("product", "TP-TRL-001", "0"), entity("size", "39"))
    text = texts(dispatcher)[0]  # then the nearest alternative (actions/back_in_stock.py)
    assert "maat 39" in text and "uitverkocht" in text and "Wel leverbaar in: maat" in text


def test_follow_up_uses_the_product_in_context(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, entity("size", "42"), product="TP-RUN-001")
    assert "Veloce Aero 3 in maat 42" in texts(dispatcher)[0]


def test_ambiguous_name_asks_which_with_buttons(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(
        dispatcher,
        entity("product", "TP-RJK-001", "0"),
        entity("product", "TP-RJK-002", "0"),
        entity("product_aspect", "price"),
    )
    (message,) = dispatcher.messages
    assert message["text"].startswith(
        "Welke bedoel je? Regenwoud Storm jas heren of Regenwoud Storm jas dames?\n• Regenwoud"
    )
    assert [c["sku"] for c in message["custom"]["cards"]] == ["TP-RJK-001", "TP-RJK-002"]
    assert [b["title"] for b in message["buttons"]] == [
        "Regenwoud Storm jas heren",
        "Regenwoud Storm jas dames",
    ]
    assert message["buttons"][0]["payload"] == (
        '/product_question{"product": "TP-RJK-001", "product_aspect": "price"}'
    )


def test_comparison_lists_both(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, entity("product", "TP-RUN-001", "0"), entity("product", "TP-RUN-002", "1"))
    (text,) = texts(dispatcher)
    assert "Veloce Aero 3 ↔ Veloce Tempo Glide" in text and "• prijs:" in text


def test_reviews_prefer_the_customers_language(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, entity("product", "TP-TRL-001", "0"), entity("product_aspect", "reviews"))
    assert "scoort gemiddeld" in texts(dispatcher)[0]


def test_unknown_product_offers_closest_matches(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    tracker = make_tracker(text="hebben jullie de Trailmaster Pro?", intent="product_question")
    answer_product_question(dispatcher, tracker)
    (message,) = dispatcher.messages
    assert message["text"].startswith("Die ken ik niet")
    assert any("Trail" in b["title"] for b in message["buttons"])


def test_category_question_suggests_products(store: str, dispatcher: CollectingDispatcher) -> None:
    """A category is a search (actions/product_search.py): four tents, so it narrows first."""
    ask(dispatcher, entity("category", "tents"), product="TP-RUN-001")
    (message,) = dispatcher.messages
    assert message["text"].startswith("Ik heb 4 tenten voor je.")
    assert all('"category": "tents"' in b["payload"] for b in message["buttons"])
