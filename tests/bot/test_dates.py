import datetime as dt

import pytest

from bot.dates import parse_date

SUNDAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("morgen graag", dt.date(2026, 11, 23)),
        ("tomorrow", dt.date(2026, 11, 23)),
        ("overmorgen", dt.date(2026, 11, 24)),
        ("vrijdag", dt.date(2026, 11, 27)),
        ("next friday please", dt.date(2026, 11, 27)),
        ("28 november", dt.date(2026, 11, 28)),
        ("op de 5e december", dt.date(2026, 12, 5)),
        ("December 3rd", dt.date(2026, 12, 3)),
        ("28-11", dt.date(2026, 11, 28)),
        ("2026-12-01", dt.date(2026, 12, 1)),
        ("3 januari", dt.date(2027, 1, 3)),
    ],
)
def test_dates_in_both_languages(text: str, expected: dt.date) -> None:
    assert parse_date(text, SUNDAY) == expected


@pytest.mark.parametrize("text", ["geen idee", "31-02", "", "🙂"])
def test_no_date(text: str) -> None:
    assert parse_date(text, SUNDAY) is None
