"""Each delay rule on its own, and the calendar they count in."""

import datetime as dt

from bot.delays.policy import DelayPolicy, load_delay_policy
from bot.delays.rules import Parcel, assess
from bot.settings import PROJECT_ROOT

WEDNESDAY = dt.date(2026, 12, 2)
POLICY = DelayPolicy(holidays=frozenset({dt.date(2026, 12, 25)}))


def parcel(**changes: object) -> Parcel:
    base: dict[str, object] = {
        "order_status": "shipped",
        "placed_on": dt.date(2026, 11, 30),
        "promised_date": dt.date(2026, 12, 3),
        "status": "in_transit",
        "shipped": True,
        "last_scan_on": dt.date(2026, 12, 1),
    }
    base.update(changes)
    return Parcel(**base)  # type: ignore[arg-type]


def test_a_parcel_on_time_is_not_late() -> None:
    assert assess(parcel(eta=dt.date(2026, 12, 3)), WEDNESDAY, POLICY) is None


def test_a_later_eta_is_a_delay_with_the_new_date_and_the_carriers_reason() -> None:
    found = assess(parcel(eta=dt.date(2026, 12, 7), carrier_reason="weather"), WEDNESDAY, POLICY)
    assert found is not None
    assert (found.rule, found.reason, found.old_date, found.new_date) == (
        "later_eta",
        "weather",
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 7),
    )


def test_a_passed_promised_date_is_a_delay_without_a_new_date() -> None:
    found = assess(parcel(promised_date=dt.date(2026, 12, 1)), WEDNESDAY, POLICY)
    assert found is not None and found.rule == "date_passed" and found.new_date is None
    assert found.reason == "missed_date"


def test_no_scan_counts_working_days_only() -> None:
    # last scan Friday 27 Nov: Mon 30, Tue 1, Wed 2 are three working days without a scan
    found = assess(parcel(last_scan_on=dt.date(2026, 11, 27)), WEDNESDAY, POLICY)
    assert found is not None and found.rule == "no_scan"
    # last scan Monday 30 Nov: only Tuesday and Wednesday since
    assert assess(parcel(last_scan_on=dt.date(2026, 11, 30)), WEDNESDAY, POLICY) is None


def test_an_order_not_dispatched_in_time_is_a_warehouse_delay() -> None:
    waiting = parcel(
        order_status="paid",
        placed_on=dt.date(2026, 11, 26),  # Thursday: dispatch by Monday 30 Nov
        promised_date=None,
        status=None,
        shipped=False,
        last_scan_on=None,
    )
    found = assess(waiting, WEDNESDAY, POLICY)
    assert found is not None and (found.rule, found.reason) == ("not_dispatched", "warehouse")
    assert found.old_date == dt.date(2026, 12, 1)  # dispatch by Mon 30 + 1 working day


def test_delivered_and_cancelled_orders_are_never_late() -> None:
    late = {"eta": dt.date(2026, 12, 9)}
    assert assess(parcel(status="delivered", **late), WEDNESDAY, POLICY) is None
    assert assess(parcel(order_status="cancelled", **late), WEDNESDAY, POLICY) is None


def test_a_rule_can_be_turned_off() -> None:
    off = DelayPolicy(later_eta=False, promised_date_passed=False)
    assert assess(parcel(eta=dt.date(2026, 12, 7)), WEDNESDAY, off) is None


def test_working_days_skip_weekends_and_holidays() -> None:
    assert POLICY.add_working_days(dt.date(2026, 12, 24), 1) == dt.date(2026, 12, 28)
    assert POLICY.working_days_between(dt.date(2026, 12, 4), dt.date(2026, 12, 8)) == 2


def test_quiet_hours_wait_until_the_morning_in_amsterdam() -> None:
    evening = dt.datetime(2026, 12, 2, 21, 30, tzinfo=dt.timezone.utc)  # 22:30 in Amsterdam
    morning = POLICY.quiet_until(evening)
    assert morning == dt.datetime(2026, 12, 3, 7, 0, tzinfo=dt.timezone.utc)  # 08:00 local
    assert POLICY.quiet_until(dt.datetime(2026, 12, 2, 11, 0, tzinfo=dt.timezone.utc)) is None


def test_the_retailer_file_configures_the_policy() -> None:
    loaded = load_delay_policy(PROJECT_ROOT / "config" / "retailer.yml")
    assert loaded.goodwill_value_cents == 1000 and loaded.per_sender_per_second == 10
    assert loaded.quiet_start == dt.time(21, 0) and loaded.quiet_end == dt.time(8, 0)
    assert dt.date(2026, 12, 25) in loaded.holidays
