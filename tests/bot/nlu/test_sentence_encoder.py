"""The sentence encoder: real USE-multilingual embeddings, the text-keyed cache, the classifier."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_encoder import DIMENSIONS, EmbeddingCache, SentenceEncoderFeaturizer, embed
from bot.nlu.tfidf_classifier import IntentModel, TfidfIntentClassifier, sentence_embedding

EXAMPLES = {
    "order_status": ["where is my order", "when does my parcel arrive", "waar is mijn pakket"],
    "out_of_scope": ["set an alarm for seven", "turn on the lights", "zet de wekker om zes uur"],
}


def test_paraphrases_in_both_languages_lie_closer_than_other_requests() -> None:
    order, dutch_order, alarm = embed(
        ["where is my order?", "waar blijft mijn bestelling?", "wake me up at seven"], threads=1
    )
    assert order.shape == (DIMENSIONS,)
    assert np.isclose(np.linalg.norm(order), 1.0, atol=1e-3)
    assert order @ dutch_order > order @ alarm + 0.2


def test_numbers_do_not_change_the_embedding() -> None:
    first, second = embed(["cancel order 10452", "cancel order 98731"], threads=1)
    assert first @ second > 0.95


def test_the_cache_returns_stored_embeddings_and_keeps_only_this_trainings_texts(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache.npz"
    cache = EmbeddingCache(path)
    fresh = embed(["hello", "goodbye"], threads=1, cache=cache)
    assert cache.added == 2
    cache.save({"hello"})

    again = EmbeddingCache(path)
    assert again.get("goodbye") is None
    np.testing.assert_array_equal(again.get("hello"), fresh[0])
    reused = embed(["hello"], threads=1, cache=again)
    assert again.added == 0
    np.testing.assert_array_equal(reused[0], fresh[0])


def test_a_damaged_cache_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "cache.npz"
    path.write_bytes(b"not a numpy archive")
    cache = EmbeddingCache(path)
    assert cache.vectors == {}
    embed(["hi"], threads=1, cache=cache)
    cache.save({"hi"})
    assert EmbeddingCache(path).get("hi") is not None


def training_data() -> TrainingData:
    return TrainingData(
        [Message(data={TEXT: t, INTENT: i}) for i, texts in EXAMPLES.items() for t in texts]
    )


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    (tmp_path / "model").mkdir()
    return LocalModelStorage(tmp_path / "model")


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_the_featurizer_sets_one_sentence_feature_per_text(tmp_path: Path) -> None:
    featurizer = SentenceEncoderFeaturizer({"cache": False})
    data = featurizer.process_training_data(training_data())
    vectors = [sentence_embedding(m) for m in data.training_examples]
    assert all(v is not None and v.shape == (DIMENSIONS,) for v in vectors)
    [message] = featurizer.process([Message(data={TEXT: "waar is mijn bestelling"})])
    assert sentence_embedding(message) is not None


@pytest.mark.parametrize("weight,size", [(2.0, DIMENSIONS), (0.0, 0)])
def test_the_intent_classifier_uses_the_embedding_unless_its_weight_is_zero(
    storage: LocalModelStorage, weight: float, size: int
) -> None:
    data = SentenceEncoderFeaturizer({"cache": False}).process_training_data(training_data())
    classifier = TfidfIntentClassifier.create(
        {"dense_weight": weight}, storage, Resource(f"intent{size}"), context()
    )
    classifier.train(data)
    assert isinstance(classifier.pipeline, IntentModel)
    assert classifier.pipeline.dense_size == size

    loaded = TfidfIntentClassifier.load(
        {"dense_weight": weight}, storage, Resource(f"intent{size}"), context()
    )
    [message] = SentenceEncoderFeaturizer({"cache": False}).process(
        [Message(data={TEXT: "wanneer wordt mijn bestelling bezorgd"})]
    )
    loaded.process([message])
    assert message.get(INTENT)["name"] == "order_status"


def test_the_nearest_examples_vote_and_survive_saving(storage: LocalModelStorage) -> None:
    """With `neighbours`, the training embeddings are kept (float16) and their vote is blended in:
    probabilities still sum to one, and a loaded model answers as the trained one did."""
    data = SentenceEncoderFeaturizer({"cache": False}).process_training_data(training_data())
    config = {"dense_weight": 1.0, "neighbours": 2, "neighbour_weight": 0.3}
    classifier = TfidfIntentClassifier.create(config, storage, Resource("knn"), context())
    classifier.train(data)
    model = classifier.pipeline
    assert isinstance(model, IntentModel) and model.memory is not None
    assert model.memory.dtype == np.float16 and model.memory.shape == (6, DIMENSIONS)

    texts = ["wanneer komt mijn pakket", "wake me at six"]
    dense = [
        sentence_embedding(m)
        for m in SentenceEncoderFeaturizer({"cache": False}).process(
            [Message(data={TEXT: t}) for t in texts]
        )
    ]
    blended = model.predict_proba(texts, dense)
    plain = model.classifier.predict_proba(model.matrix(texts, dense, fit=False))
    np.testing.assert_allclose(blended.sum(axis=1), 1.0, atol=1e-6)
    assert not np.allclose(blended, plain)  # the vote moved them
    assert list(model.classes_[blended.argmax(axis=1)]) == ["order_status", "out_of_scope"]
    # Without an embedding there is no vote: the classifier's own answer.
    alone = model.classifier.predict_proba(model.matrix(texts[:1], [None], fit=False))
    np.testing.assert_allclose(model.predict_proba(texts[:1], [None]), alone)

    loaded = TfidfIntentClassifier.load(config, storage, Resource("knn"), context())
    assert isinstance(loaded.pipeline, IntentModel)
    np.testing.assert_allclose(loaded.pipeline.predict_proba(texts, dense), blended, atol=1e-6)
