"""Satisfaction after a colleague helped: CSAT (1-5, with an optional comment), now and then NPS.

The agent console runs `action_ask_csat` through Rasa's /execute when an agent resolves a
conversation. It asks the question and activates `csat_form` itself (nothing else would: no
user message, no prediction), so the customer's next message goes straight to the form. After
the CSAT answer is stored, `nps_due` tells the rules whether `nps_form` asks the NPS question.

"4", "4 sterren", "vier", "four" and the buttons all count; anything else is asked again
politely, and a customer who says "laat maar" or "skip" is not asked further (nothing stored).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.common import language_of, say, store_session
from actions.conversation import answer_smalltalk
from actions.handoff import MAX_MESSAGE, is_skip, is_smalltalk, words_of
from actions.identity import channel_identity
from bot.handoff import queue, surveys
from bot.handoff.policy import policy
from bot.store import identities
from bot.store.handoff_models import Handoff

NUMBER_WORDS = {
    "nul": 0,
    "zero": 0,
    "een": 1,
    "één": 1,
    "eentje": 1,
    "one": 1,
    "twee": 2,
    "two": 2,
    "drie": 3,
    "three": 3,
    "vier": 4,
    "four": 4,
    "vijf": 5,
    "five": 5,
    "zes": 6,
    "six": 6,
    "zeven": 7,
    "seven": 7,
    "acht": 8,
    "eight": 8,
    "negen": 9,
    "nine": 9,
    "tien": 10,
    "ten": 10,
}
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,2})(?![\d]|[.,]\d)")
NO_COMMENT = "-"
MAX_ATTEMPTS = 3  # after this many unreadable answers the question is dropped


def parse_score(value: Any, low: int, high: int) -> int | None:
    """The score in an answer: '4', '4 sterren', '4/5', 'vier', 'four', '⭐⭐⭐⭐'."""
    text = str(value or "").strip().lower()
    match = _NUMBER.search(text)
    if match:
        number = int(match.group(1))
    else:
        words = [NUMBER_WORDS[w] for w in re.findall(r"[^\W\d_]+", text) if w in NUMBER_WORDS]
        # "een" is also "a" ("een vier"): another number word wins
        others = [n for n in words if n != 1] if len(words) > 1 else words
        stars = text.count("⭐") + text.count("★")
        if others:
            number = others[0]
        elif stars:
            number = stars
        else:
            return None
    return number if low <= number <= high else None


def attempts(tracker: Tracker, form: str) -> int:
    """The customer's answers since the form started, this one included (small talk is none)."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            break
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent") or {}
            count += not is_smalltalk(intent.get("name"), event.get("text") or "")
    return count


def customer_of(session: Session, tracker: Tracker, handoff: Handoff) -> int:
    """The customer behind this conversation now (merges followed)."""
    identity = channel_identity(session, tracker)
    if identity is not None:
        return identities.who(session, identity).customer_id
    return int(identities.live(session, handoff.customer).id)


def agent_first_name(handoff: Handoff | None) -> str:
    if handoff is None or handoff.agent is None:
        return ""
    return str(handoff.agent.display_name).split()[0]


def ask_csat(dispatcher: CollectingDispatcher, language: str, agent: str) -> None:
    say(dispatcher, language, "ask_csat" if agent else "ask_csat_team", agent=agent)


class ActionAskCsat(Action):
    """After an agent resolved the conversation: ask the CSAT question and start csat_form."""

    def name(self) -> str:
        return "action_ask_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with store_session() as session:
            handoff = queue.last_resolved(session, tracker.sender_id)
            if handoff is None:
                return [ActionExecuted("action_listen")]
            if surveys.answered(session, handoff_id=handoff.id, kind="csat"):
                return [ActionExecuted("action_listen")]
            agent = agent_first_name(handoff)
        ask_csat(dispatcher, language_of(tracker), agent)
        return [
            SlotSet("csat_score", None),
            SlotSet("csat_comment", None),
            SlotSet("requested_slot", "csat_score"),
            ActiveLoop("csat_form"),
            # as if the bot had finished a normal turn: the form validates the next message
            ActionExecuted("action_listen"),
        ]


class ActionAskCsatScore(Action):
    """csat_form asks again after an answer it could not read."""

    def name(self) -> str:
        return "action_ask_csat_score"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        with store_session() as session:
            agent = agent_first_name(queue.last_resolved(session, tracker.sender_id))
        ask_csat(dispatcher, language_of(tracker), agent)
        return []


class ActionAskCsatComment(Action):
    def name(self) -> str:
        return "action_ask_csat_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, language_of(tracker), "ask_csat_comment")
        return []


class ValidateCsatForm(FormValidationAction):
    def name(self) -> str:
        return "validate_csat_form"

    def validate_csat_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"csat_score": None}  # nothing answered yet (the form is starting)
        text = str(value)
        if is_skip(tracker, text):
            return {"csat_score": None, "requested_slot": None}  # ends the form, stores nothing
        score = parse_score(text, 1, 5)
        if score is not None:
            return {"csat_score": str(score)}
        if is_smalltalk(tracker.get_intent_of_latest_message(), text):
            answer_smalltalk(dispatcher, tracker)  # then the question again
            return {"csat_score": None}
        if attempts(tracker, "csat_form") >= MAX_ATTEMPTS:
            return {"csat_score": None, "requested_slot": None}
        say(dispatcher, language_of(tracker), "csat_invalid")
        return {"csat_score": None}

    def validate_csat_comment(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"csat_comment": None}
        text = " ".join(str(value).split())
        intent = tracker.get_intent_of_latest_message()
        short = len(words_of(text).split()) <= 3
        # "nee" and a bare "bedankt" both mean: nothing to add
        if not text or is_skip(tracker, text) or (intent in ("deny", "thank") and short):
            return {"csat_comment": NO_COMMENT}
        if is_smalltalk(intent, text) and intent != "thank":
            answer_smalltalk(dispatcher, tracker)  # "hoi", "hoe gaat het?": the question again
            return {"csat_comment": None}
        return {"csat_comment": text[:MAX_MESSAGE]}


class ActionSubmitCsat(Action):
    """Store the CSAT answer for the agent who helped; say whether the NPS question is due."""

    def name(self) -> str:
        return "action_submit_csat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        events: list[EventType] = [SlotSet("csat_score", None), SlotSet("csat_comment", None)]
        score = parse_score(tracker.get_slot("csat_score"), 1, 5)
        if score is None:
            say(dispatcher, language, "survey_skipped")
            return [*events, SlotSet("nps_due", False)]
        comment = tracker.get_slot("csat_comment")
        due = False
        with store_session() as session:
            handoff = queue.last_resolved(session, tracker.sender_id)
            if handoff is not None:
                customer_id = customer_of(session, tracker, handoff)
                surveys.record(
                    session,
                    kind="csat",
                    score=score,
                    conversation_id=tracker.sender_id,
                    customer_id=customer_id,
                    handoff_id=handoff.id,
                    agent_id=handoff.agent_id,
                    comment=None if comment in (None, NO_COMMENT) else comment,
                )
                due = surveys.nps_due(session, customer_id, policy())
        say(dispatcher, language, "csat_thanks")
        if due:
            return [*events, SlotSet("nps_score", None), SlotSet("nps_due", True)]
        return [*events, SlotSet("nps_due", False)]


class ActionAskNpsScore(Action):
    def name(self) -> str:
        return "action_ask_nps_score"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(dispatcher, language_of(tracker), "ask_nps")
        return []


class ValidateNpsForm(FormValidationAction):
    def name(self) -> str:
        return "validate_nps_form"

    def validate_nps_score(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"nps_score": None}  # nothing answered yet (the form is starting)
        text = str(value)
        if is_skip(tracker, text):
            return {"nps_score": None, "requested_slot": None}
        score = parse_score(text, 0, 10)
        if score is not None:
            return {"nps_score": str(score)}
        if is_smalltalk(tracker.get_intent_of_latest_message(), text):
            answer_smalltalk(dispatcher, tracker)  # then the question again
            return {"nps_score": None}
        if attempts(tracker, "nps_form") >= MAX_ATTEMPTS:
            return {"nps_score": None, "requested_slot": None}
        say(dispatcher, language_of(tracker), "nps_invalid")
        return {"nps_score": None}


class ActionSubmitNps(Action):
    def name(self) -> str:
        return "action_submit_nps"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        events: list[EventType] = [SlotSet("nps_score", None), SlotSet("nps_due", False)]
        score = parse_score(tracker.get_slot("nps_score"), 0, 10)
        if score is None:
            say(dispatcher, language, "survey_skipped")
            return events
        with store_session() as session:
            handoff = queue.last_resolved(session, tracker.sender_id)
            if handoff is not None:
                surveys.record(
                    session,
                    kind="nps",
                    score=score,
                    conversation_id=tracker.sender_id,
                    customer_id=customer_of(session, tracker, handoff),
                    handoff_id=handoff.id,
                )
        say(dispatcher, language, "nps_thanks")
        return events
