"""Change delivery: a new date, a new address or a pick-up point."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import language_of, reset_act, say, shop, store_session, verified
from actions.order_replies import state_text
from actions.orders import refuse_delivery_change
from actions.sales_moment import at_act_end
from bot.dates import parse_date
from bot.formatting import date_text
from bot.store.orders import (
    change_delivery_address,
    change_delivery_date,
    change_to_pickup_point,
    find_order,
)
from bot.text import normalise_postcode

TYPE_WORDS = {
    "date": ("datum", "dag", "date", "day", "later", "eerder", "moment", "wanneer", "when"),
    "address": ("adres", "address", "buren", "neighbour", "neighbor", "werk", "work", "ander huis"),
    "pickup": (
        "afhaalpunt",
        "afhalen",
        "ophalen",
        "pick-up",
        "pickup",
        "pick up",
        "collect",
        "servicepoint",
        "postnl-punt",
        "postnl punt",
        "winkel",
    ),
}
_ADDRESS = re.compile(
    r"^\s*(?P<street>[^\d,]{2,60}?)\s+(?P<number>\d{1,5}\s?[a-zA-Z]?(?:[-/ ]?\d{1,4})?)\s*,?\s*"
    r"(?P<postcode>[1-9]\d{3}\s?[a-zA-Z]{2})\s*,?\s*(?P<city>[^\d,]{2,60})\s*$"
)


def change_type(text: str) -> str | None:
    lowered = text.lower()
    for kind, words in TYPE_WORDS.items():
        if any(word in lowered for word in words):
            return kind
    return None


def parse_address(text: str) -> dict[str, str] | None:
    match = _ADDRESS.match(" ".join(text.replace("\n", " ").split()))
    if not match:
        return None
    postcode = normalise_postcode(match.group("postcode"))
    if postcode is None:
        return None
    return {
        "street": match.group("street").strip().title(),
        "house_number": match.group("number").replace(" ", ""),
        "postcode": postcode,
        "city": match.group("city").strip().title(),
    }


def date_window(today: dt.date) -> tuple[dt.date, dt.date]:
    policy = shop()
    return (
        today + dt.timedelta(days=policy.earliest_days_ahead),
        today + dt.timedelta(days=policy.latest_days_ahead),
    )


def pick_point(text: str) -> str | None:
    points = shop().pickup_points
    lowered = text.lower().strip()
    if lowered.isdigit() and 1 <= int(lowered) <= len(points):
        return points[int(lowered) - 1]
    for point in points:
        if lowered and (lowered in point.lower() or point.lower() in lowered):
            return point
    words = [w for w in re.findall(r"\w+", lowered) if len(w) >= 4]
    scored = [(sum(w in point.lower() for w in words), point) for point in points]
    best = max(scored, default=(0, ""))
    return best[1] if best[0] >= 1 and [s for s, _ in scored].count(best[0]) == 1 else None


class ActionAskDeliveryChangeValue(Action):
    """Ask for the date, address or pick-up point, depending on what is being changed."""

    def name(self) -> str:
        return "action_ask_delivery_change_value"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        kind = tracker.get_slot("delivery_change_type")
        if kind == "date":
            earliest, latest = date_window(dt.date.today())
            example = date_text(earliest + dt.timedelta(days=2), language).split(" ", 1)[1]
            say(
                dispatcher,
                language,
                "ask_delivery_date",
                example=example,
                earliest=date_text(earliest, language),
                latest=date_text(latest, language),
            )
        elif kind == "address":
            say(dispatcher, language, "ask_delivery_address")
        else:
            buttons = [{"title": p, "payload": p} for p in shop().pickup_points]
            say(dispatcher, language, "ask_pickup_point", buttons=buttons)
        return []


class ValidateDeliveryChangeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_delivery_change_form"

    def validate_delivery_change_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"delivery_change_type": None}  # cleared when the act started
        kind = change_type(str(value))
        if kind is None:
            say(dispatcher, language_of(tracker), "delivery_change_type_invalid")
        return {"delivery_change_type": kind}

    def validate_delivery_change_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value is None:
            return {"delivery_change_value": None}
        language = language_of(tracker)
        text = str(value)
        kind = tracker.get_slot("delivery_change_type")
        if kind == "date":
            today = dt.date.today()
            earliest, latest = date_window(today)
            date = parse_date(text, today)
            if date is None or not earliest <= date <= latest:
                say(
                    dispatcher,
                    language,
                    "delivery_date_invalid",
                    earliest=date_text(earliest, language),
                    latest=date_text(latest, language),
                )
                return {"delivery_change_value": None}
            return {"delivery_change_value": date.isoformat()}
        if kind == "address":
            if parse_address(text) is None:
                say(dispatcher, language, "delivery_address_invalid")
                return {"delivery_change_value": None}
            return {"delivery_change_value": text.strip()}
        point = pick_point(text)
        if point is None:
            say(dispatcher, language, "pickup_point_invalid")
        return {"delivery_change_value": point}


class ActionChangeDelivery(Action):
    """Write the change to the store and confirm it in the customer's words."""

    def name(self) -> str:
        return "action_change_delivery"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        language = language_of(tracker)
        number = tracker.get_slot("order_number")
        kind = tracker.get_slot("delivery_change_type")
        value = tracker.get_slot("delivery_change_value") or ""
        if not verified(tracker, number):
            return reset_act()
        with store_session() as session:
            order = find_order(session=session, order_number=number)
            if order is None:
                return reset_act()
            if kind == "date":
                date = dt.date.fromisoformat(value)
                result = change_delivery_date(session=session, order=order, date=date)
                confirmation: tuple[str, dict[str, Any]] = (
                    "delivery_changed_date",
                    {"date": date_text(date, language)},
                )
            elif kind == "address":
                address = parse_address(value) or {}
                result = change_delivery_address(session=session, order=order, **address)
                shown = "{street} {house_number}, {postcode} {city}".format(**address)
                confirmation = ("delivery_changed_address", {"address": shown})
            else:
                result = change_to_pickup_point(session=session, order=order, pickup_point=value)
                confirmation = ("delivery_changed_pickup", {"pickup_point": value})
            state = state_text(order, language)
            status = order.status
        if result.done:
            ending = confirmation[0]
            say(dispatcher, language, ending, order_number=number, **confirmation[1])
        else:
            ending = refuse_delivery_change(dispatcher, language, number, state, status)
        return [*reset_act(), *at_act_end(dispatcher, tracker, ending)]
