"""Follow-ups that mixed two ways of pointing: a place in the list shown with a product named
("het verschil tussen de eerste en de Ridge 5"), a place with an attribute ("is de tweede
waterdicht?"), and how a product fits ("valt ie klein?": the reviews, not the size list)."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from tests.actions.test_product_followups import SHOWN, ask, slot
from tests.helpers.trackers import entity, texts


def test_a_place_in_the_list_compared_with_a_product_named(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = ask(
        dispatcher,
        "how does the third compare with the tempo glide",
        entity("product_aspect", "compare"),
        entity("reference", "third"),
        entity("product", "TP-RUN-002"),
        language="en",
        product_results=SHOWN,
    )
    assert texts(dispatcher)[0].splitlines()[1] == "Kustlijn Daily Trainer ↔ Veloce Tempo Glide"
    assert slot(events, "product_results") == ["TP-RUN-004", "TP-RUN-002"]


def test_an_attribute_of_a_place_in_the_list_is_not_a_new_search(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = ask(
        dispatcher,
        "heeft de eerste een drop van 10 mm?",
        entity("reference", "first"),
        entity("attribute", "drop_mm=10"),
        entity("product_aspect", "specs"),
        product_results=SHOWN,
    )
    assert texts(dispatcher)[0] == "Ja: drop 10 mm."
    assert texts(dispatcher)[1].startswith("Noorderlicht Stride 2:")
    assert slot(events, "product") == "TP-RUN-003"


def test_how_it_fits_comes_from_the_reviews(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, "valt hij smal?", entity("product_aspect", "fit"), product="TP-RUN-001")
    (answer,) = texts(dispatcher)
    assert answer.startswith("Over hoe Veloce Aero 3 valt, zeggen klanten:")
    assert "valt iets smal" in answer and "maat 38, 38.5" not in answer


def test_no_review_says_how_it_fits(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(
        dispatcher,
        "is it true to size?",
        entity("product_aspect", "fit"),
        language="en",
        product="TP-TNT-001",
    )
    assert texts(dispatcher)[0].startswith("The reviews don't say yet how Wadden Duo 2 tent fits.")


def test_a_yes_or_no_question_about_a_named_product_gets_yes_or_no(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """Named while another product is in context: about the one named, not a search."""
    events = ask(
        dispatcher,
        "heeft de mudguard een waterdicht membraan?",
        entity("product", "TP-TRL-003"),
        entity("attribute", "waterproof=true"),
        entity("product_aspect", "specs"),
        product="TP-RUN-001",
    )
    answer, specs = texts(dispatcher)
    assert answer == "Nee: niet waterdicht."
    assert specs.startswith("Bergpas Mudguard:")
    assert slot(events, "product") == "TP-TRL-003" and slot(events, "product_results") == "unset"


def test_yes_when_a_unisex_product_is_asked_for_women(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(
        dispatcher,
        "would the ridge 5 suit women?",
        entity("product", "TP-TRL-002"),
        entity("attribute", "gender=women"),
        language="en",
    )
    assert texts(dispatcher)[0].startswith("Yes: ")
    assert texts(dispatcher)[1].startswith("Bergpas Ridge 5 costs")
