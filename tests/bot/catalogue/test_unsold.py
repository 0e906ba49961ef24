"""'Do you sell laptops?': an honest no for things outside the catalogue, never for ours."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.catalogue.unsold import asked_thing, categories, unsold_thing


@pytest.mark.parametrize(
    ("text", "language", "thing"),
    [
        ("do you sell laptops?", "en", "laptops"),
        ("Do you guys have gaming laptops?", "en", "gaming laptops"),
        ("verkopen jullie fietsen?", "nl", "fietsen"),
        ("hebben jullie ook fietsen voor kinderen", "nl", "fietsen"),
        ("heb je een laptop voor mijn zoon?", "nl", "laptop"),
        ("kan ik bij jullie een koelkast kopen", "nl", "koelkast"),
        ("can I buy a fridge here?", "en", "fridge"),
    ],
)
def test_things_we_do_not_sell(shop: Session, text: str, language: str, thing: str) -> None:
    assert unsold_thing(session=shop, text=text, language=language) == thing


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("do you have tents?", "en"),
        ("verkopen jullie tenten?", "nl"),
        ("hebben jullie SUP-boards", "nl"),
        ("do you sell Veloce shoes?", "en"),  # a brand we carry
        ("hebben jullie de Trailblazer?", "nl"),  # a product's name
        ("do you have a kayak paddle?", "en"),
        ("hebben jullie mijn pakket al verstuurd?", "nl"),  # an order question
        ("hebben jullie een winkel in Utrecht?", "nl"),
        ("do you have my order?", "en"),
        ("do you sell gift cards?", "en"),
        ("heb je iets goedkopers?", "nl"),
        ("hoeveel kost de Veloce Aero 3?", "nl"),
    ],
)
def test_what_we_sell_and_service_questions_are_left_alone(
    shop: Session, text: str, language: str
) -> None:
    assert unsold_thing(session=shop, text=text, language=language) is None


def test_only_a_short_thing_counts() -> None:
    assert asked_thing("do you have anything for a long day in the rain in winter", "en") is None
    assert asked_thing("goedemiddag", "nl") is None


def test_the_categories_we_sell(shop: Session) -> None:
    assert {"tents", "running_shoes", "wetsuits"} <= set(categories(shop))


def test_nonsense_is_not_a_thing() -> None:
    assert asked_thing("do you sell " + "x" * 10_000, "en") is None
