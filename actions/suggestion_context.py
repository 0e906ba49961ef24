"""What a suggestion needs to know about the conversation, read from the tracker: the context
(channel, language, product, verified orders, size) and the signals that say "not now"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.common import language_of
from actions.identity import channel_identity
from bot.store import identities
from bot.store.handoff_models import SurveyAnswer
from bot.store.models import Order, Return, utcnow
from bot.suggestions.candidates import Context
from bot.suggestions.suppression import Signals

# Actions after which the customer has been served: a suggestion may follow their thanks.
SERVED = (
    "action_answer_product",
    "action_perform_order_act",
    "action_change_delivery",
    "action_cancel_order",
    "action_create_return",
    "utter_faq",
)
# The acts that end with actions/sales_moment.py's `at_act_end`, which may offer a suggestion:
# a "ja"/"nee" right after one of them may answer it.
ACT_ENDS = (
    "action_perform_order_act",
    "action_change_delivery",
    "action_create_return",
    "action_answer_product",
)
# Actions whose reply is unwelcome news: nothing is offered in the same turn.
BAD_NEWS = ("action_announce_delay", "action_handoff", "action_fallback")


def session_events(tracker: Tracker) -> list[dict[str, Any]]:
    """The events of the current session (after the last session_started)."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index + 1 :]
    return events


def session_start(tracker: Tracker) -> dt.datetime | None:
    for event in reversed(list(tracker.events)):
        if event.get("event") == "session_started" and event.get("timestamp"):
            return dt.datetime.fromtimestamp(float(event["timestamp"]), tz=dt.timezone.utc)
    return None


def _intents(events: Iterable[dict[str, Any]]) -> set[str]:
    return {
        str((e.get("parse_data") or {}).get("intent", {}).get("name"))
        for e in events
        if e.get("event") == "user"
    }


def _actions(events: Iterable[dict[str, Any]]) -> set[str]:
    return {str(e.get("name")) for e in events if e.get("event") == "action"}


def this_turn(tracker: Tracker) -> list[dict[str, Any]]:
    """The events since the customer's latest message."""
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return events[index + 1 :]
    return events


def served(tracker: Tracker) -> bool:
    return bool(_actions(session_events(tracker)) & set(SERVED)) or (
        tracker.get_slot("order_step") == "done"
    )


def channel_of(tracker: Tracker) -> str:
    parts = identities.split_conversation_id(tracker.sender_id or "")
    return parts[0] if parts else "rest"


def store_customer_id(session: Session, tracker: Tracker) -> int | None:
    """The customer record behind this channel identity (anonymous ones too): for cool-downs,
    suppressions and back-in-stock notices; never used to read purchase history."""
    identity = channel_identity(session, tracker)
    return None if identity is None else identities.live(session, identity.customer).id


def context_of(tracker: Tracker, *, now: dt.datetime | None = None) -> Context:
    verified_id = tracker.get_slot("customer_id")
    return Context(
        conversation_id=tracker.sender_id or "",
        channel=channel_of(tracker),
        language=language_of(tracker),
        now=now or utcnow(),
        customer_id=int(verified_id) if verified_id is not None else None,
        product_sku=tracker.get_slot("product"),
        order_numbers=tuple(tracker.get_slot("verified_orders") or ()),
        shopper_size=tracker.get_slot("shopper_size"),
        session_start=session_start(tracker),
    )


def _csat(session: Session, tracker: Tracker, since: dt.datetime | None) -> int | None:
    query = select(SurveyAnswer.score).where(
        SurveyAnswer.conversation_id == (tracker.sender_id or ""), SurveyAnswer.kind == "csat"
    )
    if since is not None:
        query = query.where(SurveyAnswer.answered_at >= since)
    return session.scalar(query.order_by(SurveyAnswer.id.desc()).limit(1))


def _returned(session: Session, tracker: Tracker, since: dt.datetime | None) -> bool:
    """A return registered in this conversation for an order it verified."""
    numbers = list(tracker.get_slot("verified_orders") or ())
    if not numbers or "action_create_return" not in _actions(session_events(tracker)):
        return False
    query = (
        select(Return.id)
        .join(Order, Order.id == Return.order_id)
        .where(Order.order_number.in_(numbers))
    )
    if since is not None:
        query = query.where(Return.created_at >= since)
    return session.scalar(query.limit(1)) is not None


def signals_of(session: Session, tracker: Tracker) -> Signals:
    events = session_events(tracker)
    intents, actions = _intents(events), _actions(events)
    handoff_status = tracker.get_slot("handoff_status")
    return Signals(
        complaint="complaint" in intents or handoff_status == "offered",
        delay="EXTERNAL_delivery_delayed" in intents or "action_announce_delay" in actions,
        verification_failed=float(tracker.get_slot("verification_failures") or 0) > 0,
        handoff=handoff_status is not None or "action_handoff" in actions,
        csat_score=_csat(session, tracker, session_start(tracker)),
        bad_news=bool(_actions(this_turn(tracker)) & set(BAD_NEWS)),
        returned=_returned(session, tracker, session_start(tracker)),
    )
