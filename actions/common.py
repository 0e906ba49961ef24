"""What every action shares: the store, the customer's language and a way to reply."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from bot.language import supported
from bot.retailer import Retailer, retailer
from bot.settings import Settings
from bot.store.units import Store
from bot.texts import render

# Slots of one order act, cleared when the act ends or the customer stops it.
ACT_SLOTS = (
    "pending_act",
    "delivery_change_type",
    "delivery_change_value",
    "confirm_cancel",
    "return_reason",
)


@lru_cache(maxsize=1)
def _store() -> Store:
    from bot.store.db import make_engine, make_session_factory

    return Store(make_session_factory(make_engine(Settings.from_env().database_url)))


@contextmanager
def store_session() -> Iterator[Session]:
    """One unit of work: committed when the block ends cleanly, rolled back otherwise."""
    with _store().unit() as session:
        yield session


def reset_act() -> list[EventType]:
    """The act is over: clear its slots and mark it done."""
    return [*(SlotSet(slot, None) for slot in ACT_SLOTS), SlotSet("order_step", "done")]


def end_turn() -> list[EventType]:
    """Wait for the customer next, whatever the policies would predict (used by the fallback,
    which also runs when no policy was confident)."""
    return [FollowupAction("action_listen")]


def verified(tracker: Tracker, order_number: str | None) -> bool:
    """Has this conversation proved (order number + postcode, or a verified customer) that it may
    see `order_number`? Every act checks this before it reads or changes an order."""
    return bool(order_number) and order_number in (tracker.get_slot("verified_orders") or [])


def language_of(tracker: Tracker) -> str:
    value = tracker.get_slot("language")
    return supported(value)


def shop() -> Retailer:
    return retailer()


def say(
    dispatcher: CollectingDispatcher,
    language: str,
    key: str,
    buttons: list[dict[str, str]] | None = None,
    **variables: Any,
) -> None:
    """Send reply `key` from the catalogue in the customer's language."""
    message = render(key, language, **variables)
    if buttons is not None:
        message["buttons"] = buttons
    dispatcher.utter_message(**message)


def latest_entities(tracker: Tracker, entity: str) -> list[dict[str, Any]]:
    """Entities of the latest message, and the catalogue facts the NLU found in it."""
    found = [
        *tracker.latest_message.get("entities", []),
        *tracker.latest_message.get("catalogue", []),
    ]
    return [e for e in found if e.get("entity") == entity]


def latest_values(tracker: Tracker, entity: str) -> list[str]:
    return list(dict.fromkeys(str(e["value"]) for e in latest_entities(tracker, entity)))
