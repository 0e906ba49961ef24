"""How search answers are said: the products with their reasons, the narrowing question with
its buttons, advice for a need and "we don't sell that" (decided in actions/product_search.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.common import latest_entities, say, store_session
from actions.product_cards import show_products
from bot import texts
from bot.catalogue.advice import shop_search_rules
from bot.catalogue.conditions import (
    attribute_check,
    flag_phrase,
    number_phrase,
    parse_wanted,
    text_phrase,
)
from bot.catalogue.search import Match, SearchResult, Wanted
from bot.catalogue.unsold import asked_thing, categories, unsold_thing, what_it_is_for
from bot.catalogue.vocabulary import category_name
from bot.formatting import join_words
from bot.store.models import Product


def show_matches(
    dispatcher: CollectingDispatcher,
    matches: list[Match],
    intro: str,
    wanted: Wanted,
    language: str,
    *,
    one: bool = False,
    reasons: Mapping[str, str] | None = None,
) -> list[EventType]:
    """Show the products with their reasons; remember the list, and the product when there is
    one (or the shopper asked for the best, cheapest or lightest)."""
    products = [m.product for m in matches]
    show_products(
        dispatcher,
        products=products,
        language=language,
        intro=intro,
        size=wanted.size,
        reasons=reasons
        or {m.product.sku: reason_text(m, language) for m in matches if m.reasons or m.misses},
    )
    events: list[EventType] = [SlotSet("product_results", [p.sku for p in products])]
    if len(products) == 1 or one:
        events.append(SlotSet("product", products[0].sku))
    if wanted.size:
        events.append(SlotSet("shopper_size", wanted.size))
    return events


def reason_text(match: Match, language: str) -> str:
    """'waterdicht, op voorraad in maat 44'; for an alternative what it misses first."""
    if not match.misses:
        return ", ".join(match.reasons)
    missed = ", ".join(match.misses)
    if match.reasons:
        return texts.fragment(
            "search_but", language, misses=missed, reasons=", ".join(match.reasons)
        )
    return missed


def ask_narrowing(
    dispatcher: CollectingDispatcher, result: SearchResult, wanted: Wanted, language: str
) -> None:
    key = str(result.narrowing)
    titles = [capital(answer_phrase(key, v, language)) for v in result.narrowing_values]
    if wanted.category:
        found = texts.fragment(
            "search_count_category",
            language,
            count=result.count,
            category=category_name(wanted.category, language),
        )
    else:
        found = texts.fragment("search_count", language, count=result.count)
    options = join_words([t.lower() for t in titles], language).replace(
        f" {texts.fragment('and_word', language)} ", f" {texts.fragment('or_word', language)} "
    )
    question = (
        f"search_narrow_{key}" if f"search_narrow_{key}" in texts.catalogue() else "search_narrow"
    )
    buttons = [
        {"title": title, "payload": narrowing_payload(wanted, key, value)}
        for title, value in zip(titles, result.narrowing_values, strict=True)
    ]
    say(dispatcher, language, question, buttons=buttons, found=found, options=options)


def answer_phrase(key: str, value: str, language: str) -> str:
    """How an answer to a narrowing question reads: 'voor de weg', '2-persoons', 'waterdicht'."""
    _, parsed = parse_wanted(value)
    if isinstance(parsed, bool):
        return flag_phrase(key, parsed, language)
    if isinstance(parsed, Decimal):
        return number_phrase(key, parsed, language)
    return text_phrase(key, value, language)


def narrowing_payload(wanted: Wanted, key: str, value: str) -> str:
    """The button's message: the same search with the answer added."""
    facts: dict[str, Any] = {}
    if wanted.category:
        facts["category"] = wanted.category
    facts["attribute"] = [*(f"{k}={v}" for k, v in wanted.attributes.items()), f"{key}={value}"]
    for name, given in (
        ("size", wanted.size),
        ("price_min", wanted.price_min_cents),
        ("price_max", wanted.price_max_cents),
        ("brand", wanted.brand),
        ("rating_min", wanted.rating_min),
    ):
        if given is not None:
            facts[name] = str(given)
    return f"/product_question{json.dumps(facts, ensure_ascii=False)}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def advise_on(
    dispatcher: CollectingDispatcher,
    result: SearchResult,
    reason: str,
    wanted: Wanted,
    language: str,
) -> list[EventType]:
    """Advice for a need: the rule's reason in plain words, then what fits it."""
    if result.matches:
        intro = texts.fragment("search_advice", language, reason=reason)
        return show_matches(dispatcher, result.matches, intro, wanted, language)
    if result.alternatives:
        intro = texts.fragment("search_advice_alternatives", language, reason=reason)
        return show_matches(dispatcher, result.alternatives, intro, wanted, language)
    say(dispatcher, language, "search_advice_nothing", reason=reason)
    return []


# Facts that name what the shopper wants: with one of these it is not a thing we don't sell.
NAMING_FACTS = frozenset({"product", "category", "brand"})


def not_sold(
    dispatcher: CollectingDispatcher, tracker: Tracker, session: Session, language: str
) -> list[EventType] | None:
    """'Fietsen verkopen we niet': only for a question that names no product, category or brand
    the recogniser knows. Its other facts ('hebben jullie' as a stock question, 'waterdichte')
    are words around the thing, not the thing."""
    recognised = tracker.latest_message.get("catalogue") or []
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/") or any(f.get("entity") in NAMING_FACTS for f in recognised):
        return None
    placed = [
        text[int(f["start"]) : int(f["end"])]
        for f in recognised
        if isinstance(f.get("start"), int) and isinstance(f.get("end"), int)
    ]
    known_words = [w for phrase in placed for w in phrase.lower().split()]
    thing = unsold_thing(session=session, text=text, language=language, known_words=known_words)
    return None if thing is None else say_not_sold(dispatcher, session, thing, language)


def not_sold_but_for(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    session: Session,
    language: str,
    product: Product,
) -> list[EventType] | None:
    """'Kan ik een kajak kopen?' named the kayak paddle by what it is for: say we don't sell
    kayaks rather than describe the paddle."""
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/"):
        return None
    thing = what_it_is_for(session=session, text=text, language=language, product=product)
    return None if thing is None else say_not_sold(dispatcher, session, thing, language)


def say_not_sold(
    dispatcher: CollectingDispatcher, session: Session, thing: str, language: str
) -> list[EventType]:
    dispatcher.utter_message(**not_sold_message(session, thing, language))
    return []


def not_sold_message(session: Session, thing: str, language: str) -> dict[str, Any]:
    """'Fietsen verkopen we niet, sorry. Bij Trek & Peddel vind je …' with what we do sell."""
    names = [category_name(key, language) for key in categories(session)]
    return texts.render(
        "search_not_sold",
        language,
        thing=capital(thing) if language == "nl" else thing,
        categories=join_words(names, language),
    )


# Off-topic to the classifier, the thing counts only when buying is said outright: "heb je zin
# in een biertje?" or "kan ik hier pinnen?" ask for nothing to sell.
BUYING = re.compile(
    r"(?<!\w)(verko(?:op|pen)|kopen|koop|bestellen|aanschaffen|sell|buy|purchase|order|stock|"
    r"carry|got any|have any)(?!\w)",
    re.IGNORECASE,
)


def out_of_scope_not_sold(text: str, language: str) -> dict[str, Any] | None:
    """'Do you sell pizza?' sounds off-topic to the intent classifier, but it asks about our
    range: the honest 'we don't sell that' rather than 'I can't help with that'. None when the
    message asks for no thing, or for one we sell."""
    if text.startswith("/") or not BUYING.search(text) or asked_thing(text, language) is None:
        return None
    with store_session() as session:
        thing = unsold_thing(session=session, text=text, language=language)
        return None if thing is None else not_sold_message(session, thing, language)


def say_yes_or_no(
    dispatcher: CollectingDispatcher, tracker: Tracker, product: Product, language: str
) -> None:
    """'Is de Mudguard waterdicht?': 'Nee: niet waterdicht.' before the product's specs, from
    the attributes the message asks about; nothing when it asks about none."""
    asked = [str(f["value"]) for f in latest_entities(tracker, "attribute")]
    if not asked:
        return
    fits = shop_search_rules().also_fits
    checks = []
    for fact in asked:
        key, _, value = fact.partition("=")
        if key and value:
            checks.append(attribute_check(product, key, value, language, fits.get(key)))
    if not checks:
        return
    met = all(c.met for c in checks)
    facts = [c.reason if c.met else c.miss for c in checks if (c.reason if c.met else c.miss)]
    if facts:
        key = "search_answer_yes" if met else "search_answer_no"
        say(dispatcher, language, key, facts=", ".join(str(f) for f in facts))
