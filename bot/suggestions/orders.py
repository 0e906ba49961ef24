"""Same parcel: add the accepted suggestion to the order that has not shipped, through the
retailer's flow: a payment link for the extra amount, or a request the shop confirms."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import Order, Product
from bot.store.suggestion_models import OrderAddition, Suggestion
from bot.suggestions.config import SuggestionConfig


class CannotAdd(ValueError):
    """The order can no longer take an item (it shipped, was cancelled); the reason says why."""


@dataclass(frozen=True)
class Added:
    addition: OrderAddition
    order: Order
    product: Product
    created: bool  # False: this suggestion was added before (a repeated "ja")


def still_open(order: Order, config: SuggestionConfig) -> bool:
    shipped = any(s.shipped_at is not None for s in order.shipments)
    return order.status in config.unshipped_statuses and not shipped


def add_to_order(
    session: Session, *, suggestion: Suggestion, config: SuggestionConfig, now: dt.datetime
) -> Added:
    """Record the request (once per suggestion) in the retailer's flow."""
    order = session.get(Order, suggestion.order_id) if suggestion.order_id else None
    product = session.get(Product, suggestion.product_id)
    if order is None or product is None:
        raise CannotAdd("the suggestion has no order to add to")
    existing = session.scalars(
        select(OrderAddition).where(OrderAddition.suggestion_id == suggestion.id)
    ).first()
    if existing is not None:
        return Added(existing, order, product, created=False)
    if not still_open(order, config):
        raise CannotAdd(f"order {order.order_number} is {order.status}")
    flow = config.add_to_order_flow
    token = secrets.token_urlsafe(16) if flow == "payment_link" else None
    addition = OrderAddition(
        order_id=order.id,
        customer_id=order.customer_id,
        suggestion_id=suggestion.id,
        product_id=product.id,
        variant=suggestion.variant,
        quantity=1,
        unit_price_cents=product.price_cents,
        flow=flow,
        status="awaiting_payment" if token else "awaiting_shop",
        payment_token=token,
        payment_url=config.payment_url.format(token=token) if token else None,
        conversation_id=suggestion.conversation_id,
        channel=suggestion.channel,
        created_at=now,
    )
    session.add(addition)
    session.flush()
    return Added(addition, order, product, created=True)


def settle(session: Session, *, addition_id: int, status: str, now: dt.datetime) -> OrderAddition:
    """The shop's answer (confirmed / refused) or the payment provider's (paid)."""
    if status not in ("confirmed", "paid", "refused"):
        raise ValueError(f"unknown outcome {status!r}")
    addition = session.get(OrderAddition, addition_id)
    if addition is None:
        raise ValueError(f"no order addition {addition_id}")
    addition.status = status
    addition.settled_at = now
    return addition
