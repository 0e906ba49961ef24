"""The retailer's handoff policy: opening hours, holidays, waiting limits, survey frequency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.settings import Settings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ALWAYS = (dt.time(0, 0), dt.time(23, 59, 59))


class PolicyError(ValueError):
    """The handoff section of the retailer file is wrong; the message says where."""


def _hours(value: object, day: str) -> tuple[dt.time, dt.time] | None:
    if value in (None, "closed", False):
        return None
    if value == "always":
        return ALWAYS
    try:
        start, end = str(value).split("-")
        opening = dt.time.fromisoformat(start.strip())
        closing = dt.time.fromisoformat(end.strip())
    except ValueError:
        raise PolicyError(
            f"handoff.opening_hours.{day}: {value!r} is not like '08:30-20:00' or 'closed'"
        ) from None
    if closing <= opening:
        raise PolicyError(f"handoff.opening_hours.{day}: closing time is before opening time")
    return opening, closing


@dataclass(frozen=True)
class HandoffPolicy:
    timezone: str = "Europe/Amsterdam"
    opening_hours: dict[str, tuple[dt.time, dt.time] | None] = field(
        default_factory=lambda: {day: ALWAYS for day in WEEKDAYS}
    )
    holidays: frozenset[dt.date] = frozenset()
    max_wait_minutes: int = 10
    minutes_per_conversation: int = 4
    agent_online_seconds: int = 120
    nps_min_days_between: int = 90
    nps_every_nth_csat: int = 3

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open(self, now: dt.datetime) -> bool:
        local = now.astimezone(self.zone)
        if local.date() in self.holidays:
            return False
        hours = self.opening_hours.get(WEEKDAYS[local.weekday()])
        return hours is not None and hours[0] <= local.time() < hours[1]

    def next_opening(self, now: dt.datetime) -> dt.datetime | None:
        """When agents are next at work (local time), within the coming two weeks."""
        local = now.astimezone(self.zone)
        for offset in range(15):
            day = local.date() + dt.timedelta(days=offset)
            hours = self.opening_hours.get(WEEKDAYS[day.weekday()])
            if day in self.holidays or hours is None:
                continue
            start = dt.datetime.combine(day, hours[0], tzinfo=self.zone)
            end = dt.datetime.combine(day, hours[1], tzinfo=self.zone)
            if local < end:
                return max(start, local)
        return None


def load_policy(path: Path) -> HandoffPolicy:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    handoff = data.get("handoff") or {}
    surveys = data.get("surveys") or {}
    defaults = HandoffPolicy()
    hours_section = handoff.get("opening_hours")
    hours = (
        {day: _hours(hours_section.get(day), day) for day in WEEKDAYS}
        if isinstance(hours_section, dict)
        else defaults.opening_hours
    )
    try:
        holidays = frozenset(
            d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
            for d in handoff.get("holidays") or []
        )
    except ValueError as exc:
        raise PolicyError(f"handoff.holidays: {exc}") from None
    timezone = str(handoff.get("timezone", defaults.timezone))
    try:
        ZoneInfo(timezone)
    except Exception:
        raise PolicyError(f"handoff.timezone: unknown time zone {timezone!r}") from None
    return HandoffPolicy(
        timezone=timezone,
        opening_hours=hours,
        holidays=holidays,
        max_wait_minutes=int(handoff.get("max_wait_minutes", defaults.max_wait_minutes)),
        minutes_per_conversation=int(
            handoff.get("minutes_per_conversation", defaults.minutes_per_conversation)
        ),
        agent_online_seconds=int(
            handoff.get("agent_online_seconds", defaults.agent_online_seconds)
        ),
        nps_min_days_between=int(
            surveys.get("nps_min_days_between", defaults.nps_min_days_between)
        ),
        nps_every_nth_csat=int(surveys.get("nps_every_nth_csat", defaults.nps_every_nth_csat)),
    )


@lru_cache(maxsize=1)
def policy() -> HandoffPolicy:
    return load_policy(Settings.from_env().retailer_file)
