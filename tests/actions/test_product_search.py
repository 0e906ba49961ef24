"""Search answers from the live catalogue, with the NLU's catalogue facts (contract 1) put
straight into the message, as the recogniser will put them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk.executor import CollectingDispatcher

from actions.product_search import today
from actions.products import answer_product_question
from bot.catalogue.advice import load_advice, season_of
from bot.settings import PROJECT_ROOT
from tests.helpers.demo import BAD_INPUT
from tests.helpers.trackers import entity, make_tracker, texts


def ask(
    dispatcher: CollectingDispatcher,
    text: str,
    *facts: dict[str, Any],
    language: str = "nl",
    entities: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> dict[str, Any]:
    """One product question; returns the slots the answer set."""
    tracker = make_tracker(
        text=text,
        intent="product_question",
        entities=entities,
        slots={"language": language, **slots},
    )
    tracker.latest_message["catalogue"] = list(facts)
    events = answer_product_question(dispatcher, tracker)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def cards(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    (message,) = dispatcher.messages
    return list(message["custom"]["cards"])


def test_waterproof_trail_shoes_in_size_44(store: str) -> None:
    nl, en = CollectingDispatcher(), CollectingDispatcher()
    facts = (
        entity("category", "trail_shoes"),
        entity("attribute", "waterproof=true"),
        entity("size", "44"),
    )
    slots = ask(nl, "heb je waterdichte trailschoenen in maat 44?", *facts)
    ask(en, "do you have waterproof trail shoes in size 44?", *facts, language="en")
    assert texts(nl)[0].startswith("Deze past bij wat je zoekt:")
    assert "Veloce Trailblazer GTX" in texts(nl)[0]
    (card,) = cards(nl)
    assert card["reason"] == "waterdicht, op voorraad in maat 44" and card["in_stock"]
    assert cards(en)[0]["reason"] == "waterproof, in stock in size 44"
    assert slots == {
        "product_results": ["TP-TRL-001"],
        "product": "TP-TRL-001",
        "shopper_size": "44",
    }


def test_nothing_fits_exactly_so_the_nearest_say_what_they_miss(store: str) -> None:
    nl, en = CollectingDispatcher(), CollectingDispatcher()
    facts = (
        entity("category", "tents"),
        entity("attribute", "persons=2"),
        entity("price_max", "20000"),
    )
    slots = ask(nl, "heb je een tent voor twee onder de 200 euro?", *facts)
    ask(en, "a tent for two under 200 euros?", *facts, language="en")
    assert texts(nl)[0].startswith("Precies dat hebben we helaas niet.")
    first = cards(nl)[0]
    assert first["sku"] == "TP-TNT-001"
    assert first["reason"] == "duurder dan €200 (wel 2-persoons)"
    assert texts(en)[0].startswith("Sorry, we don't have exactly that.")
    assert cards(en)[0]["reason"] == "more than €200 (but 2-person)"
    assert slots["product_results"][0] == "TP-TNT-001" and "product" not in slots


def test_a_broad_search_asks_a_narrowing_question_whose_buttons_search_on(store: str) -> None:
    dispatcher = CollectingDispatcher()
    slots = ask(dispatcher, "welke tenten hebben jullie?", entity("category", "tents"))
    (message,) = dispatcher.messages
    assert message["text"] == "Ik heb 4 tenten voor je. Voor hoeveel personen zoek je er een?"
    assert [b["title"] for b in message["buttons"]] == [
        "1-persoons",
        "2-persoons",
        "3-persoons",
        "4-persoons",
    ]
    assert slots == {}
    # The button's payload goes through Rasa's own parser and the domain, then searches on.
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    parsed = YAMLStoryReader.unpack_regex_message(
        Message({"text": message["buttons"][1]["payload"]}), domain
    )
    assert parsed.get("intent")["name"] == "product_question"
    answer = CollectingDispatcher()
    slots = ask(answer, message["buttons"][1]["payload"], entities=parsed.get("entities"))
    assert [c["sku"] for c in cards(answer)] == ["TP-TNT-001", "TP-TNT-004"]
    assert slots["product_results"] == ["TP-TNT-001", "TP-TNT-004"]


def test_road_or_trail_in_english(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(
        dispatcher,
        "what do you have from Veloce?",
        entity("brand", "Veloce"),
        entity("rating_min", "4"),
        language="en",
    )
    (message,) = dispatcher.messages
    assert "Do you mostly run on the road or on trails?" in message["text"]
    titles = {b["title"] for b in message["buttons"]}
    assert titles == {"For the road", "For trails"}
    payload = message["buttons"][0]["payload"]
    facts = json.loads(payload[payload.index("{") :])
    assert facts["brand"] == "Veloce" and facts["rating_min"] == "4"


def test_something_cheaper_than_the_product_in_context(store: str) -> None:
    """#13: 'heb je ook iets goedkopers?' after the Aero 3 gave the Aero 3's stock list."""
    dispatcher = CollectingDispatcher()
    slots = ask(
        dispatcher,
        "heb je ook iets goedkopers?",
        entity("reference", "cheaper"),
        entity("product_aspect", "price"),
        product="TP-RUN-001",
    )
    assert texts(dispatcher)[0].startswith("Goedkoper dan de Veloce Aero 3:")
    shown = cards(dispatcher)
    assert {c["sku"] for c in shown} == {"TP-RUN-003", "TP-RUN-004"}
    assert all(c["price_cents"] < 14995 for c in shown)
    assert shown[0]["reason"] == "€30 goedkoper"
    assert slots["product_results"] == [c["sku"] for c in shown]


def test_something_lighter_and_something_better(store: str) -> None:
    lighter = CollectingDispatcher()
    ask(
        lighter,
        "something lighter?",
        entity("reference", "lighter"),
        language="en",
        product="TP-TNT-002",
    )
    assert texts(lighter)[0].startswith("Lighter than the Wadden Family 4 tent:")
    assert cards(lighter)[0]["reason"].endswith("kg lighter")
    better = CollectingDispatcher()
    ask(better, "heb je een betere?", entity("reference", "better"), product="TP-RUN-003")
    assert texts(better)[0].startswith("Beter beoordeeld dan de Noorderlicht Stride 2 (4,2):")
    assert {c["sku"] for c in cards(better)} == {"TP-RUN-001", "TP-RUN-002"}
    none = CollectingDispatcher()
    ask(none, "een betere?", entity("reference", "better"), product="TP-SLP-002")
    assert texts(none) == [
        "Beter beoordeeld dan de Bergpas Dons -10 slaapzak (4,7) hebben we geen slaapzakken."
    ]


def test_something_cheaper_without_a_product_asks_which(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "something cheaper?", entity("reference", "cheaper"), language="en")
    assert texts(dispatcher) == [
        "Cheaper, lighter or better than which product? Just name it and I'll look further."
    ]


def test_the_best_one_is_the_product_in_context_afterwards(store: str) -> None:
    dispatcher = CollectingDispatcher()
    slots = ask(
        dispatcher,
        "which tent is the best?",
        entity("category", "tents"),
        entity("sort", "best"),
        language="en",
    )
    assert texts(dispatcher)[0].startswith("Best rated first:")
    assert slots["product"] == "TP-TNT-003" == slots["product_results"][0]


def test_advice_for_a_beginner_runner_in_both_languages(store: str) -> None:
    """#13: 'wat raden jullie aan voor een beginnende hardloper?' gave socks, a shirt, a vest."""
    nl, en = CollectingDispatcher(), CollectingDispatcher()
    ask(nl, "wat raden jullie aan voor een beginnende hardloper?")
    ask(en, "what do you recommend for a beginner runner?", language="en")
    assert texts(nl)[0].startswith("Als beginner wil je vooral een goed gedempte")
    assert "Dit raad ik je aan:" in texts(nl)[0]
    assert {c["sku"] for c in cards(nl)} == {"TP-RUN-003", "TP-RUN-004"}
    assert texts(en)[0].startswith("As a beginner you mainly want")
    assert {c["sku"] for c in cards(en)} == {"TP-RUN-003", "TP-RUN-004"}


def test_advice_for_cold_water_follows_the_season(store: str) -> None:
    rule = next(
        r
        for r in load_advice(PROJECT_ROOT / "data/demo/advice.yml").rules
        if r.name == "cold_water"
    )
    need = rule.for_day(today())
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "welk wetsuit voor een weekend wadlopen?", entity("category", "wetsuits"))
    assert texts(dispatcher)[0].startswith(need.reason["nl"])
    thickness = need.wanted["attributes"]["thickness_mm"]
    shown = [c["sku"] for c in cards(dispatcher)]
    assert shown and season_of(today()) in ("winter", "spring", "summer", "autumn")
    if thickness == "5":
        assert shown == ["TP-WET-003"]


def test_a_gift_with_the_shoppers_own_budget(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "a gift under 25 euros?", entity("price_max", "2500"), language="en")
    assert texts(dispatcher)[0].startswith("A gift that almost always goes down well")
    assert all(c["price_cents"] <= 2500 for c in cards(dispatcher))
    assert cards(dispatcher)[0]["reason"] == "under €25"


@pytest.mark.parametrize(
    ("text", "language", "start"),
    [
        (
            "verkopen jullie fietsen?",
            "nl",
            "Fietsen verkopen we niet, sorry. Bij Trek & Peddel vind je ",
        ),
        (
            "do you sell laptops?",
            "en",
            "Sorry, we don't sell laptops. At Trek & Peddel you'll find ",
        ),
    ],
)
def test_we_do_not_sell_that(store: str, text: str, language: str, start: str) -> None:
    dispatcher = CollectingDispatcher()
    assert ask(dispatcher, text, language=language) == {}
    (answer,) = texts(dispatcher)
    assert answer.startswith(start)
    assert ("tenten" if language == "nl" else "tents") in answer


def test_order_questions_never_hear_we_do_not_sell_that(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "hebben jullie mijn pakket al verstuurd?")
    assert "verkopen we niet" not in texts(dispatcher)[0]


def test_questions_about_the_product_in_context_are_not_searches(store: str) -> None:
    pointing = CollectingDispatcher()
    ask(
        pointing,
        "is die er in maat 43?",
        entity("reference", "it"),
        entity("size", "43"),
        product="TP-RUN-001",
    )
    assert "Veloce Aero 3 in maat 43" in texts(pointing)[0]
    spec = CollectingDispatcher()
    slots = ask(
        spec,
        "waterdicht?",
        entity("attribute", "waterproof=true"),
        entity("product_aspect", "specs"),
        product="TP-TRL-001",
    )
    assert texts(spec)[0] == "Ja: waterdicht."  # the yes or no first, then the specs
    assert texts(spec)[1].startswith("Veloce Trailblazer GTX:") and "product_results" not in slots
    of_a_list = CollectingDispatcher()
    ask(of_a_list, "de goedkoopste", entity("sort", "cheapest"), product_results=["TP-RUN-001"])
    assert "goedkoopste eerst" not in texts(of_a_list)[0].lower()


def test_bad_facts_get_a_polite_answer(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(
        dispatcher,
        "tenten",
        entity("category", "tents"),
        entity("price_max", "veel"),
        entity("rating_min", "NaN"),
        entity("attribute", "nonsense"),
        entity("sort", "prettiest"),
    )
    assert texts(dispatcher)[0].startswith("Ik heb 4 tenten voor je.")


def test_broken_advice_rules_leave_search_working(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "advice.yml"
    broken.write_text("rules: [{name: x}]", encoding="utf-8")
    monkeypatch.setenv("KLANTREIS_ADVICE_FILE", str(broken))
    dispatcher = CollectingDispatcher()
    ask(
        dispatcher,
        "wat raden jullie aan voor een beginnende hardloper?",
        entity("category", "running_shoes"),
    )
    assert texts(dispatcher)[0].startswith("Ik vond er 4.")


def test_the_shoppers_category_wins_over_the_rules(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "sokken voor een beginnende hardloper?", entity("category", "socks"))
    assert texts(dispatcher)[0].startswith("Als beginner wil je vooral")
    assert {c["sku"] for c in cards(dispatcher)} <= {"TP-SOK-001", "TP-SOK-002", "TP-SOK-003"}
    assert all(c["reason"] == "onder €130" for c in cards(dispatcher))


def test_need_words_a_product_was_recognised_by_are_still_advice(store: str) -> None:
    """'beginner' is also in the Daily Trainer's synonyms; the need wins when those are the
    only words the product was found by, not when the shopper names a product."""
    text = "what do you recommend for a beginner runner?"
    start = text.index("beginner")
    spurious = {**entity("product", "TP-RUN-004", "0"), "start": start, "end": start + 8}
    advice = CollectingDispatcher()
    ask(advice, text, spurious, language="en")
    assert texts(advice)[0].startswith("As a beginner you mainly want")
    named = "is the Kustlijn Daily Trainer good for a beginner runner?"
    found = {**entity("product", "TP-RUN-004", "0"), "start": 7, "end": 29}
    answer = CollectingDispatcher()
    ask(answer, named, found, language="en")
    assert texts(answer)[0].startswith("Kustlijn Daily Trainer costs")


def test_lighter_than_a_product_without_a_weight(store: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, "iets lichters?", entity("reference", "lighter"), product="TP-SOK-001")
    assert texts(dispatcher) == [
        "Van de Kustlijn Merino hardloopsokken weet ik het gewicht niet, dus iets lichters kan "
        "ik zo niet voor je vinden."
    ]


@pytest.mark.parametrize("text", BAD_INPUT)
def test_bad_input_gets_a_polite_answer(store: str, text: str) -> None:
    dispatcher = CollectingDispatcher()
    ask(dispatcher, text)
    ask(dispatcher, "do you sell " + text, language="en")
    assert all(message.get("text") for message in dispatcher.messages)
