"""Shown against held out: did customers who saw a suggestion buy more than those of the
control group (bot/suggestions/holdout.py) for whom the same suggestion was only recorded?

Per rule and channel, each suggestion is one exposure of a known customer; it *converted*
when that customer bought within `attribution_days` after it: `=` the suggested product (an
order line, or a same-parcel addition paid or confirmed), `*` anything. The uplift is the
shown rate minus the held-out rate, in percentage points, with a two-proportion z-score to say
whether the difference is more than chance. Proactive offers are compared as channel
`proactive`, as the held-out ones never reached a channel.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.store.models import Order
from bot.store.suggestion_models import OrderAddition, Suggestion
from bot.suggestions.holdout import HELD_OUT


@dataclass
class Comparison:
    rule: str
    channel: str
    shown: int = 0
    shown_same: int = 0  # converted: bought the suggested product
    shown_any: int = 0  # converted: bought anything
    held_out: int = 0
    held_same: int = 0
    held_any: int = 0

    @staticmethod
    def _rate(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    @property
    def shown_rate_same(self) -> float:
        return self._rate(self.shown_same, self.shown)

    @property
    def held_rate_same(self) -> float:
        return self._rate(self.held_same, self.held_out)

    @property
    def shown_rate_any(self) -> float:
        return self._rate(self.shown_any, self.shown)

    @property
    def held_rate_any(self) -> float:
        return self._rate(self.held_any, self.held_out)

    @property
    def uplift_same(self) -> float:
        """Percentage points: shown rate minus held-out rate (the suggested product)."""
        return 100 * (self.shown_rate_same - self.held_rate_same)

    @property
    def uplift_any(self) -> float:
        return 100 * (self.shown_rate_any - self.held_rate_any)

    @property
    def z_same(self) -> float | None:
        """Two-proportion z-score of the uplift; None without both groups."""
        return z_score(self.shown_same, self.shown, self.held_same, self.held_out)

    @property
    def z_any(self) -> float | None:
        return z_score(self.shown_any, self.shown, self.held_any, self.held_out)


def z_score(a: int, n: int, b: int, m: int) -> float | None:
    if not n or not m:
        return None
    pooled = (a + b) / (n + m)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n + 1 / m))
    if spread == 0:
        return 0.0
    return (a / n - b / m) / spread


def _channel(suggestion: Suggestion) -> str:
    return "proactive" if (suggestion.context or {}).get("proactive") else suggestion.channel


def compare(
    session: Session, *, attribution_days: int, since: dt.datetime | None = None
) -> list[Comparison]:
    """One row per (rule, channel) that has suggestions of a known customer, sorted."""
    query = select(Suggestion).where(
        Suggestion.customer_id.is_not(None), Suggestion.rule != "alternative"
    )
    if since is not None:
        query = query.where(Suggestion.shown_at >= since)
    suggestions = list(session.scalars(query))
    window = dt.timedelta(days=attribution_days)
    orders: dict[int, list[Order]] = defaultdict(list)
    customers = sorted({s.customer_id for s in suggestions})
    if customers:
        for order in session.scalars(
            select(Order)
            .where(Order.customer_id.in_(customers), Order.status != "cancelled")
            .options(selectinload(Order.lines))
        ):
            orders[order.customer_id].append(order)
    added = set(
        session.scalars(
            select(OrderAddition.suggestion_id).where(
                OrderAddition.status.in_(("paid", "confirmed")),
                OrderAddition.suggestion_id.is_not(None),
            )
        )
    )
    table: dict[tuple[str, str], Comparison] = {}
    for suggestion in suggestions:
        key = (suggestion.rule, _channel(suggestion))
        row = table.setdefault(key, Comparison(*key))
        within = [
            o
            for o in orders[suggestion.customer_id]
            if suggestion.shown_at <= o.placed_at <= suggestion.shown_at + window
        ]
        same = suggestion.id in added or any(
            line.product_id == suggestion.product_id for o in within for line in o.lines
        )
        anything = same or bool(within)
        if suggestion.status == HELD_OUT:
            row.held_out += 1
            row.held_same += same
            row.held_any += anything
        else:
            row.shown += 1
            row.shown_same += same
            row.shown_any += anything
    return [table[key] for key in sorted(table)]


def _z(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def control_lines(rows: list[Comparison], *, attribution_days: int, share: float) -> list[str]:
    """The control-group part of `klantreis report suggestions`."""
    title = f"Control group (holdout_share {share:g}): bought within {attribution_days} days"
    if not any(r.held_out for r in rows):
        return [title, "No suggestions held out yet."]
    header = (
        f"{'rule':<12} {'channel':<10} {'shown':>6} {'held':>6} {'conv= shown':>12} "
        f"{'conv= held':>11} {'uplift=':>8} {'z=':>6} {'conv* shown':>12} {'conv* held':>11} "
        f"{'uplift*':>8} {'z*':>6}"
    )
    lines = [title, header, "-" * len(header)]
    for r in rows:
        lines.append(
            f"{r.rule:<12} {r.channel:<10} {r.shown:>6} {r.held_out:>6} "
            f"{r.shown_rate_same:>12.1%} {r.held_rate_same:>11.1%} {r.uplift_same:>+7.1f}pp "
            f"{_z(r.z_same):>6} {r.shown_rate_any:>12.1%} {r.held_rate_any:>11.1%} "
            f"{r.uplift_any:>+7.1f}pp {_z(r.z_any):>6}"
        )
    lines.append(
        "conv. = share of suggestions after which the customer bought (= the suggested product, "
        "* anything); uplift = shown minus held out; |z| of 2 or more is unlikely to be chance."
    )
    return lines
