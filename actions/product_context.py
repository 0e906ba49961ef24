"""What a product follow-up points at: the product in context, or one of the products last shown.

A shopper says "die", "the first one", "de goedkoopste" or "welke kleuren?" and names no product.
The NLU's catalogue facts say what kind of pointer it is (`reference`, `sort`, `product_aspect`;
contract 1 in docs/dialogue.md); where a message carries no fact of a kind, the word list in
data/followup_words.yml fills it in. The conversation remembers the product (`product`) and the
list last shown (`product_results`, in the order shown).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from rasa_sdk import Tracker

from actions.common import language_of, latest_values
from bot.settings import PROJECT_ROOT
from bot.store.models import Product

WORDS_FILE = PROJECT_ROOT / "data" / "followup_words.yml"
PLACES = {"first": 0, "second": 1, "third": 2, "last": -1}
RELATIVE = ("cheaper", "better", "lighter")
NON_WORD = re.compile(r"[^\w€]+")
# Facts that ask about a range of products rather than the one in context.
RANGE_FACTS = ("category", "brand", "price_min", "price_max", "rating_min")


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, dict[str, list[str]]]]:
    return yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))


def _said(text: str, kind: str, language: str) -> list[str]:
    """The values of `kind` (reference, sort, aspect) whose words occur in `text`."""
    lowered = " " + NON_WORD.sub(" ", text.lower()) + " "
    return [
        value
        for value, words in _words()[kind].items()
        if any(f" {word} " in lowered for word in words.get(language, []))
    ]


@dataclass(frozen=True)
class Pointer:
    """What a message points at besides the products it names."""

    reference: str | None  # first / second / third / last, or cheaper / better / lighter
    refers: bool  # points back at all: "die", "it", "the first one", "iets goedkopers"
    sort: str | None  # cheapest / best / lightest
    aspects: tuple[str, ...]  # price, stock, sizes, fit, specs, compare, reviews, colours
    asks_range: bool  # names a category, brand, attribute, price or rating
    again: bool = False  # "en de Aero 3?": the question before, about another product
    which: bool = False  # "welke is lichter?": weigh the products in play, don't look further

    @property
    def place(self) -> int | None:
        return PLACES.get(self.reference or "")

    @property
    def relative(self) -> str | None:
        return self.reference if self.reference in RELATIVE else None

    @property
    def weighs(self) -> bool:
        """Asks to weigh products against each other: a comparison."""
        return "compare" in self.aspects or (self.which and self.relative is not None)

    @property
    def aspect(self) -> str | None:
        """The one thing asked; a comparison or reviews outweigh the words around them."""
        for wanted in ("compare", "reviews", "fit", "colours"):
            if wanted in self.aspects:
                return wanted
        return self.aspects[0] if self.aspects else None


def pointer(tracker: Tracker) -> Pointer:
    text = str(tracker.latest_message.get("text") or "")
    language = language_of(tracker)
    spoken = not text.startswith("/")  # a button's payload carries its facts itself

    def fact(kind: str, entity: str) -> list[str]:
        found = latest_values(tracker, entity)
        return found or (_said(text, kind, language) if spoken else [])

    references = fact("reference", "reference")
    sorts = fact("sort", "sort")
    aspects = latest_values(tracker, "product_aspect")
    extra = _said(text, "aspect", language) if spoken else []
    if latest_values(tracker, "colour"):  # "heb je hem in het zwart?": a colour, not "which"
        extra = [a for a in extra if a != "colours"]
    aspects = list(dict.fromkeys([*extra, *aspects]))
    reference = next((r for r in references if r != "it"), None)
    # 'waterdicht?' with a product in context is about that product, not a new search; so is
    # 'is de tweede waterdicht?' about the list shown
    about_one = bool(tracker.get_slot("product")) or (
        reference in PLACES and bool(results(tracker))
    )
    return Pointer(
        reference=reference,
        refers=bool(references),
        sort=sorts[0] if sorts else None,
        aspects=tuple(aspects),
        asks_range=any(latest_values(tracker, name) for name in RANGE_FACTS)
        or bool(latest_values(tracker, "attribute") and not about_one),
        again=spoken and bool(_said(text, "again", language)),
        which=spoken and bool(_said(text, "which", language)),
    )


def asked_before(tracker: Tracker) -> dict[str, list[str]]:
    """The facts of the shopper's previous message: what it named and asked (product, aspect,
    size, colour)."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return {}
    parse = users[-2].get("parse_data") or {}
    facts = [*parse.get("entities", []), *parse.get("catalogue", [])]
    found: dict[str, list[str]] = {}
    for fact in facts:
        if fact.get("entity") in ("product", "product_aspect", "size", "colour"):
            found.setdefault(str(fact["entity"]), []).append(str(fact["value"]))
    return found


def list_is_newer(tracker: Tracker) -> bool:
    """Was a list shown after the product in context was answered?"""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") in ("product", "product_results"):
            return bool(event.get("name") == "product_results")
    return False


def results(tracker: Tracker) -> list[str]:
    """The SKUs last shown as a list, in the order shown."""
    value = tracker.get_slot("product_results") or []
    return [str(sku) for sku in value] if isinstance(value, list) else []


def pick(products: Sequence[Product], point: Pointer) -> Product | None:
    """The product of a list a place ("de tweede") or an order ("de goedkoopste") points at."""
    if not products:
        return None
    if point.place is not None:
        return products[point.place] if point.place < len(products) else None
    if point.sort == "cheapest":
        return min(products, key=lambda p: p.price_cents)
    if point.sort == "best":
        return max(products, key=lambda p: (float(p.rating or 0), len(p.reviews)))
    if point.sort == "lightest":
        weighed = [p for p in products if _weight(p) is not None]
        return min(weighed, key=lambda p: _weight(p) or 0) if weighed else None
    return None


def _weight(product: Product) -> float | None:
    value: Any = (product.attributes or {}).get("weight_g")
    return float(value) if isinstance(value, (int, float)) else None


def points_back(tracker: Tracker) -> bool:
    """Is this a follow-up about what was just shown, with something in context to point at?"""
    point = pointer(tracker)
    if tracker.get_slot("product") and (point.aspects or point.relative) and not point.asks_range:
        return True
    return bool(results(tracker)) and (point.place is not None or point.sort is not None)


def with_placed(named: list[Product], shown: Sequence[Product], point: Pointer) -> list[Product]:
    """'Het verschil tussen de eerste en de Ridge 5': the product a place points at in the list
    shown, before the one named; the named alone when there is no such place."""
    if len(named) != 1 or point.place is None:
        return named
    placed = pick(shown, point)
    if placed is None or placed.sku == named[0].sku:
        return named
    return [placed, *named]
