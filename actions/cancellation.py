"""Cancel an order that has not shipped yet, after the customer confirms."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, reset_act, say, shop, store_session, verified
from actions.order_replies import items_text, total_text
from bot.store.orders import cancel_order, find_order


class ActionAskConfirmCancel(Action):
    """Name the order, its items and amount, so the customer knows what they cancel."""

    def name(self) -> str:
        return "action_ask_confirm_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        number = tracker.get_slot("order_number")
        with store_session() as session:
            order = find_order(session=session, order_number=number)
            items = items_text(order, language) if order else ""
            total = total_text(order, language) if order else ""
        say(
            dispatcher,
            language,
            "ask_confirm_cancel",
            order_number=number,
            items=items,
            total=total,
        )
        return []


class ActionCancelOrder(Action):
    def name(self) -> str:
        return "action_cancel_order"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        number = tracker.get_slot("order_number")
        if not verified(tracker, number):
            return reset_act()
        if not tracker.get_slot("confirm_cancel"):
            say(dispatcher, language, "cancel_kept", order_number=number)
            return reset_act()
        with store_session() as session:
            order = find_order(session=session, order_number=number)
            if order is None:
                return reset_act()
            result = cancel_order(session=session, order=order)
            total = total_text(order, language)
        if result.done:
            say(dispatcher, language, "order_cancelled", order_number=number, total=total)
        elif result.reason == "already_cancelled":
            say(dispatcher, language, "cancel_refused_cancelled", order_number=number)
        else:
            say(
                dispatcher,
                language,
                "cancel_refused_shipped",
                order_number=number,
                return_days=shop().return_days,
            )
        return reset_act()
