"""The customer context store: the retail world the bot talks about.

Money is integer cents, times are timezone-aware UTC in the database (shown in
Europe/Amsterdam), and every natural key the retailer uses is unique.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base, relationship

from bot.language import DEFAULT_LANGUAGE

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base: Any = declarative_base(metadata=MetaData(naming_convention=NAMING))


class UtcDateTime(TypeDecorator):
    """Timezone-aware datetimes on every database (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a timezone first")
        return value.astimezone(dt.timezone.utc)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    customer_ref = Column(String(64), nullable=False, unique=True)
    first_name = Column(String(100))
    last_name = Column(String(100))
    email = Column(String(255), index=True)
    phone = Column(String(32), index=True)
    language = Column(String(2), nullable=False, default=DEFAULT_LANGUAGE)
    street = Column(String(200))
    house_number = Column(String(20))
    postcode = Column(String(10))
    city = Column(String(100))
    is_anonymous = Column(Boolean, nullable=False, default=False)
    merged_into_id = Column(Integer, ForeignKey("customers.id"))
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)

    consents = relationship("Consent", back_populates="customer")
    identities = relationship("ChannelIdentity", back_populates="customer")
    orders = relationship("Order", back_populates="customer", order_by="Order.placed_at")


class Consent(Base):
    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("customer_id", "purpose", "channel"),)

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False)
    purpose = Column(String(20), nullable=False)
    channel = Column(String(20), nullable=False)
    granted = Column(Boolean, nullable=False)
    recorded_at = Column(UtcDateTime, nullable=False)

    customer = relationship("Customer", back_populates="consents")


class ChannelIdentity(Base):
    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False)
    external_id = Column(String(255), nullable=False)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    verified = Column(Boolean, nullable=False, default=False)
    verified_at = Column(UtcDateTime)
    verification_method = Column(String(40))
    created_at = Column(UtcDateTime, nullable=False, default=utcnow)

    customer = relationship("Customer", back_populates="identities")


class Product(Base):
    __tablename__ = "products"

    id = Column(Integer, primary_key=True)
    sku = Column(String(64), nullable=False, unique=True)
    brand = Column(String(100), nullable=False)
    category = Column(String(40), nullable=False, index=True)
    name_nl = Column(String(200), nullable=False)
    name_en = Column(String(200), nullable=False)
    description_nl = Column(Text, nullable=False)
    description_en = Column(Text, nullable=False)
    price_cents = Column(Integer, nullable=False)
    rating = Column(String(4))  # "4.5": exact decimal as text, never a float
    lifetime_months = Column(Integer)
    complementary = Column(JSON, nullable=False, default=list)
    synonyms = Column(JSON, nullable=False, default=list)
    attributes = Column(JSON, nullable=False, default=dict)
    image_url = Column(String(500))

    variants = relationship(
        "ProductVariant", back_populates="product", order_by="ProductVariant.id"
    )
    reviews = relationship("Review", back_populates="product", order_by="Review.id")

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_nl


class Category(Base):
    """A kind of product the retailer sells, with the words shoppers use for it."""

    __tablename__ = "categories"

    id = Column(Integer, primary_key=True)
    key = Column(String(40), nullable=False, unique=True)
    name_nl = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    words_nl = Column(JSON, nullable=False, default=list)
    words_en = Column(JSON, nullable=False, default=list)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl


class AttributeDefinition(Base):
    """One product attribute a retailer uses: its type, unit, names and shopper words.

    `values` holds, for a text attribute with a fixed set of values, each value's key with
    its names and words: {"road": {"name_nl": "weg", "name_en": "road",
    "words_nl": ["weg", "straat"], "words_en": ["road"]}}. A text attribute without values
    (a material, a colour description) is free text.
    """

    __tablename__ = "attribute_definitions"

    id = Column(Integer, primary_key=True)
    key = Column(String(40), nullable=False, unique=True)
    type = Column(String(10), nullable=False)  # bool | number | text
    unit = Column(String(20))
    name_nl = Column(String(100), nullable=False)
    name_en = Column(String(100), nullable=False)
    words_nl = Column(JSON, nullable=False, default=list)
    words_en = Column(JSON, nullable=False, default=list)
    values = Column(JSON, nullable=False, default=dict)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_nl


class ProductVariant(Base):
    __tablename__ = "product_variants"
    __table_args__ = (UniqueConstraint("product_id", "variant"),)

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    variant = Column(String(40), nullable=False)
    colour = Column(String(40))
    stock = Column(Integer, nullable=False, default=0)

    product = relationship("Product", back_populates="variants")


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("product_id", "author"),)

    id = Column(Integer, primary_key=True)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False)
    author = Column(String(100), nullable=False)
    rating = Column(Integer, nullable=False)
    language = Column(String(2), nullable=False)
    text = Column(Text, nullable=False)

    product = relationship("Product", back_populates="reviews")


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    order_number = Column(String(32), nullable=False, unique=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    placed_at = Column(UtcDateTime, nullable=False)
    status = Column(String(20), nullable=False)
    payment_method = Column(String(20))
    street = Column(String(200))
    house_number = Column(String(20))
    postcode = Column(String(10))
    city = Column(String(100))
    pickup_point = Column(String(200))
    requested_delivery_date = Column(Date)
    cancelled_at = Column(UtcDateTime)

    customer = relationship("Customer", back_populates="orders")
    lines = relationship("OrderLine", back_populates="order", order_by="OrderLine.line_no")
    shipments = relationship("Shipment", back_populates="order", order_by="Shipment.id")
    returns = relationship("Return", back_populates="order", order_by="Return.id")

    @property
    def total_cents(self) -> int:
        return sum(line.quantity * line.unit_price_cents for line in self.lines)


class OrderLine(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_no"),)

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False)
    line_no = Column(Integer, nullable=False)
    product_id = Column(Integer, ForeignKey("products.id"), nullable=False, index=True)
    variant = Column(String(40))
    quantity = Column(Integer, nullable=False)
    unit_price_cents = Column(Integer, nullable=False)

    order = relationship("Order", back_populates="lines")
    product = relationship("Product")


class Shipment(Base):
    __tablename__ = "shipments"

    id = Column(Integer, primary_key=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    carrier = Column(String(20), nullable=False)
    tracking_code = Column(String(64), nullable=False, unique=True)
    status = Column(String(24), nullable=False)
    promised_date = Column(Date, nullable=False)
    eta = Column(Date)
    shipped_at = Column(UtcDateTime)
    delivered_at = Column(UtcDateTime)

    order = relationship("Order", back_populates="shipments")
    events = relationship("ShipmentEvent", back_populates="shipment", order_by="ShipmentEvent.at")

    @property
    def is_late(self) -> bool:
        return self.status != "delivered" and self.eta is not None and self.eta > self.promised_date


class ShipmentEvent(Base):
    __tablename__ = "shipment_events"
    __table_args__ = (UniqueConstraint("shipment_id", "at", "status"),)

    id = Column(Integer, primary_key=True)
    shipment_id = Column(Integer, ForeignKey("shipments.id"), nullable=False)
    at = Column(UtcDateTime, nullable=False)
    status = Column(String(24), nullable=False)
    description = Column(String(300))

    shipment = relationship("Shipment", back_populates="events")


class Return(Base):
    """A return and the refund that follows it.

    The refund moves from `received_at` (the parcel is back) via `approved_at` (checked and
    accepted) to `paid_at` (sent to the customer's bank, card or pay-later provider). The
    amount and the way it is paid back are only known to the retailer; without a method the
    order's payment method is used.
    """

    __tablename__ = "returns"

    id = Column(Integer, primary_key=True)
    return_code = Column(String(32), nullable=False, unique=True)
    order_id = Column(Integer, ForeignKey("orders.id"), nullable=False, index=True)
    created_at = Column(UtcDateTime, nullable=False)
    reason = Column(Text)
    status = Column(String(20), nullable=False)
    refund_amount_cents = Column(Integer)
    refund_method = Column(String(20))
    received_at = Column(UtcDateTime)
    approved_at = Column(UtcDateTime)
    paid_at = Column(UtcDateTime)

    order = relationship("Order", back_populates="returns")


class InboundReceipt(Base):
    """One delivery from a channel provider, so a retried webhook is processed once."""

    __tablename__ = "inbound_receipts"
    __table_args__ = (UniqueConstraint("channel", "delivery_id"),)

    id = Column(Integer, primary_key=True)
    channel = Column(String(20), nullable=False)
    delivery_id = Column(String(128), nullable=False)
    received_at = Column(UtcDateTime, nullable=False, default=utcnow)


class ContactMessage(Base):
    """Every message to or from a customer on any channel: the cross-channel timeline.

    `conversation_id` is Rasa's sender id (`<channel>:<external id>`). Outbound messages carry
    the provider's id and delivery status; web messages sent while the shopper is offline stay
    `pending` until the widget reconnects.
    """

    __tablename__ = "contact_messages"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id"), nullable=False, index=True)
    conversation_id = Column(String(300), nullable=False, index=True)
    channel = Column(String(20), nullable=False)
    direction = Column(String(3), nullable=False)  # in | out
    author = Column(String(10), nullable=False)  # customer | bot | agent | system
    text = Column(Text, nullable=False, default="")
    payload = Column(JSON, nullable=False, default=dict)
    provider_id = Column(String(128), index=True)
    status = Column(String(20), nullable=False)
    created_at = Column(UtcDateTime, nullable=False, default=utcnow, index=True)
    status_at = Column(UtcDateTime)

    customer = relationship("Customer")
    status_events = relationship(
        "MessageStatusEvent", back_populates="message", order_by="MessageStatusEvent.id"
    )


class MessageStatusEvent(Base):
    """A provider's delivery report for an outbound message (sent, delivered, read, failed …)."""

    __tablename__ = "message_status_events"

    id = Column(Integer, primary_key=True)
    message_id = Column(Integer, ForeignKey("contact_messages.id"), nullable=False, index=True)
    status = Column(String(20), nullable=False)
    error_code = Column(String(20))
    at = Column(UtcDateTime, nullable=False, default=utcnow)

    message = relationship("ContactMessage", back_populates="status_events")


ORDER_STATUSES = (
    "paid",
    "processing",
    "shipped",
    "out_for_delivery",
    "delivered",
    "delayed",
    "cancelled",
    "returned",
)
# How a customer pays, and how a refund is paid back; "klarna" is pay later.
PAYMENT_METHODS = ("ideal", "creditcard", "paypal", "klarna", "bancontact", "giftcard")
RETURN_STATUSES = ("requested", "received", "refunded", "rejected")
SHIPMENT_STATUSES = (
    "announced",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "delayed",
    "returned_to_sender",
)
ATTRIBUTE_TYPES = ("bool", "number", "text")


# The handoff and delay-announcement tables share this metadata (imported last: they build on
# the above), so Alembic and every session see them.
from bot.store import delay_models as _delay_models  # noqa: E402, F401
from bot.store import handoff_models as _handoff_models  # noqa: E402, F401
from bot.store import suggestion_models as _suggestion_models  # noqa: E402, F401
