"""What others say: rating, number of reviews, snippets in the shopper's language."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.product_reviews import snippet
from actions.products import answer_product_question
from tests.helpers.trackers import entity, make_tracker, texts


def ask(dispatcher: CollectingDispatcher, text: str, language: str, **slots: str) -> None:
    tracker = make_tracker(
        text=text, intent="product_question", slots={"language": language, **slots}
    )
    tracker.latest_message["catalogue"] = [entity("product_aspect", "reviews")]
    answer_product_question(dispatcher, tracker)


def test_dutch_reviews_of_the_product_in_context(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    ask(dispatcher, "wat vinden anderen ervan?", "nl", product="TP-TRL-001")
    (text,) = texts(dispatcher)
    assert text.splitlines() == [
        "Veloce Trailblazer GTX scoort gemiddeld 4,4 van 5 uit 3 reviews.",
        '• "Door de modder op de Veluwe en toch droge voeten." (Julia uit Haarlem, 5/5)',
        '• "Echt waterdicht, maar in de zomer wordt hij wel warm." (Bas, Nijmegen, 4/5)',
    ]


def test_english_snippets_only_in_english(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, "what do other people say about it", "en", product="TP-TRL-001")
    (text,) = texts(dispatcher)
    assert text.startswith("Veloce Trailblazer GTX scores 4.4 out of 5 from 3 reviews.")
    assert "Great grip and my feet stayed dry during a very wet trail race." in text
    assert "modder" not in text


def test_reviews_only_in_the_other_language(store: str, dispatcher: CollectingDispatcher) -> None:
    ask(dispatcher, "what do others think?", "en", product="TP-ZOL-001")
    assert texts(dispatcher) == [
        "SoleFit Comfort insoles scores 4.0 out of 5 from 2 reviews. Those reviews are all "
        "written in Dutch."
    ]


def test_the_reviews_words_need_no_nlu_fact(store: str, dispatcher: CollectingDispatcher) -> None:
    tracker = make_tracker(
        text="what do other people say about it",
        intent="product_question",
        slots={"language": "en", "product": "TP-RUN-001"},
    )
    answer_product_question(dispatcher, tracker)
    assert texts(dispatcher)[0].startswith("Veloce Aero 3 scores 4.5 out of 5")


def test_a_long_review_is_cut_to_a_snippet() -> None:
    long = "Heel " + "erg " * 60 + "fijn."
    cut = snippet(long)
    assert len(cut) <= 141 and cut.endswith("…")
    assert snippet("Kort. En nog iets.") == "Kort."
