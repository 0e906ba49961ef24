"""Field parsers: each turns one raw cell into a typed value or says why it cannot."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class FieldError(ValueError):
    """A cell that does not fit its field."""


Parser = Callable[[Any, dt.timedelta], Any]


def text(max_len: int = 200) -> Parser:
    def parse(value: Any, _shift: dt.timedelta) -> str:
        if isinstance(value, (dict, list)):
            raise FieldError("must be text, not a list or mapping")
        result = str(value).strip()
        if len(result) > max_len:
            raise FieldError(f"longer than {max_len} characters")
        return result

    return parse


INT_MAX = 2**31 - 1  # the largest whole number an INTEGER column holds in PostgreSQL


def integer(minimum: int | None = -INT_MAX, maximum: int | None = INT_MAX) -> Parser:
    def parse(value: Any, _shift: dt.timedelta) -> int:
        if isinstance(value, bool):
            raise FieldError(f"{value!r} is not a whole number")
        try:
            result = int(str(value).strip())
        except ValueError:
            raise FieldError(f"{value!r} is not a whole number") from None
        if minimum is not None and result < minimum:
            raise FieldError(f"{result} is below {minimum}")
        if maximum is not None and result > maximum:
            raise FieldError(f"{result} is above {maximum}")
        return result

    return parse


def money_cents(value: Any, _shift: dt.timedelta) -> int:
    """Euros with a decimal point ('129.95') to integer cents, without floats."""
    raw = str(value).strip().replace("€", "").strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise FieldError(f"{value!r} is not an amount in euros like 129.95") from None
    if not amount.is_finite() or abs(amount) > Decimal(INT_MAX) / 100:
        raise FieldError(f"{value!r} is not an amount in euros like 129.95")
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise FieldError(f"{value!r} is not an amount in euros with at most two decimals")
    return int(amount * 100)


def rating(value: Any, _shift: dt.timedelta) -> str:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise FieldError(f"{value!r} is not a rating like 4.5") from None
    if not amount.is_finite() or not Decimal(0) <= amount <= Decimal(5):
        raise FieldError(f"rating {value} is not between 0 and 5")
    return str(amount.quantize(Decimal("0.1")))


def boolean(value: Any, _shift: dt.timedelta) -> bool:
    if isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw in {"true", "yes", "ja", "1"}:
        return True
    if raw in {"false", "no", "nee", "0"}:
        return False
    raise FieldError(f"{value!r} is not true or false")


def choice(options: Sequence[str]) -> Parser:
    def parse(value: Any, _shift: dt.timedelta) -> str:
        raw = str(value).strip().lower()
        if raw not in options:
            raise FieldError(f"{value!r} is not one of: {', '.join(options)}")
        return raw

    return parse


def date(value: Any, shift: dt.timedelta) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise FieldError(f"{value!r} is not a date like 2026-11-22") from None
    return value + shift


def timestamp(value: Any, shift: dt.timedelta) -> dt.datetime:
    """ISO 8601; a time without offset is Amsterdam time. Stored as aware UTC."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if not isinstance(value, dt.datetime):
        raw = str(value).strip().replace("Z", "+00:00")
        try:
            value = dt.datetime.fromisoformat(raw)
        except ValueError:
            raise FieldError(f"{value!r} is not a time like 2026-11-22T14:30:00+01:00") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=AMSTERDAM)
    return (value + shift).astimezone(dt.timezone.utc)


def string_list(value: Any, _shift: dt.timedelta) -> list[str]:
    items = value if isinstance(value, list) else str(value).split("|")
    return [str(item).strip() for item in items if str(item).strip()]


def mapping(value: Any, _shift: dt.timedelta) -> dict[str, Any]:
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    try:
        result = json.loads(str(value))
    except json.JSONDecodeError:
        raise FieldError(f'{value!r} is not a JSON object like {{"weight_g": 310}}') from None
    if not isinstance(result, dict):
        raise FieldError("must be an object of key: value")
    return result


def phone(value: Any, _shift: dt.timedelta) -> str:
    raw = "".join(ch for ch in str(value) if ch.isdigit() or ch == "+")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if raw.startswith("06") and len(raw) == 10:
        raw = "+31" + raw[1:]
    if not raw.startswith("+") or not 9 <= len(raw) <= 16:
        raise FieldError(f"{value!r} is not a phone number in international format (+31612345678)")
    return raw


def postcode(value: Any, _shift: dt.timedelta) -> str:
    from bot.text import normalise_postcode

    result = normalise_postcode(str(value))
    if result is None:
        raise FieldError(f"{value!r} is not a postcode like 3511 AB")
    return result


def email(value: Any, _shift: dt.timedelta) -> str:
    raw = str(value).strip().lower()
    if "@" not in raw or raw.startswith("@") or raw.endswith("@") or " " in raw:
        raise FieldError(f"{value!r} is not an e-mail address")
    return raw


_KEY = re.compile(r"[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*")


def key(value: Any, _shift: dt.timedelta) -> str:
    """A name the data refers to: lower-case letters, digits, _ and - ('sup_boards', 'kids')."""
    raw = str(value).strip()
    if len(raw) > 40 or not _KEY.fullmatch(raw):
        raise FieldError(
            f"{value!r} is not a key; use lower-case letters, digits, _ and - (like running_shoes)"
        )
    return raw


def words(value: Any, shift: dt.timedelta) -> list[str]:
    """Shopper words: a list of short phrases, each kept as written (trimmed, single spaces)."""
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value)
    ):
        raise FieldError("must be a list of words, not of lists or mappings")
    result = []
    for item in string_list(value, shift):
        phrase = " ".join(item.split())
        if len(phrase) > 100:
            raise FieldError(f"{phrase[:20]!r}… is longer than 100 characters; use shorter words")
        result.append(phrase)
    return result


def url(value: Any, _shift: dt.timedelta) -> str:
    """A web address, or a path on the shop's own site ('/demo/images/TP-RUN-001.svg')."""
    raw = str(value).strip()
    if len(raw) > 500:
        raise FieldError("longer than 500 characters")
    if " " in raw or not (raw.startswith(("https://", "http://")) or raw.startswith("/")):
        raise FieldError(f"{raw!r} is not a web address; start it with https:// or /")
    return raw
