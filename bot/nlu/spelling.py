"""Typo repair for English messages, before the sentence encoder and the intent classifier.

Real customers type "cancdling", "delikveries" and "restituton". The TF-IDF character n-grams
survive such typos, but the sentence encoder and the word n-grams see an unknown word. This
component writes a repaired copy of the text beside the original (`corrected_text`, never shown or
stored): a word is repaired only when it is unknown both to the training data and to the English
word list that ships inside symspellpy (82,765 words, no download), and the training data has one
clear nearest word (SymSpell, edit distance 1, or 2 for words of nine letters or more).

Dutch is left alone: there is no Dutch word list in any installable package, and against the
training vocabulary alone valid Dutch words were "repaired" ("overzichten" → "overzicht",
docs/nlu-evaluation.md). Product names have their own corrector (bot.nlu.matcher).

Why symspellpy and not bot.nlu.matcher.levenshtein: SymSpell looks a word up among thousands in
microseconds (precomputed deletions); a pairwise edit distance over the vocabulary takes
milliseconds per word.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.components import LANGUAGE, WORD, example_language
from bot.nlu.stored import StoredComponent

CORRECTED_TEXT = "corrected_text"


def read_text(message: Message) -> str:
    """The text the classifiers read: the repaired copy when there is one."""
    return message.get(CORRECTED_TEXT) or message.get(TEXT) or ""


@cache
def english_words() -> frozenset[str]:
    """symspellpy's English frequency list (package data), as a set of known words."""
    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    return frozenset(line.split(" ", 1)[0] for line in path.read_text("utf-8").splitlines())


class Speller:
    """Repairs unknown words of a text towards the words of the training data."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        *,
        min_length: int,
        min_count: int,
        also_known: frozenset[str] = frozenset(),
    ) -> None:
        from symspellpy import SymSpell

        self.known = frozenset(vocabulary) | english_words() | also_known
        self.min_length = min_length
        self.symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in vocabulary.items():
            if len(word) >= min_length - 1 and count >= min_count:
                self.symspell.create_dictionary_entry(word, count)

    def word(self, word: str) -> str:
        from symspellpy import Verbosity

        lower = word.lower()
        if len(lower) < self.min_length or lower in self.known:
            return word
        limit = 2 if len(lower) >= 9 else 1
        found = self.symspell.lookup(lower, Verbosity.CLOSEST, max_edit_distance=limit)
        if not found:
            return word
        best = [s for s in found if s.distance == found[0].distance]
        if len(best) > 1 and best[0].count < 3 * best[1].count:
            return word  # two equally near words, neither clearly more common: leave it
        return str(best[0].term)

    def correct(self, text: str) -> str:
        return WORD.sub(lambda match: self.word(match.group(0)), text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SpellingCorrector(StoredComponent):
    """Sets `corrected_text` on messages in a language it repairs, when a word changed.

    It keeps the word counts of every language of the training data: the words of the other
    languages count as known, never as typos."""

    FILE = "spelling_vocabulary.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"languages": ["en"], "min_length": 5, "min_count": 2}

    def restore(self, state: Any) -> None:
        from bot.nlu.lexicon import everyday_words

        vocabularies: dict[str, dict[str, int]] = state or {}
        # A Dutch word in an English message (a product name, "kajak") is no English typo.
        known = everyday_words().union(*(words.keys() for words in vocabularies.values()))
        self.spellers = {
            language: Speller(
                words,
                min_length=self.config["min_length"],
                min_count=self.config["min_count"],
                also_known=known,
            )
            for language, words in vocabularies.items()
            if language in self.config["languages"]
        }
        self.vocabularies = vocabularies

    def encode(self) -> bytes:
        return json.dumps(self.vocabularies, sort_keys=True).encode()

    @classmethod
    def decode(cls, data: bytes) -> dict[str, dict[str, int]]:
        return dict(json.loads(data))

    def train(self, training_data: TrainingData) -> Resource:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for message in training_data.intent_examples:
            language = example_language(message)
            if language:
                counts[language].update(w.lower() for w in WORD.findall(message.get(TEXT) or ""))
        self.restore({language: dict(words) for language, words in counts.items()})
        return self.persist()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            speller = self.spellers.get(message.get(LANGUAGE) or "")
            text = message.get(TEXT) or ""
            if speller is None or not text:
                continue
            corrected = speller.correct(text[:2000])
            if corrected != text[:2000]:
                message.set(CORRECTED_TEXT, corrected)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # every training word is in the vocabulary: nothing to repair
