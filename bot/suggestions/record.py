"""Every step of a suggestion in the store: shown, clicked, accepted, declined; suppressions
with their reason; the "no thanks" cool-down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.store.suggestion_models import (
    EVENT_KINDS,
    Suggestion,
    SuggestionCooldown,
    SuggestionEvent,
    SuggestionSuppression,
)


def event(
    session: Session,
    *,
    suggestion: Suggestion,
    kind: str,
    now: dt.datetime,
    context: dict[str, Any] | None = None,
) -> SuggestionEvent:
    """Record `kind` for the suggestion and make it its status (clicked never undoes an
    answer: a click after yes or no is recorded but the status stays)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown suggestion event {kind!r}")
    row = SuggestionEvent(
        suggestion_id=suggestion.id,
        kind=kind,
        rule=suggestion.rule,
        product_id=suggestion.product_id,
        channel=suggestion.channel,
        conversation_id=suggestion.conversation_id,
        context=context or {},
        at=now,
    )
    session.add(row)
    if not (kind == "clicked" and suggestion.status in ("accepted", "declined")):
        suggestion.status = kind
    session.flush()
    return row


def suppressed(
    session: Session,
    *,
    conversation_id: str,
    customer_id: int | None,
    channel: str,
    reason: str,
    detail: str,
    now: dt.datetime,
) -> SuggestionSuppression:
    row = SuggestionSuppression(
        conversation_id=conversation_id,
        customer_id=customer_id,
        channel=channel,
        reason=reason,
        detail=detail[:300],
        at=now,
    )
    session.add(row)
    session.flush()
    return row


def no_thanks(
    session: Session, *, suggestion: Suggestion, days: int, now: dt.datetime
) -> SuggestionCooldown | None:
    """Declined: no suggestions for this customer (or this conversation) for `days`."""
    if days <= 0:
        return None
    row = SuggestionCooldown(
        customer_id=suggestion.customer_id,
        conversation_id=suggestion.conversation_id,
        suggestion_id=suggestion.id,
        until=now + dt.timedelta(days=days),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row
