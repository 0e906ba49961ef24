"""What could be suggested, and why: complements of the conversation's topic, replacements
for what was bought about its lifetime ago, care for what the customer owns.

Only the customer's own orders (and orders this conversation verified) are read: a suggestion
never builds on another customer's purchases.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store import identities
from bot.store.models import Customer, Order, OrderLine, Product
from bot.suggestions.config import SuggestionConfig
from bot.suggestions.sizes import kind_of

NOT_OWNED_STATUSES = ("cancelled", "returned")


def months_later(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last))


@dataclass(frozen=True)
class Context:
    """What the conversation knows when a suggestion may come."""

    conversation_id: str
    channel: str
    language: str
    now: dt.datetime
    customer_id: int | None = None
    product_sku: str | None = None  # the product in context
    order_numbers: tuple[str, ...] = ()  # verified in this conversation, newest last
    shopper_size: str | None = None
    session_start: dt.datetime | None = None


@dataclass(frozen=True)
class Candidate:
    product: Product
    rule: str
    anchor: Product | None = None
    topic: bool = False  # linked to what the conversation is about


@dataclass
class History:
    """The customer's own purchases: what they own and when they bought it."""

    lines: list[tuple[OrderLine, dt.datetime]] = field(default_factory=list)

    @property
    def owned_ids(self) -> set[int]:
        return {line.product_id for line, _ in self.lines}

    @property
    def categories(self) -> set[str]:
        return {line.product.category for line, _ in self.lines}

    def sizes(self) -> dict[str, str]:
        """The latest size bought per kind of size (shoe numbers, letters)."""
        found: dict[str, str] = {}
        for line, _ in sorted(self.lines, key=lambda item: item[1]):
            kind = kind_of(line.variant)
            if kind and "-" not in (line.variant or ""):
                found[kind] = str(line.variant)
        return found


def own_orders(session: Session, context: Context) -> list[Order]:
    """The live customer's orders, plus orders verified by number and postcode here."""
    found: dict[int, Order] = {}
    query = select(Order).options(
        selectinload(Order.lines).selectinload(OrderLine.product), selectinload(Order.shipments)
    )
    if context.customer_id is not None:
        customer = session.get(Customer, context.customer_id)
        if customer is not None:
            customer = identities.live(session, customer)
            for order in session.scalars(query.where(Order.customer_id == customer.id)):
                found[order.id] = order
    if context.order_numbers:
        for order in session.scalars(
            query.where(Order.order_number.in_(list(context.order_numbers)))
        ):
            found[order.id] = order
    return sorted(found.values(), key=lambda o: o.placed_at)


def history(orders: list[Order]) -> History:
    return History(
        [
            (line, order.placed_at)
            for order in orders
            if order.status not in NOT_OWNED_STATUSES
            for line in order.lines
        ]
    )


def open_order(orders: list[Order], context: Context, config: SuggestionConfig) -> Order | None:
    """The order this conversation verified that has not shipped: it can take one more item."""
    by_number = {o.order_number: o for o in orders}
    for number in reversed(context.order_numbers):
        order = by_number.get(number)
        if order is None or order.status not in config.unshipped_statuses:
            continue
        if any(s.shipped_at is not None for s in order.shipments):
            continue
        return order
    return None


def by_sku(session: Session, skus: list[str]) -> list[Product]:
    if not skus:
        return []
    rows = session.scalars(
        select(Product)
        .where(Product.sku.in_(skus))
        .options(selectinload(Product.variants), selectinload(Product.reviews))
    )
    found = {p.sku: p for p in rows}
    return [found[s] for s in dict.fromkeys(skus) if s in found]


def gather(
    session: Session,
    *,
    context: Context,
    config: SuggestionConfig,
    orders: list[Order],
    topic: list[Product],
) -> list[Candidate]:
    """Every candidate with its rule; the filters and the ranking decide."""
    found: list[Candidate] = []
    if config.rule_weight("complement") > 0:
        for anchor in topic:
            for product in by_sku(session, list(anchor.complementary or [])):
                found.append(Candidate(product, "complement", anchor, topic=True))
    owned = history(orders)
    if config.rule_weight("lifecycle") > 0:
        found += _lifecycle(session, owned, context, config)
    if config.rule_weight("care") > 0:
        found += _care(session, owned, context, config)
    return found


def _lifecycle(
    session: Session, owned: History, context: Context, config: SuggestionConfig
) -> list[Candidate]:
    found = []
    for line, bought in owned.lines:
        product = line.product
        if not product.lifetime_months:
            continue
        due = months_later(bought, max(product.lifetime_months - config.lifecycle_early_months, 0))
        if context.now < due:
            continue
        (fresh,) = by_sku(session, [product.sku])
        found.append(Candidate(fresh, "lifecycle", anchor=fresh))
    return found


def _care(
    session: Session, owned: History, context: Context, config: SuggestionConfig
) -> list[Candidate]:
    found = []
    for line, bought in owned.lines:
        if context.now < months_later(bought, config.care_after_months):
            continue
        anchor = line.product
        if anchor.category in config.care_categories:
            continue
        linked = by_sku(session, list(anchor.complementary or []))
        for product in linked:
            if product.category in config.care_categories:
                found.append(Candidate(product, "care", anchor=anchor))
    return found
