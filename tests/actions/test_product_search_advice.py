"""Advice rules and "we don't sell that" as the actions apply them, with the catalogue facts put
into the message where the recogniser finds them (their place matters: the facts within a need's
own words belong to the need)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from tests.actions.test_product_search import ask, cards
from tests.helpers.trackers import texts


def at(text: str, words: str, name: str, value: str) -> dict[str, Any]:
    """A catalogue fact found at `words` in `text`."""
    start = text.index(words)
    return {"entity": name, "value": value, "start": start, "end": start + len(words)}


def skus(dispatcher: CollectingDispatcher) -> list[str]:
    return [c["sku"] for c in cards(dispatcher)]


def test_care_for_the_thing_named_within_the_need(store: str) -> None:
    """The rain trousers are what the care is for: care products, not rain gear."""
    text = "hoe krijg ik mijn regenbroek weer waterdicht?"
    dispatcher = CollectingDispatcher()
    ask(
        dispatcher,
        text,
        at(text, "regenbroek", "category", "rain_jackets"),
        at(text, "waterdicht", "attribute", "waterproof=true"),
    )
    assert texts(dispatcher)[0].startswith("Was je regenkleding of schoenen af en toe")
    assert skus(dispatcher) and all(s.startswith("TP-CARE-") for s in skus(dispatcher))


def test_a_tent_for_a_family(store: str) -> None:
    text = "which tent when we go camping with the children?"
    dispatcher = CollectingDispatcher()
    ask(
        dispatcher,
        text,
        at(text, "tent", "category", "tents"),
        at(text, "children", "attribute", "gender=kids"),
        language="en",
    )
    assert skus(dispatcher) == ["TP-TNT-002"]


def test_a_race_wants_the_lightest_road_shoe(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "welke schoen voor mijn eerste halve marathon?")
    assert skus(dispatcher)[0] == "TP-RUN-002"  # Tempo Glide, 230 g
    assert texts(dispatcher)[0].startswith("Voor een wedstrijd of marathon")


def test_wet_paths_without_a_category_still_mean_shoes(store: str) -> None:
    """'het' in 'als het regent' points at nothing when nothing was shown."""
    text = "welke schoenen als het regent en de paden modderig zijn?"
    dispatcher = CollectingDispatcher()
    ask(dispatcher, text, at(text, "het", "reference", "it"))
    assert skus(dispatcher) == ["TP-TRL-001"]


def test_the_month_said_sets_the_season(store: str) -> None:
    text = "a wetsuit for wild swimming in july"
    dispatcher = CollectingDispatcher()
    ask(dispatcher, text, at(text, "wetsuit", "category", "wetsuits"), language="en")
    assert texts(dispatcher)[0].startswith("In summer the water is about 17 to 20 degrees")
    assert "TP-WET-001" in skus(dispatcher)


def test_autumn_finds_a_three_season_sleeping_bag(store: str) -> None:
    """also_fits in the advice file: a 3-season bag fits spring and autumn."""
    text = "slaapzak voor het najaar"
    dispatcher = CollectingDispatcher()
    ask(
        dispatcher,
        text,
        at(text, "slaapzak", "category", "sleeping_bags"),
        at(text, "najaar", "attribute", "season=spring_autumn"),
    )
    assert skus(dispatcher) == ["TP-SLP-003"]


def test_not_sold_despite_the_words_around_it(store: str) -> None:
    """'hebben jullie' is also a stock question to the recogniser; the thing is what counts."""
    text = "hebben jullie ook schaatsen?"
    dispatcher = CollectingDispatcher()
    assert ask(dispatcher, text, at(text, "hebben jullie", "product_aspect", "stock")) == {}
    assert texts(dispatcher)[0].startswith("Schaatsen verkopen we niet")


def test_not_sold_when_only_what_a_product_is_for_was_named(store: str) -> None:
    text = "could I order a kayak from you?"
    dispatcher = CollectingDispatcher()
    slots = ask(dispatcher, text, at(text, "kayak", "product", "TP-PDL-003"), language="en")
    assert texts(dispatcher)[0].startswith("Sorry, we don't sell kayak")
    assert "product" not in slots


def test_a_named_product_is_still_answered(store: str) -> None:
    text = "do you have the Trailblazer GTX?"
    dispatcher = CollectingDispatcher()
    ask(dispatcher, text, at(text, "Trailblazer GTX", "product", "TP-TRL-001"), language="en")
    assert "Trailblazer GTX" in texts(dispatcher)[0]


def test_something_to_keep_things_dry_on_the_water(store: str) -> None:
    """keep_dry is for the water: the SUP named is where, the dry bag is what."""
    text = "iets om mijn telefoon droog te houden tijdens het suppen"
    dispatcher = CollectingDispatcher()
    ask(dispatcher, text, at(text, "suppen", "category", "sup_boards"))
    assert skus(dispatcher)[0] == "TP-ACC-003"
    english = CollectingDispatcher()
    ask(english, "how do I keep my phone dry when paddling?", language="en")
    assert skus(english)[0] == "TP-ACC-003"


def test_a_rain_jacket_that_keeps_you_dry_is_still_a_rain_jacket(store: str) -> None:
    text = "a rain jacket that keeps me dry"
    dispatcher = CollectingDispatcher()
    ask(dispatcher, text, at(text, "rain jacket", "category", "rain_jackets"), language="en")
    assert texts(dispatcher)[0].startswith("I have 4 rain gear for you.")  # narrows first
