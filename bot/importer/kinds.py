"""What each import file holds: its fields, natural key and how a row becomes columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.importer import fields as f
from bot.importer import vocabulary as v
from bot.importer.refs import References
from bot.language import DEFAULT_LANGUAGE, LANGUAGES
from bot.store import models as m

Fields = dict[str, tuple[f.Parser, bool]]  # name → (parser, required)
ToColumns = Callable[[dict[str, Any], References], dict[str, Any]]

ADDRESS: Fields = {
    "street": (f.text(200), False),
    "house_number": (f.text(20), False),
    "postcode": (f.postcode, False),
    "city": (f.text(100), False),
}


@dataclass(frozen=True)
class Kind:
    """One kind of record: file name, model, fields and natural key (as columns)."""

    name: str
    model: Any
    fields: Fields
    key_columns: tuple[str, ...]
    to_columns: ToColumns


def _products(row: dict[str, Any], refs: References) -> dict[str, Any]:
    refs.require_category(row["category"])
    columns = {k: row.get(k) for k in ("sku", "brand", "category", "name_nl", "name_en")}
    columns.update(
        description_nl=row["description_nl"],
        description_en=row["description_en"],
        price_cents=row["price"],
        rating=row.get("rating"),
        lifetime_months=row.get("lifetime_months"),
        complementary=row.get("complementary") or [],
        synonyms=row.get("synonyms") or [],
        attributes=v.product_attributes(row.get("attributes") or {}, refs),
        image_url=row.get("image_url"),
    )
    return columns


def _variants(row: dict[str, Any], refs: References) -> dict[str, Any]:
    return {
        "product_id": refs.product_id(row["sku"]),
        "variant": row["variant"],
        "colour": row.get("colour"),
        "stock": row["stock"],
    }


def _reviews(row: dict[str, Any], refs: References) -> dict[str, Any]:
    return {
        "product_id": refs.product_id(row["sku"]),
        "author": row["author"],
        "rating": row["rating"],
        "language": row["language"],
        "text": row["text"],
    }


def _customers(row: dict[str, Any], refs: References) -> dict[str, Any]:
    columns = {k: row.get(k) for k in ("customer_ref", "first_name", "last_name", "email", "phone")}
    columns.update({k: row.get(k) for k in ADDRESS})
    columns["language"] = row.get("language") or DEFAULT_LANGUAGE
    columns["is_anonymous"] = False
    return columns


def _consents(row: dict[str, Any], refs: References) -> dict[str, Any]:
    return {
        "customer_id": refs.customer_id(row["customer_ref"]),
        "purpose": row["purpose"],
        "channel": row["channel"],
        "granted": row["granted"],
        "recorded_at": row["recorded_at"],
    }


def _orders(row: dict[str, Any], refs: References) -> dict[str, Any]:
    customer_id = refs.customer_id(row["customer_ref"])
    address = {k: row.get(k) for k in ADDRESS}
    if not any(address.values()) and not row.get("pickup_point"):
        address = refs.customer_address(customer_id)
    return {
        "order_number": row["order_number"],
        "customer_id": customer_id,
        "placed_at": row["placed_at"],
        "status": row["status"],
        "payment_method": row.get("payment_method"),
        "pickup_point": row.get("pickup_point"),
        **address,
    }


def _order_lines(row: dict[str, Any], refs: References) -> dict[str, Any]:
    product_id = refs.product_id(row["sku"])
    variant = row.get("variant")
    if variant is not None:
        refs.require_variant(product_id, row["sku"], variant)
    return {
        "order_id": refs.order_id(row["order_number"]),
        "line_no": row["line_no"],
        "product_id": product_id,
        "variant": variant,
        "quantity": row["quantity"],
        "unit_price_cents": row["unit_price"],
    }


def _shipments(row: dict[str, Any], refs: References) -> dict[str, Any]:
    return {
        "tracking_code": row["tracking_code"],
        "order_id": refs.order_id(row["order_number"]),
        "carrier": row["carrier"],
        "status": row["status"],
        "promised_date": row["promised_date"],
        "eta": row.get("eta"),
        "shipped_at": row.get("shipped_at"),
        "delivered_at": row.get("delivered_at"),
    }


def _shipment_events(row: dict[str, Any], refs: References) -> dict[str, Any]:
    return {
        "shipment_id": refs.shipment_id(row["tracking_code"]),
        "at": row["at"],
        "status": row["status"],
        "description": row.get("description"),
    }


def _returns(row: dict[str, Any], refs: References) -> dict[str, Any]:
    """A return with its refund; the refund's dates must follow each other and the status."""
    dates = [(k, row[k]) for k in ("received_at", "approved_at", "paid_at") if row.get(k)]
    for (earlier, first), (later, second) in zip(dates, dates[1:], strict=False):
        if second < first:
            raise f.FieldError(f"{later} is before {earlier}")
    if row.get("paid_at") and row["status"] != "refunded":
        raise f.FieldError(f"paid_at needs status refunded, not {row['status']}")
    if row["status"] == "requested" and dates:
        raise f.FieldError(f"{dates[0][0]} is set, so the status cannot be requested")
    return {
        "return_code": row["return_code"],
        "order_id": refs.order_id(row["order_number"]),
        "created_at": row["created_at"],
        "reason": row.get("reason"),
        "status": row["status"],
        "refund_amount_cents": row.get("refund_amount"),
        "refund_method": row.get("refund_method"),
        "received_at": row.get("received_at"),
        "approved_at": row.get("approved_at"),
        "paid_at": row.get("paid_at"),
    }


KINDS: tuple[Kind, ...] = (
    Kind(
        "categories",
        m.Category,
        {
            "key": (f.key, True),
            "name_nl": (f.text(100), True),
            "name_en": (f.text(100), True),
            "words_nl": (f.words, False),
            "words_en": (f.words, False),
        },
        ("key",),
        v.categories,
    ),
    Kind(
        "attributes",
        m.AttributeDefinition,
        {
            "key": (f.key, True),
            "type": (f.choice(m.ATTRIBUTE_TYPES), True),
            "unit": (f.text(20), False),
            "name_nl": (f.text(100), True),
            "name_en": (f.text(100), True),
            "words_nl": (f.words, False),
            "words_en": (f.words, False),
            "values": (v.attribute_values, False),
        },
        ("key",),
        v.attributes,
    ),
    Kind(
        "products",
        m.Product,
        {
            "sku": (f.text(64), True),
            "brand": (f.text(100), True),
            "category": (f.key, True),
            "name_nl": (f.text(200), True),
            "name_en": (f.text(200), True),
            "description_nl": (f.text(2000), True),
            "description_en": (f.text(2000), True),
            "price": (f.money_cents, True),
            "rating": (f.rating, False),
            "lifetime_months": (f.integer(1, 600), False),
            "complementary": (f.string_list, False),
            "synonyms": (f.string_list, False),
            "attributes": (f.mapping, False),
            "image_url": (f.url, False),
        },
        ("sku",),
        _products,
    ),
    Kind(
        "variants",
        m.ProductVariant,
        {
            "sku": (f.text(64), True),
            "variant": (f.text(40), True),
            "colour": (f.text(40), False),
            "stock": (f.integer(0), True),
        },
        ("product_id", "variant"),
        _variants,
    ),
    Kind(
        "reviews",
        m.Review,
        {
            "sku": (f.text(64), True),
            "author": (f.text(100), True),
            "rating": (f.integer(1, 5), True),
            "language": (f.choice(LANGUAGES), True),
            "text": (f.text(1000), True),
        },
        ("product_id", "author"),
        _reviews,
    ),
    Kind(
        "customers",
        m.Customer,
        {
            "customer_ref": (f.text(64), True),
            "first_name": (f.text(100), True),
            "last_name": (f.text(100), True),
            "email": (f.email, False),
            "phone": (f.phone, False),
            "language": (f.choice(LANGUAGES), False),
            **ADDRESS,
        },
        ("customer_ref",),
        _customers,
    ),
    Kind(
        "consents",
        m.Consent,
        {
            "customer_ref": (f.text(64), True),
            "purpose": (f.choice(("service", "marketing", "surveys")), True),
            "channel": (f.choice(("email", "whatsapp", "telegram", "web", "sms")), True),
            "granted": (f.boolean, True),
            "recorded_at": (f.timestamp, True),
        },
        ("customer_id", "purpose", "channel"),
        _consents,
    ),
    Kind(
        "orders",
        m.Order,
        {
            "order_number": (f.text(32), True),
            "customer_ref": (f.text(64), True),
            "placed_at": (f.timestamp, True),
            "status": (f.choice(m.ORDER_STATUSES), True),
            "payment_method": (f.choice(m.PAYMENT_METHODS), False),
            "pickup_point": (f.text(200), False),
            **ADDRESS,
        },
        ("order_number",),
        _orders,
    ),
    Kind(
        "order_lines",
        m.OrderLine,
        {
            "order_number": (f.text(32), True),
            "line_no": (f.integer(1), True),
            "sku": (f.text(64), True),
            "variant": (f.text(40), False),
            "quantity": (f.integer(1, 1000), True),
            "unit_price": (f.money_cents, True),
        },
        ("order_id", "line_no"),
        _order_lines,
    ),
    Kind(
        "shipments",
        m.Shipment,
        {
            "tracking_code": (f.text(64), True),
            "order_number": (f.text(32), True),
            "carrier": (f.choice(("postnl", "dhl", "dpd", "ups", "budbee")), True),
            "status": (f.choice(m.SHIPMENT_STATUSES), True),
            "promised_date": (f.date, True),
            "eta": (f.date, False),
            "shipped_at": (f.timestamp, False),
            "delivered_at": (f.timestamp, False),
        },
        ("tracking_code",),
        _shipments,
    ),
    Kind(
        "shipment_events",
        m.ShipmentEvent,
        {
            "tracking_code": (f.text(64), True),
            "at": (f.timestamp, True),
            "status": (f.choice(m.SHIPMENT_STATUSES), True),
            "description": (f.text(300), False),
        },
        ("shipment_id", "at", "status"),
        _shipment_events,
    ),
    Kind(
        "returns",
        m.Return,
        {
            "return_code": (f.text(32), True),
            "order_number": (f.text(32), True),
            "created_at": (f.timestamp, True),
            "reason": (f.text(1000), False),
            "status": (f.choice(m.RETURN_STATUSES), True),
            "refund_amount": (f.money_cents, False),
            "refund_method": (f.choice(m.PAYMENT_METHODS), False),
            "received_at": (f.timestamp, False),
            "approved_at": (f.timestamp, False),
            "paid_at": (f.timestamp, False),
        },
        ("return_code",),
        _returns,
    ),
)
