"""The moments a service act ends, and what each means for a suggestion (#14).

An act (the order status, a refund status, a delivery change, a return, "in my size?")
ends with one reply; the reply's catalogue key says how it went. Good news is a moment for one
suggestion; bad news and a return are moments to hold back, recorded with their reason
(bot/suggestions/suppression.py); any other ending (a question back, a cancellation, "no
refund pending") is no moment at all, so nothing is shown or recorded.
"""

from __future__ import annotations

OFFER = "offer"
BAD_NEWS = "bad_news"
RETURN = "return_open"

# The reply an act ended with → what may follow it.
ENDINGS: dict[str, str] = {
    # the delivery change is written
    "delivery_changed_date": OFFER,
    "delivery_changed_address": OFFER,
    "delivery_changed_pickup": OFFER,
    # the order is on time, on its way, or in the customer's hands
    "order_status_processing": OFFER,
    "order_status_shipped": OFFER,
    "order_status_out_for_delivery": OFFER,
    "order_status_delivered": OFFER,
    # the money is coming back
    "refund_approved": OFFER,
    "refund_paid": OFFER,
    "refund_undated": OFFER,
    # the product asked about is in stock in the size (or colour) asked: the shopper can have
    # it, so something that goes with it is welcome; a price, colours or reviews alone are
    # still choosing, not an end (docs/suggestions.md)
    "product_in_stock": OFFER,
    "product_low_stock": OFFER,
    # unwelcome news: never an offer in the same turn
    "order_status_delayed": BAD_NEWS,
    "delivery_change_refused": BAD_NEWS,
    "cancel_refused_shipped": BAD_NEWS,
    "cancel_refused_cancelled": BAD_NEWS,
    "return_refused_too_late": BAD_NEWS,
    "return_refused_not_delivered": BAD_NEWS,
    "return_refused_cancelled": BAD_NEWS,
    "refund_rejected": BAD_NEWS,
    "refund_overdue": BAD_NEWS,
    "refund_overdue_paid": BAD_NEWS,
    "refund_overdue_cancelled": BAD_NEWS,
    # something goes back: often a sign it was not right, so no sales now (docs/suggestions.md)
    "return_created": RETURN,
}


def meaning(ending: str) -> str | None:
    """OFFER, BAD_NEWS or RETURN for an act's last reply; None when it is no moment."""
    return ENDINGS.get(ending)
