"""Language per message, and no decision when the message does not tell."""

import pytest

from bot.nlu.langdetect import LanguageModel, stop_word_examples

TRAIN = [
    ("waar is mijn pakket", "nl"),
    ("ik wil mijn bestelling annuleren", "nl"),
    ("hoeveel kost deze tent", "nl"),
    ("where is my package", "en"),
    ("I want to cancel my order", "en"),
    ("how much is this tent", "en"),
]


@pytest.fixture(scope="module")
def model() -> LanguageModel:
    model = LanguageModel()
    model.learn(TRAIN)
    model.learn(stop_word_examples(), weight=2)
    return model


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("waar blijft mijn bestelling nou", "nl"),
        ("wanneer word het bezorgd", "nl"),
        ("when will my parcel arrive", "en"),
        ("can you tell me where my order is", "en"),
    ],
)
def test_clear_messages(model: LanguageModel, text: str, language: str) -> None:
    assert model.decide(text) == language


@pytest.mark.parametrize("text", ["ok", "10452", "👍", "3511 AB", "Veloce Aero 3", ""])
def test_unclear_messages_give_no_decision(model: LanguageModel, text: str) -> None:
    assert model.decide(text) is None


def test_round_trip(model: LanguageModel) -> None:
    again = LanguageModel.from_dict(model.to_dict())
    assert again.decide("where is my package") == "en"
