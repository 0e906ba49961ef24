"""Shopper words are matched in their plural and inflected forms, not stretched further."""

from __future__ import annotations

import pytest

from bot.nlu.forms import word_forms


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("wandelschoen", "wandelschoenen"),
        ("slaapzak", "slaapzakken"),
        ("waterdicht", "waterdichte"),
        ("pan", "pannen"),
        ("zool", "zolen"),
        ("koffiezetapparaat", "koffiezetapparaten"),
        ("hiking boot", "hiking boots"),
        ("knife", "knives"),
        ("battery", "batteries"),
        ("child", "children"),
    ],
)
def test_forms(word: str, form: str) -> None:
    assert form in word_forms(word)
    assert word in word_forms(word)


@pytest.mark.parametrize(
    ("word", "not_a_form"),
    [("heer", "here"), ("mes", "mess"), ("licht", "lichtste"), ("tent", "tentje")],
)
def test_no_other_words(word: str, not_a_form: str) -> None:
    assert not_a_form not in word_forms(word)
