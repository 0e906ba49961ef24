"""Understand the delivery dates shoppers type, in Dutch and English."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "februari": 2,
    "february": 2,
    "mrt": 3,
    "maart": 3,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "aug": 8,
    "augustus": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oktober": 10,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
WEEKDAYS = {
    "maandag": 0,
    "monday": 0,
    "ma": 0,
    "mon": 0,
    "dinsdag": 1,
    "tuesday": 1,
    "di": 1,
    "tue": 1,
    "woensdag": 2,
    "wednesday": 2,
    "wo": 2,
    "wed": 2,
    "donderdag": 3,
    "thursday": 3,
    "do": 3,
    "thu": 3,
    "vrijdag": 4,
    "friday": 4,
    "vr": 4,
    "fri": 4,
    "zaterdag": 5,
    "saturday": 5,
    "za": 5,
    "sat": 5,
    "zondag": 6,
    "sunday": 6,
    "zo": 6,
    "sun": 6,
}
RELATIVE = {
    "vandaag": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "overmorgen": 2,
    "day after tomorrow": 2,
}
_NUMERIC = re.compile(
    r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?\b"
)
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:e|ste|de|st|nd|rd|th)?\s+([a-z]+)\b")
_MONTH_DAY = re.compile(r"\b([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?\b")


def _future(date: dt.date, today: dt.date) -> dt.date:
    """A day and month without year: this year, or next year if it has passed."""
    return date if date >= today else date.replace(year=date.year + 1)


def parse_date(text: str, today: dt.date) -> dt.date | None:
    """The date meant by `text`, or None when it names no date."""
    lowered = " ".join(text.lower().split())
    for phrase, days in sorted(RELATIVE.items(), key=lambda kv: -len(kv[0])):
        if re.search(rf"\b{phrase}\b", lowered):
            return today + dt.timedelta(days=days)
    match = _NUMERIC.search(lowered)
    if match:
        try:
            if match.group(1):
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            day, month, year = int(match.group(4)), int(match.group(5)), match.group(6)
            if year:
                full_year = int(year) + (2000 if len(year) == 2 else 0)
                return dt.date(full_year, month, day)
            return _future(dt.date(today.year, month, day), today)
        except ValueError:
            return None
    for pattern, day_first in ((_DAY_MONTH, True), (_MONTH_DAY, False)):
        for found in pattern.finditer(lowered):
            day_s, month_s = (
                (found.group(1), found.group(2)) if day_first else (found.group(2), found.group(1))
            )
            month_number = MONTHS.get(month_s)
            if month_number:
                try:
                    return _future(dt.date(today.year, month_number, int(day_s)), today)
                except ValueError:
                    return None
    words = re.findall(r"[a-z]+", lowered)
    next_week = "volgende week" in lowered or "next week" in lowered
    for word in words:
        if word in WEEKDAYS and (len(word) > 3 or len(words) <= 2):
            ahead = (WEEKDAYS[word] - today.weekday()) % 7 or 7
            if next_week and ahead < 7:
                ahead += (
                    7
                    if (today + dt.timedelta(days=ahead)).isocalendar()[1] == today.isocalendar()[1]
                    else 0
                )
            return today + dt.timedelta(days=ahead)
    return None
