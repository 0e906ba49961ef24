"""Intent classification and FAQ response selection with TF-IDF n-grams and logistic regression.

On this project's data it beats DIET on held-out messages in both languages (see
docs/nlu-evaluation.md) and trains in seconds on two CPU cores. Character n-grams carry
typos and Dutch compounds; word bigrams carry phrases like "laat maar".

The intent classifier also takes the dense sentence embedding of an earlier featurizer
(bot/nlu/sentence_encoder.py) when the pipeline has one: n-grams are precise on the words the
training data uses, the embedding generalises to paraphrases it does not (docs/nlu-evaluation.md).
"""

from __future__ import annotations

import logging
import pickle
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RETRIEVAL_INTENTS,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.stored import StoredComponent

logger = logging.getLogger(__name__)
MAX_CHARS = 2000
# Words of one letter count too: Dutch formal "u" ("kunt u …") and texting ("r u a bot").
WORD_TOKENS = r"(?u)\b\w+\b"


def build_ngrams(config: dict[str, Any]) -> Any:
    """Word and character n-gram TF-IDF features, one L2-normalised block each."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(config["word_ngrams"]),
            sublinear_tf=True,
            token_pattern=WORD_TOKENS,
        ),
        TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]), sublinear_tf=True
        ),
    )


def build_pipeline(config: dict[str, Any]) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(build_ngrams(config), LogisticRegression(C=config["C"], max_iter=3000))


def sentence_embedding(message: Message) -> np.ndarray | None:
    """The dense sentence feature an earlier featurizer set on the text, if any."""
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features, dtype=np.float32)[0]


@dataclass
class IntentModel:
    """N-gram features, optionally joined by a weighted sentence embedding, and the classifier."""

    ngrams: Any
    classifier: Any
    dense_weight: float
    dense_size: int

    @property
    def classes_(self) -> Any:
        return self.classifier.classes_

    def matrix(self, texts: list[str], dense: list[np.ndarray | None], *, fit: bool) -> Any:
        from scipy.sparse import csr_matrix, hstack

        ngrams = self.ngrams.fit_transform(texts) if fit else self.ngrams.transform(texts)
        if not self.dense_size:
            return ngrams
        rows = np.zeros((len(texts), self.dense_size), dtype=np.float32)
        for i, vector in enumerate(dense):
            if vector is not None and vector.shape == (self.dense_size,):
                rows[i] = vector
        return hstack([ngrams, csr_matrix(rows * self.dense_weight)]).tocsr()

    def fit(self, texts: list[str], dense: list[np.ndarray | None], labels: list[str]) -> None:
        self.classifier.fit(self.matrix(texts, dense, fit=True), labels)

    def predict_proba(self, texts: list[str], dense: list[np.ndarray | None]) -> Any:
        return self.classifier.predict_proba(self.matrix(texts, dense, fit=False))


class PickledPipeline(StoredComponent):
    """A component whose learned state is one scikit-learn pipeline."""

    def restore(self, state: Any) -> None:
        self.pipeline = state

    def encode(self) -> bytes:
        return pickle.dumps(self.pipeline)

    @classmethod
    def decode(cls, data: bytes) -> Any:
        return pickle.loads(data)  # noqa: S301  (our own file in our own trained model)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(PickledPipeline, IntentClassifier):
    """Sets `intent` and `intent_ranking` from a logistic regression over TF-IDF n-grams."""

    FILE = "tfidf_intent_classifier.pkl"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # dense_weight scales the (unit-length) sentence embedding against the two unit-length
        # n-gram blocks; 0 ignores it. config.yml sets the values bench/nlu_tune.py chose.
        return {
            "C": 100.0,
            "word_ngrams": [1, 2],
            "char_ngrams": [2, 5],
            "ranking_length": 10,
            "dense_weight": 2.0,
        }

    def train(self, training_data: TrainingData) -> Resource:
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        dense = [sentence_embedding(m) for m in examples]
        sizes = {len(v) for v in dense if v is not None}
        use_dense = self.config["dense_weight"] > 0 and len(sizes) == 1
        use_dense = use_dense and all(v is not None for v in dense)
        model = IntentModel(
            ngrams=build_ngrams(self.config),
            classifier=LogisticRegression(C=self.config["C"], max_iter=3000),
            dense_weight=float(self.config["dense_weight"]),
            dense_size=sizes.pop() if use_dense else 0,
        )
        model.fit(
            [m.get(TEXT)[:MAX_CHARS] for m in examples], dense, [m.get(INTENT) for m in examples]
        )
        self.pipeline = model
        return self.persist()

    def process(self, messages: list[Message]) -> list[Message]:
        if self.pipeline is None:
            return messages
        texts = [(m.get(TEXT) or "")[:MAX_CHARS] for m in messages]
        if isinstance(self.pipeline, IntentModel):
            dense = [sentence_embedding(m) for m in messages]
            probabilities = self.pipeline.predict_proba(texts, dense)
        else:  # a model trained before the sentence features existed
            probabilities = self.pipeline.predict_proba(texts)
        classes = self.pipeline.classes_
        for message, row in zip(messages, probabilities, strict=True):
            order = row.argsort()[::-1][: self.config["ranking_length"]]
            ranking = [{"name": str(classes[i]), "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfResponseSelector(PickledPipeline):
    """Picks the answer of a retrieval intent (faq/opening_hours, …) for `utter_faq`.

    Writes the same `response_selector` output as Rasa's ResponseSelector, so the built-in
    retrieval action and `rasa test` work unchanged; a few MB instead of a large network.
    """

    FILE = "tfidf_response_selector.pkl"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "C": 30.0, "word_ngrams": [1, 2], "char_ngrams": [2, 5]}

    def train(self, training_data: TrainingData) -> Resource:
        intent = self.config["retrieval_intent"]
        examples = [
            m
            for m in training_data.intent_examples
            if m.get(INTENT) == intent and m.get(INTENT_RESPONSE_KEY) and m.get(TEXT)
        ]
        if len({m.get(INTENT_RESPONSE_KEY) for m in examples}) < 2:
            return self.resource
        self.pipeline = build_pipeline(self.config).fit(
            [m.get(TEXT)[:MAX_CHARS] for m in examples],
            [m.get(INTENT_RESPONSE_KEY) for m in examples],
        )
        return self.persist()

    def process(self, messages: list[Message]) -> list[Message]:
        if self.pipeline is None:
            return messages
        intent = self.config["retrieval_intent"]
        probabilities = self.pipeline.predict_proba(
            [(m.get(TEXT) or "")[:MAX_CHARS] for m in messages]
        )
        classes = self.pipeline.classes_
        for message, row in zip(messages, probabilities, strict=True):
            order = row.argsort()[::-1]
            ranking = [
                {"intent_response_key": str(classes[i]), "confidence": float(row[i])}
                for i in order[:10]
            ]
            best = ranking[0]
            selected = {
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    **best,
                    RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{best['intent_response_key']}",
                    "responses": [],
                },
                RESPONSE_SELECTOR_RANKING_KEY: ranking,
            }
            output = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            output[RESPONSE_SELECTOR_RETRIEVAL_INTENTS] = [intent]
            output[intent] = selected
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, output, add_to_output=True)
        return messages
