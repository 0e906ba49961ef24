"""The questions forms ask, as actions so they come from the bilingual reply catalogue."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, say


class AskAction(Action, ABC):
    """Asks for one form slot with reply `ask_<slot>`; slot values fill its variables."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The form slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        say(
            dispatcher,
            language_of(tracker),
            f"ask_{self.slot}",
            order_number=tracker.get_slot("order_number") or "",
        )
        return []


class ActionAskOrderNumber(AskAction):
    slot = "order_number"  # type: ignore[assignment]


class ActionAskPostcode(AskAction):
    slot = "postcode"  # type: ignore[assignment]


class ActionAskDeliveryChangeType(AskAction):
    slot = "delivery_change_type"  # type: ignore[assignment]


class ActionAskReturnReason(AskAction):
    slot = "return_reason"  # type: ignore[assignment]
