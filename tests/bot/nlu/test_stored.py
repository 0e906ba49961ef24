"""Rasa's training cache must not reuse a component trained by older NLU code."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.nlu import stored
from bot.nlu.components import GibberishGuard, LanguageDetector
from bot.nlu.spelling import SpellingCorrector
from bot.nlu.tfidf_classifier import TfidfIntentClassifier, TfidfResponseSelector

COMPONENTS = [
    TfidfIntentClassifier,
    TfidfResponseSelector,
    LanguageDetector,
    GibberishGuard,
    SpellingCorrector,
]


@pytest.fixture(autouse=True)
def fresh_fingerprint() -> Iterator[None]:
    stored.code_fingerprint.cache_clear()
    yield
    stored.code_fingerprint.cache_clear()


@pytest.mark.parametrize("component", COMPONENTS, ids=lambda c: c.__name__)
def test_every_trained_component_adds_the_code_fingerprint(component: type) -> None:
    addon = component.fingerprint_addon({})
    assert addon == stored.code_fingerprint()
    assert len(addon) == 64


def test_a_change_to_any_nlu_module_changes_the_fingerprint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = stored.code_fingerprint()
    stored.code_fingerprint.cache_clear()
    original = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = original(path)
        return data + b"\n# edited\n" if path.name == "langdetect.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert stored.code_fingerprint() != before
