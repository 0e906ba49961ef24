"""A new session (after 60 quiet minutes) that remembers a colleague still has the conversation.

Rasa's own session start forgets that the conversation was paused, so the bot would start
answering in the middle of an agent's conversation. This one behaves like Rasa's default
(SessionStarted, the slots carried over only when the domain says so, action_listen) and, when
the store says an agent has the conversation, pauses it again. A customer still waiting in the
queue keeps `handoff_status=waiting`, so "laat maar" still cancels the wait. It also starts in
the language the customer last wrote in (Customer.language), not in the default.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import (
    ActionExecuted,
    ConversationPaused,
    EventType,
    SessionStarted,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.common import store_session
from actions.identity import channel_identity
from bot.handoff import queue
from bot.language import DEFAULT_LANGUAGE, LANGUAGES
from bot.store import identities

logger = logging.getLogger(__name__)


def carried_over_slots(tracker: Tracker) -> list[EventType]:
    """The slot events of the ending session, with their metadata, as Rasa's default does."""
    carried: list[dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            carried = []
        elif kind == "slot":
            slot = {"event": "slot", "name": event.get("name"), "value": event.get("value")}
            if event.get("metadata"):
                slot["metadata"] = event["metadata"]
            carried.append(slot)
    return carried


def open_status(conversation_id: str) -> str | None:
    """'assigned' or 'waiting' when the store has an open handoff for this conversation."""
    try:
        with store_session() as session:
            handoff = queue.open_handoff(session, conversation_id)
            return handoff.status if handoff is not None else None
    except SQLAlchemyError:
        # Never keep a conversation from starting; the bot then simply answers.
        logger.exception("session start: could not look up handoffs of %s", conversation_id)
        return None


def stored_language(tracker: Tracker) -> str | None:
    """The language the store knows for this channel identity (the one the customer last wrote
    in), so a new session starts in it rather than in the default."""
    try:
        with store_session() as session:
            identity = channel_identity(session, tracker)
            if identity is None:
                return None
            return identities.live(session, identity.customer).language
    except SQLAlchemyError:
        logger.exception("session start: could not look up the language of %s", tracker.sender_id)
        return None


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        if (domain.get("session_config") or {}).get("carry_over_slots_to_new_session"):
            events.extend(carried_over_slots(tracker))
        language = stored_language(tracker)
        if language in LANGUAGES and language != DEFAULT_LANGUAGE:
            events.append(SlotSet("language", language))
        status = open_status(tracker.sender_id)
        if status == "assigned":
            events.extend([ConversationPaused(), SlotSet("handoff_status", "agent")])
        elif status == "waiting":
            events.append(SlotSet("handoff_status", "waiting"))
        events.append(ActionExecuted("action_listen"))
        return events
