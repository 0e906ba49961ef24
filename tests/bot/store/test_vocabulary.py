"""Attribute names and values in plain words come from the imported data."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bot.store.vocabulary import attribute_definitions, attribute_phrase, categories


@pytest.mark.parametrize(
    ("key", "value", "language", "phrase"),
    [
        ("waterproof", True, "nl", "waterdicht"),
        ("waterproof", True, "en", "waterproof"),
        ("waterproof", False, "nl", "waterdicht: nee"),
        ("surface", "road", "nl", "weg"),
        ("season", "three_season", "en", "3 seasons"),
        ("weight_g", 245, "nl", "gewicht 245 g"),
        ("volume_l", 0.15, "nl", "inhoud 0,15 l"),
        ("volume_l", 0.15, "en", "volume 0.15 l"),
        ("persons", 2, "en", "2 people"),
        ("material", "merinowol", "nl", "materiaal merinowol"),
    ],
)
def test_attribute_phrase(
    demo_engine: Engine, key: str, value: object, language: str, phrase: str
) -> None:
    with Session(demo_engine) as session:
        definition = attribute_definitions(session=session)[key]
    assert attribute_phrase(definition, value, language) == phrase


def test_categories_by_key(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        found = categories(session=session)
    assert found["tents"].name("en") == "Tents" and "laptops" not in found
