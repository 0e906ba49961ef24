"""Search answers: products found by what the shopper needs, not by name.

`search_reply` turns the message's catalogue facts (category, attributes, price, rating, sort,
a relative "iets goedkopers") and the product in context into a search, and answers with the
best few matches and why they fit, the nearest alternatives and what they miss, or a question
that narrows a broad search. It also gives advice for a need from the retailer's rules
(data/demo/advice.yml) and an honest "we don't sell that". actions/products.py asks it first
whenever a product question names no product. How the answers are said is in
actions/search_replies.py.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import latest_entities, latest_values, say
from actions.search_replies import advise_on, ask_narrowing, not_sold, show_matches
from bot import texts
from bot.catalogue import vocabulary
from bot.catalogue.advice import Advice, AdviceError, season_in, shop_advice
from bot.catalogue.conditions import money_text
from bot.catalogue.search import SORTS, WEIGHT_KEY, Match, SearchResult, Wanted, search
from bot.catalogue.vocabulary import amount_text, category_name, number_text
from bot.formatting import AMSTERDAM
from bot.store.catalogue import products_by_sku
from bot.store.models import Product, utcnow

logger = logging.getLogger(__name__)

LIMIT = 3
SEARCH_FACTS = ("category", "attribute", "price_max", "price_min", "rating_min", "sort")
POINTING = frozenset({"it", "first", "second", "third"})  # about a product shown: dialogue's
RELATIVE = ("cheaper", "better", "lighter")
ATTRIBUTE_FACT = re.compile(r"^\s*([\w-]+)\s*(<=|>=|<|>|=)\s*(.+?)\s*$")


def today() -> dt.date:
    return utcnow().astimezone(AMSTERDAM).date()


def advice() -> Advice | None:
    """The retailer's advice rules; a broken file is logged and the bot searches without them."""
    try:
        return shop_advice()
    except AdviceError as exc:
        logger.error("Advice rules not used: %s", exc)
        return None


def need_names_the_product(tracker: Tracker, language: str) -> bool:
    """Are the words a product was recognised by the words of a need? ('beginner runner' is
    advice, even when 'beginner' is also in a product's synonyms.)"""
    text = str(tracker.latest_message.get("text") or "")
    know_how = advice() if not text.startswith("/") else None
    categories_said = latest_values(tracker, "category")
    found = (
        know_how.need_at(text, language, categories_said[0] if categories_said else None)
        if know_how
        else None
    )
    if found is None:
        return False
    _, start, end = found
    products = latest_entities(tracker, "product")
    return bool(products) and all(
        int(p.get("start", -1)) >= start and int(p.get("end", -1)) <= end for p in products
    )


def search_reply(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session, language: str
) -> list[EventType] | None:
    """Answer a product question that names no product by search, advice or "we don't sell
    that"; None when the message is none of these (the caller answers as before)."""
    in_play = tracker.get_slot("product") or tracker.get_slot("product_results")
    if in_play and POINTING & set(latest_values(tracker, "reference")):
        return None  # 'het' in 'in het bos' points at nothing when nothing was shown
    vocabulary.refresh(session=session)
    text = str(tracker.latest_message.get("text") or "")
    categories_said = latest_values(tracker, "category")
    know_how = advice()
    found = None
    if know_how and not text.startswith("/"):
        found = know_how.need_at(text, language, categories_said[0] if categories_said else None)
    rules = know_how.search_rules if know_how else None
    if found is not None:
        rule, start, end = found
        need = rule.for_day(today(), season_in(text, language))
        base = dict(need.wanted)
        # the facts in the need's own words are the need ('hoe houd ik mijn regenjas
        # waterdicht': care, not a rain jacket; 'gezin met kinderen': a tent for four)
        outside = (start, end)
        said = latest_facts(tracker, "category", outside)
        if said and base.get("category") not in (None, said[0]):
            # 'sokken voor een beginnende hardloper': the rule's attributes are for its category
            base.pop("attributes", None)
        wanted = wanted_from(tracker, base=base, outside=outside)
        if rule.own_category:  # 'my rain jacket' is what the care is for
            wanted = replace(
                wanted, category=base.get("category"), attributes=base.get("attributes") or {}
            )
        result = search(session=session, wanted=wanted, language=language, limit=LIMIT, rules=rules)
        return advise_on(dispatcher, result, need.reason[language], wanted, language)
    relative = next((r for r in RELATIVE if r in latest_values(tracker, "reference")), None)
    if relative:
        context = _context_product(tracker, session)
        return relative_reply(
            dispatcher, tracker, session=session, language=language, kind=relative, context=context
        )
    if not categories_said and not latest_values(tracker, "brand"):
        # 'hebben jullie waterdichte laptoptassen?': a thing we don't sell, whatever its words
        unsold = not_sold(dispatcher, tracker, session, language)
        if unsold is not None:
            return unsold
    if not _is_search(tracker):
        return None
    base = {}
    if not categories_said and tracker.get_slot("product"):
        context = _context_product(tracker, session)
        base = {"category": context.category} if context else {}
    wanted = wanted_from(tracker, base=base)
    result = search(session=session, wanted=wanted, language=language, limit=LIMIT, rules=rules)
    return _answer(dispatcher, result, wanted, language)


def _context_product(tracker: Tracker, session: Session) -> Product | None:
    sku = tracker.get_slot("product")
    found = products_by_sku(session=session, skus=[sku]) if sku else []
    return found[0] if found else None


def _is_search(tracker: Tracker) -> bool:
    """Does the message ask for products by what they are, not about one product?"""
    said = {fact: latest_values(tracker, fact) for fact in SEARCH_FACTS}
    if said["category"] or said["price_max"] or said["price_min"] or said["rating_min"]:
        return True
    if said["sort"]:
        return not tracker.get_slot("product_results")  # 'de goedkoopste' of a list shown
    # 'waterdicht?' with a product in context is about that product
    return bool(said["attribute"]) and not tracker.get_slot("product")


def latest_facts(tracker: Tracker, fact: str, outside: tuple[int, int] | None = None) -> list[str]:
    """The message's values of `fact`, leaving out those found within `outside` (start, end)."""
    if outside is None:
        return latest_values(tracker, fact)
    start, end = outside
    return list(
        dict.fromkeys(
            str(e["value"])
            for e in latest_entities(tracker, fact)
            if not (int(e.get("start", -1)) >= start and int(e.get("end", -1)) <= end)
        )
    )


def wanted_from(
    tracker: Tracker,
    *,
    base: Mapping[str, Any] | None = None,
    outside: tuple[int, int] | None = None,
) -> Wanted:
    """The message's facts over `base` (an advice rule's search, the product in context);
    facts within `outside` (the words of a need) are left to the need."""
    base = base or {}
    attributes = dict(base.get("attributes") or {})

    def first(fact: str) -> str | None:
        values = latest_facts(tracker, fact, outside)
        return values[0] if values else None

    for fact in latest_facts(tracker, "attribute", outside):
        found = ATTRIBUTE_FACT.match(fact)
        if found:
            key, operator, value = found.groups()
            attributes[key] = value if operator == "=" else operator + value
    sorts = [s for s in latest_facts(tracker, "sort", outside) if s in SORTS]
    return Wanted(
        category=first("category") or base.get("category"),
        attributes=attributes,
        size=first("size") or base.get("size"),
        price_min_cents=_cents(first("price_min")) or base.get("price_min"),
        price_max_cents=_cents(first("price_max")) or base.get("price_max"),
        brand=first("brand") or base.get("brand"),
        rating_min=_decimal(first("rating_min")) or _decimal(base.get("rating_min")),
        sort=sorts[0] if sorts else base.get("sort"),
    )


def _cents(value: str | None) -> int | None:
    number = _decimal(value)
    return int(number) if number is not None and number >= 0 else None


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _answer(
    dispatcher: CollectingDispatcher, result: SearchResult, wanted: Wanted, language: str
) -> list[EventType]:
    if result.narrowing and result.count > LIMIT:
        ask_narrowing(dispatcher, result, wanted, language)
        return []
    if result.matches:
        if len(result.matches) == 1:
            intro = texts.fragment("search_found_one", language)
        elif wanted.sort:
            intro = texts.fragment(f"search_sorted_{wanted.sort}", language)
        elif result.count > len(result.matches):
            intro = texts.fragment("search_found_more", language, count=result.count)
        else:
            intro = texts.fragment("search_found", language)
        return show_matches(
            dispatcher, result.matches, intro, wanted, language, one=bool(wanted.sort)
        )
    if result.alternatives:
        intro = texts.fragment("search_alternatives", language)
        return show_matches(dispatcher, result.alternatives, intro, wanted, language)
    say(dispatcher, language, "search_nothing")
    return []


def relative_reply(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    session: Session,
    language: str,
    kind: str,
    context: Product | None,
) -> list[EventType]:
    """'Iets goedkopers', 'something lighter', 'een betere': from the product in context (or
    the one named: 'iets goedkopers dan de Aero 3'), in its category."""
    know_how = advice()
    if context is None:
        say(dispatcher, language, "search_reference_missing")
        return []
    base: dict[str, Any] = {"category": context.category}
    weight = _weight(context)
    rating = _decimal(context.rating) or Decimal(0)
    if kind == "cheaper":
        base["price_max"] = context.price_cents - 1
        condition = "price"
    elif kind == "better":
        base["rating_min"] = rating + Decimal("0.1")
        condition = "rating"
    else:
        condition = f"attribute:{WEIGHT_KEY}"
        base["attributes"] = {WEIGHT_KEY: f"<{weight}"} if weight is not None else {}
    wanted = wanted_from(tracker, base=base)
    wanted = replace(wanted, category=context.category, exclude_skus=(context.sku,))
    name = context.name(language)
    shown_rating = number_text(rating, language) if context.rating else "-"
    nothing = {
        "product": name,
        "category": category_name(context.category, language),
        "rating": shown_rating,
    }
    if kind == "lighter" and weight is None:
        say(dispatcher, language, "search_weight_unknown", buttons=None, **nothing)
        return []
    rules = know_how.search_rules if know_how else None
    result = search(session=session, wanted=wanted, language=language, limit=LIMIT, rules=rules)
    fitting = result.matches or [
        m for m in result.alternatives if any(c.name == condition and c.met for c in m.checks)
    ]
    if not fitting:
        say(dispatcher, language, f"search_none_{kind}", buttons=None, **nothing)
        return []
    reasons = {
        m.product.sku: _relative_reason(m, kind, context, condition, language) for m in fitting
    }
    intro = texts.fragment(f"search_{kind}_intro", language, product=name, rating=shown_rating)
    return show_matches(dispatcher, fitting, intro, wanted, language, reasons=reasons)


def _relative_reason(
    match: Match, kind: str, context: Product, condition: str, language: str
) -> str:
    if kind == "cheaper":
        first = texts.fragment(
            "search_cheaper_by",
            language,
            amount=money_text(context.price_cents - match.product.price_cents, language),
        )
    elif kind == "lighter":
        lighter = (_weight(context) or Decimal(0)) - (_weight(match.product) or Decimal(0))
        amount = amount_text(WEIGHT_KEY, lighter, language)
        first = texts.fragment("search_lighter_by", language, amount=amount)
    else:
        first = str(match.reason_for("rating"))
    others = [c.reason for c in match.checks if c.met and c.reason and c.name != condition]
    missed = list(match.misses)
    text = ", ".join([first, *others])
    if missed:
        return ", ".join(missed) + f" ({text})"
    return text


def _weight(product: Product) -> Decimal | None:
    value = (product.attributes or {}).get(WEIGHT_KEY)
    return None if isinstance(value, bool) else _decimal(value)
