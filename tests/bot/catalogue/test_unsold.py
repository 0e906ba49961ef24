"""'Do you sell laptops?': an honest no for things outside the catalogue, never for ours."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.catalogue.unsold import asked_thing, categories, unsold_thing, what_it_is_for
from bot.store.catalogue import products_by_sku


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
        ("kan ik een koelkast kopen?", "nl", "koelkast"),
        ("kan je online een surfplank bestellen", "nl", "surfplank"),
        ("is het mogelijk om een fiets bij jullie te kopen", "nl", "fiets"),
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
        ("kan ik een tent kopen?", "nl"),
        ("kan ik nog iets bij mijn bestelling bestellen", "nl"),  # an order question
        ("is het mogelijk om mijn adres te wijzigen", "nl"),
        ("kan ik met iDEAL een tent kopen", "nl"),
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


@pytest.mark.parametrize(
    ("text", "language", "thing"),
    [
        # a more special kind than ours: the head word is ours, the thing is not
        ("verkopen jullie tennisschoenen?", "nl", "tennisschoenen"),
        ("do you stock golf boots?", "en", "golf boots"),
        # the other ways of asking
        ("ik ben op zoek naar een koffiezetapparaat", "nl", "koffiezetapparaat"),
        ("i'm looking for a hair dryer", "en", "hair dryer"),
        ("got any skateboards?", "en", "skateboards"),
        # what a product is for is not what it is: the Kajakpeddel, the Kayak paddle
        ("verkopen jullie kajaks?", "nl", "kajaks"),
        ("do you have a kayak?", "en", "kayak"),
    ],
)
def test_kinds_of_thing_the_category_list_does_not_hold(
    shop: Session, text: str, language: str, thing: str
) -> None:
    assert unsold_thing(session=shop, text=text, language=language) == thing


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("verkopen jullie schoenen?", "nl"),  # running and trail shoes are shoes
        ("got any boots", "en"),  # hiking boots
        ("hebben jullie lampen?", "nl"),  # the head torch is a 'hoofdlamp'
        ("ik zoek een slaapmat", "nl"),  # a product's head word, not a category
        ("looking for a dry bag", "en"),
    ],
)
def test_a_general_word_for_what_we_sell_is_known(shop: Session, text: str, language: str) -> None:
    assert unsold_thing(session=shop, text=text, language=language) is None


def test_words_the_recogniser_placed_are_not_the_thing(shop: Session) -> None:
    text = "hebben jullie waterdichte laptoptassen"
    found = unsold_thing(session=shop, text=text, language="nl", known_words=["waterdichte"])
    assert found == "laptoptassen"


def test_what_a_named_product_is_for(shop: Session) -> None:
    paddle, trail = products_by_sku(session=shop, skus=["TP-PDL-003", "TP-TRL-001"])
    ask = "kan ik hier een kajak bestellen?"
    assert what_it_is_for(session=shop, text=ask, language="nl", product=paddle) == "kajak"
    said = "do you sell kayaks?"
    assert what_it_is_for(session=shop, text=said, language="en", product=paddle) == "kayaks"
    asked = "do you have trailblazers?"
    assert what_it_is_for(session=shop, text=asked, language="en", product=trail) is None
