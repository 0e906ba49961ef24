"""Sales suggestions in the store: what was suggested and what came of it, why one was held
back, the "no thanks" cool-downs, back-in-stock subscriptions and add-to-order requests.

They share the retail models' metadata and are imported at the end of `bot.store.models`.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String

from bot.store.models import Base, UtcDateTime, utcnow

# held_out: eligible and chosen, but not shown, as the customer is in the control group.
EVENT_KINDS = ("shown", "clicked", "accepted", "declined", "held_out")


class Suggestion(Base):
    """One product suggested in one conversation, by one rule; `status` is its latest event.

    `anchor_product_id` is what it was suggested for (the shoe the socks go with), `order_id`
    the unshipped order it could join (same parcel), `context` the facts the ranking used.
    """

    __tablename__ = "suggestions"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    channel = Column(String(20), nullable=False)
    language = Column(String(2), nullable=False)
    rule = Column(String(20), nullable=False, index=True)  # complement | lifecycle | care | …
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    variant = Column(String(40))
    anchor_product_id = Column(Integer, ForeignKey("products.id"))
    order_id = Column(Integer, ForeignKey("orders.id"), index=True)
    score = Column(String(16), nullable=False, default="0")  # exact decimal as text
    context = Column(JSON, nullable=False, default=dict)
    status = Column(String(10), nullable=False, default="shown")
    shown_at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)


class SuggestionEvent(Base):
    """shown, clicked, accepted or declined: every step, with rule, product and channel copied
    so the figures are one query per question."""

    __tablename__ = "suggestion_events"

    id = Column(Integer, primary_key=True)
    suggestion_id = Column(Integer, ForeignKey("suggestions.id"), nullable=False, index=True)
    kind = Column(String(10), nullable=False)
    rule = Column(String(20), nullable=False)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    channel = Column(String(20), nullable=False)
    conversation_id = Column(String(300), nullable=False)
    context = Column(JSON, nullable=False, default=dict)
    at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)


class SuggestionSuppression(Base):
    """A moment a suggestion could have come and did not, with the reason."""

    __tablename__ = "suggestion_suppressions"

    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    channel = Column(String(20), nullable=False)
    reason = Column(String(30), nullable=False, index=True)
    detail = Column(String(300))
    at = Column(UtcDateTime, nullable=False, default=utcnow)


class SuggestionCooldown(Base):
    """ "Nee, dank je": no suggestions for this customer (or conversation) until `until`."""

    __tablename__ = "suggestion_cooldowns"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), index=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    suggestion_id = Column(Integer, ForeignKey("suggestions.id"))
    until = Column(UtcDateTime, nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)


class StockSubscription(Base):
    """ "Let me know when it's back": waiting → notified (queued in the outbox) | cancelled."""

    __tablename__ = "stock_subscriptions"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    conversation_id = Column(String(300), nullable=False)
    channel = Column(String(20), nullable=False)
    language = Column(String(2), nullable=False)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    variant = Column(String(40))  # None: any variant
    status = Column(String(12), nullable=False, default="waiting", index=True)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    notified_at = Column(UtcDateTime)
    outbox_key = Column(String(200))


class OrderAddition(Base):
    """A product to add to an order that has not shipped, through the retailer's flow:
    `payment_link` (awaiting_payment → paid) or `shop_confirms` (awaiting_shop → confirmed),
    either may end refused."""

    __tablename__ = "order_additions"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    suggestion_id = Column(Integer, ForeignKey("suggestions.id"), index=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    variant = Column(String(40))
    quantity = Column(Integer, nullable=False, default=1)
    unit_price_cents = Column(Integer, nullable=False)
    flow = Column(String(20), nullable=False)
    status = Column(String(20), nullable=False)
    payment_token = Column(String(64), unique=True)
    payment_url = Column(String(500))
    conversation_id = Column(String(300), nullable=False)
    channel = Column(String(20), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)
    settled_at = Column(UtcDateTime)
    # Set by the action that tells the customer the shop's answer: a retried trigger says nothing.
    announced_at = Column(UtcDateTime)
