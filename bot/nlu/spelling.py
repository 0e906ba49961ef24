"""Typo repair for English and Dutch messages, before the sentence encoder and the classifiers.
It also writes a person addressed by title as "someone" (`mask_names`).

Real customers type "cancdling", "delikveries" and "restituton". The TF-IDF character n-grams
survive such typos, but the sentence encoder and the word n-grams see an unknown word. This
component writes a repaired copy of the text beside the original (`corrected_text`, never shown or
stored): a word is repaired only when it is unknown both to the training data and to a word list of
its language that ships inside a package (no download), and the training data has one clear
nearest word (SymSpell, edit distance 1, or 2 for words of nine letters or more).

The word lists: symspellpy's English list (82,765 words) and pyspellchecker's Dutch one (343,585
words from OpenSubtitles). Without a Dutch list, valid Dutch words were "repaired" towards the
training vocabulary ("overzichten" → "overzicht", docs/nlu-evaluation.md), so the list is what
makes Dutch repair safe. A capitalised word inside a sentence is taken for a name ("Hilleberg
Nallo"), and a word of the training data that is a typo of a more common listed word ("bestelng")
is never repaired towards. Product names have their own corrector (bot.nlu.matcher).

Why symspellpy and not bot.nlu.matcher.levenshtein: SymSpell looks a word up among thousands in
microseconds (precomputed deletions); a pairwise edit distance over the vocabulary takes
milliseconds per word.
"""

from __future__ import annotations

import json
import re
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


# A person addressed by title ("bill from Mr. Smith", "factuur op naam van mevrouw de Vries"): who
# it is never decides what the customer wants, and an unknown name only pulls the classifiers
# towards off-topic. "Dr." is left out: "Dr. Martens" is a brand.
TITLED_NAME = re.compile(
    r"\b(?i:mr|mrs|ms|miss|mister|madam|meneer|mevrouw|mevr|dhr|mw)\b\.?\s+"
    r"(?:(?i:van|de|der|den|ter|ten)\s+)*[A-Z][\w'-]*"
)
SOMEONE = {"en": "someone", "nl": "iemand"}


def mask_names(text: str, language: str) -> str:
    """`text` with every person addressed by title replaced by "someone" ("iemand")."""
    return TITLED_NAME.sub(SOMEONE.get(language, "someone"), text)


def read_text(message: Message) -> str:
    """The text the classifiers read: the repaired copy when there is one."""
    return message.get(CORRECTED_TEXT) or message.get(TEXT) or ""


@cache
def dictionary_words(language: str) -> frozenset[str]:
    """The words of a language's word list (package data): symspellpy's for English,
    pyspellchecker's for Dutch; none for another language."""
    if language == "en":
        import symspellpy

        path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
        return frozenset(line.split(" ", 1)[0] for line in path.read_text("utf-8").splitlines())
    if language == "nl":
        from spellchecker import SpellChecker

        # English words are common in Dutch messages ("tracking", a product's "Detect").
        dutch = SpellChecker(language="nl", distance=1).word_frequency.dictionary
        return frozenset(dutch) | dictionary_words("en")
    return frozenset()


class Speller:
    """Repairs unknown words of a text towards the words of the training data."""

    def __init__(
        self,
        vocabulary: dict[str, int],
        *,
        language: str,
        min_length: int,
        min_count: int,
        also_known: frozenset[str] = frozenset(),
    ) -> None:
        from symspellpy import SymSpell

        listed = dictionary_words(language)
        # Three sets, not their union: a union of the Dutch list would take 0.3 s per model load.
        self.known = (frozenset(vocabulary), listed, also_known)
        self.min_length = min_length
        candidates = {
            word: count
            for word, count in vocabulary.items()
            if len(word) >= min_length - 1 and count >= min_count
        }
        # The training data has typos of its own ("bestelng", "retrun"): a word missing from the
        # word list that is near a more common word already taken (a listed one, or an unlisted
        # one taken before it) is no target, or "bestelnig" would become "bestelng". Unlisted
        # words that are near nothing (a brand, "postnl") are targets.
        self.symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in candidates.items():
            if word in listed:
                self.symspell.create_dictionary_entry(word, count)
        for word, count in candidates.items():
            if word in listed:
                continue
            if not any(s.count > count for s in self.nearest(word, limit=2)):
                self.symspell.create_dictionary_entry(word, count)

    def nearest(self, word: str, limit: int = 0) -> list[Any]:
        """The training words nearest to `word` (SymSpell suggestions), all at one distance:
        within `limit` edits, by default 1, or 2 for words of nine letters or more."""
        from symspellpy import Verbosity

        limit = limit or (2 if len(word) >= 9 else 1)
        found = self.symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=limit)
        return [s for s in found if s.distance == found[0].distance and s.term != word]

    def word(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < self.min_length or any(lower in words for words in self.known):
            return word
        best = self.nearest(lower)
        if not best:
            return word
        if len(best) > 1 and best[0].count < 3 * best[1].count:
            return word  # two equally near words, neither clearly more common: leave it
        return str(best[0].term)

    def correct(self, text: str) -> str:
        return WORD.sub(lambda match: self.word_at(match, text), text)

    def word_at(self, match: re.Match[str], text: str) -> str:
        word = match.group(0)
        if word[:1].isupper():
            before = text[: match.start()].rstrip()
            if before and before[-1] not in ".!?":
                return word  # a capital inside a sentence: a name ("Hilleberg Nallo")
        return self.word(word)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SpellingCorrector(StoredComponent):
    """Sets `corrected_text` on messages in a language it repairs, when a word changed.

    It keeps the word counts of every language of the training data: the words of the other
    languages count as known, never as typos."""

    FILE = "spelling_vocabulary.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"languages": ["en", "nl"], "min_length": 5, "min_count": 2}

    def restore(self, state: Any) -> None:
        from bot.nlu.lexicon import everyday_words

        vocabularies: dict[str, dict[str, int]] = state or {}
        # A Dutch word in an English message (a product name, "kajak") is no English typo,
        # and an English one in a Dutch message ("tracking", "wetsuit") no Dutch typo.
        known = everyday_words().union(*(words.keys() for words in vocabularies.values()))
        self.spellers = {
            language: Speller(
                words,
                language=language,
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
            language = message.get(LANGUAGE) or ""
            text = (message.get(TEXT) or "")[:2000]
            corrected = mask_names(text, language)
            speller = self.spellers.get(language)
            if speller is not None:
                corrected = speller.correct(corrected)
            if corrected != text:
                message.set(CORRECTED_TEXT, corrected)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        # Every training word is in the vocabulary, so there is nothing to repair; names are
        # masked as in `process`, so that training and parsing read the same kind of text.
        for message in training_data.training_examples:
            text = message.get(TEXT) or ""
            masked = mask_names(text, example_language(message) or "")
            if masked != text:
                message.set(CORRECTED_TEXT, masked)
        return training_data
