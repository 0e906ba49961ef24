"""Typo repair for English and Dutch messages: what it repairs, what it leaves alone, and that it
persists."""

from __future__ import annotations

from pathlib import Path

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.spelling import CORRECTED_TEXT, Speller, SpellingCorrector, mask_names, read_text

VOCABULARY = {
    "cancelling": 5,
    "purchase": 9,
    "deliveries": 3,
    "restitution": 2,
    "refund": 12,
    "cancel": 30,
    "jacket": 4,
    "jackets": 2,
    "overzicht": 3,
}


@pytest.fixture
def speller() -> Speller:
    return Speller(VOCABULARY, language="en", min_length=5, min_count=2)


@pytest.mark.parametrize(
    "typed,repaired",
    [
        (
            "I need help with cancdling purchase 00004587345",
            "I need help with cancelling purchase 00004587345",
        ),
        ("delikveries to Japan", "deliveries to Japan"),
        ("i expect a restituton of 299 dollars", "i expect a restitution of 299 dollars"),
        ("Refnud please!", "refund please!"),
    ],
)
def test_unknown_words_near_one_training_word_are_repaired(
    speller: Speller, typed: str, repaired: str
) -> None:
    assert speller.correct(typed) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "how fast does an airliner travel",  # an English word, though not in the training data
        "tata for now",  # short words are never touched
        "what size wipers does this car take",
        "order 10452 from Amsterdam",  # numbers and names unknown to both: no near word
    ],
)
def test_known_short_and_far_words_stay(speller: Speller, text: str) -> None:
    assert speller.correct(text) == text


def test_a_near_word_seen_only_once_is_no_target() -> None:
    speller = Speller({"restitution": 1, "refund": 3}, language="en", min_length=5, min_count=2)
    assert speller.correct("restituton") == "restituton"


def test_a_capitalised_word_inside_a_sentence_is_a_name(speller: Speller) -> None:
    assert speller.correct("is the Hilleberg Jackets 2 in stock") == (
        "is the Hilleberg Jackets 2 in stock"
    )
    assert speller.correct("Cancdling. Refnud please") == "cancelling. refund please"


def test_a_typo_in_the_training_data_is_no_target() -> None:
    # "bestelng" is in the training data twice, but it is a typo of the listed "bestelling".
    vocabulary = {"bestelling": 40, "bestelng": 2, "postnl": 3}
    speller = Speller(vocabulary, language="nl", min_length=5, min_count=2)
    assert speller.correct("mn bestelnig") == "mn bestelling"
    assert speller.correct("via postnk") == "via postnl"  # an unlisted word near nothing stays one


DUTCH = {"annuleren": 6, "bestelling": 30, "defect": 4, "retourneren": 5, "overzicht": 3}


@pytest.mark.parametrize(
    "typed,repaired",
    [
        ("hoe kan ik annulern", "hoe kan ik annuleren"),
        ("hoe zeg ik mijn besteling af", "hoe zeg ik mijn bestelling af"),
        ("kan ik de lamp retouneren", "kan ik de lamp retourneren"),
    ],
)
def test_dutch_typos_are_repaired(typed: str, repaired: str) -> None:
    speller = Speller(DUTCH, language="nl", min_length=5, min_count=2)
    assert speller.correct(typed) == repaired


@pytest.mark.parametrize(
    "text",
    [
        "bekijk de overzichten",  # a Dutch word from the word list, not a typo of "overzicht"
        "hoeveel kost de dyson v15 detect",  # English words in Dutch messages are known too
        "luisteren naar muziek",
    ],
)
def test_valid_dutch_words_stay(text: str) -> None:
    speller = Speller(DUTCH, language="nl", min_length=5, min_count=2)
    assert speller.correct(text) == text


def context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def example(text: str, intent: str, language: str) -> Message:
    return Message(
        data={TEXT: text, INTENT: intent, "metadata": {"intent": {"language": language}}}
    )


@pytest.fixture
def storage(tmp_path: Path) -> LocalModelStorage:
    (tmp_path / "model").mkdir()
    return LocalModelStorage(tmp_path / "model")


def test_the_component_learns_the_words_of_each_language_and_repairs_both(
    storage: LocalModelStorage,
) -> None:
    data = TrainingData(
        [
            example("I want to cancel my purchase", "cancel_order", "en"),
            example("please cancel the purchase", "cancel_order", "en"),
            example("bekijk het overzicht van mijn bestellingen", "order_status", "nl"),
            example("waar blijven mijn bestellingen", "order_status", "nl"),
        ]
    )
    SpellingCorrector.create({}, storage, Resource("speller"), context()).train(data)
    loaded = SpellingCorrector.load({}, storage, Resource("speller"), context())
    assert set(loaded.spellers) == {"en", "nl"}
    assert "overzicht" in loaded.vocabularies["nl"]

    english = Message(data={TEXT: "cancel my purchse", "language": "en"})
    dutch_word = Message(data={TEXT: "cancel the overzicht", "language": "en"})
    dutch = Message(data={TEXT: "bekijk de overzichten", "language": "nl"})
    dutch_typo = Message(data={TEXT: "waar blijven mijn bestelingen", "language": "nl"})
    unclear = Message(data={TEXT: "purchse", "language": None})
    right = Message(data={TEXT: "cancel my purchase", "language": "en"})
    loaded.process([english, dutch, dutch_typo, unclear, right])

    assert english.get(CORRECTED_TEXT) == "cancel my purchase"
    assert english.get(TEXT) == "cancel my purchse"  # the customer's words are kept as typed
    assert read_text(english) == "cancel my purchase"
    assert dutch_typo.get(CORRECTED_TEXT) == "waar blijven mijn bestellingen"
    loaded.process([dutch_word])
    assert dutch_word.get(CORRECTED_TEXT) is None  # a Dutch training word is no English typo
    for message in (dutch, unclear, right):
        assert message.get(CORRECTED_TEXT) is None
        assert read_text(message) == message.get(TEXT)


@pytest.mark.parametrize(
    "text,language,masked",
    [
        ("see bill from Mr. Smith", "en", "see bill from someone"),
        (
            "i lost the invoice from Ms. Hawkings, mail it",
            "en",
            "i lost the invoice from someone, mail it",
        ),
        ("Mrs Jones ordered it", "en", "someone ordered it"),
        ("factuur op naam van mevrouw de Vries", "nl", "factuur op naam van iemand"),
        ("hallo, met meneer Van der Berg", "nl", "hallo, met iemand"),
        ("dhr. Jansen belde al", "nl", "iemand belde al"),
    ],
)
def test_a_person_addressed_by_title_is_someone(text: str, language: str, masked: str) -> None:
    assert mask_names(text, language) == masked


@pytest.mark.parametrize(
    "text",
    ["do you sell Dr. Martens boots", "mr smith", "Mister", "the Hilleberg Nallo 2"],
)
def test_brands_lowercase_names_and_bare_titles_stay(text: str) -> None:
    assert mask_names(text, "en") == text


def test_names_are_masked_in_training_and_parsing_alike(storage: LocalModelStorage) -> None:
    data = TrainingData(
        [
            example("I need the bill sent to Mr. de Vries", "faq/invoice", "en"),
            example("where is my bill", "faq/invoice", "en"),
        ]
    )
    component = SpellingCorrector.create({}, storage, Resource("speller"), context())
    component.process_training_data(data)
    assert [read_text(m) for m in data.training_examples] == [
        "I need the bill sent to someone",
        "where is my bill",
    ]
    unclear = Message(data={TEXT: "bill for Ms. Bakker", "language": None})
    component.process([unclear])
    assert read_text(unclear) == "bill for someone"
    assert unclear.get(TEXT) == "bill for Ms. Bakker"
