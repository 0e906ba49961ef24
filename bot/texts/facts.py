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

from bot.formatting import LOCALES
from bot.handoff.policy import ALWAYS, WEEKDAYS, HandoffPolicy, policy
from bot.retailer import Retailer, retailer

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
    zijn we dicht' / 'Monday to Friday from 8:30 to 20:00 and on Saturday …; we're closed on
    Sunday', from the same opening hours the handoff uses."""
    names = get_day_names("wide", locale=LOCALES[language])
    nl = language == "nl"
    open_parts: list[str] = []
    closed: list[str] = []
    for days, span in _runs(hours):
        first, last = names[days[0]], names[days[-1]]
        if span is None:
            closed.extend(names[d] for d in days)
            continue
        if len(days) == 1:
            when = f"op {first}" if nl else f"on {first}"
        else:
            when = f"van {first} t/m {last}" if nl else f"{first} to {last}"
        if span == ALWAYS:
            clock = "de hele dag" if nl else "all day"
        else:
            clock = (
                f"van {_clock(span[0])} tot {_clock(span[1])}"
                if nl
                else (f"from {_clock(span[0])} to {_clock(span[1])}")
            )
        open_parts.append(f"{when} {clock}")
    joiner = " en " if nl else " and "
    text = (
        ", ".join(open_parts[:-1]) + joiner + open_parts[-1]
        if len(open_parts) > 1
        else ("".join(open_parts))
    )
    if closed:
        days_text = (", ".join(closed[:-1]) + joiner + closed[-1]) if len(closed) > 1 else closed[0]
        text += f"; op {days_text} zijn we dicht" if nl else f"; we're closed on {days_text}"
    return text


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


def facts(language: str) -> dict[str, str]:
    """The configured retailer's facts in `language` (the retailer file is read once; a test or
    a rebrand that clears retailer() and policy() is seen at once)."""
    return shop_facts(retailer(), policy(), language)


def reload() -> None:
    """Read the retailer file again at the next text (tests, a rebrand in a running process)."""
    retailer.cache_clear()
    policy.cache_clear()
