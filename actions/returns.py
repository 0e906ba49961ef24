"""Returns within the retailer's return period, with a return code and instructions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, reset_act, say, shop, store_session, verified
from actions.order_replies import items_text
from actions.sales_moment import at_act_end
from bot.formatting import date_text
from bot.store.models import Order
from bot.store.orders import create_return, find_order, return_deadline

DAMAGE_WORDS = (
    "beschadigd",
    "kapot",
    "stuk",
    "defect",
    "scheur",
    "damaged",
    "broken",
    "torn",
    "faulty",
)


def refuse_return(dispatcher: CollectingDispatcher, order: Order, language: str) -> str:
    """Explain why this order cannot be returned and what the customer can do instead; the
    reply's key."""
    policy = shop()
    number = order.order_number
    existing = [r for r in order.returns if r.status != "rejected"]
    deadline = return_deadline(order, policy.return_days)
    delivered = [s.delivered_at for s in order.shipments if s.delivered_at]
    status = order.status
    if existing:
        say(
            dispatcher,
            language,
            "return_already",
            order_number=number,
            return_code=existing[0].return_code,
        )
        return "return_already"
    if status == "cancelled":
        say(dispatcher, language, "return_refused_cancelled", order_number=number)
        return "return_refused_cancelled"
    if deadline is not None and delivered:
        say(
            dispatcher,
            language,
            "return_refused_too_late",
            order_number=number,
            delivered=date_text(max(delivered), language),
            return_days=policy.return_days,
            deadline=date_text(deadline, language),
        )
        return "return_refused_too_late"
    say(dispatcher, language, "return_refused_not_delivered", order_number=number)
    return "return_refused_not_delivered"


class ValidateReturnForm(FormValidationAction):
    def name(self) -> str:
        return "validate_return_form"

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reason = " ".join(str(value or "").split())[:1000]
        return {"return_reason": reason or None}


class ActionCreateReturn(Action):
    def name(self) -> str:
        return "action_create_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        policy = shop()
        number = tracker.get_slot("order_number")
        reason = tracker.get_slot("return_reason") or ""
        if not verified(tracker, number):
            return reset_act()
        with store_session() as session:
            order = find_order(session=session, order_number=number)
            if order is None:
                return reset_act()
            result = create_return(
                session=session, order=order, reason=reason, return_days=policy.return_days
            )
            if not result.done:
                ending = refuse_return(dispatcher, order, language)
            else:
                ending = "return_created"
                deadline = return_deadline(order, policy.return_days)
                say(
                    dispatcher,
                    language,
                    ending,
                    return_code=result.code,
                    items=items_text(order, language),
                    deadline=date_text(deadline, language) if deadline else "",
                )
                if any(word in reason.lower() for word in DAMAGE_WORDS):
                    say(dispatcher, language, "return_damaged", email=policy.email)
        return [*reset_act(), *at_act_end(dispatcher, tracker, ending)]
