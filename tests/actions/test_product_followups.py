"""Follow-ups keep the product, or the list last shown, in mind (contract 2 in docs/dialogue.md)."""

from __future__ import annotations

import asyncio
from typing import Any

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionHandleInform
from actions.product_context import WORDS_FILE
from actions.products import answer_product_question, has_product_question
from tests.helpers.trackers import entity, make_tracker, texts

SHOWN = ["TP-RUN-003", "TP-RUN-001", "TP-RUN-004"]  # Stride 2, Aero 3, Daily Trainer


def ask(
    dispatcher: CollectingDispatcher,
    text: str,
    *facts: dict[str, Any],
    language: str = "nl",
    intent: str = "product_question",
    **slots: Any,
) -> list[dict[str, Any]]:
    tracker = make_tracker(text=text, intent=intent, slots={"language": language, **slots})
    tracker.latest_message["catalogue"] = list(facts)
    return answer_product_question(dispatcher, tracker)


def slot(events: list[dict[str, Any]], name: str) -> Any:
    values = [e["value"] for e in events if e.get("event") == "slot" and e["name"] == name]
    return values[-1] if values else "unset"


def test_colours_of_the_product_in_context(store: str, dispatcher: CollectingDispatcher) -> None:
    events = ask(dispatcher, "welke kleuren?", product="TP-RUN-001")
    assert texts(dispatcher) == ["Veloce Aero 3 is er in: zwart/oranje."]
    assert slot(events, "product") == "TP-RUN-001"


def test_colours_in_english(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, "what colours does it come in?", language="en", product="TP-TRL-001")
    assert texts(dispatcher) == ["Veloce Trailblazer GTX comes in: zwart/geel."]


def test_sizes_of_the_product_in_context(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, "welke maten?", entity("product_aspect", "sizes"), product="TP-RUN-001")
    assert texts(dispatcher)[0].startswith("Veloce Aero 3 is er in: maat 38")


def test_price_question_is_about_the_product_in_context(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "wat kost die?", entity("product_aspect", "price"), product="TP-TRL-001")
    assert texts(dispatcher) == ["Veloce Trailblazer GTX kost €\xa0164,95."]


def test_a_bare_pronoun_answers_about_the_product_in_context(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "that one", language="en", product="TP-RUN-002")
    assert texts(dispatcher)[0].startswith("Veloce Tempo Glide costs €169.95.")


def test_a_follow_up_without_context_asks_which(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "wat kost die?", entity("product_aspect", "price"))
    assert texts(dispatcher)[0].startswith("Over welk product gaat je vraag?")


def test_the_second_one_of_the_list(store: str, dispatcher: CollectingDispatcher) -> None:
    events = ask(
        dispatcher,
        "what does the second one cost?",
        entity("product_aspect", "price"),
        language="en",
        product_results=SHOWN,
    )
    assert texts(dispatcher) == ["Veloce Aero 3 costs €149.95."]
    assert slot(events, "product") == "TP-RUN-001"


def test_the_reference_fact_of_the_nlu_wins(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(
        dispatcher,
        "nummertje drie",
        entity("reference", "third"),
        entity("product_aspect", "price"),
        product_results=SHOWN,
    )
    assert texts(dispatcher) == ["Kustlijn Daily Trainer kost €\xa089,95."]


def test_the_cheapest_of_the_list(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, "doe maar de goedkoopste", product_results=SHOWN, product="TP-RUN-001")
    assert texts(dispatcher)[0].startswith("Kustlijn Daily Trainer kost")


def test_a_bare_pick_reaches_the_product_answer(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """ "de eerste" is a bare answer (inform): it still points at the list last shown."""
    tracker = make_tracker(text="de eerste", intent="inform", slots={"product_results": SHOWN})
    assert has_product_question(tracker)
    asyncio.run(ActionHandleInform().run(dispatcher, tracker, {}))
    assert texts(dispatcher)[0].startswith("Noorderlicht Stride 2 kost")


def test_a_place_beyond_the_list_asks_which_of_the_list(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "de derde", product_results=SHOWN[:2])
    (message,) = dispatcher.messages
    assert message["text"] == "Over welke gaat je vraag?"
    assert [b["title"] for b in message["buttons"]] == ["Noorderlicht Stride 2", "Veloce Aero 3"]


def test_a_category_is_a_new_question_not_a_follow_up(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = ask(dispatcher, "en tenten?", entity("category", "tents"), product="TP-RUN-001")
    (answer,) = texts(dispatcher)
    assert "Veloce Aero 3" not in answer
    # tents are many: the search lists them or asks how many people they're for
    assert "personen" in answer or len(slot(events, "product_results")) == 3


def test_something_cheaper_is_not_the_stock_list(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = ask(
        dispatcher,
        "heb je ook iets goedkopers?",
        entity("product_aspect", "stock"),
        product="TP-RUN-001",
    )
    (message,) = dispatcher.messages
    assert message["text"].startswith("Goedkoper dan de Veloce Aero 3:")
    assert "op voorraad in" not in message["text"]
    prices = [card["price_cents"] for card in message["custom"]["cards"]]
    assert prices and all(price < 14995 for price in prices)
    assert slot(events, "product_results") == [card["sku"] for card in message["custom"]["cards"]]


def test_the_size_said_is_remembered(store: str, dispatcher: CollectingDispatcher) -> None:
    events = ask(dispatcher, "is die er in maat 43?", entity("size", "43"), product="TP-RUN-001")
    assert slot(events, "shopper_size") == "43"


def test_in_my_size_button_uses_the_remembered_size(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(
        dispatcher,
        '/product_question{"product": "TP-RUN-001", "product_aspect": "sizes"}',
        entity("product", "TP-RUN-001", "0"),
        entity("product_aspect", "sizes"),
        shopper_size="44",
    )
    assert "maat 44" in texts(dispatcher)[0] and "uitverkocht" in texts(dispatcher)[0]


def test_ambiguous_name_keeps_the_options_as_the_list(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = ask(
        dispatcher,
        "wat kost de storm jas",
        entity("product", "TP-RJK-001", "0"),
        entity("product", "TP-RJK-002", "0"),
    )
    assert slot(events, "product_results") == ["TP-RJK-001", "TP-RJK-002"]


def test_and_the_other_one_asks_the_same_question(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """ "En de Aero 3?" right after "is de Tempo Glide er in 44?": size 44 of the Aero 3."""
    before = {
        "event": "user",
        "text": "is de tempo glide er in 44?",
        "parse_data": {"entities": [], "catalogue": [entity("size", "44")]},
    }
    tracker = make_tracker(
        text="en de aero 3?",
        intent="product_question",
        slots={"product": "TP-RUN-002", "shopper_size": "44"},
        events=[before],
    )
    tracker.latest_message["catalogue"] = [entity("product", "TP-RUN-001", "0")]
    answer_product_question(dispatcher, tracker)
    assert texts(dispatcher) == [
        "Veloce Aero 3 in maat 44 is helaas uitverkocht. Wel leverbaar in: "
        "maat 38, 38.5, 39, 40, 40.5, 41, 42, 43, 44.5, 45 en 46 (zwart/oranje)."
    ]


def test_weight_words_outweigh_how_much(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(
        dispatcher,
        "and how much does it weigh",
        entity("product_aspect", "price"),
        language="en",
        product="TP-PDL-001",
    )
    assert "weight 680 g" in texts(dispatcher)[0]


def test_compared_with_is_a_comparison(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(
        dispatcher,
        "en vergeleken met de mummy slaapzak?",
        entity("product", "TP-SLP-003", "0"),
        product="TP-SLP-002",
    )
    assert (
        "Bergpas Dons -10 slaapzak ↔ Noorderlicht Mummy 3-seizoenen slaapzak"
        in texts(dispatcher)[0]
    )


def test_the_word_list_has_every_value_in_both_languages() -> None:
    words = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    assert set(words) == {"reference", "sort", "aspect", "again", "which", "fit_reviews"}
    for kind, values in words.items():
        for value, per_language in values.items():
            assert set(per_language) == {"nl", "en"}, (kind, value)
            assert all(w == w.lower().strip() for ws in per_language.values() for w in ws)


def test_tell_me_more_is_about_the_product_in_context(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "vertel meer", product="TP-TRL-002")
    assert texts(dispatcher)[0].startswith("Bergpas Ridge 5 kost")


def test_a_pick_from_the_options_answers_the_question_that_led_to_them(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """ "Wat kost de storm jas?" → "Welke bedoel je?" → "de tweede": the price of the second."""
    before = {
        "event": "user",
        "text": "wat kost de storm jas?",
        "parse_data": {
            "entities": [],
            "catalogue": [
                entity("product", "TP-RJK-001", "0"),
                entity("product", "TP-RJK-002", "0"),
                entity("product_aspect", "price"),
            ],
        },
    }
    tracker = make_tracker(
        text="de tweede",
        intent="inform",
        slots={"product_results": ["TP-RJK-001", "TP-RJK-002"]},
        events=[before],
    )
    answer_product_question(dispatcher, tracker)
    assert texts(dispatcher) == ["Regenwoud Storm jas dames kost €\xa0199,95."]


def test_a_pick_from_a_search_list_keeps_the_size_not_the_search_words(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    before = {
        "event": "user",
        "text": "heb je trailschoenen in 39?",
        "parse_data": {
            "entities": [],
            "catalogue": [entity("product_aspect", "stock"), entity("size", "39")],
        },
    }
    tracker = make_tracker(
        text="de eerste",
        intent="inform",
        slots={"product_results": ["TP-TRL-001"]},
        events=[before],
    )
    answer_product_question(dispatcher, tracker)
    assert texts(dispatcher)[0].startswith(
        "Veloce Trailblazer GTX in maat 39 is helaas uitverkocht"
    )
