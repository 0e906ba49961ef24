"""Follow the customer's language message by message (a custom slot mapping)."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import LANGUAGES


class ActionDetectLanguage(Action):
    """Switch to the language the NLU saw in this message; keep it when the message is unclear."""

    def name(self) -> str:
        return "action_detect_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        detected = tracker.latest_message.get("language")
        if detected in LANGUAGES and detected != tracker.get_slot("language"):
            return [SlotSet("language", detected)]
        return []
