"""The retailer's suggestion rules and weights (`suggestions:` in config/retailer.yml).

Read through the one retailer file Settings names; docs/suggestions.md explains each key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.settings import Settings

RULES = ("complement", "lifecycle", "care")
# What a marketing template's variables may be filled with.
TEMPLATE_FACTS = ("first_name", "product", "price", "shop")
FLOWS = ("payment_link", "shop_confirms")


class SuggestionConfigError(ValueError):
    """The suggestions section of the retailer file is wrong; the message says where."""


@dataclass(frozen=True)
class Weights:
    """What adds to a candidate's score, besides its rule's own weight."""

    topic: float = 1.0  # linked to the product or order the conversation is about
    rating: float = 0.5  # per star above 3
    history: float = 0.5  # the customer bought in that category before
    margin: float = 0.02  # per percentage point of the product attribute `margin_pct`
    priority: float = 0.3  # per step of the product attribute `priority` (0-5)
    review_in_language: float = 0.2  # a review in the customer's language to quote
    stock: float = 0.1  # plenty in stock (more than `low_stock`)


@dataclass(frozen=True)
class MarketingTemplate:
    """An approved WhatsApp marketing template (Twilio Content SID) for one language, and
    which fact fills each of its numbered variables: {"1": "first_name", "2": "product"}."""

    content_sid: str
    variables: tuple[tuple[str, str], ...] = (("1", "first_name"),)

    def fill(self, facts: dict[str, str]) -> dict[str, str]:
        return {number: facts.get(fact, "") for number, fact in self.variables}


@dataclass(frozen=True)
class SuggestionConfig:
    enabled: bool = True
    rules: dict[str, float] = field(
        default_factory=lambda: {"complement": 1.0, "lifecycle": 1.2, "care": 0.8}
    )
    weights: Weights = field(default_factory=Weights)
    min_rating: float = 0.0  # never suggest a product rated below this (0: any)
    lifecycle_early_months: int = 1  # offer a replacement from lifetime minus this
    care_after_months: int = 3  # care for what the customer has owned this long
    care_categories: tuple[str, ...] = ("care",)
    low_stock: int = 2
    per_conversation: int = 1
    csat_below: int = 4
    no_thanks_days: int = 30
    attribution_days: int = 7
    add_to_order_flow: str = "shop_confirms"
    payment_url: str = ""  # with {token}
    unshipped_statuses: tuple[str, ...] = ("paid", "processing")
    back_in_stock: bool = True
    holdout_share: float = 0.0  # customers held out of suggestions, for the control group
    holdout_salt: str = "klantreis"  # change it to draw a new control group
    # Proactive offers on WhatsApp outside the 24-hour window, per language; none: not sent.
    marketing_templates: dict[str, MarketingTemplate] = field(default_factory=dict)

    def rule_weight(self, rule: str) -> float:
        return float(self.rules.get(rule, 0.0))


def _number(data: dict[str, Any], key: str, default: float, where: str) -> float:
    value = data.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SuggestionConfigError(f"{where}.{key}: {value!r} is not a number") from None
    if number < 0:
        raise SuggestionConfigError(f"{where}.{key}: {value!r} may not be negative")
    return number


def parse_config(data: dict[str, Any] | None) -> SuggestionConfig:
    data = data or {}
    where = "suggestions"
    rules_in = data.get("rules") or {}
    unknown = sorted(set(rules_in) - set(RULES))
    if unknown:
        raise SuggestionConfigError(f"{where}.rules: unknown rule(s) {', '.join(unknown)}")
    default = SuggestionConfig()
    rules = {r: _number(rules_in, r, default.rules[r], f"{where}.rules") for r in RULES}
    weights_in = data.get("weights") or {}
    base = Weights()
    unknown = sorted(set(weights_in) - set(base.__dataclass_fields__))
    if unknown:
        raise SuggestionConfigError(f"{where}.weights: unknown weight(s) {', '.join(unknown)}")
    weights = Weights(
        **{
            name: _number(weights_in, name, getattr(base, name), f"{where}.weights")
            for name in base.__dataclass_fields__
        }
    )
    order = data.get("add_to_order") or {}
    flow = str(order.get("flow", "payment_link" if order.get("payment_url") else "shop_confirms"))
    if flow not in FLOWS:
        raise SuggestionConfigError(f"{where}.add_to_order.flow: {flow!r}; use one of {FLOWS}")
    payment_url = str(order.get("payment_url") or "")
    if flow == "payment_link" and "{token}" not in payment_url:
        raise SuggestionConfigError(
            f"{where}.add_to_order.payment_url must contain {{token}} for the payment_link flow"
        )

    holdout_share = _number(data, "holdout_share", 0.0, where)
    if holdout_share >= 1:
        raise SuggestionConfigError(
            f"{where}.holdout_share: {holdout_share} holds everyone out; use a share below 1, "
            "like 0.1"
        )

    def whole(key: str, default_value: int) -> int:
        return int(_number(data, key, default_value, where))

    return SuggestionConfig(
        enabled=bool(data.get("enabled", True)),
        rules=rules,
        weights=weights,
        min_rating=_number(data, "min_rating", 0, where),
        lifecycle_early_months=whole("lifecycle_early_months", 1),
        care_after_months=whole("care_after_months", 3),
        care_categories=tuple(data.get("care_categories") or default.care_categories),
        low_stock=whole("low_stock", 2),
        per_conversation=whole("per_conversation", 1),
        csat_below=whole("csat_below", 4),
        no_thanks_days=whole("no_thanks_days", 30),
        attribution_days=whole("attribution_days", 7),
        add_to_order_flow=flow,
        payment_url=payment_url,
        unshipped_statuses=tuple(order.get("unshipped_statuses") or default.unshipped_statuses),
        back_in_stock=bool(data.get("back_in_stock", True)),
        holdout_share=holdout_share,
        holdout_salt=str(data.get("holdout_salt") or default.holdout_salt),
        marketing_templates=parse_templates(data.get("whatsapp_marketing_templates")),
    )


def parse_templates(data: Any) -> dict[str, MarketingTemplate]:
    """`whatsapp_marketing_templates: {nl: {content_sid: HX…, variables: {1: first_name}}}`."""
    where = "suggestions.whatsapp_marketing_templates"
    if not data:
        return {}
    if not isinstance(data, dict):
        raise SuggestionConfigError(f"{where}: a template per language code, like nl: or en:")
    found: dict[str, MarketingTemplate] = {}
    for language, entry in data.items():
        here = f"{where}.{language}"
        if not isinstance(entry, dict) or not str(entry.get("content_sid") or "").startswith("HX"):
            raise SuggestionConfigError(
                f"{here}.content_sid: the Content SID (HX…) of the template"
            )
        variables = entry.get("variables") or {"1": "first_name"}
        if not isinstance(variables, dict):
            raise SuggestionConfigError(f"{here}.variables: like {{1: first_name, 2: product}}")
        unknown = sorted(str(f) for f in variables.values() if f not in TEMPLATE_FACTS)
        if unknown:
            raise SuggestionConfigError(
                f"{here}.variables: unknown fact(s) {', '.join(unknown)}; "
                f"use {', '.join(TEMPLATE_FACTS)}"
            )
        found[str(language)] = MarketingTemplate(
            content_sid=str(entry["content_sid"]).strip(),
            variables=tuple(sorted((str(k), str(v)) for k, v in variables.items())),
        )
    return found


def load_config(path: Path) -> SuggestionConfig:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return parse_config(data.get("suggestions"))


@lru_cache(maxsize=1)
def suggestion_config() -> SuggestionConfig:
    return load_config(Settings.from_env().retailer_file)
