"""The retailer's delay policy (config/retailer.yml `delays:` and `notices:`): when a parcel
counts as late, what goodwill it earns, and when and how fast notices may go out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.settings import Settings

CHANNEL_ORDER = ("whatsapp", "telegram", "web")


class DelayPolicyError(ValueError):
    """The delays or notices section of the retailer file is wrong; the message says where."""


@dataclass(frozen=True)
class DelayPolicy:
    # rules (0 or false turns one off)
    later_eta: bool = True
    promised_date_passed: bool = True
    no_scan_working_days: int = 3
    dispatch_within_working_days: int = 2
    delivery_working_days: int = 1  # after dispatch, for a promised date the order lacks
    arrived_notice: bool = False
    scan_every_minutes: int = 15
    # goodwill
    goodwill_more_than_working_days: int = 2
    goodwill_value_cents: int = 0  # 0: no vouchers
    goodwill_valid_days: int = 90
    # notices
    timezone: str = "Europe/Amsterdam"
    quiet_start: dt.time | None = dt.time(21, 0)
    quiet_end: dt.time | None = dt.time(8, 0)
    per_sender_per_second: float = 10.0
    channel_order: tuple[str, ...] = CHANNEL_ORDER
    max_attempts: int = 8
    backoff_seconds: float = 5.0
    lease_seconds: int = 120  # a crashed worker's messages are taken over after this
    batch_size: int = 10
    holidays: frozenset[dt.date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        while count > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def local_today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.zone).date()

    def quiet_until(self, now: dt.datetime) -> dt.datetime | None:
        """The end of the quiet hours when `now` falls in them, else None."""
        if self.quiet_start is None or self.quiet_end is None:
            return None
        local = now.astimezone(self.zone)
        start, end, time = self.quiet_start, self.quiet_end, local.time()
        overnight = start > end
        quiet = (time >= start or time < end) if overnight else (start <= time < end)
        if not quiet:
            return None
        day = local.date()
        if overnight and time >= start:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, end, tzinfo=self.zone).astimezone(dt.timezone.utc)


def _quiet_hours(value: Any) -> tuple[dt.time | None, dt.time | None]:
    if value in (None, False, "off", ""):
        return None, None
    try:
        start, end = str(value).split("-")
        return dt.time.fromisoformat(start.strip()), dt.time.fromisoformat(end.strip())
    except ValueError:
        raise DelayPolicyError(
            f"notices.quiet_hours: {value!r} is not like '21:00-08:00' or off"
        ) from None


def _cents(value: Any, where: str) -> int:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise DelayPolicyError(f"{where}: {value!r} is not an amount like 10.00") from None
    if amount < 0:
        raise DelayPolicyError(f"{where}: must not be negative")
    return int(amount * 100)


def load_delay_policy(path: Path) -> DelayPolicy:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    delays = data.get("delays") or {}
    rules = delays.get("rules") or {}
    goodwill = delays.get("goodwill") or {}
    notices = data.get("notices") or {}
    d = DelayPolicy()
    quiet_start, quiet_end = _quiet_hours(notices.get("quiet_hours", "21:00-08:00"))
    timezone = str(notices.get("timezone", d.timezone))
    try:
        ZoneInfo(timezone)
    except Exception:
        raise DelayPolicyError(f"notices.timezone: unknown time zone {timezone!r}") from None
    order = tuple(notices.get("channel_order") or CHANNEL_ORDER)
    unknown = sorted(set(order) - set(CHANNEL_ORDER))
    if unknown:
        raise DelayPolicyError(f"notices.channel_order: unknown channel(s) {', '.join(unknown)}")
    try:
        holidays = frozenset(
            h if isinstance(h, dt.date) else dt.date.fromisoformat(str(h))
            for h in (data.get("handoff") or {}).get("holidays") or []
        )
        return DelayPolicy(
            later_eta=bool(rules.get("later_eta", d.later_eta)),
            promised_date_passed=bool(rules.get("promised_date_passed", d.promised_date_passed)),
            no_scan_working_days=int(rules.get("no_scan_working_days", d.no_scan_working_days)),
            dispatch_within_working_days=int(
                rules.get("dispatch_within_working_days", d.dispatch_within_working_days)
            ),
            delivery_working_days=int(rules.get("delivery_working_days", d.delivery_working_days)),
            arrived_notice=bool(delays.get("arrived_notice", d.arrived_notice)),
            scan_every_minutes=int(delays.get("scan_every_minutes", d.scan_every_minutes)),
            goodwill_more_than_working_days=int(
                goodwill.get("more_than_working_days", d.goodwill_more_than_working_days)
            ),
            goodwill_value_cents=_cents(goodwill.get("value_eur", 0), "delays.goodwill.value_eur"),
            goodwill_valid_days=int(goodwill.get("valid_days", d.goodwill_valid_days)),
            timezone=timezone,
            quiet_start=quiet_start,
            quiet_end=quiet_end,
            per_sender_per_second=float(
                notices.get("per_sender_per_second", d.per_sender_per_second)
            ),
            channel_order=order,
            max_attempts=int(notices.get("max_attempts", d.max_attempts)),
            backoff_seconds=float(notices.get("backoff_seconds", d.backoff_seconds)),
            lease_seconds=int(notices.get("lease_seconds", d.lease_seconds)),
            batch_size=int(notices.get("batch_size", d.batch_size)),
            holidays=holidays,
        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, DelayPolicyError):
            raise
        raise DelayPolicyError(f"delays/notices in {path}: {exc}") from None


@lru_cache(maxsize=1)
def delay_policy() -> DelayPolicy:
    return load_delay_policy(Settings.from_env().retailer_file)
