"""Two or three products side by side: the attributes that differ, price, rating, who each suits.

"Vergelijk de Aero 3 met de Tempo Glide", "compare it with the Trailblazer GTX" (the product in
context against the named one), "wat is het verschil tussen die twee" (the list last shown) and a
card's "Vergelijk" button (one product: compared with the one in context, else the shopper picks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import language_of, say, store_session
from actions.product_context import list_is_newer
from bot import texts
from bot.formatting import SPEC_UNITS, join_words, money_text, rating_text, spec_value
from bot.store.catalogue import products_by_sku
from bot.store.models import Product

# Attributes a comparison leaves out: they describe, they don't tell products apart.
NOT_COMPARED = ("colour", "material")
# Where a product stands out, in the order its "who it suits" is chosen: (attribute, better).
# `better` is "lower", "higher", or "value" (the value's own words: surface road/trail, yes/no).
# The words are suits_<better>_<attribute> or suits_<attribute>_<value> in bot/texts/words.yml;
# an attribute without words there is compared but never gives a reason.
STRENGTHS = (
    ("waterproof", "value"),
    ("surface", "value"),
    ("gender", "value"),
    ("persons", "higher"),
    ("comfort_temp_c", "lower"),
    ("thickness_mm", "higher"),
    ("max_load_kg", "higher"),
    ("volume_l", "higher"),
    ("weight_g", "lower"),
    ("price", "lower"),
    ("rating", "higher"),
)


def compare(
    dispatcher: CollectingDispatcher, *, products: Sequence[Product], language: str
) -> list[EventType]:
    """Say how `products` differ; they become the list in context, the last one the product."""
    lines = [" ↔ ".join(p.name(language) for p in products)]
    lines.append(
        _line(texts.text("compare_price", language), [_price(p, language) for p in products])
    )
    lines.append(
        _line(texts.text("rating_word", language), [_rating(p, language) for p in products])
    )
    for key in _differing(products):
        values = [(p.attributes or {}).get(key) for p in products]
        shown = ["-" if v is None else spec_value(key, v, language) for v in values]
        lines.append(_line(texts.fragment(f"spec_{key}", language), shown))
    suits = _suits(products, language)
    if suits:
        lines.append(suits)
    say(dispatcher, language, "product_compare", comparison="\n".join(lines))
    return [
        SlotSet("product_results", [p.sku for p in products]),
        SlotSet("product", products[-1].sku),
    ]


def answer_compare(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    named: list[Product],
    context: list[Product],
    shown: list[Product],
) -> list[EventType]:
    """Two or more named; one named and one in context ("compare it with X"), or asked to
    compare just before; the list last shown ("het verschil tussen die twee"); else ask."""
    language = language_of(tracker)
    if len(named) >= 2:
        return compare(dispatcher, products=named[:3], language=language)
    if named:
        partner = [p for p in context if p.sku != named[0].sku]
        button = str(tracker.latest_message.get("text") or "").startswith("/")
        if (
            button
            and list_is_newer(tracker)
            and not {p.sku for p in partner} & {p.sku for p in shown}
        ):
            partner = []  # a card's "Vergelijk" in a new list: not the product of before
        if partner:
            return compare(dispatcher, products=[partner[0], named[0]], language=language)
        others = [p for p in shown if p.sku != named[0].sku]
        return ask_compare_with(dispatcher, product=named[0], others=others, language=language)
    pair = discussed_pair(tracker)  # "welke is beter?" after "en de Ridge 5?"
    if pair and context:
        with store_session() as session:
            products = products_by_sku(session=session, skus=pair)
            if len(products) == 2:
                return compare(dispatcher, products=products, language=language)
    if len(shown) >= 2:
        return compare(dispatcher, products=shown[:3], language=language)
    if context:
        return ask_compare_with(dispatcher, product=context[0], others=[], language=language)
    say(dispatcher, language, "product_ask_which")
    return []


def discussed_pair(tracker: Tracker) -> list[str]:
    """The product discussed before the one in context and that one, when both came after the
    list last shown; else nothing (the list is what "which one" is about)."""
    found: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") != "slot":
            continue
        if event.get("name") == "product_results" and found:
            return []
        value = event.get("value")
        if event.get("name") == "product" and value and value not in found:
            found.append(str(value))
            if len(found) == 2:
                return [found[1], found[0]]
    return []


def names_partner(tracker: Tracker, named: list[Product]) -> bool:
    """ "Met de Tempo Glide", right after the bot asked what to compare the product in context
    with."""
    earlier = asked_to_compare(tracker)
    return (
        len(named) == 1
        and earlier is not None
        and earlier == tracker.get_slot("product")
        and earlier != named[0].sku
    )


def ask_compare_with(
    dispatcher: CollectingDispatcher,
    *,
    product: Product,
    others: Sequence[Product],
    language: str,
) -> list[EventType]:
    """One product to compare and none to compare it with: offer the others last shown."""
    name = product.name(language)
    if others:
        buttons = [{"title": o.name(language), "payload": compare_payload(o)} for o in others[:3]]
        say(dispatcher, language, "product_compare_with", product=name, buttons=buttons)
    else:
        say(dispatcher, language, "product_compare_which", product=name)
    return [SlotSet("product", product.sku)]


def compare_payload(product: Product) -> str:
    return f'/product_question{{"product": "{product.sku}", "product_aspect": "compare"}}'


def asked_to_compare(tracker: Tracker) -> str | None:
    """The product the shopper's previous message asked to compare, when it named only one
    (the bot then asked "with which?")."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    if len(users) < 2:
        return None
    parse = users[-2].get("parse_data") or {}
    facts = [*parse.get("entities", []), *parse.get("catalogue", [])]
    named = {str(f["value"]) for f in facts if f.get("entity") == "product"}
    aspects = {str(f["value"]) for f in facts if f.get("entity") == "product_aspect"}
    if "compare" in aspects and len(named) == 1:
        return named.pop()
    return None


def _line(label: str, values: Sequence[str]) -> str:
    return f"• {label}: " + " ↔ ".join(values)


def _price(product: Product, language: str) -> str:
    return money_text(product.price_cents, language)


def _rating(product: Product, language: str) -> str:
    count = len(product.reviews)
    reviews = texts.text("review_count", language, count=count)
    return f"{rating_text(product.rating, language)} ({reviews})"


def _differing(products: Sequence[Product]) -> list[str]:
    keys = [k for k in SPEC_UNITS if k not in NOT_COMPARED]
    extra = sorted({k for p in products for k in (p.attributes or {})} - set(SPEC_UNITS))
    differing = []
    for key in [*keys, *extra]:
        values = [(p.attributes or {}).get(key) for p in products]
        if any(v is not None for v in values) and len({repr(v) for v in values}) > 1:
            differing.append(key)
    return differing


def _measure(product: Product, key: str) -> Any:
    if key == "price":
        return product.price_cents
    if key == "rating":
        return float(product.rating) if product.rating else None
    return (product.attributes or {}).get(key)


def _strength(product: Product, others: Sequence[Product], key: str, better: str) -> str | None:
    """The words for where `product` beats all `others` on `key`, if it does and we have words."""
    mine = _measure(product, key)
    theirs = [_measure(o, key) for o in others]
    if better == "value":
        if isinstance(mine, bool):
            mine = "yes" if mine else None
        if mine is None or any(t == mine or (t is True and mine == "yes") for t in theirs):
            return None
        word = f"suits_{key}_{str(mine).lower()}"
    else:
        if not isinstance(mine, (int, float)) or any(
            not isinstance(t, (int, float)) for t in theirs
        ):
            return None
        wins = all(mine < t for t in theirs) if better == "lower" else all(mine > t for t in theirs)
        if not wins:
            return None
        word = f"suits_{better}_{key}"
    return word if word in texts.catalogue() else None


def _suits(products: Sequence[Product], language: str) -> str:
    """'Veloce Aero 3 is er voor wie vooral op de weg loopt en …': each one's first strength."""
    parts: list[str] = []
    used: set[str] = set()
    for product in products:
        others = [p for p in products if p is not product]
        reason = next(
            (
                word
                for key, better in STRENGTHS
                if (word := _strength(product, others, key, better)) and word not in used
            ),
            None,
        )
        if reason is None:
            continue
        used.add(reason)
        key = "compare_suits_first" if not parts else "compare_suits_next"
        parts.append(
            texts.text(
                key,
                language,
                product=product.name(language),
                reason=texts.fragment(reason, language),
            )
        )
    if len(parts) < 2:
        return texts.text("compare_alike", language)
    return join_words(parts, language) + "."
