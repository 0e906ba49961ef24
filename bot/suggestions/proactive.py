"""Proactive lifecycle offers: "your running shoes are about a year old" to customers who
allowed marketing messages, queued in the outbox (purpose marketing: bot/suggestions/reach.py
picks the channel) at most once per customer, product and month, never during a cool-down."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.delays import outbox
from bot.store.models import Consent, Customer
from bot.store.suggestion_models import Suggestion
from bot.suggestions.candidates import Context
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.engine import ranked_for
from bot.suggestions.holdout import HELD_OUT, held_out, record_held_out
from bot.suggestions.ranking import Ranked
from bot.suggestions.suppression import cooling_down

INTENT = "EXTERNAL_lifecycle_offer"


def queue_lifecycle_offers(session: Session, *, now: dt.datetime, config: SuggestionConfig) -> int:
    """Queue one offer per customer with marketing consent and a replacement due; returns how
    many were new."""
    if not config.enabled or config.rule_weight("lifecycle") <= 0:
        return 0
    only_lifecycle = dataclasses.replace(
        config, rules={"complement": 0.0, "lifecycle": config.rule_weight("lifecycle"), "care": 0.0}
    )
    consenting = session.scalars(
        select(Consent.customer_id)
        .where(Consent.purpose == "marketing", Consent.granted.is_(True))
        .distinct()
    ).all()
    queued = 0
    for customer_id in sorted(consenting):
        customer = session.get(Customer, customer_id)
        if customer is None or customer.merged_into_id is not None:
            continue
        if cooling_down(session, customer_id=customer.id, conversation_id="", now=now):
            continue
        context = Context(
            conversation_id="",
            channel="outbox",
            language=customer.language,
            now=now,
            customer_id=customer.id,
        )
        ranked, _ = ranked_for(session, context=context, config=only_lifecycle)
        if not ranked:
            continue
        best = ranked[0]
        if held_out(config, customer_id=customer.id, conversation_id=""):
            _hold_out(session, customer=customer, best=best, now=now)
            continue
        _, created = outbox.enqueue(
            session,
            dedup_key=f"lifecycle:{customer.id}:{best.product.sku}:{now:%Y-%m}",
            intent=INTENT,
            entities={"product": best.product.sku},
            now=now,
            customer_id=customer.id,
            purpose="marketing",
        )
        queued += created
    return queued


def _hold_out(session: Session, *, customer: Customer, best: Ranked, now: dt.datetime) -> None:
    """The offer a customer of the control group would have had, recorded as held out once
    per customer, product and month (as the outbox's dedup key does for the offers sent)."""
    product, anchor = best.allowed.candidate.product, best.allowed.candidate.anchor
    month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    earlier = session.scalar(
        select(func.count(Suggestion.id)).where(
            Suggestion.customer_id == customer.id,
            Suggestion.product_id == product.id,
            Suggestion.rule == "lifecycle",
            Suggestion.status == HELD_OUT,
            Suggestion.shown_at >= month,
        )
    )
    if earlier:
        return
    suggestion = Suggestion(
        conversation_id="",
        customer_id=customer.id,
        channel="outbox",
        language=customer.language or "nl",
        rule="lifecycle",
        product_id=product.id,
        variant=best.allowed.variant,
        anchor_product_id=anchor.id if anchor is not None else None,
        score=f"{best.score:.3f}",
        context={"proactive": True, "score": best.parts},
        status="shown",
        shown_at=now,
    )
    record_held_out(session, suggestion=suggestion, now=now, context={"proactive": True})
