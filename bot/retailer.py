"""The retailer's facts and policies (name, return period, refund times, shipping costs,
pick-up points, contact) from config/retailer.yml; the bot's texts take them from here
(bot/texts/facts.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from bot.language import DEFAULT_LANGUAGE
from bot.settings import Settings


@dataclass(frozen=True)
class Retailer:
    shop_name: str = "de webshop"
    website: str = ""
    return_days: int = 14
    free_shipping_from_eur: float = 50
    shipping_costs_eur: dict[str, float] = field(default_factory=dict)
    phone: str = ""
    email: str = ""
    hours: dict[str, str] = field(default_factory=dict)
    earliest_days_ahead: int = 1
    latest_days_ahead: int = 14
    pickup_points: tuple[str, ...] = ()
    tracking_urls: dict[str, str] = field(default_factory=dict)
    refund_check_days: int = 5
    refund_payout_days: dict[str, int] = field(default_factory=dict)
    refund_grace_days: int = 14

    def payout_days(self, method: str | None) -> int:
        """Working days the money takes to show after we pay it back with `method`.

        An unknown method gets the slowest time, so the customer is never told too early.
        """
        known = self.refund_payout_days
        if method in known:
            return known[method]
        return max(known.values(), default=5)

    def tracking_url(self, carrier: str, code: str, postcode: str | None) -> str:
        template = self.tracking_urls.get(carrier, "")
        return (
            template.format(code=code, postcode=(postcode or "").replace(" ", ""))
            if template
            else ""
        )

    def contact(self, language: str) -> str:
        hours = self.hours.get(language) or self.hours.get(DEFAULT_LANGUAGE, "")
        return f"{self.phone} ({hours}) · {self.email}"


def load_retailer(path: Path) -> Retailer:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    service = data.get("customer_service", {})
    changes = data.get("delivery_changes", {})
    refunds = data.get("refunds") or {}
    return Retailer(
        shop_name=data.get("shop_name", "de webshop"),
        website=data.get("website", ""),
        return_days=int(data.get("return_days", 14)),
        free_shipping_from_eur=float(data.get("free_shipping_from_eur", 50)),
        shipping_costs_eur={
            str(k): float(v) for k, v in (data.get("shipping_costs_eur") or {}).items()
        },
        phone=service.get("phone", ""),
        email=service.get("email", ""),
        hours={"nl": service.get("hours_nl", ""), "en": service.get("hours_en", "")},
        earliest_days_ahead=int(changes.get("earliest_days_ahead", 1)),
        latest_days_ahead=int(changes.get("latest_days_ahead", 14)),
        pickup_points=tuple(data.get("pickup_points", [])),
        tracking_urls=dict(data.get("tracking_urls", {})),
        refund_check_days=int(refunds.get("check_working_days", 5)),
        refund_payout_days={
            str(k): int(v) for k, v in (refunds.get("payout_working_days") or {}).items()
        },
        refund_grace_days=int(refunds.get("overdue_grace_days", 14)),
    )


@lru_cache(maxsize=1)
def retailer() -> Retailer:
    return load_retailer(Settings.from_env().retailer_file)
