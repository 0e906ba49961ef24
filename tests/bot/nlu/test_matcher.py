"""Products and their attributes are found from the catalogue, typos and synonyms included."""

from __future__ import annotations

import time

import pytest

from bot.nlu.matcher import CatalogueMatcher


def values(matcher: CatalogueMatcher, text: str, entity: str) -> list[str]:
    return [f.value for f in matcher.find(text) if f.entity == entity]


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("wat kost de Veloce Aero 3?", "TP-RUN-001"),
        ("heb je de aero3 in maat 42", "TP-RUN-001"),
        ("is de trailblazer gtx waterdicht", "TP-TRL-001"),
        ("is de trialblazer gtx waterdicht", "TP-TRL-001"),  # typo
        ("how much is the Golfslag Allround 10'6 SUP", "TP-SUP-001"),
        ("reviews van de wadden duo 2", "TP-TNT-001"),
        ("Does the Noorderlicht Packable rain jacket pack small?", "TP-RJK-003"),
        ("schoonstap impregneerspray voor mijn tent", "TP-CARE-001"),
    ],
)
def test_products_are_recognised(matcher: CatalogueMatcher, text: str, sku: str) -> None:
    assert sku in values(matcher, text, "product")


def test_found_span_points_at_the_original_text(matcher: CatalogueMatcher) -> None:
    text = "is de trialblazer gtx er nog?"
    (found,) = [f for f in matcher.find(text) if f.entity == "product"]
    assert text[found.start : found.end].lower() == "trialblazer gtx"


def test_ambiguous_name_yields_all_candidates_in_one_group(matcher: CatalogueMatcher) -> None:
    found = [f for f in matcher.find("hoeveel kost de Storm jas?") if f.entity == "product"]
    assert {f.value for f in found} == {"TP-RJK-001", "TP-RJK-002"}
    assert len({f.group for f in found}) == 1


def test_two_products_for_a_comparison(matcher: CatalogueMatcher) -> None:
    skus = values(matcher, "verschil tussen de Aero 3 en de Tempo Glide?", "product")
    assert skus == ["TP-RUN-001", "TP-RUN-002"]
    assert "compare" in values(
        matcher, "verschil tussen de Aero 3 en de Tempo Glide?", "product_aspect"
    )


@pytest.mark.parametrize(
    ("text", "entity", "value"),
    [
        ("waar blijft 10452?", "order_number", "10452"),
        ("bestelling #10433 postcode 3511ab", "postcode", "3511 AB"),
        ("bestelling #10433 postcode 3511ab", "order_number", "10433"),
        ("heb je hem in maat 43,5", "size", "43.5"),
        ("in size M please", "size", "M"),
        ("past 42 ook?", "size", "42"),
        ("de zwarte graag", "colour", "zwart"),
        ("do you have it in black", "colour", "zwart"),
        ("welke tenten hebben jullie", "category", "tents"),
        ("hebben jullie een supboard", "category", "sup_boards"),
        ("alles van Bergpas", "brand", "Bergpas"),
        ("is it in stock", "product_aspect", "stock"),
    ],
)
def test_attributes_and_identifiers(
    matcher: CatalogueMatcher, text: str, entity: str, value: str
) -> None:
    assert value in values(matcher, text, entity)


@pytest.mark.parametrize(
    "text",
    ["bel me op 0612345678", "+31612345678", "ik ben 1990 geboren", "het kost 1234 en nog wat"],
)
def test_no_false_order_numbers_or_postcodes(matcher: CatalogueMatcher, text: str) -> None:
    assert not values(matcher, text, "order_number")
    assert not values(matcher, text, "postcode")


def test_new_product_is_found_after_rebuilding_patterns(patterns: dict) -> None:
    patterns = {**patterns, "products": {**patterns["products"], "kajak voyager 2": ["TP-NEW-001"]}}
    assert values(CatalogueMatcher(patterns), "wat kost de kajak voyager 2?", "product") == [
        "TP-NEW-001"
    ]


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🙂🙂🙂", "<script>alert(1)</script>", "'; DROP TABLE orders; --", "a" * 10_000],
)
def test_odd_input_is_handled_quickly(matcher: CatalogueMatcher, text: str) -> None:
    started = time.perf_counter()
    matcher.find(text)
    assert time.perf_counter() - started < 1.0


def test_long_message_is_cut(matcher: CatalogueMatcher) -> None:
    text = "blabla " * 2000 + "Veloce Aero 3"
    assert not values(matcher, text, "product")
