"""The delay notice, minimal (delays-core): announce each notice_id once, in the customer's
language. The delays-dialogue branch replaces this with the full notice and what follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import LANGUAGES, say, store_session
from bot.formatting import date_text, money_text
from bot.store import identities

DELAY_INTENT = "EXTERNAL_delivery_delayed"


def _entities(event: dict[str, Any]) -> dict[str, str]:
    parse = event.get("parse_data") or {}
    return {e.get("entity"): str(e.get("value") or "") for e in parse.get("entities") or []}


def times_triggered(tracker: Tracker, notice_id: str) -> int:
    """How often this notice reached this conversation: a worker retry repeats the trigger."""
    return sum(
        1
        for event in tracker.events
        if event.get("event") == "user"
        and (event.get("parse_data") or {}).get("intent", {}).get("name") == DELAY_INTENT
        and _entities(event).get("notice_id") == notice_id
    )


def customer_language(conversation_id: str) -> str:
    parts = identities.split_conversation_id(conversation_id)
    if parts is None:
        return "nl"
    with store_session() as session:
        identity = identities.find_identity(session, *parts)
        if identity is None:
            return "nl"
        language = identities.live(session, identity.customer).language
    return language if language in LANGUAGES else "nl"


def _date(value: str, language: str) -> str:
    return date_text(dt.date.fromisoformat(value), language) if value else ""


class ActionAnnounceDelay(Action):
    def name(self) -> str:
        return "action_announce_delay"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        found = _entities({"parse_data": tracker.latest_message or {}})
        notice_id = found.get("notice_id", "")
        if not notice_id or times_triggered(tracker, notice_id) > 1:
            return []  # announced before: a retried trigger sends nothing
        language = customer_language(tracker.sender_id)
        kind = found.get("notice_kind") or "first"
        order_number = found.get("order_number", "")
        new_date = _date(found.get("new_date", ""), language)
        if kind == "arrived":
            say(dispatcher, language, "delay_arrived", order_number=order_number)
        elif new_date:
            key = "delay_update" if kind == "update" else "delay_notice"
            say(dispatcher, language, key, order_number=order_number, new_date=new_date)
        else:
            say(dispatcher, language, "delay_notice_no_date", order_number=order_number)
        if found.get("voucher_code"):
            cents = round(float(found.get("voucher_value_eur") or 0) * 100)
            say(
                dispatcher,
                language,
                "delay_voucher",
                code=found["voucher_code"],
                value=money_text(cents, language),
                expires=_date(found.get("voucher_expires", ""), language),
            )
        return []
