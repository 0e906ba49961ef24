"""Delay episodes: each delay is announced once, a further slip is an update, delivery closes
it. The notice goes into the outbox in the same transaction as the episode it announces."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.delays.policy import DelayPolicy
from bot.delays.rules import Finding
from bot.store.delay_models import DelayEpisode, OutboxMessage, Voucher
from bot.store.models import Order

DELAY_INTENT = "EXTERNAL_delivery_delayed"
VOUCHER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, typed


@dataclass(frozen=True)
class Outcome:
    """What recording a finding did: 'first', 'update' or 'same' (already announced)."""

    kind: str
    episode_id: int


def open_key(order_id: int, shipment_id: int | None) -> str:
    return f"{order_id}:{shipment_id or 0}"


def _open_episode(session: Session, key: str) -> DelayEpisode | None:
    # FOR UPDATE on PostgreSQL: a webhook and the scan updating one episode take turns.
    return session.scalars(
        select(DelayEpisode).where(DelayEpisode.open_key == key).with_for_update()
    ).first()


def record_finding(
    session: Session,
    *,
    order: Order,
    shipment_id: int | None,
    finding: Finding,
    now: dt.datetime,
    policy: DelayPolicy,
) -> Outcome:
    """Open an episode and queue its first notice, or queue an update when the date slipped."""
    key = open_key(order.id, shipment_id)
    episode = _open_episode(session, key)
    if episode is None:
        episode = DelayEpisode(
            open_key=key,
            order_id=order.id,
            shipment_id=shipment_id,
            rule=finding.rule,
            reason=finding.reason,
            old_date=finding.old_date,
            new_date=finding.new_date,
            seq=1,
            opened_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(episode)
        except IntegrityError:  # another process opened it a moment ago
            episode = _open_episode(session, key)
            if episode is None:
                raise
        else:
            voucher = grant_goodwill(session, order=order, episode=episode, now=now, policy=policy)
            enqueue_notice(
                session, order=order, episode=episode, kind="first", voucher=voucher, now=now
            )
            return Outcome("first", episode.id)
    slipped = finding.new_date is not None and (
        episode.new_date is None or finding.new_date > episode.new_date
    )
    if not slipped:
        return Outcome("same", episode.id)
    episode.new_date = finding.new_date
    episode.reason = finding.reason or episode.reason
    episode.seq += 1
    episode.updated_at = now
    session.flush()
    voucher = grant_goodwill(session, order=order, episode=episode, now=now, policy=policy)
    enqueue_notice(session, order=order, episode=episode, kind="update", voucher=voucher, now=now)
    return Outcome("update", episode.id)


def close_episode(
    session: Session,
    *,
    order: Order,
    shipment_id: int | None,
    why: str,
    now: dt.datetime,
    policy: DelayPolicy,
) -> bool:
    """Close the open episode (delivered, cancelled); 'arrived' is queued if the retailer wants."""
    episode = _open_episode(session, open_key(order.id, shipment_id))
    if episode is None:
        return False
    episode.open_key = None
    episode.closed_at = now
    episode.closed_reason = why
    episode.updated_at = now
    session.flush()
    if why == "delivered" and policy.arrived_notice:
        enqueue_notice(session, order=order, episode=episode, kind="arrived", voucher=None, now=now)
    return True


def grant_goodwill(
    session: Session,
    *,
    order: Order,
    episode: DelayEpisode,
    now: dt.datetime,
    policy: DelayPolicy,
) -> Voucher | None:
    """A voucher when the delay is long enough: at most one per order, never when cancelled."""
    if policy.goodwill_value_cents <= 0 or order.status == "cancelled":
        return None
    today = policy.local_today(now)
    until = episode.new_date or today
    if (
        policy.working_days_between(episode.old_date, until)
        <= policy.goodwill_more_than_working_days
    ):
        return None
    if session.scalar(select(Voucher.id).where(Voucher.order_id == order.id)) is not None:
        return None
    voucher = Voucher(
        code="KR-" + "".join(secrets.choice(VOUCHER_ALPHABET) for _ in range(8)),
        order_id=order.id,
        episode_id=episode.id,
        value_cents=policy.goodwill_value_cents,
        expires_on=today + dt.timedelta(days=policy.goodwill_valid_days),
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(voucher)
    except IntegrityError:  # the order got its voucher in another transaction just now
        return None
    return voucher


def notice_entities(
    *, order: Order, episode: DelayEpisode, kind: str, voucher: Voucher | None
) -> dict[str, str]:
    """The entities of the seam with the dialogue side (all strings, ISO dates)."""
    notice_id = f"delay:{episode.id}:{'arrived' if kind == 'arrived' else episode.seq}"
    return {
        "notice_id": notice_id,
        "notice_kind": kind,
        "order_number": order.order_number,
        "old_date": episode.old_date.isoformat(),
        "new_date": episode.new_date.isoformat() if episode.new_date else "",
        "reason": episode.reason or "",
        "voucher_code": voucher.code if voucher else "",
        "voucher_value_eur": f"{voucher.value_cents / 100:.2f}" if voucher else "",
        "voucher_expires": voucher.expires_on.isoformat() if voucher else "",
    }


def enqueue_notice(
    session: Session,
    *,
    order: Order,
    episode: DelayEpisode,
    kind: str,
    voucher: Voucher | None,
    now: dt.datetime,
) -> OutboxMessage:
    entities = notice_entities(order=order, episode=episode, kind=kind, voucher=voucher)
    message = OutboxMessage(
        dedup_key=entities["notice_id"],
        customer_id=order.customer_id,
        episode_id=episode.id,
        intent=DELAY_INTENT,
        entities=entities,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    session.flush()
    return message
