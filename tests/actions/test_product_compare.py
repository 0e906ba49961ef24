"""Comparisons: side by side on what differs, with price, rating and who each suits."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.products import answer_product_question
from tests.helpers.trackers import entity, make_tracker, texts

SHOWN = ["TP-RUN-001", "TP-RUN-002"]
BUTTON = '/product_question{"product": "TP-RUN-002", "product_aspect": "compare"}'


def ask(
    dispatcher: CollectingDispatcher,
    text: str,
    *facts: dict[str, Any],
    language: str = "nl",
    events: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> list[dict[str, Any]]:
    tracker = make_tracker(
        text=text, intent="product_question", slots={"language": language, **slots}, events=events
    )
    tracker.latest_message["catalogue"] = list(facts)
    return answer_product_question(dispatcher, tracker)


def slot(events: list[dict[str, Any]], name: str) -> Any:
    return [e["value"] for e in events if e.get("event") == "slot" and e["name"] == name][-1]


def test_two_named_products_side_by_side(store: str, dispatcher: CollectingDispatcher) -> None:
    events = ask(
        dispatcher,
        "wat is het verschil tussen de Aero 3 en de Trailblazer GTX",
        entity("product_aspect", "compare"),
        entity("product", "TP-RUN-001", "0"),
        entity("product", "TP-TRL-001", "1"),
    )
    (text,) = texts(dispatcher)
    assert text.splitlines() == [
        "Zo verhouden ze zich:",
        "Veloce Aero 3 ↔ Veloce Trailblazer GTX",
        "• prijs: €\xa0149,95 ↔ €\xa0164,95",
        "• beoordeling: 4,5 (3 reviews) ↔ 4,4 (3 reviews)",
        "• gewicht: 245 g ↔ 320 g",
        "• drop: 8 mm ↔ 6 mm",
        "• waterdicht: - ↔ ja",
        "• ondergrond: weg ↔ trail",
        "Veloce Aero 3 is er voor wie vooral op de weg loopt en Veloce Trailblazer GTX voor wie "
        "ook in regen en modder op pad gaat.",
    ]
    assert slot(events, "product_results") == ["TP-RUN-001", "TP-TRL-001"]


def test_attributes_that_are_the_same_are_left_out(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(
        dispatcher,
        "compare",
        entity("product", "TP-RUN-001", "0"),
        entity("product", "TP-RUN-002", "1"),
        language="en",
    )
    (text,) = texts(dispatcher)
    assert "surface" not in text and "for:" not in text  # both road, both unisex
    assert "The Veloce Aero 3 is for anyone who keeps an eye on the price" in text


def test_compare_it_with_a_named_product(store: str, dispatcher: CollectingDispatcher) -> None:
    events = ask(
        dispatcher,
        "compare it with the Trailblazer GTX",
        entity("product_aspect", "compare"),
        entity("product", "TP-TRL-001", "0"),
        language="en",
        product="TP-RUN-001",
    )
    (text,) = texts(dispatcher)
    assert "Veloce Aero 3 ↔ Veloce Trailblazer GTX" in text
    assert slot(events, "product") == "TP-TRL-001"


def test_compare_button_without_context_offers_the_list(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = ask(
        dispatcher,
        BUTTON,
        entity("product", "TP-RUN-002", "0"),
        entity("product_aspect", "compare"),
        product_results=["TP-RUN-001", "TP-RUN-002", "TP-RUN-003"],
    )
    (message,) = dispatcher.messages
    assert message["text"] == "Waarmee wil je Veloce Tempo Glide vergelijken?"
    assert [b["title"] for b in message["buttons"]] == ["Veloce Aero 3", "Noorderlicht Stride 2"]
    assert message["buttons"][0]["payload"] == (
        '/product_question{"product": "TP-RUN-001", "product_aspect": "compare"}'
    )
    assert slot(events, "product") == "TP-RUN-002"


def test_compare_button_with_a_product_in_context(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(
        dispatcher,
        BUTTON,
        entity("product", "TP-RUN-002", "0"),
        entity("product_aspect", "compare"),
        product="TP-RUN-004",
    )
    assert "Kustlijn Daily Trainer ↔ Veloce Tempo Glide" in texts(dispatcher)[0]


def test_naming_the_partner_after_the_bot_asked(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """ "Met de Aero 3" after "Met welk product wil je Tempo Glide vergelijken?"."""
    asked = {
        "event": "user",
        "text": BUTTON,
        "parse_data": {
            "intent": {"name": "product_question"},
            "entities": [],
            "catalogue": [
                entity("product", "TP-RUN-002", "0"),
                entity("product_aspect", "compare"),
            ],
        },
    }
    ask(
        dispatcher,
        "met de Aero 3",
        entity("product", "TP-RUN-001", "0"),
        events=[asked],
        product="TP-RUN-002",
    )
    assert "Veloce Tempo Glide ↔ Veloce Aero 3" in texts(dispatcher)[0]


def test_compare_those_two(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(
        dispatcher,
        "wat is het verschil tussen die twee?",
        entity("product_aspect", "compare"),
        product_results=["TP-RJK-001", "TP-RJK-002"],
    )
    (text,) = texts(dispatcher)
    assert "• voor: heren ↔ dames" in text and "• gewicht: 480 g ↔ 420 g" in text
    assert "een herenmodel zoekt" in text and "een damesmodel zoekt" in text


def test_compare_with_nothing_in_context_asks_which(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "vergelijk ze", entity("product_aspect", "compare"))
    assert texts(dispatcher)[0].startswith("Over welk product gaat je vraag?")


def test_a_retailers_own_attribute_is_compared_without_words(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """Insoles differ in thickness only; price and rating still give who each suits."""
    ask(
        dispatcher,
        "verschil?",
        entity("product", "TP-ZOL-001", "0"),
        entity("product", "TP-ZOL-002", "1"),
    )
    (text,) = texts(dispatcher)
    assert "• dikte: 5 mm ↔ 6 mm" in text
    assert "op de prijs let" in text


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def test_which_one_is_lighter_weighs_the_two_just_discussed(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """Duo 2, then "what about the Basecamp 3?", then "which one is lighter?"."""
    history = [
        slot_event("product_results", ["TP-RUN-001", "TP-RUN-002"]),
        slot_event("product", "TP-TNT-001"),
        slot_event("product", "TP-TNT-004"),
    ]
    ask(dispatcher, "which one is lighter?", language="en", events=history, product="TP-TNT-004")
    (text,) = texts(dispatcher)
    assert "Wadden Duo 2 tent ↔ Noorderlicht Basecamp 3 tent" in text
    assert "• weight: 2600 g ↔ 4200 g" in text


def test_which_is_better_after_a_list_compares_the_list(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    history = [slot_event("product", "TP-TNT-001"), slot_event("product_results", SHOWN)]
    ask(
        dispatcher,
        "welke is beter?",
        entity("product_aspect", "compare"),
        events=history,
        product="TP-TNT-001",
        product_results=SHOWN,
    )
    assert "Veloce Aero 3 ↔ Veloce Tempo Glide" in texts(dispatcher)[0]


def test_which_is_the_cheapest_of_the_list_picks_it(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(
        dispatcher,
        "welke is de goedkoopste?",
        entity("product_aspect", "price"),
        product_results=SHOWN,
    )
    assert texts(dispatcher) == ["Veloce Aero 3 kost €\xa0149,95."]


def test_compare_button_in_a_newer_list_ignores_the_product_of_before(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    history = [slot_event("product", "TP-TNT-001"), slot_event("product_results", SHOWN)]
    ask(
        dispatcher,
        BUTTON,
        entity("product", "TP-RUN-002", "0"),
        entity("product_aspect", "compare"),
        events=history,
        product="TP-TNT-001",
        product_results=SHOWN,
    )
    (message,) = dispatcher.messages
    assert message["text"] == "Waarmee wil je Veloce Tempo Glide vergelijken?"
    assert [b["title"] for b in message["buttons"]] == ["Veloce Aero 3"]
