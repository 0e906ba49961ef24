"""The figures: shown, clicked, accepted, declined, conversion and revenue per rule and
channel, and purchases attributed to suggestions within the retailer's window.

Attribution: an order the same customer places within `attribution_days` after a suggestion
was shown counts for it, twice over and separately: *same product* (the order holds the
suggested product; revenue is that line) and *anything* (any order; revenue is its total).
An accepted same-parcel addition counts as revenue once the shop confirmed or it was paid.
Queryable functions, one row per (rule, channel), so a dashboard can chart them later.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.models import Order
from bot.store.suggestion_models import OrderAddition, Suggestion, SuggestionEvent

COUNTED = ("shown", "clicked", "accepted", "declined")


@dataclass
class Figures:
    rule: str
    channel: str
    shown: int = 0
    clicked: int = 0
    accepted: int = 0
    declined: int = 0
    added_cents: int = 0  # same-parcel additions confirmed or paid
    orders_same: int = 0
    revenue_same_cents: int = 0
    orders_any: int = 0
    revenue_any_cents: int = 0
    _seen_orders: set[int] = field(default_factory=set, repr=False)

    @property
    def conversion(self) -> float:
        """Accepted per shown."""
        return self.accepted / self.shown if self.shown else 0.0


RowOf = Callable[[Suggestion], Figures]


def _events(session: Session, since: dt.datetime | None) -> list[tuple[int, str]]:
    query = select(SuggestionEvent.suggestion_id, SuggestionEvent.kind)
    if since is not None:
        query = query.join(Suggestion, Suggestion.id == SuggestionEvent.suggestion_id).where(
            Suggestion.shown_at >= since
        )
    return [(row[0], row[1]) for row in session.execute(query)]


def figures(
    session: Session, *, attribution_days: int, since: dt.datetime | None = None
) -> list[Figures]:
    """One row per (rule, channel), rule then channel in alphabetical order."""
    query = select(Suggestion).where(Suggestion.status != "held_out")  # the control group
    if since is not None:
        query = query.where(Suggestion.shown_at >= since)
    suggestions = {s.id: s for s in session.scalars(query)}
    table: dict[tuple[str, str], Figures] = {}

    def row(suggestion: Suggestion) -> Figures:
        key = (suggestion.rule, suggestion.channel)
        if key not in table:
            table[key] = Figures(*key)
        return table[key]

    for suggestion in suggestions.values():
        row(suggestion)
    clicked: dict[int, bool] = defaultdict(bool)
    for suggestion_id, kind in _events(session, since):
        suggestion = suggestions.get(suggestion_id)
        if suggestion is None or kind not in COUNTED:
            continue
        if kind == "clicked":  # one click per suggestion counts
            if clicked[suggestion_id]:
                continue
            clicked[suggestion_id] = True
        figures_row = row(suggestion)
        setattr(figures_row, kind, getattr(figures_row, kind) + 1)
    _additions(session, suggestions, row)
    _attribute(session, suggestions, row, dt.timedelta(days=attribution_days))
    return [table[key] for key in sorted(table)]


def _additions(session: Session, suggestions: dict[int, Suggestion], row: RowOf) -> None:
    if not suggestions:
        return
    for addition in session.scalars(
        select(OrderAddition).where(
            OrderAddition.suggestion_id.in_(list(suggestions)),
            OrderAddition.status.in_(("confirmed", "paid")),
        )
    ):
        suggestion = suggestions[addition.suggestion_id]
        row(suggestion).added_cents += addition.quantity * addition.unit_price_cents


def _attribute(
    session: Session,
    suggestions: dict[int, Suggestion],
    row: RowOf,
    window: dt.timedelta,
) -> None:
    """Orders after a suggestion, within the window, by the same customer; each order counts
    once per (rule, channel), for the earliest suggestion that can claim it."""
    by_customer: dict[int, list[Suggestion]] = defaultdict(list)
    for suggestion in suggestions.values():
        if suggestion.customer_id is not None and suggestion.rule != "alternative":
            by_customer[suggestion.customer_id].append(suggestion)
    if not by_customer:
        return
    orders = session.scalars(
        select(Order)
        .where(Order.customer_id.in_(list(by_customer)), Order.status != "cancelled")
        .options(selectinload(Order.lines))
    )
    for order in orders:
        for suggestion in sorted(by_customer[order.customer_id], key=lambda s: s.shown_at):
            if not (suggestion.shown_at <= order.placed_at <= suggestion.shown_at + window):
                continue
            figures_row = row(suggestion)
            if order.id in figures_row._seen_orders:
                continue
            figures_row._seen_orders.add(order.id)
            figures_row.orders_any += 1
            figures_row.revenue_any_cents += order.total_cents
            same = [line for line in order.lines if line.product_id == suggestion.product_id]
            if same:
                figures_row.orders_same += 1
                figures_row.revenue_same_cents += sum(
                    line.quantity * line.unit_price_cents for line in same
                )
            break


def euros(cents: int) -> str:
    return f"€{cents / 100:,.2f}"


def table_lines(rows: list[Figures], *, attribution_days: int) -> list[str]:
    """The report `klantreis report suggestions` prints."""
    if not rows:
        return ["No suggestions shown yet."]
    header = (
        f"{'rule':<12} {'channel':<9} {'shown':>6} {'clicked':>8} {'accepted':>9} "
        f"{'declined':>9} {'conv.':>6} {'added':>10} {'orders=':>8} {'revenue=':>11} "
        f"{'orders*':>8} {'revenue*':>11}"
    )
    lines = [header, "-" * len(header)]
    total = Figures("total", "")
    for r in rows:
        lines.append(_line(r))
        if r.rule == "alternative":
            continue  # part of a sold-out answer, not an offer: not in the total
        for name in (
            "shown",
            "clicked",
            "accepted",
            "declined",
            "added_cents",
            "orders_same",
            "revenue_same_cents",
            "orders_any",
            "revenue_any_cents",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    lines += ["-" * len(header), _line(total)]
    lines.append(
        f"conv. = accepted / shown; added = same-parcel additions confirmed or paid; "
        f"= the suggested product, * anything, ordered within {attribution_days} days; "
        "the total leaves out sold-out alternatives."
    )
    return lines


def _line(r: Figures) -> str:
    return (
        f"{r.rule:<12} {r.channel:<9} {r.shown:>6} {r.clicked:>8} {r.accepted:>9} "
        f"{r.declined:>9} {r.conversion:>6.1%} {euros(r.added_cents):>10} {r.orders_same:>8} "
        f"{euros(r.revenue_same_cents):>11} {r.orders_any:>8} {euros(r.revenue_any_cents):>11}"
    )
