"""Delay notices said (or held for an agent): one row per notice id, so a retry says nothing.

The dispatcher of delays-core may deliver the same notice twice (a retry after a time-out, a
worker killed after Rasa answered). Whoever speaks first inserts the notice id; the unique
constraint makes every later attempt a no-op, across processes and on both databases.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.delay_notice import Notice
from bot.store.delay_models import AnnouncedNotice

OUTCOMES = ("announced", "to_agent", "refused")


def claim(
    session: Session,
    *,
    notice: Notice,
    conversation_id: str,
    customer_id: int | None,
    outcome: str,
    language: str,
) -> bool:
    """Record the notice; False when its id was recorded before (say nothing then)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    voucher = notice.voucher
    row = AnnouncedNotice(
        notice_id=notice.notice_id,
        conversation_id=conversation_id,
        customer_id=customer_id,
        order_number=notice.order_number,
        kind=notice.kind,
        old_date=notice.old_date,
        new_date=notice.new_date,
        reason=notice.reason,
        voucher_code=voucher.code if voucher else None,
        voucher_value_cents=voucher.value_cents if voucher else None,
        voucher_expires=voucher.expires if voucher else None,
        outcome=outcome,
        language=language,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def recorded(session: Session, notice_id: str) -> AnnouncedNotice | None:
    return session.scalars(
        select(AnnouncedNotice).where(AnnouncedNotice.notice_id == notice_id)
    ).first()


def outcome(session: Session, notice_id: str) -> str | None:
    """What the dialogue did with the notice: announced, to_agent, refused; None: nothing
    recorded (the action did not run, or refused before it could name a customer)."""
    return session.scalar(
        select(AnnouncedNotice.outcome).where(AnnouncedNotice.notice_id == notice_id)
    )


def for_customer(session: Session, customer_id: int, limit: int = 20) -> list[AnnouncedNotice]:
    """The customer's latest notices, newest first, for the agent's context panel."""
    return list(
        session.scalars(
            select(AnnouncedNotice)
            .where(AnnouncedNotice.customer_id == customer_id)
            .order_by(AnnouncedNotice.id.desc())
            .limit(limit)
        )
    )


def as_dict(row: AnnouncedNotice) -> dict[str, Any]:
    cents = row.voucher_value_cents
    return {
        "notice_id": row.notice_id,
        "conversation_id": row.conversation_id,
        "order_number": row.order_number,
        "kind": row.kind,
        "old_date": row.old_date.isoformat() if row.old_date else None,
        "new_date": row.new_date.isoformat() if row.new_date else None,
        "reason": row.reason,
        "voucher": {
            "code": row.voucher_code,
            "value_eur": f"{cents // 100}.{cents % 100:02d}" if cents is not None else None,
            "expires": row.voucher_expires.isoformat() if row.voucher_expires else None,
        }
        if row.voucher_code
        else None,
        "outcome": row.outcome,
        "at": row.created_at.isoformat(),
    }
