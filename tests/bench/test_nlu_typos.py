"""The typo bench makes one finger-made typo per message, the same one in every run."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from nlu_typos import mistype, neighbours, with_typo  # noqa: E402


def test_neighbours_are_the_keys_beside_a_letter() -> None:
    assert neighbours("s") == "ad"
    assert neighbours("q") == "w"
    assert neighbours("é") == ""


@pytest.mark.parametrize(
    "text",
    ["waar blijft mijn bestelling", "I want to cancel my purchase", "kan ik de jas ruilen?"],
)
def test_one_long_word_gets_one_typo_after_its_first_letter(text: str) -> None:
    typed = with_typo(text)
    assert typed is not None and typed != text
    changed = [(a, b) for a, b in zip(text.split(), typed.split(), strict=True) if a != b]
    assert len(changed) == 1
    original, mistyped = changed[0]
    assert len(original) >= 5 and mistyped[0] == original[0]
    assert abs(len(mistyped) - len(original)) <= 1


def test_the_typo_is_the_same_in_every_run() -> None:
    assert with_typo("waar blijft mijn bestelling") == with_typo("waar blijft mijn bestelling")


def test_a_message_without_a_long_word_is_left_out() -> None:
    assert with_typo("hoi 👋") is None
    assert with_typo("ja") is None


def test_every_kind_of_typo_is_made() -> None:
    chance = random.Random(3)
    made = {mistype("bestelling", chance) for _ in range(200)}
    assert all(word.startswith("b") for word in made)  # never the first letter
    assert {"bestlling", "bestellnig", "besttelling"} <= made
    assert any(len(word) == 10 and word != "bestelling" for word in made)  # a neighbouring key
