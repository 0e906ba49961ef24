"""One suggestion where a service act ends, without waiting for the customer's thanks (#14).

Every act calls `at_act_end` once, as its last step, with the catalogue key of the reply it
ended with and its own events. What that ending means (good news, bad news, a return, or no
moment) is decided in one table, bot/suggestions/moments.py; whether a suggestion may come and
which one is the engine's (bot/suggestions/engine.py), exactly as after "bedankt"
(actions/suggestions.py), so every suppression is recorded with its reason and there is at
most one per conversation.
"""

from __future__ import annotations

from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, store_session
from actions.identity import verified_customer
from actions.suggestion_context import context_of, signals_of
from actions.suggestions import ask, show_pick
from bot.suggestions import moments
from bot.suggestions.config import suggestion_config
from bot.suggestions.engine import suggest


def _slot(events: list[EventType], name: str) -> tuple[bool, object]:
    """(set?, value) of the act's own last SlotSet of `name`."""
    found = [e for e in events if e.get("event") == "slot" and e.get("name") == name]
    return (True, found[-1].get("value")) if found else (False, None)


def at_act_end(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    ending: str,
    events: list[EventType] | None = None,
) -> list[EventType]:
    """The act ended with reply `ending`: one suggestion when that is good news and nothing
    says "not now", a recorded suppression when it is bad news or a return. Returns the
    events to add to the act's own."""
    meaning = moments.meaning(ending)
    if meaning is None:
        return []
    if (tracker.active_loop or {}).get("name"):
        return []  # a question in the middle of a form: the form's question comes next
    own = list(events or [])
    context = context_of(tracker)
    has_product, product = _slot(own, "product")
    if has_product:
        context = replace(context, product_sku=str(product) if product else None)
    has_orders, orders = _slot(own, "verified_orders")
    if has_orders and isinstance(orders, list):
        context = replace(context, order_numbers=tuple(str(o) for o in orders))
    language = language_of(tracker)
    with store_session() as session:
        if context.customer_id is None:
            # verified in this very turn (order number + postcode): the `customer_id` slot
            # follows with the next message, but the "no thanks" and history count now
            customer = verified_customer(session, tracker)
            if customer is not None:
                context = replace(context, customer_id=customer.id)
        signals = signals_of(session, tracker)
        signals = replace(
            signals,
            bad_news=signals.bad_news or meaning == moments.BAD_NEWS,
            returned=signals.returned or meaning == moments.RETURN,
        )
        outcome = suggest(session, context=context, signals=signals, config=suggestion_config())
        pick = outcome.pick
        if pick is None:
            return []
        show_pick(dispatcher, pick, language)
        ask(dispatcher, language, pick.order.order_number if pick.order else None)
        suggestion_id = pick.suggestion.id
    return [SlotSet("suggestion", float(suggestion_id)), SlotSet("suggestion_step", "offered")]
