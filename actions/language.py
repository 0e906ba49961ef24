"""Follow the customer's language message by message (part of action_message_slots).

The conversation follows the `language` slot; the store's `Customer.language` follows the same
detector here, so a notice, an agent's reply hint or a WhatsApp template sent later uses the
language the customer last wrote in (an anonymous customer who writes English is English).
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.exc import SQLAlchemyError

from actions.common import store_session
from actions.identity import channel_identity
from bot.handoff import queue
from bot.language import LANGUAGES
from bot.store import identities

logger = logging.getLogger(__name__)


def remember_language(tracker: Tracker, language: str) -> None:
    """Write the detected language back to the customer behind this channel identity (and to
    their open handoff, whose language the agent console's canned responses use)."""
    try:
        with store_session() as session:
            identity = channel_identity(session, tracker)
            if identity is None:
                return
            identities.remember_language(session, identity=identity, language=language)
            # The agent's canned responses follow the customer's language while they wait or talk.
            handoff = queue.open_handoff(session, tracker.sender_id)
            if handoff is not None and handoff.language != language:
                handoff.language = language
    except SQLAlchemyError:
        # The reply still goes out in the right language; only later notices would miss it.
        logger.exception("could not store the language of %s", tracker.sender_id)


def follow_language(tracker: Tracker) -> list[EventType]:
    """Switch to the language the NLU saw in this message; keep it when the message is unclear."""
    detected = tracker.latest_message.get("language")
    if detected not in LANGUAGES:
        return []
    remember_language(tracker, detected)
    if detected != tracker.get_slot("language"):
        return [SlotSet("language", detected)]
    return []
