"""Rasa graph components wrapping the catalogue matcher and the language model."""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.langdetect import LanguageModel, stop_word_examples
from bot.nlu.matcher import CatalogueMatcher
from bot.nlu.stored import StoredComponent

logger = logging.getLogger(__name__)


def _patterns_path() -> Path:
    from bot.settings import Settings

    return Settings.from_env().patterns_file


# Entities fill slots; everything else the matcher finds goes to the `catalogue` field of the
# parse result, which actions read. Keeping the two apart lets end-to-end test stories annotate
# just the slot-filling entities.
SLOT_ENTITIES = frozenset({"order_number", "postcode"})
CATALOGUE = "catalogue"
LANGUAGE = "language"
# A run of letters: what the vocabulary-based components count as a word.
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def example_language(message: Message) -> str | None:
    """The language a training example is written in (`metadata: language:` of its block)."""
    language = ((message.get("metadata") or {}).get("intent") or {}).get("language")
    return str(language) if language else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class CatalogueEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Order numbers and postcodes as entities; products and their attributes, from the live
    catalogue (no retraining needed), in the `catalogue` field."""

    CHECK_EVERY_S = 2.0

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"patterns_file": None}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CatalogueEntityExtractor:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        configured = config.get("patterns_file")
        self.path = Path(configured) if configured else _patterns_path()
        self._mtime: float | None = None
        self._checked = 0.0
        self.matcher = CatalogueMatcher({})
        self._reload()

    def _reload(self) -> None:
        """Pick up patterns rebuilt after an import, at most every couple of seconds."""
        now = time.monotonic()
        if now - self._checked < self.CHECK_EVERY_S and self._mtime is not None:
            return
        self._checked = now
        try:
            mtime = os.stat(self.path).st_mtime
        except FileNotFoundError:
            return
        if mtime == self._mtime:
            return
        try:
            patterns = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            logger.warning("Cannot read catalogue patterns %s: %s", self.path, exc)
            return
        self.matcher = CatalogueMatcher(patterns)
        self._mtime = mtime
        logger.info("Catalogue patterns loaded from %s", self.path)

    def process(self, messages: list[Message]) -> list[Message]:
        self._reload()
        for message in messages:
            found = self.matcher.find(message.get(TEXT) or "")
            entities = [f.as_rasa() for f in found if f.entity in SLOT_ENTITIES]
            message.set(
                ENTITIES,
                message.get(ENTITIES, []) + self.add_extractor_name(entities),
                add_to_output=True,
            )
            facts = [f.as_rasa() for f in found if f.entity not in SLOT_ENTITIES]
            message.set(CATALOGUE, facts, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class LanguageDetector(StoredComponent):
    """Sets the `language` field (nl/en) when the message clearly shows its language, else None.

    The `language` slot follows it through a custom slot mapping (action_message_slots),
    so an unclear message keeps the conversation's language."""

    FILE = "language_model.json"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"margin": 3.0}

    def restore(self, state: Any) -> None:
        self.model = state or LanguageModel(margin=self.config["margin"])

    def encode(self) -> bytes:
        return json.dumps(self.model.to_dict()).encode()

    @classmethod
    def decode(cls, data: bytes) -> LanguageModel:
        return LanguageModel.from_dict(json.loads(data))

    def train(self, training_data: TrainingData) -> Resource:
        examples = []
        for message in training_data.intent_examples:
            language = example_language(message)
            if language:
                examples.append((message.get(TEXT), language))
        self.model.learn(examples)
        self.model.learn(stop_word_examples(), weight=2)
        return self.persist()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            language = self.model.decide(text[:2000]) if text.strip() else None
            message.set(LANGUAGE, language, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class GibberishGuard(StoredComponent):
    """Hands keyboard noise to the fallback instead of letting DIET guess an intent.

    A message counts as noise when it has no letter or digit at all (DIET would answer it
    with one constant guess), or when none of its words occur in the training data or the
    stop-word lists and it looks like noise (very long, a 25+ letter word, or one
    character repeated four times). Placed just before the FallbackClassifier.
    """

    FILE = "vocabulary.json"
    _WORDS = WORD
    _REPEAT = re.compile(r"(.)\1{3,}")

    def restore(self, state: Any) -> None:
        self.vocabulary: frozenset[str] = state or frozenset()

    def encode(self) -> bytes:
        return json.dumps(sorted(self.vocabulary)).encode()

    @classmethod
    def decode(cls, data: bytes) -> frozenset[str]:
        return frozenset(json.loads(data))

    def train(self, training_data: TrainingData) -> Resource:
        from bot.nlu.lexicon import everyday_words

        words = set(everyday_words())
        for message in training_data.training_examples:
            words.update(w.lower() for w in self._WORDS.findall(message.get(TEXT) or ""))
        self.vocabulary = frozenset(words)
        return self.persist()

    def is_noise(self, text: str) -> bool:
        if not any(ch.isalnum() for ch in text):
            return True  # empty, spaces, emoji or punctuation only: nothing for DIET to read
        words = [w.lower() for w in self._WORDS.findall(text[:5000])]
        if not words or not self.vocabulary or any(w in self.vocabulary for w in words):
            return False
        return len(text) > 200 or any(len(w) > 25 for w in words) or bool(self._REPEAT.search(text))

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if intent and self.is_noise(message.get(TEXT) or ""):
                message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
