"""The transactional outbox: queue a message once (dedup key), lease it to one worker, finish it.

A lease is one UPDATE: on PostgreSQL its sub-select locks rows with SKIP LOCKED, so workers never
wait for or take each other's rows; SQLite runs one writer at a time, so the single statement is
already atomic. A worker killed mid-send leaves a lease that runs out; another worker then takes
the row over, and the notice_id lets the announcing action drop a repeat.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.delay_models import OutboxMessage

WAITING = ("pending",)
FINAL = ("sent", "to_agent", "refused", "failed", "skipped")
LEASE_SECONDS = 120


def dedup_key_for(conversation_id: str, intent: str, entities: dict[str, Any]) -> str:
    """The same message to the same conversation: one key (for `klantreis notify`)."""
    body = json.dumps([conversation_id, intent, entities], sort_keys=True, ensure_ascii=False)
    return "notify:" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:40]


def enqueue(
    session: Session,
    *,
    dedup_key: str,
    intent: str,
    entities: dict[str, Any],
    now: dt.datetime,
    customer_id: int | None = None,
    conversation_id: str | None = None,
    purpose: str = "service",
) -> tuple[OutboxMessage, bool]:
    """The queued message for `dedup_key`, and whether this call created it."""
    existing = session.scalars(
        select(OutboxMessage).where(OutboxMessage.dedup_key == dedup_key)
    ).first()
    if existing is not None:
        return existing, False
    message = OutboxMessage(
        dedup_key=dedup_key,
        customer_id=customer_id,
        conversation_id=conversation_id,
        intent=intent,
        entities=entities,
        purpose=purpose,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        found = session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedup_key == dedup_key)
        ).one()
        return found, False
    return message, True


def claim(
    session: Session,
    *,
    worker: str,
    now: dt.datetime,
    limit: int = 20,
    only_id: int | None = None,
    lease_seconds: int = LEASE_SECONDS,
) -> tuple[str, list[OutboxMessage]]:
    """Lease up to `limit` due messages to `worker`; returns the lease token and the rows.

    Commit right after, so other workers see the lease.
    """
    token = f"{worker[-40:]}:{secrets.token_hex(8)}"  # the end keeps the pid
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status.in_(WAITING),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    if only_id is not None:
        due = due.where(OutboxMessage.id == only_id)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(
            locked_by=token,
            locked_until=now + dt.timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    rows = list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.locked_by == token)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        )
    )
    return token, rows


def renew(
    session: Session, *, message_id: int, token: str, now: dt.datetime, lease_seconds: int
) -> bool:
    """Extend this worker's lease just before it sends; False when another worker took over."""
    changed = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.locked_by == token)
        .values(locked_until=now + dt.timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    ).rowcount
    return bool(changed)


def _mine(session: Session, message_id: int, token: str) -> OutboxMessage | None:
    message = session.get(OutboxMessage, message_id, populate_existing=True)
    if message is None or message.locked_by != token:
        return None  # the lease ran out and another worker has it now
    return message


def finish(
    session: Session,
    *,
    message_id: int,
    token: str,
    status: str,
    now: dt.datetime,
    reason: str | None = None,
    channel: str | None = None,
    sent_to: str | None = None,
) -> bool:
    """Mark a leased message sent, to_agent, refused, failed or skipped (with the reason)."""
    assert status in FINAL
    message = _mine(session, message_id, token)
    if message is None:
        return False
    message.status = status
    message.reason = (reason or "")[:300] or None
    message.channel = channel
    message.sent_to = sent_to
    message.finished_at = now
    message.locked_by = None
    message.locked_until = None
    return True


def postpone(
    session: Session,
    *,
    message_id: int,
    token: str,
    until: dt.datetime,
    reason: str,
    status: str = "pending",
    count_attempt: bool = False,
) -> bool:
    """Give the message back until `until` (quiet hours, a retry after a failure)."""
    assert status in WAITING
    message = _mine(session, message_id, token)
    if message is None:
        return False
    message.status = status
    message.reason = reason[:300]
    message.next_attempt_at = until
    message.locked_by = None
    message.locked_until = None
    if not count_attempt:
        message.attempts = max(0, message.attempts - 1)
    return True
