"""Order status and the verification every order act goes through first."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import (
    ACT_SLOTS,
    language_of,
    reset_act,
    say,
    shop,
    store_session,
    verified,
)
from actions.handoff import hand_off
from actions.identity import link_after_verification
from actions.order_replies import state_text, status_reply
from actions.refunds import tell_refund
from actions.returns import refuse_return
from actions.sales_moment import at_act_end
from bot.store.orders import (
    CANCELLABLE,
    DATE_CHANGEABLE,
    RETURNABLE,
    find_order,
    verify_order,
)
from bot.text import normalise_order_number, normalise_postcode
from bot.texts import render

MAX_FAILURES = 3
INTENT_TO_ACT = {
    "order_status": "status",
    "change_delivery": "change_delivery",
    "cancel_order": "cancel",
    "return_request": "return",
    "refund_status": "refund",
}


def is_order_number(value: str) -> bool:
    return value.isdigit() and 5 <= len(value) <= 6


def customer_id(tracker: Tracker) -> int | None:
    value = tracker.get_slot("customer_id")
    return int(value) if value is not None else None


def try_verify(tracker: Tracker, order_number: str, postcode: str | None) -> bool:
    with store_session() as session:
        order = verify_order(
            session=session,
            order_number=order_number,
            postcode=postcode,
            customer_id=customer_id(tracker),
        )
        if order is not None and postcode:
            link_after_verification(tracker, order, session)
        return order is not None


class ActionStartOrderAct(Action):
    """Remember which act the customer wants and whether the order still needs verifying.

    Sets `order_step` to "verify" (the form asks) or "verified" (straight on); the rules in
    data/rules/orders.yml follow it.
    """

    def name(self) -> str:
        return "action_start_order_act"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        act = INTENT_TO_ACT.get(tracker.get_intent_of_latest_message() or "", "status")
        events: list[EventType] = [
            SlotSet(slot, None) for slot in ACT_SLOTS if slot != "pending_act"
        ]
        events.append(SlotSet("pending_act", act))
        number = normalise_order_number(tracker.get_slot("order_number") or "")
        if is_order_number(number):
            if verified(tracker, number):
                return [*events, SlotSet("order_step", "verified")]
            postcode = tracker.get_slot("postcode")
            if (postcode or customer_id(tracker) is not None) and try_verify(
                tracker, number, postcode
            ):
                known = [*(tracker.get_slot("verified_orders") or []), number]
                return [
                    *events,
                    SlotSet("order_number", number),
                    SlotSet("verified_orders", known),
                    SlotSet("order_step", "verified"),
                ]
        elif tracker.get_slot("order_number"):
            events.append(SlotSet("order_number", None))
        return [*events, SlotSet("postcode", None), SlotSet("order_step", "verify")]


class ValidateVerifyOrderForm(FormValidationAction):
    """Order number + postcode (or a verified customer) before any order detail is shown."""

    def name(self) -> str:
        return "validate_verify_order_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if (tracker.get_slot("verification_failures") or 0) >= MAX_FAILURES:
            return []
        if verified(tracker, tracker.get_slot("order_number")):
            return []
        return ["order_number", "postcode"]

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"order_number": None}  # cleared by the start of a new act: nothing to check
        number = normalise_order_number(str(value))
        if not is_order_number(number):
            say(dispatcher, language_of(tracker), "order_number_invalid")
            return {"order_number": None}
        if customer_id(tracker) is not None and try_verify(tracker, number, None):
            return {"order_number": number, **self._verified(tracker, number)}
        postcode = tracker.get_slot("postcode")
        if postcode:
            return self._check_pair(dispatcher, tracker, number, postcode)
        return {"order_number": number}

    def validate_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"postcode": None}
        postcode = normalise_postcode(str(value))
        if postcode is None:
            say(dispatcher, language_of(tracker), "postcode_invalid")
            return {"postcode": None}
        number = tracker.get_slot("order_number")
        if not number or verified(tracker, number):
            return {"postcode": postcode}  # no number yet: checked when it comes
        return self._check_pair(dispatcher, tracker, number, postcode)

    @staticmethod
    def _verified(tracker: Tracker, number: str) -> dict[str, Any]:
        known = [*(tracker.get_slot("verified_orders") or []), number]
        return {"verified_orders": known, "verification_failures": 0}

    def _check_pair(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, number: str, postcode: str
    ) -> dict[str, Any]:
        """Wrong number and wrong postcode get the same answer, so guessing learns nothing."""
        if try_verify(tracker, number, postcode):
            return {"order_number": number, "postcode": postcode, **self._verified(tracker, number)}
        failures = (tracker.get_slot("verification_failures") or 0) + 1
        if failures < MAX_FAILURES:
            say(dispatcher, language_of(tracker), "verification_failed")
        return {"order_number": None, "postcode": None, "verification_failures": failures}


class ActionPerformOrderAct(Action):
    """After verification: answer the status, or start the act's own form when allowed."""

    def name(self) -> str:
        return "action_perform_order_act"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        number = tracker.get_slot("order_number")
        if not verified(tracker, number):  # three failures: a colleague takes over
            forget = [*reset_act(), SlotSet("order_number", None), SlotSet("postcode", None)]
            return [*forget, *hand_off(dispatcher, tracker, "verification")]
        act = tracker.get_slot("pending_act") or "status"
        events: list[EventType] = []
        with store_session() as session:
            order = find_order(session=session, order_number=number)
            if order is None:  # removed since verification
                say(dispatcher, language, "verification_failed")
                return reset_act()
            status = order.status
            if act == "status":
                ending, variables = status_reply(order, language, shop())
                say(dispatcher, language, ending, **variables)
                if order.pickup_point and status not in ("delivered", "cancelled", "returned"):
                    say(dispatcher, language, "order_pickup_point", pickup_point=order.pickup_point)
            elif act == "refund":
                ending, events = tell_refund(dispatcher, tracker, order, language)
            elif act == "cancel":
                if status in CANCELLABLE:
                    return [SlotSet("order_step", "cancel")]
                ending = (
                    "cancel_refused_cancelled"
                    if status == "cancelled"
                    else "cancel_refused_shipped"
                )
                say(
                    dispatcher,
                    language,
                    ending,
                    order_number=number,
                    return_days=shop().return_days,
                )
            elif act == "change_delivery":
                if status in DATE_CHANGEABLE:
                    return [SlotSet("order_step", "change_delivery"), *named_change(tracker)]
                ending = refuse_delivery_change(
                    dispatcher, language, number, state_text(order, language), status
                )
            elif status in RETURNABLE:
                return [SlotSet("order_step", "return")]
            else:
                ending = refuse_return(dispatcher, order, language)
        # the act is over: one suggestion when it went well (actions/sales_moment.py)
        return [*reset_act(), *events, *at_act_end(dispatcher, tracker, ending)]


def named_change(tracker: Tracker) -> list[EventType]:
    """'Kan hij naar een afhaalpunt?' already says what to change: the form need not ask.

    Only when this very message started the act (not the postcode that finished verifying).
    """
    from actions.delivery import change_type

    if tracker.get_intent_of_latest_message() != "change_delivery":
        return []
    kind = change_type(tracker.latest_message.get("text") or "")
    return [SlotSet("delivery_change_type", kind)] if kind else []


def refuse_delivery_change(
    dispatcher: CollectingDispatcher, language: str, number: str, state: str, status: str
) -> str:
    """Say why the delivery can no longer be changed, and what the customer can do instead;
    the reply's key."""
    say(
        dispatcher,
        language,
        "delivery_change_refused",
        order_number=number,
        state=state,
        advice=refusal_advice(status, language),
    )
    return "delivery_change_refused"


def refusal_advice(status: str, language: str) -> str:
    """What the customer can do instead, for the states that have such advice."""
    if status in ("out_for_delivery", "delivered"):
        return render(f"advice_{status}", language)["text"]
    return ""


class ActionResetOrderAct(Action):
    """Forget a stopped act, so the next question starts clean."""

    def name(self) -> str:
        return "action_reset_order_act"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return reset_act()
