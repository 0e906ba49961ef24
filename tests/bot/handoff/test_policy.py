"""Opening hours and holidays decide whether a person can take over now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.handoff.policy import HandoffPolicy, PolicyError, load_policy
from bot.settings import PROJECT_ROOT

AMS = dt.timezone(dt.timedelta(hours=1))  # Amsterdam in winter


@pytest.fixture
def shop() -> HandoffPolicy:
    return load_policy(PROJECT_ROOT / "config" / "retailer.yml")


def at(day: str, time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=AMS)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (at("2026-11-23", "08:29"), False),  # Monday before opening
        (at("2026-11-23", "08:30"), True),
        (at("2026-11-23", "19:59"), True),
        (at("2026-11-23", "20:00"), False),
        (at("2026-11-28", "12:00"), True),  # Saturday
        (at("2026-11-29", "12:00"), False),  # Sunday
        (at("2026-12-25", "12:00"), False),  # Christmas falls on a Friday
    ],
)
def test_opening_hours(shop: HandoffPolicy, moment: dt.datetime, is_open: bool) -> None:
    assert shop.is_open(moment) is is_open


def test_the_next_opening_skips_sunday_and_holidays(shop: HandoffPolicy) -> None:
    saturday_evening = at("2026-11-28", "18:00")
    opening = shop.next_opening(saturday_evening)
    assert opening is not None and opening.date() == dt.date(2026, 11, 30)
    assert opening.strftime("%H:%M") == "08:30"
    christmas_eve_night = at("2026-12-24", "21:00")
    opening = shop.next_opening(christmas_eve_night)
    assert opening is not None and opening.date() == dt.date(2026, 12, 28)
    assert shop.next_opening(at("2026-11-23", "10:00")) == at("2026-11-23", "10:00")


def test_always_open(tmp_path: Path) -> None:
    path = tmp_path / "retailer.yml"
    days = "\n".join(f"    {d}: always" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
    path.write_text(f"handoff:\n  opening_hours:\n{days}\n", encoding="utf-8")
    assert load_policy(path).is_open(at("2026-11-29", "03:00"))


@pytest.mark.parametrize(
    "section",
    [
        "handoff:\n  opening_hours:\n    mon: 'nine to five'\n",
        "handoff:\n  opening_hours:\n    mon: '17:00-09:00'\n",
        "handoff:\n  holidays: [kerst]\n",
        "handoff:\n  timezone: Mars/Olympus\n",
    ],
)
def test_a_wrong_policy_says_where(tmp_path: Path, section: str) -> None:
    path = tmp_path / "retailer.yml"
    path.write_text(section, encoding="utf-8")
    with pytest.raises(PolicyError, match="handoff"):
        load_policy(path)
