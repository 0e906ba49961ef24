"""One suggestion for a conversation, or the reason there is none: suppression first, then
candidates → filters → ranking, and the winner recorded as shown."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.store import identities
from bot.store.models import Customer, Order, Product
from bot.store.suggestion_models import Suggestion
from bot.suggestions import record
from bot.suggestions.candidates import (
    NOT_OWNED_STATUSES,
    Context,
    by_sku,
    gather,
    history,
    open_order,
    own_orders,
)
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.filters import allowed
from bot.suggestions.holdout import held_out, record_held_out
from bot.suggestions.proof import snippet
from bot.suggestions.ranking import Ranked, rank
from bot.suggestions.sizes import kind_of
from bot.suggestions.suppression import Signals, reason_not_to


@dataclass(frozen=True)
class Pick:
    """The suggestion to show, with what the reply needs."""

    suggestion: Suggestion
    product: Product
    rule: str
    anchor: Product | None
    order: Order | None  # unshipped: "shall I add it to the same parcel?"
    variant: str | None
    snippet: str | None


@dataclass(frozen=True)
class Outcome:
    pick: Pick | None = None
    suppressed: str = ""  # the reason, when suppressed
    nothing: bool = False  # nothing relevant to suggest
    held_out: bool = False  # the customer is in the control group: recorded, not shown


def live_customer_id(session: Session, customer_id: int | None) -> int | None:
    if customer_id is None:
        return None
    customer = session.get(Customer, customer_id)
    return None if customer is None else identities.live(session, customer).id


def ranked_for(
    session: Session, *, context: Context, config: SuggestionConfig
) -> tuple[list[Ranked], Order | None]:
    """Everything that may be suggested, best first, and the unshipped order in context."""
    orders = own_orders(session, context)
    owned = history(orders)
    order = open_order(orders, context, config)
    topic = by_sku(session, [context.product_sku]) if context.product_sku else []
    if order is not None:
        topic += [line.product for line in order.lines if line.product not in topic]
    elif not topic and context.order_numbers:
        newest = [
            o
            for o in orders
            if o.order_number == context.order_numbers[-1] and o.status not in NOT_OWNED_STATUSES
        ]
        topic = [line.product for o in newest for line in o.lines]
    sizes = owned.sizes()
    kind = kind_of(context.shopper_size)
    if kind and context.shopper_size:
        sizes[kind] = context.shopper_size  # what they said now wins over what they bought
    candidates = gather(session, context=context, config=config, orders=orders, topic=topic)
    excluded = {p.id for p in topic}
    kept = allowed(
        candidates,
        config=config,
        owned_ids=owned.owned_ids,
        excluded_ids=excluded,
        sizes=sizes,
    )
    return rank(kept, config=config, language=context.language, categories=owned.categories), (
        order
    )


def suggest(
    session: Session,
    *,
    context: Context,
    signals: Signals,
    config: SuggestionConfig,
) -> Outcome:
    customer_id = live_customer_id(session, context.customer_id)
    reason = reason_not_to(
        session, context=context, signals=signals, config=config, customer_id=customer_id
    )
    if reason is not None:
        record.suppressed(
            session,
            conversation_id=context.conversation_id,
            customer_id=customer_id,
            channel=context.channel,
            reason=reason[0],
            detail=reason[1],
            now=context.now,
        )
        return Outcome(suppressed=reason[0])
    ranked, order = ranked_for(session, context=context, config=config)
    if not ranked:
        return Outcome(nothing=True)
    best = ranked[0]
    candidate = best.allowed.candidate
    if candidate.rule == "lifecycle" and order is not None:
        order = None  # a replacement is its own purchase, not an addition to this parcel
    suggestion = Suggestion(
        conversation_id=context.conversation_id,
        customer_id=customer_id,
        channel=context.channel,
        language=context.language,
        rule=candidate.rule,
        product_id=candidate.product.id,
        variant=best.allowed.variant,
        anchor_product_id=candidate.anchor.id if candidate.anchor else None,
        order_id=order.id if order is not None else None,
        score=f"{best.score:.3f}",
        context={
            "score": best.parts,
            "topic": context.product_sku,
            "order": order.order_number if order is not None else None,
            "size": best.allowed.variant,
        },
        status="shown",
        shown_at=context.now,
    )
    if held_out(config, customer_id=customer_id, conversation_id=context.conversation_id):
        record_held_out(session, suggestion=suggestion, now=context.now, context={})
        return Outcome(held_out=True)
    session.add(suggestion)
    session.flush()
    record.event(session, suggestion=suggestion, kind="shown", now=context.now)
    return Outcome(
        pick=Pick(
            suggestion=suggestion,
            product=candidate.product,
            rule=candidate.rule,
            anchor=candidate.anchor,
            order=order,
            variant=best.allowed.variant,
            snippet=snippet(candidate.product, context.language),
        )
    )
