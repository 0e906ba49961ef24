"""Contract 1: the catalogue facts a shopper's words give, from the demo catalogue's data."""

from __future__ import annotations

import pytest

from bot.nlu.matcher import CatalogueMatcher


def facts(matcher: CatalogueMatcher, text: str, entity: str) -> list[str]:
    return [f.value for f in matcher.find(text) if f.entity == entity]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("hebben jullie wandelschoenen?", "trail_shoes"),
        ("do you have hiking boots", "trail_shoes"),
        ("ik zoek hardloopschoenen", "running_shoes"),
        ("looking for running shoes", "running_shoes"),
        ("welke slaapzakken hebben jullie", "sleeping_bags"),
        ("a sleeping bag for the summer", "sleeping_bags"),
        ("regenjassen voor dames", "rain_jackets"),
        ("tweepersoonstent", "tents"),
        ("de wandelshoenen van jullie", "trail_shoes"),  # typo
        ("any slepingbags?", "sleeping_bags"),  # typo
        ("heb je een slaapzkken", "sleeping_bags"),  # typo in an inflected form
    ],
)
def test_category_words_with_inflections_and_typos(
    matcher: CatalogueMatcher, text: str, category: str
) -> None:
    assert facts(matcher, text, "category") == [category]
    assert not facts(matcher, text, "product"), "a generic word is no product name"


def test_two_letters_more_is_another_word_not_a_typo(matcher: CatalogueMatcher) -> None:
    """'surfplank' is 'surfpak' (a wetsuit word) with two letters more: a surfboard, not a typo
    for a wetsuit; two letters swapped or changed are still typos (above)."""
    assert facts(matcher, "kan ik hier ook een surfplank kopen?", "category") == []


@pytest.mark.parametrize(
    ("text", "attribute"),
    [
        ("heb je waterdichte wandelschoenen", "waterproof=true"),
        ("do you have waterproof hiking boots in size 44?", "waterproof=true"),
        ("hardloopschoenen voor op de weg", "surface=road"),
        ("running shoes for the road", "surface=road"),
        ("schoenen voor onverharde paden", "surface=trail"),
        ("shoes for gravel", "surface=trail"),
        ("een regenjas voor dames", "gender=women"),
        ("a women's rain jacket", "gender=women"),
        ("een slaapzak voor de winter", "season=winter"),
        ("a 4 season tent", "season=four_season"),
        ("een tent voor twee personen", "persons=2"),
        ("een 3-persoons tent", "persons=3"),
        ("tweepersoonstent", "persons=2"),
        ("a tent for two", "persons=2"),
        ("a 2-person tent", "persons=2"),
        ("een drybag van 20 liter", "volume_l=20"),
        ("waterdihcte jas", "waterproof=true"),  # typo
    ],
)
def test_attributes(matcher: CatalogueMatcher, text: str, attribute: str) -> None:
    assert attribute in facts(matcher, text, "attribute")


def test_an_attribute_word_inside_a_product_name_is_the_name(matcher: CatalogueMatcher) -> None:
    assert facts(matcher, "wat kost de Venture Trail?", "product") == ["TP-TRL-004"]
    assert not facts(matcher, "wat kost de Venture Trail?", "attribute")


def test_a_waterproof_question_is_both_a_spec_and_an_attribute(
    matcher: CatalogueMatcher,
) -> None:
    text = "is de trailblazer gtx waterdicht"
    assert facts(matcher, text, "product_aspect") == ["specs"]
    assert facts(matcher, text, "attribute") == ["waterproof=true"]


@pytest.mark.parametrize(
    ("text", "price_min", "price_max"),
    [
        ("hardloopschoenen onder de 100 euro", [], ["10000"]),
        ("running shoes under €100", [], ["10000"]),
        ("under 100 euros please", [], ["10000"]),
        ("max 80", [], ["8000"]),
        ("maximaal €79,95", [], ["7995"]),
        ("mijn budget is 60 euro", [], ["6000"]),
        ("budget of 60", [], ["6000"]),
        ("€150 or less", [], ["15000"]),
        ("tussen 50 en 80 euro", ["5000"], ["8000"]),
        ("between €50 and €80", ["5000"], ["8000"]),
        ("50-80 euro", ["5000"], ["8000"]),
        ("van €80 tot €50", ["5000"], ["8000"]),
        ("between €50 and €150", ["5000"], ["15000"]),
        ("tussen de 90 en 120 euro", ["9000"], ["12000"]),
        ("vanaf 50 euro", ["5000"], []),
        ("at least €200", ["20000"], []),
        ("een tent onder € 1.200", [], ["120000"]),
    ],
)
def test_prices_in_cents(
    matcher: CatalogueMatcher, text: str, price_min: list[str], price_max: list[str]
) -> None:
    assert facts(matcher, text, "price_min") == price_min
    assert facts(matcher, text, "price_max") == price_max


@pytest.mark.parametrize(
    "text",
    [
        "budget of 60 pounds",  # euros only
        "a tent under 2 kg",
        "een slaapmat onder de 500 gram",
        "max 2 personen",
        "maximaal 4 sterren",
        "ik ben 1990 geboren",
    ],
)
def test_numbers_that_are_no_price(matcher: CatalogueMatcher, text: str) -> None:
    assert not facts(matcher, text, "price_max") and not facts(matcher, text, "price_min")


def test_a_price_is_no_shoe_size(matcher: CatalogueMatcher) -> None:
    assert facts(matcher, "schoenen van max 45", "size") == []
    assert facts(matcher, "schoenen van max 45", "price_max") == ["4500"]
    assert facts(matcher, "maat 44 onder de 120 euro", "size") == ["44"]


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("minstens 4 sterren", "4"),
        ("at least 4 stars", "4"),
        ("4+ sterren", "4"),
        ("4,5 sterren of meer", "4.5"),
        ("vier sterren of hoger", "4"),
        ("een goed beoordeelde tent", "4"),
        ("something well rated", "4"),
        ("with good reviews", "4"),
    ],
)
def test_rating(matcher: CatalogueMatcher, text: str, rating: str) -> None:
    assert facts(matcher, text, "rating_min") == [rating]


@pytest.mark.parametrize(
    ("text", "sort"),
    [
        ("wat is de goedkoopste tent", "cheapest"),
        ("show me the cheapest one", "cheapest"),
        ("welke is de beste", "best"),
        ("the best one please", "best"),
        ("de lichtste slaapzak", "lightest"),
        ("what's the lightest tent", "lightest"),
        ("ik zoek een erg lichte slaapzak", "lightest"),  # light is what they want
        ("a very light tent for hiking", "lightest"),
    ],
)
def test_sort(matcher: CatalogueMatcher, text: str, sort: str) -> None:
    assert facts(matcher, text, "sort") == [sort]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("is die er in maat 43?", "it"),
        ("heb je hem in het zwart", "it"),
        ("is it waterproof", "it"),
        ("I'll take that one", "it"),
        ("de eerste graag", "first"),
        ("tell me about the second one", "second"),
        ("en de derde?", "third"),
        ("heb je ook iets goedkopers?", "cheaper"),
        ("do you have something cheaper", "cheaper"),
        ("iets lichters?", "lighter"),
        ("something lighter", "lighter"),
        ("something better", "better"),
    ],
)
def test_reference(matcher: CatalogueMatcher, text: str, reference: str) -> None:
    assert reference in facts(matcher, text, "reference")


def test_the_opening_question_of_the_issue(matcher: CatalogueMatcher) -> None:
    found = {
        (f.entity, f.value) for f in matcher.find("do you have waterproof hiking boots in size 44?")
    }
    assert {
        ("category", "trail_shoes"),
        ("attribute", "waterproof=true"),
        ("size", "44"),
    } <= found


@pytest.mark.parametrize(
    "text",
    [
        "de levering voor 2 december",
        "kan ik voor 17:00 bestellen",
        "a tent for 2 nights",
        "voor 100 euro",
        "mijn pakket is al 2 weken onderweg",
    ],
)
def test_dates_times_and_periods_are_no_number_of_persons(
    matcher: CatalogueMatcher, text: str
) -> None:
    assert not [a for a in facts(matcher, text, "attribute") if a.startswith("persons=")]


def test_a_first_seen_word_is_checked_for_typos_quickly(matcher: CatalogueMatcher) -> None:
    import time

    matcher._corrections.clear()
    started = time.perf_counter()
    matcher.find("Beste klantenservice, de levering van mijn bestelling verloopt onverwacht traag")
    assert time.perf_counter() - started < 0.1  # about 2 ms on the dev machine
