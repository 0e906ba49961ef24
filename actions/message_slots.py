"""The slots every customer message updates, in one call to the action server.

Rasa runs a custom slot mapping's action on every user message, before it predicts what to
do, and makes one HTTP call (with the whole tracker) per distinct action named. The language
(`language`), the customer behind the channel (`customer_id`, `customer_name`) and the
open suggestion (`suggestion_step`) all name this one action, so a message costs one call
here instead of one per concern (docs/dialogue.md). Each part stays in its own module.
"""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.identity import identify_customer
from actions.language import follow_language
from actions.suggestions import expire_suggestion

logger = logging.getLogger(__name__)


class ActionMessageSlots(Action):
    """Language, customer and the open suggestion, as of the message just received."""

    def name(self) -> str:
        return "action_message_slots"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = follow_language(tracker)
        try:
            events += identify_customer(tracker)
        except SQLAlchemyError:
            # The store is unreachable: the customer slots keep their values; the language
            # and the suggestion are still followed (they were separate calls before).
            logger.exception("could not look up the customer of %s", tracker.sender_id)
        return events + expire_suggestion(tracker)
