"""CSAT after a colleague resolved the question (stored per agent), and now and then NPS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.surveys import (
    ActionAskCsat,
    ActionAskCsatScore,
    ActionSubmitCsat,
    ActionSubmitNps,
    ValidateCsatForm,
    ValidateNpsForm,
    parse_score,
)
from bot import retailer as retailer_module
from bot.handoff import policy as policy_module
from bot.handoff import queue
from bot.store.handoff_models import Handoff, SurveyAnswer
from tests.helpers.handoff import (
    WEB,
    WEEKDAYS,
    db,
    on_channel,
    open_handoff_with_agent,
    slot,
    use_retailer,
    user,
    write_retailer,
)
from tests.helpers.trackers import texts


@pytest.fixture
def nps_every(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    def every(n: int) -> None:
        path = write_retailer(
            tmp_path,
            {day: "always" for day in WEEKDAYS},
            {"nps_every_nth_csat": n, "nps_min_days_between": 90},
        )
        use_retailer(monkeypatch, path)

    every(3)
    yield every
    policy_module.policy.cache_clear()
    retailer_module.retailer.cache_clear()


def resolved(url: str, name: str = "Sanne Jansen") -> Handoff:
    """A conversation an agent just resolved."""
    handoff_id = open_handoff_with_agent(url, name=name)
    with db(url) as session, session.begin():
        handoff = session.get(Handoff, handoff_id)
        assert handoff is not None
        queue.close(session, handoff, "resolved")
        session.flush()
        session.expunge(handoff)
        return handoff


def answers(url: str) -> list[SurveyAnswer]:
    with db(url) as session:
        found = list(session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)))
        session.expunge_all()
        return found


def in_form(form: str, text: str, intent: str = "inform", answers_before: int = 0, **slots: Any):  # type: ignore[no-untyped-def]
    earlier = [user(f"antwoord {n}", "inform") for n in range(answers_before)]
    return on_channel(
        WEB,
        text=text,
        intent=intent,
        active_loop=form,
        events=[{"event": "active_loop", "name": form}, *earlier],
        slots=slots,
    )


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("4", 4),
        ("4 sterren", 4),
        ("vier", 4),
        ("four", 4),
        ("Een vier!", 4),
        ("4/5", 4),
        ("⭐⭐⭐", 3),
        ("5 (top)", 5),
        ("0", None),
        ("6", None),
        ("4,5", None),
        ("goed", None),
        ("", None),
    ],
)
def test_csat_scores_are_read_in_both_languages(text: str, score: int | None) -> None:
    assert parse_score(text, 1, 5) == score


def test_nps_scores_go_from_0_to_10() -> None:
    assert [parse_score(t, 0, 10) for t in ("0", "10", "tien", "nine", "10/10", "11")] == [
        0,
        10,
        10,
        9,
        10,
        None,
    ]


async def test_ask_csat_names_the_agent_and_starts_the_form(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    resolved(store, "Sanne Jansen")
    events = await ActionAskCsat().run(dispatcher, on_channel(WEB), {})
    (message,) = dispatcher.messages
    assert message["text"] == (
        "Hoe tevreden ben je over de hulp van Sanne? Geef een cijfer van 1 (slecht) tot 5 (top)."
    )
    assert [b["payload"] for b in message["buttons"]] == ["1", "2", "3", "4", "5"]
    assert [(e["event"], e.get("name"), e.get("value")) for e in events[-3:]] == [
        ("slot", "requested_slot", "csat_score"),
        ("active_loop", "csat_form", None),
        ("action", "action_listen", None),
    ]
    english = CollectingDispatcher()
    await ActionAskCsatScore().run(english, on_channel(WEB, slots={"language": "en"}), {})
    assert texts(english)[0].startswith("How satisfied are you with Sanne's help?")


async def test_no_resolved_handoff_no_question(
    store: str, dispatcher: CollectingDispatcher
) -> None:
    events = await ActionAskCsat().run(dispatcher, on_channel(WEB), {})
    assert dispatcher.messages == []
    assert [e["event"] for e in events] == ["action"]


@pytest.mark.parametrize(("text", "value"), [("4", "4"), ("4 sterren", "4"), ("vier", "4")])
def test_a_score_is_accepted(store: str, text: str, value: str) -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateCsatForm().validate_csat_score(
        text, dispatcher, in_form("csat_form", text), {}
    )
    assert result == {"csat_score": value} and dispatcher.messages == []


def test_garbage_is_asked_again_then_dropped(store: str) -> None:
    validate = ValidateCsatForm().validate_csat_score
    dispatcher = CollectingDispatcher()
    result = validate("heel goed eigenlijk", dispatcher, in_form("csat_form", "heel goed"), {})
    assert result == {"csat_score": None}
    assert texts(dispatcher) == ["Dat kon ik niet als cijfer lezen."]
    third = in_form("csat_form", "wat?", answers_before=2)
    assert validate("wat?", CollectingDispatcher(), third, {}) == {
        "csat_score": None,
        "requested_slot": None,
    }


@pytest.mark.parametrize(("text", "intent"), [("laat maar", "stop"), ("skip", "stop")])
def test_laat_maar_ends_the_survey(store: str, text: str, intent: str) -> None:
    result = ValidateCsatForm().validate_csat_score(
        text, CollectingDispatcher(), in_form("csat_form", text, intent), {}
    )
    assert result == {"csat_score": None, "requested_slot": None}


@pytest.mark.parametrize(
    ("text", "intent", "value"),
    [
        ("nee", "deny", "-"),
        ("no thanks", "deny", "-"),
        ("laat maar", "stop", "-"),
        ("Sanne was super snel, top!", "thank", "Sanne was super snel, top!"),
        ("nee, maar het duurde wel lang voordat iemand reageerde", "deny", None),
    ],
)
def test_the_comment_is_optional(store: str, text: str, intent: str, value: str | None) -> None:
    result = ValidateCsatForm().validate_csat_comment(
        text, CollectingDispatcher(), in_form("csat_form", text, intent), {}
    )
    assert result == {"csat_comment": value or text}


async def test_csat_is_stored_with_the_agent_and_comment(
    store: str, nps_every: Any, dispatcher: CollectingDispatcher
) -> None:
    handoff = resolved(store)
    tracker = on_channel(WEB, text="top", slots={"csat_score": "4", "csat_comment": "Snel!"})
    events = await ActionSubmitCsat().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["Dank je wel voor je beoordeling!"]
    assert slot(events, "nps_due") is False and slot(events, "csat_score") is None
    (answer,) = answers(store)
    assert (answer.kind, answer.score, answer.comment) == ("csat", 4, "Snel!")
    assert (answer.handoff_id, answer.agent_id) == (handoff.id, handoff.agent_id)
    assert answer.customer_id == handoff.customer_id and answer.conversation_id == WEB


async def test_no_comment_is_stored_as_none(store: str, nps_every: Any) -> None:
    resolved(store)
    tracker = on_channel(WEB, slots={"csat_score": "5", "csat_comment": "-"})
    await ActionSubmitCsat().run(CollectingDispatcher(), tracker, {})
    assert answers(store)[0].comment is None


async def test_a_skipped_survey_stores_nothing(
    store: str, nps_every: Any, dispatcher: CollectingDispatcher
) -> None:
    resolved(store)
    events = await ActionSubmitCsat().run(dispatcher, on_channel(WEB), {})
    assert texts(dispatcher) == ["Geen probleem. Waarmee kan ik je nog helpen?"]
    assert slot(events, "nps_due") is False
    assert answers(store) == []


async def test_nps_only_when_due(store: str, nps_every: Any) -> None:
    """Every third CSAT answer, and not again within 90 days of the last NPS answer."""
    due = []
    for score in ("4", "5", "3"):
        resolved(store)
        tracker = on_channel(WEB, slots={"csat_score": score, "csat_comment": "-"})
        due.append(
            slot(await ActionSubmitCsat().run(CollectingDispatcher(), tracker, {}), "nps_due")
        )
    assert due == [False, False, True]

    dispatcher = CollectingDispatcher()
    result = ValidateNpsForm().validate_nps_score("9", dispatcher, in_form("nps_form", "9"), {})
    assert result == {"nps_score": "9"}
    events = await ActionSubmitNps().run(
        dispatcher, on_channel(WEB, slots={"nps_score": "9", "nps_due": True}), {}
    )
    assert texts(dispatcher) == ["Dank je wel, daar hebben we echt wat aan!"]
    assert slot(events, "nps_due") is False
    nps = [a for a in answers(store) if a.kind == "nps"]
    assert [(a.score, a.agent_id) for a in nps] == [(9, None)]

    for score in ("4", "5", "3"):  # three more CSAT answers, but the last NPS was just now
        resolved(store)
        tracker = on_channel(WEB, slots={"csat_score": score, "csat_comment": "-"})
        events = await ActionSubmitCsat().run(CollectingDispatcher(), tracker, {})
    assert slot(events, "nps_due") is False

    with db(store) as session, session.begin():
        for answer in session.scalars(select(SurveyAnswer).where(SurveyAnswer.kind == "nps")):
            answer.answered_at -= dt.timedelta(days=91)
    for score in ("4", "5", "3"):
        resolved(store)
        tracker = on_channel(WEB, slots={"csat_score": score, "csat_comment": "-"})
        events = await ActionSubmitCsat().run(CollectingDispatcher(), tracker, {})
    assert slot(events, "nps_due") is True


def test_nps_garbage_and_skip(store: str) -> None:
    validate = ValidateNpsForm().validate_nps_score
    dispatcher = CollectingDispatcher()
    assert validate("hmm", dispatcher, in_form("nps_form", "hmm"), {}) == {"nps_score": None}
    assert texts(dispatcher) == ["Dat kon ik niet als cijfer van 0 tot 10 lezen."]
    assert validate("nee", dispatcher, in_form("nps_form", "nee", "deny"), {}) == {
        "nps_score": None,
        "requested_slot": None,
    }


async def test_a_survey_is_asked_once_per_handoff(
    store: str, nps_every: Any, dispatcher: CollectingDispatcher
) -> None:
    resolved(store)
    tracker = on_channel(WEB, slots={"csat_score": "4", "csat_comment": "-"})
    await ActionSubmitCsat().run(CollectingDispatcher(), tracker, {})
    await ActionAskCsat().run(dispatcher, on_channel(WEB), {})
    assert dispatcher.messages == []


def test_a_starting_form_has_nothing_to_validate(store: str) -> None:
    """On activation Rasa validates the (empty) slots: that is no answer, so no re-ask."""
    dispatcher = CollectingDispatcher()
    late = in_form("nps_form", "Heel snel geholpen", "thank", answers_before=5)
    assert ValidateNpsForm().validate_nps_score(None, dispatcher, late, {}) == {"nps_score": None}
    csat = ValidateCsatForm()
    assert csat.validate_csat_score(None, dispatcher, late, {}) == {"csat_score": None}
    assert csat.validate_csat_comment(None, dispatcher, late, {}) == {"csat_comment": None}
    assert dispatcher.messages == []


# Small talk while a survey waits for its answer: a short reply, then the question again.


@pytest.mark.parametrize(
    ("form", "text", "intent", "language", "reply"),
    [
        ("csat_form", "bedankt", "thank", "nl", "Graag gedaan!"),
        ("csat_form", "hoe gaat het?", "greet", "nl", "Goed hoor, dank je!"),
        ("nps_form", "thank you!", "thank", "en", "You're welcome!"),
        ("nps_form", "hi", "greet", "en", "Hi there!"),
    ],
)
def test_small_talk_is_no_score_and_no_attempt(
    store: str, form: str, text: str, intent: str, language: str, reply: str
) -> None:
    dispatcher = CollectingDispatcher()
    # two unreadable answers before: small talk must not use up the third attempt
    tracker = in_form(form, text, intent, answers_before=2, language=language)
    if form == "csat_form":
        result = ValidateCsatForm().validate_csat_score(text, dispatcher, tracker, {})
    else:
        result = ValidateNpsForm().validate_nps_score(text, dispatcher, tracker, {})
    assert result == {form.replace("_form", "_score"): None}
    (answer,) = texts(dispatcher)
    assert answer.startswith(reply)


@pytest.mark.parametrize(("text", "score"), [("5, bedankt!", "5"), ("4 thanks", "4")])
def test_a_score_with_thanks_is_the_score(store: str, text: str, score: str) -> None:
    tracker = in_form("csat_form", text, "thank")
    result = ValidateCsatForm().validate_csat_score(text, CollectingDispatcher(), tracker, {})
    assert result == {"csat_score": score}


def test_small_talk_after_the_comment_question(store: str) -> None:
    validate = ValidateCsatForm().validate_csat_comment
    thanks = in_form("csat_form", "dank je wel", "thank")
    assert validate("dank je wel", CollectingDispatcher(), thanks, {}) == {"csat_comment": "-"}
    dispatcher = CollectingDispatcher()
    hello = in_form("csat_form", "hello", "greet", language="en")
    assert validate("hello", dispatcher, hello, {}) == {"csat_comment": None}
    assert texts(dispatcher)[0].startswith("Hi there!")
