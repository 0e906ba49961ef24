"""Leaving a message when nobody can take the conversation live: it becomes a ticket."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, say, shop, store_session
from actions.conversation import answer_smalltalk
from actions.handoff import (
    HANDOFF_SLOTS,
    MAX_MESSAGE,
    channel_place,
    is_skip,
    is_smalltalk,
    summary,
)
from actions.identity import channel_identity
from bot.handoff import queue
from bot.store import identities


class ActionAskHandoffMessage(Action):
    """leave_message_form asks for the message."""

    def name(self) -> str:
        return "action_ask_handoff_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        say(dispatcher, language, "ask_handoff_message", place=channel_place(tracker, language))
        return []


class ValidateLeaveMessageForm(FormValidationAction):
    def name(self) -> str:
        return "validate_leave_message_form"

    def validate_handoff_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"handoff_message": None}  # nothing written yet (the form is starting)
        text = " ".join(str(value).split())
        if is_skip(tracker, text):
            return {"handoff_message": None, "requested_slot": None}  # ends the form
        if not text:
            say(dispatcher, language_of(tracker), "empty_message")
            return {"handoff_message": None}
        if is_smalltalk(tracker.get_intent_of_latest_message(), text):
            answer_smalltalk(dispatcher, tracker)  # then the question again: no ticket "bedankt"
            return {"handoff_message": None}
        return {"handoff_message": text[:MAX_MESSAGE]}


class ActionLeaveMessage(Action):
    """leave_message_form is done: the message becomes a ticket for the team."""

    def name(self) -> str:
        return "action_leave_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        message = tracker.get_slot("handoff_message")
        cleared: list[EventType] = [SlotSet(slot, None) for slot in HANDOFF_SLOTS]
        if not message:
            say(dispatcher, language, "leave_message_skipped")
            return cleared
        with store_session() as session:
            identity = channel_identity(session, tracker)
            if identity is not None:
                queue.create_ticket(
                    session,
                    conversation_id=tracker.sender_id,
                    customer_id=identities.who(session, identity).customer_id,
                    channel=identity.channel,
                    language=language,
                    reason=tracker.get_slot("handoff_reason") or "message",
                    message=message,
                    summary=summary(tracker),
                )
        if identity is None:
            say(dispatcher, language, "contact_customer_service", contact=shop().contact(language))
            return cleared
        say(dispatcher, language, "leave_message_saved", place=channel_place(tracker, language))
        return cleared
