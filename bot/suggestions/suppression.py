"""When not to suggest, each time with its reason.

The conversation's state comes in as `Signals` (read from the tracker by the actions); the
store adds what outlives a conversation: open delays on the customer's orders, the "no thanks"
cool-down, suggestions already shown in this conversation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.store.delay_models import DelayEpisode
from bot.store.models import Order
from bot.store.suggestion_models import Suggestion, SuggestionCooldown
from bot.suggestions.candidates import Context
from bot.suggestions.config import SuggestionConfig

# The reasons, as recorded (suggestion_suppressions.reason) and reported.
REASONS = (
    "disabled",
    "complaint_open",
    "delay_open",
    "verification_failed",
    "handoff_open",
    "return_open",
    "low_csat",
    "bad_news",
    "no_thanks",
    "already_suggested",
)


@dataclass(frozen=True)
class Signals:
    """What the conversation itself shows (from the tracker)."""

    complaint: bool = False
    delay: bool = False
    verification_failed: bool = False
    handoff: bool = False
    csat_score: int | None = None
    bad_news: bool = False  # this turn already told the customer something unwelcome
    returned: bool = False  # a return was registered in this conversation


def _open_delay(session: Session, context: Context, customer_id: int | None) -> bool:
    conditions = []
    if customer_id is not None:
        conditions.append(Order.customer_id == customer_id)
    if context.order_numbers:
        conditions.append(Order.order_number.in_(list(context.order_numbers)))
    if not conditions:
        return False
    found = session.scalar(
        select(func.count(DelayEpisode.id))
        .join(Order, Order.id == DelayEpisode.order_id)
        .where(DelayEpisode.closed_at.is_(None), or_(*conditions))
    )
    return bool(found)


def cooling_down(
    session: Session, *, customer_id: int | None, conversation_id: str, now: dt.datetime
) -> bool:
    who = [SuggestionCooldown.conversation_id == conversation_id]
    if customer_id is not None:
        who.append(SuggestionCooldown.customer_id == customer_id)
    found = session.scalar(
        select(func.count(SuggestionCooldown.id)).where(or_(*who), SuggestionCooldown.until > now)
    )
    return bool(found)


def shown_in_conversation(session: Session, context: Context) -> int:
    query = select(func.count(Suggestion.id)).where(
        Suggestion.conversation_id == context.conversation_id,
        Suggestion.rule != "alternative",  # a sold-out answer's alternative is no offer
    )
    if context.session_start is not None:
        query = query.where(Suggestion.shown_at >= context.session_start)
    return int(session.scalar(query) or 0)


def reason_not_to(
    session: Session,
    *,
    context: Context,
    signals: Signals,
    config: SuggestionConfig,
    customer_id: int | None,
) -> tuple[str, str] | None:
    """(reason, detail) when no suggestion may come now, None when one may."""
    if not config.enabled:
        return "disabled", "suggestions.enabled is off"
    if signals.complaint:
        return "complaint_open", "a complaint in this conversation"
    if signals.delay or _open_delay(session, context, customer_id):
        return "delay_open", "a delivery delay is open"
    if signals.verification_failed:
        return "verification_failed", "an order verification failed in this conversation"
    if signals.handoff:
        return "handoff_open", "handed to a colleague in this conversation"
    if signals.returned:
        return "return_open", "a return was registered in this conversation"
    if signals.csat_score is not None and signals.csat_score < config.csat_below:
        return "low_csat", f"CSAT {signals.csat_score} just given"
    if signals.bad_news:
        return "bad_news", "bad news in this turn"
    if cooling_down(
        session,
        customer_id=customer_id,
        conversation_id=context.conversation_id,
        now=context.now,
    ):
        return "no_thanks", "the customer said no thanks recently"
    if shown_in_conversation(session, context) >= config.per_conversation:
        return "already_suggested", f"at most {config.per_conversation} per conversation"
    return None
