"""'Bedoel je…?' when the NLU hesitates between two intents, and small talk inside a form."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import (
    ActionFallback,
    ActionHandleInform,
    ActionOutOfScope,
    ActionSmalltalkInForm,
)
from actions.disambiguation import candidates
from bot.texts import catalogue
from tests.helpers.handoff import followup
from tests.helpers.trackers import entity, make_tracker, texts


def hesitant(
    text: str,
    ranking: list[tuple[str, float]],
    language: str = "nl",
    faq_topic: str | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A message the FallbackClassifier turned into nlu_fallback, with the real ranking below."""
    tracker = make_tracker(
        text=text, intent="nlu_fallback", slots={"language": language}, active_loop=active_loop
    )
    parse: dict[str, Any] = tracker.latest_message
    parse["intent"] = {"name": "nlu_fallback", "confidence": 0.25}
    parse["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.25},
        *({"name": name, "confidence": confidence} for name, confidence in ranking),
    ]
    if faq_topic:
        parse["response_selector"] = {
            "faq": {"response": {"intent_response_key": f"faq/{faq_topic}", "confidence": 0.8}}
        }
    return tracker


def buttons(dispatcher: CollectingDispatcher) -> list[dict[str, str]]:
    return [b for m in dispatcher.messages for b in m.get("buttons") or []]


async def test_two_close_intents_are_offered_as_buttons(dispatcher: CollectingDispatcher) -> None:
    tracker = hesitant(
        "mijn geld en mijn pakket", [("refund_status", 0.41), ("order_status", 0.38)]
    )
    events = await ActionFallback().run(dispatcher, tracker, {})
    (text,) = texts(dispatcher)
    assert text.startswith("Ik twijfel even. Bedoel je waar je terugbetaling blijft, of waar je")
    assert [b["payload"] for b in buttons(dispatcher)] == [
        "Wanneer krijg ik mijn geld terug?",
        "Waar is mijn bestelling?",
    ]
    assert not any(b["payload"].startswith("/") for b in buttons(dispatcher))
    assert followup(events) == "action_listen"


async def test_a_faq_candidate_is_named_by_its_topic(dispatcher: CollectingDispatcher) -> None:
    tracker = hesitant(
        "money back rules for my order",
        [("faq", 0.33), ("refund_status", 0.30)],
        language="en",
        faq_topic="refund_policy",
    )
    await ActionFallback().run(dispatcher, tracker, {})
    (text,) = texts(dispatcher)
    assert "Do you mean when you can get a refund, or where your refund is?" in text
    assert [b["title"] for b in buttons(dispatcher)] == ["Refund rules", "Where is my refund?"]


@pytest.mark.parametrize(
    "ranking",
    [
        [("order_status", 0.20), ("cancel_order", 0.04)],  # one weak guess: not a doubt
        [("out_of_scope", 0.30), ("order_status", 0.28)],  # out of scope cannot be offered
        [("greet", 0.30), ("thank", 0.28)],
        [("order_status", 0.3)],
    ],
)
async def test_otherwise_the_customer_is_asked_to_rephrase(
    dispatcher: CollectingDispatcher, ranking: list[tuple[str, float]]
) -> None:
    await ActionFallback().run(dispatcher, hesitant("hmm", ranking), {})
    (text,) = texts(dispatcher)
    assert text.startswith("Sorry, dat begreep ik niet helemaal")


async def test_inside_a_form_the_form_asks_its_own_question(
    dispatcher: CollectingDispatcher,
) -> None:
    tracker = hesitant(
        "geld of pakket",
        [("refund_status", 0.41), ("order_status", 0.38)],
        active_loop="verify_order_form",
    )
    await ActionFallback().run(dispatcher, tracker, {})
    assert "Ik twijfel" not in texts(dispatcher)[0]


def test_every_offerable_choice_has_a_plain_text_payload_in_both_languages() -> None:
    choices = [key for key in catalogue() if key.startswith("choice_")]
    assert "choice_refund_status" in choices and "choice_faq_refund_policy" in choices
    for key in choices:
        (button,) = catalogue()[key]["buttons"]
        assert not button["payload_nl"].startswith("/") and not button["payload_en"].startswith("/")


def test_candidates_need_both_intents_known() -> None:
    tracker = hesitant("x", [("faq", 0.4), ("order_status", 0.35)])  # faq without a topic
    assert candidates(tracker) == []


@pytest.mark.parametrize(
    ("text", "intent", "language", "start"),
    [
        ("bedankt", "thank", "nl", "Graag gedaan!"),
        ("hoi", "greet", "nl", "Hoi!"),
        ("hoe gaat het?", "greet", "nl", "Goed hoor, dank je!"),
        ("thanks!", "thank", "en", "You're welcome!"),
        ("how are you doing?", "greet", "en", "I'm doing well, thanks!"),
    ],
)
async def test_small_talk_in_a_form_gets_a_short_answer_and_the_way_out(
    dispatcher: CollectingDispatcher, text: str, intent: str, language: str, start: str
) -> None:
    tracker = make_tracker(
        text=text,
        intent=intent,
        slots={"language": language, "requested_slot": "order_number"},
        active_loop="verify_order_form",
    )
    events = await ActionSmalltalkInForm().run(dispatcher, tracker, {})
    (reply,) = texts(dispatcher)
    assert reply.startswith(start)
    assert ("'laat maar'" if language == "nl" else "'never mind'") in reply
    assert events == []  # no slot touched: the form asks its question again


async def test_a_search_typed_as_a_fragment_is_searched_not_asked_again(store: str) -> None:
    """'tent voor 4 personen' with an unclear intent: the catalogue's category makes it a search."""
    nl, en = CollectingDispatcher(), CollectingDispatcher()
    facts = [entity("category", "tents"), entity("attribute", "persons=4")]
    for dispatcher, text, language in (
        (nl, "tent voor 4 personen", "nl"),
        (en, "tent for four people", "en"),
    ):
        tracker = hesitant(text, [("product_question", 0.2)], language=language)
        tracker.latest_message["catalogue"] = facts
        await ActionFallback().run(dispatcher, tracker, {})
        cards = [c for m in dispatcher.messages for c in (m.get("custom") or {}).get("cards", [])]
        assert cards and cards[0]["sku"] == "TP-TNT-002", texts(dispatcher)  # Wadden Family 4


async def test_a_long_unclear_message_naming_a_category_is_asked_again(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    text = "mijn tent is gisteren kapot gegaan en nu weet ik echt niet wat ik moet doen"
    tracker = hesitant(text, [("complaint", 0.2)])
    tracker.latest_message["catalogue"] = [entity("category", "tents")]
    await ActionFallback().run(dispatcher, tracker, {})
    assert texts(dispatcher)[0].startswith(catalogue()["ask_rephrase"]["nl"][:20])


async def test_a_search_fragment_read_as_a_bare_answer_is_searched(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """The NLU may call 'tent voor 4 personen' an inform (a bare answer) outside any form."""
    tracker = make_tracker(text="tent voor 4 personen", intent="inform", slots={"language": "nl"})
    tracker.latest_message["catalogue"] = [
        entity("category", "tents"),
        entity("attribute", "persons=4"),
    ]
    await ActionHandleInform().run(dispatcher, tracker, {})
    cards = [c for m in dispatcher.messages for c in (m.get("custom") or {}).get("cards", [])]
    assert cards and cards[0]["sku"] == "TP-TNT-002", texts(dispatcher)  # Wadden Familie 4


def off_topic(text: str, language: str, facts: list[dict[str, Any]]) -> Tracker:
    tracker = make_tracker(text=text, intent="out_of_scope", slots={"language": language})
    tracker.latest_message["catalogue"] = facts
    return tracker


async def test_a_purchase_read_as_off_topic_is_searched(store: str) -> None:
    """'waar koop ik een goede tent voor 4 personen': the classifier said off-topic, but the
    message asks to buy something of the catalogue."""
    facts = [entity("category", "tents"), entity("attribute", "persons=4")]
    for text, language in (
        ("waar koop ik een goede tent voor 4 personen, ik ga met mijn gezin kamperen", "nl"),
        ("where could I purchase a tent for four people", "en"),
    ):
        dispatcher = CollectingDispatcher()
        await ActionOutOfScope().run(dispatcher, off_topic(text, language, facts), {})
        cards = [c for m in dispatcher.messages for c in (m.get("custom") or {}).get("cards", [])]
        assert cards and cards[0]["sku"] == "TP-TNT-002", texts(dispatcher)


async def test_off_topic_stays_off_topic_without_a_thing_to_buy(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    await ActionOutOfScope().run(dispatcher, off_topic("zet een wekker om 7 uur", "nl", []), {})
    long_story = "gisteren zat ik in mijn tent te lezen over de Romeinen, wist jij dat"
    await ActionOutOfScope().run(
        dispatcher, off_topic(long_story, "nl", [entity("category", "tents")]), {}
    )
    # Both get the off-topic text (rendered by the NLG endpoint, which also knows 'we don't
    # sell pizza'), not a search.
    assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"] * 2


async def test_a_thing_we_do_not_sell_is_not_searched_by_a_near_category(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    """'rackets' is one letter from 'jackets': the recogniser's typo tolerance may name rain
    gear, but the shopper asked for a thing we don't sell, and hears that."""
    tracker = off_topic("got any tennis rackets", "en", [entity("category", "rain_gear")])
    await ActionOutOfScope().run(dispatcher, tracker, {})
    (said,) = texts(dispatcher)
    assert said.startswith("Sorry, we don't sell tennis rackets."), said
