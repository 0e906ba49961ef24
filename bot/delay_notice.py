"""A delivery-delay notice as the detector hands it to Rasa, and the words the customer reads.

The detector (delays-core) triggers `EXTERNAL_delivery_delayed` with string entities; `parse`
checks them once, so the action, the agent's note and the demo all read the same facts, and
`compose` turns them into the messages in the customer's language. The voucher is always a
message of its own: on WhatsApp outside the 24-hour window the channel sends only the approved
utility template and keeps these messages pending until the customer answers, so a voucher
never rides along in a template (Meta may reclassify a template with promotions as marketing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.formatting import date_text, money_text
from bot.texts import render

INTENT = "EXTERNAL_delivery_delayed"
KINDS = ("first", "update", "arrived")
REASONS = ("carrier_delay", "weather", "warehouse", "no_scan", "missed_date")
FIELDS = (
    "notice_id",
    "notice_kind",
    "order_number",
    "old_date",
    "new_date",
    "reason",
    "voucher_code",
    "voucher_value_eur",
    "voucher_expires",
)


class NoticeError(ValueError):
    """The entities do not describe a notice; the message says which field is wrong."""


@dataclass(frozen=True)
class Voucher:
    code: str
    value_cents: int
    expires: dt.date | None


@dataclass(frozen=True)
class Notice:
    notice_id: str
    kind: str
    order_number: str
    old_date: dt.date | None
    new_date: dt.date | None
    reason: str
    voucher: Voucher | None


def _date(entities: dict[str, str], name: str) -> dt.date | None:
    value = entities.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise NoticeError(f"{name} must be an ISO date (yyyy-mm-dd), not {value!r}") from None


def _cents(value: str) -> int:
    try:
        amount = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise NoticeError(f"voucher_value_eur must be like 10.00, not {value!r}") from None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise NoticeError(f"voucher_value_eur must be a positive amount like 10.00, not {value!r}")
    return int(amount * 100)


def entity_values(entities: list[dict[str, Any]]) -> dict[str, str]:
    """Rasa's entity list (from trigger_intent's short-hand) back into name → string."""
    values: dict[str, str] = {}
    for item in entities:
        name = item.get("entity")
        if name in FIELDS and name not in values:
            values[name] = "" if item.get("value") is None else str(item["value"])
    return values


def parse(entities: dict[str, str]) -> Notice:
    """The notice the entities describe, or NoticeError naming the first bad field."""
    notice_id = entities.get("notice_id", "").strip()
    if not notice_id or len(notice_id) > 120:
        raise NoticeError("notice_id is required (at most 120 characters)")
    kind = entities.get("notice_kind", "").strip() or "first"
    if kind not in KINDS:
        raise NoticeError(f"notice_kind must be one of {', '.join(KINDS)}, not {kind!r}")
    order_number = entities.get("order_number", "").strip()
    if not order_number:
        raise NoticeError("order_number is required")
    reason = entities.get("reason", "").strip()
    if reason and reason not in REASONS:
        reason = ""  # a reason we have no words for is left out, not guessed
    code = entities.get("voucher_code", "").strip()
    voucher = None
    if code:
        voucher = Voucher(
            code=code[:40],
            value_cents=_cents(entities.get("voucher_value_eur", "")),
            expires=_date(entities, "voucher_expires"),
        )
    return Notice(
        notice_id=notice_id,
        kind=kind,
        order_number=order_number,
        old_date=_date(entities, "old_date"),
        new_date=_date(entities, "new_date"),
        reason=reason,
        voucher=voucher,
    )


def reason_text(reason: str, language: str) -> str:
    """'Door drukte bij de vervoerder. ' — the reason code as a short sentence, or nothing."""
    return render(f"delay_reason_{reason}", language)["text"] + " " if reason else ""


def compose(notice: Notice, language: str, first_name: str | None = None) -> list[dict[str, Any]]:
    """The notice (a first one with buttons for what the customer may want next) and, when
    there is one, the voucher: two messages, in that order."""
    hello = render("delay_hello_name" if first_name else "delay_hello", language, name=first_name)
    values: dict[str, Any] = {
        "hello": hello["text"],
        "order_number": notice.order_number,
        "reason": reason_text(notice.reason, language),
        "old_date": date_text(notice.old_date, language) if notice.old_date else "",
        "new_date": date_text(notice.new_date, language) if notice.new_date else "",
    }
    if notice.kind == "arrived":
        key = "delay_notice_arrived"
    elif notice.kind == "update":
        key = "delay_notice_update" if notice.new_date else "delay_notice_update_no_date"
    elif notice.new_date and notice.old_date:
        key = "delay_notice_first"
    elif notice.old_date:
        key = "delay_notice_first_no_date"
    else:
        key = "delay_notice_first_no_dates"
    messages = [render(key, language, **values)]
    if notice.voucher is not None and notice.kind != "arrived":
        messages.append({"text": voucher_text(notice.voucher, language)})
    return messages


def voucher_text(voucher: Voucher, language: str) -> str:
    key = "delay_voucher" if voucher.expires else "delay_voucher_no_expiry"
    return render(
        key,
        language,
        code=voucher.code,
        value=money_text(voucher.value_cents, language),
        expires=date_text(voucher.expires, language) if voucher.expires else "",
    )["text"]
