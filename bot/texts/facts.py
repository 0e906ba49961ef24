"""The retailer's facts as text variables, in the customer's language, from config/retailer.yml.

Every text in the catalogue may use them ({shop_name}, {service_hours}, {free_shipping_from} …),
so a second retailer (another name, other hours, another free-shipping threshold) changes the
bot's words by editing its retailer file: no code, no retraining.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import get_day_names
from babel.numbers import format_decimal

from bot.formatting import LOCALES, join_words
from bot.handoff.policy import ALWAYS, WEEKDAYS, HandoffPolicy, policy
from bot.retailer import Retailer, retailer
from bot.texts import fragment

Hours = tuple[dt.time, dt.time] | None


def euro_text(amount: float, language: str) -> str:
    """'€50', '€4,95' / '€4.95': whole euros without cents, as shops write them."""
    value = Decimal(str(amount))
    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    return "€" + format_decimal(value, format=pattern, locale=LOCALES[language])


def _clock(time: dt.time) -> str:
    return f"{time.hour}:{time.minute:02d}"


def _runs(hours: dict[str, Hours]) -> list[tuple[list[int], Hours]]:
    """Consecutive weekdays with the same hours: ([0..4], 8:30-20:00), ([5], …), ([6], None)."""
    runs: list[tuple[list[int], Hours]] = []
    for index, day in enumerate(WEEKDAYS):
        if runs and runs[-1][1] == hours.get(day) and runs[-1][0][-1] == index - 1:
            runs[-1][0].append(index)
        else:
            runs.append(([index], hours.get(day)))
    return runs


def opening_hours_text(hours: dict[str, Hours], language: str) -> str:
    """'van maandag t/m vrijdag van 8:30 tot 20:00 en op zaterdag van 9:00 tot 17:00; op zondag
    zijn we dicht', from the same opening hours the handoff uses, in the catalogue's words
    (bot/texts/words.yml, hours_*) and Babel's day names."""
    names = get_day_names("wide", locale=LOCALES[language])
    open_parts: list[str] = []
    closed: list[str] = []
    for days, span in _runs(hours):
        if span is None:
            closed.extend(names[d] for d in days)
            continue
        clock = (
            fragment("hours_all_day", language)
            if span == ALWAYS
            else fragment("hours_clock", language, opens=_clock(span[0]), closes=_clock(span[1]))
        )
        if len(days) == 1:
            open_parts.append(fragment("hours_one_day", language, day=names[days[0]], clock=clock))
        else:
            first, last = names[days[0]], names[days[-1]]
            open_parts.append(fragment("hours_days", language, first=first, last=last, clock=clock))
    said = join_words(open_parts, language)
    if closed:
        closed_text = fragment("hours_closed", language, days=join_words(closed, language))
        said = f"{said}; {closed_text}" if said else closed_text
    return said


def shop_facts(shop: Retailer, hours: HandoffPolicy, language: str) -> dict[str, str]:
    costs = shop.shipping_costs_eur
    return {
        "shop_name": shop.shop_name,
        "website": shop.website,
        "phone": shop.phone,
        "email": shop.email,
        "return_days": str(shop.return_days),
        "free_shipping_from": euro_text(shop.free_shipping_from_eur, language),
        "shipping_standard": euro_text(costs.get("standard", 0), language),
        "shipping_evening": euro_text(costs.get("evening", 0), language),
        "shipping_same_day": euro_text(costs.get("same_day", 0), language),
        "service_hours": opening_hours_text(hours.opening_hours, language),
    }


_said: dict[str, tuple[Retailer, HandoffPolicy, dict[str, str]]] = {}


def facts(language: str) -> dict[str, str]:
    """The configured retailer's facts in `language` (the retailer file is read once; a test or
    a rebrand that clears retailer() and policy() is seen at once). Said once per language and
    retailer: every reply fills its variables from them, a card reply dozens of times."""
    shop, hours = retailer(), policy()
    said = _said.get(language)
    if said is None or said[0] is not shop or said[1] is not hours:
        said = (shop, hours, shop_facts(shop, hours, language))
        _said[language] = said
    return said[2]


def reload() -> None:
    """Read the retailer file again at the next text (tests, a rebrand in a running process)."""
    retailer.cache_clear()
    policy.cache_clear()
