"""Turn an order into the words of a reply: items, state, dates, tracking link."""

from __future__ import annotations

from typing import Any

from bot.formatting import date_text, join_words, money_text
from bot.retailer import Retailer
from bot.store.models import Order, Shipment
from bot.texts import text, word

CARRIERS = {"postnl": "PostNL", "dhl": "DHL", "dpd": "DPD", "ups": "UPS", "budbee": "Budbee"}


def items_text(order: Order, language: str) -> str:
    size_word = text("size_word", language)
    parts = []
    for line in order.lines:
        name = line.product.name(language)
        if line.variant and line.variant.lower() != "one size":
            name += f" {size_word} {line.variant}"
        parts.append(f"{line.quantity}× {name}" if line.quantity > 1 else name)
    return join_words(parts, language)


def main_shipment(order: Order) -> Shipment | None:
    return order.shipments[-1] if order.shipments else None


def delay_reason(shipment: Shipment, language: str) -> str:
    """The carrier's latest note, only when it is in the customer's language (Dutch)."""
    if language != "nl":
        return ""
    notes = [e.description for e in shipment.events if e.description]
    return text("delay_reason", language, note=notes[-1]) if notes else ""


def status_reply(order: Order, language: str, shop: Retailer) -> tuple[str, dict[str, Any]]:
    """The response to send for this order's state, with its variables."""
    base: dict[str, Any] = {
        "order_number": order.order_number,
        "items": items_text(order, language),
    }
    shipment = main_shipment(order)
    if order.status == "cancelled":
        return "order_status_cancelled", base
    if order.returns and order.status in ("returned", "delivered"):
        ret = order.returns[-1]
        return "order_status_returned", {
            **base,
            "return_code": ret.return_code,
            "return_status": word(f"return_status_{ret.status}", language, ret.status),
        }
    if shipment is None:
        return "order_status_processing", base
    tracking = shop.tracking_url(shipment.carrier, shipment.tracking_code, order.postcode)
    base.update(carrier=CARRIERS.get(shipment.carrier, shipment.carrier), tracking_url=tracking)
    if shipment.status == "delivered" or order.status in ("delivered", "returned"):
        delivered = shipment.delivered_at or shipment.eta or shipment.promised_date
        return "order_status_delivered", {**base, "delivered": date_text(delivered, language)}
    eta = shipment.eta or shipment.promised_date
    if shipment.is_late or order.status == "delayed" or shipment.status == "delayed":
        return "order_status_delayed", {
            **base,
            "promised": date_text(shipment.promised_date, language),
            "eta": date_text(eta, language),
            "reason": delay_reason(shipment, language),
        }
    if shipment.status == "out_for_delivery" or order.status == "out_for_delivery":
        return "order_status_out_for_delivery", base
    return "order_status_shipped", {**base, "eta": date_text(eta, language)}


def total_text(order: Order, language: str) -> str:
    return money_text(order.total_cents, language)


def state_text(order: Order, language: str) -> str:
    return word(f"order_state_{order.status}", language, order.status)
