"""Product questions answered from the live catalogue: price, stock, sizes, colours, specs,
reviews, comparisons, and follow-ups about the product or list in context."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import replace

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.back_in_stock import after_product_answer
from actions.common import (
    language_of,
    latest_entities,
    latest_values,
    say,
    store_session,
)
from actions.product_cards import show_products
from actions.product_compare import answer_compare, names_partner
from actions.product_context import (
    Pointer,
    asked_before,
    pick,
    pointer,
    points_back,
    results,
    with_placed,
)
from actions.product_reviews import answer_fit, answer_reviews
from actions.product_search import need_names_the_product, relative_reply, search_reply
from actions.product_variants import (
    available_text,
    matching_variants,
    one_of_a_name,
    variants_text,
)
from actions.search_replies import not_sold_but_for, say_yes_or_no
from bot import texts
from bot.formatting import join_words, money_text, rating_text, spec_text
from bot.nlu.lexicon import everyday_words
from bot.store import catalogue
from bot.store.catalogue import closest_products, products_in
from bot.store.models import Product

LOW_STOCK = 2


def product_groups(tracker: Tracker) -> list[list[str]]:
    """SKUs per mention; a mention with several SKUs is ambiguous ('Storm jas')."""
    groups: dict[str, list[str]] = defaultdict(list)
    for number, entity in enumerate(latest_entities(tracker, "product")):
        groups[str(entity.get("group", f"button-{number}"))].append(str(entity["value"]))
    return list(groups.values())


def product_button(product: Product, language: str, aspect: str | None) -> dict[str, str]:
    entities = {"product": product.sku}
    if aspect:
        entities["product_aspect"] = aspect
    return {"title": product.name(language), "payload": f"/product_question{json.dumps(entities)}"}


def has_product_question(tracker: Tracker) -> bool:
    """Names a product, or a detail ('maat 43', 'waterdicht?') of the product discussed."""
    if latest_values(tracker, "product"):
        return True
    details = any(latest_values(tracker, e) for e in ("size", "colour", "product_aspect"))
    return (details and bool(tracker.get_slot("product"))) or points_back(tracker)


class ActionAnswerProduct(Action):
    def name(self) -> str:
        return "action_answer_product"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return answer_product_question(dispatcher, tracker)


class ProductAnswers:
    """Answers one product question from the live catalogue, keeping the conversation's product
    (`product`) and the list last shown (`product_results`) in mind."""

    ending: str | None = None  # "in stock in your size": the reply that can end the question

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        language = language_of(tracker)
        groups = product_groups(tracker)
        point = pointer(tracker)
        sizes = latest_values(tracker, "size")
        colours = latest_values(tracker, "colour")
        events: list[EventType] = [SlotSet("shopper_size", sizes[0])] if sizes else []
        picks = not groups and (point.place is not None or point.sort is not None)
        repeats = (len(groups) == 1 and point.again) or picks
        if repeats and not (point.aspects or sizes or colours):
            # "en de Aero 3?", or "de tweede" after "wat kost de storm jas?": the last question
            before = asked_before(tracker)
            asked = before.get("product_aspect", [])
            if picks:  # a list from a search: its words were about the search, not the pick
                named_before = bool(before.get("product"))
                asked = [a for a in asked if named_before and a != "compare"]
            point = replace(point, aspects=tuple(asked))
            sizes, colours = before.get("size", []), before.get("colour", [])
        with store_session() as session:
            if groups and need_names_the_product(tracker, language):
                # 'beginnende hardloper' also names the Daily Trainer: the need is the question
                found = search_reply(dispatcher, tracker, session=session, language=language)
                if found is not None:
                    return [*events, *found]
            text = str(tracker.latest_message.get("text") or "")
            groups, options = one_of_a_name(session, groups, weighs=point.weighs, text=text)
            if options:
                intro = texts.text(
                    "product_which",
                    language,
                    options=either([p.name(language) for p in options], language),
                )
                show_products(
                    dispatcher,
                    products=options,
                    language=language,
                    intro=intro,
                    aspect=point.aspect,
                )
                return [*events, SlotSet("product_results", [p.sku for p in options])]
            wanted = [[g[0] for g in groups], [tracker.get_slot("product") or ""], results(tracker)]
            named, context, shown = catalogue.products_by_sku_lists(session=session, lists=wanted)
            if len(named) == 1 and not point.aspects:  # 'een kajak' named the kajakpeddel
                unsold = not_sold_but_for(dispatcher, tracker, session, language, named[0])
                if unsold is not None:
                    return [*events, *unsold]
            picked = None if named or point.asks_range or not point.sort else pick(shown, point)
            if picked is not None:  # "welke is de goedkoopste?" of the list shown
                named = [picked]
            elif point.weighs or len(named) >= 2 or names_partner(tracker, named):
                named = with_placed(named, shown, point)  # 'de eerste en de Ridge 5'
                return [*events, *answer_compare(dispatcher, tracker, named, context, shown)]
            if point.relative and len(named) <= 1:  # "iets goedkopers (dan de Aero 3)?"
                base = next(iter(named or context), None)
                shown_events = relative_reply(
                    dispatcher,
                    tracker,
                    session=session,
                    language=language,
                    kind=point.relative,
                    context=base,
                )
                sets_product = any(e.get("name") == "product" for e in shown_events)
                if base is not None and not sets_product:
                    # the list is about base: its card's "Vergelijk" compares with base
                    shown_events.append(SlotSet("product", base.sku))
                return [*events, *shown_events]
            product = named[0] if named else self._referred(point, context, shown, sizes, colours)
            if product is None:
                # by what the shopper needs, not by name (actions/product_search.py)
                found = search_reply(dispatcher, tracker, session=session, language=language)
                if found is not None:
                    return [*events, *found]
                return [*events, *self._no_product(dispatcher, tracker, session, language, shown)]
            size = sizes[0] if sizes else None
            if point.aspect in (None, "specs") and not (sizes or colours):
                say_yes_or_no(dispatcher, tracker, product, language)  # 'is hij waterdicht?'
            if point.aspect == "sizes" and not size and _pressed_button(tracker):
                size = tracker.get_slot("shopper_size")  # the card's "In mijn maat?"
            self._answer(
                dispatcher, product, language, point.aspect, size, colours[0] if colours else None
            )
        return [*events, SlotSet("product", product.sku)]

    def _referred(
        self,
        point: Pointer,
        context: list[Product],
        shown: list[Product],
        sizes: list[str],
        colours: list[str],
    ) -> Product | None:
        """The product a follow-up that names none is about: one of the list last shown ("de
        tweede", "the cheapest one"), else the product in context ("die", "welke kleuren?")."""
        if point.asks_range:
            return None
        picked = pick(shown, point)
        if picked is not None:
            return picked
        if point.refers or point.aspects or sizes or colours:
            return context[0] if context else None
        return None

    def _answer(
        self,
        dispatcher: CollectingDispatcher,
        product: Product,
        language: str,
        aspect: str | None,
        size: str | None,
        colour: str | None,
    ) -> None:
        name = product.name(language)
        if size or colour:
            self._stock_for(dispatcher, product, language, size, colour)
        elif aspect == "price":
            say(
                dispatcher,
                language,
                "product_price",
                product=name,
                price=money_text(product.price_cents, language),
            )
        elif aspect == "stock":
            available = available_text(product, language)
            if available:
                say(
                    dispatcher,
                    language,
                    "product_stock_overview",
                    product=name,
                    available=available,
                )
            else:
                say(dispatcher, language, "product_sold_out_all", product=name)
        elif aspect == "sizes":
            variants = variants_text(list(product.variants), language)
            say(
                dispatcher,
                language,
                "product_sizes",
                product=name,
                variants=variants,
                available=available_text(product, language) or "-",
            )
        elif aspect == "specs":
            say(
                dispatcher,
                language,
                "product_specs",
                product=name,
                description=product.description(language),
                specs=spec_text(product.attributes or {}, language),
            )
        elif aspect == "reviews":
            answer_reviews(dispatcher, product=product, language=language)
        elif aspect == "fit":
            variants = variants_text(list(product.variants), language)
            answer_fit(dispatcher, product=product, language=language, variants=variants)
        elif aspect == "colours":
            self._colours(dispatcher, product, language)
        else:
            say(
                dispatcher,
                language,
                "product_overview",
                product=name,
                price=money_text(product.price_cents, language),
                description=product.description(language),
                rating=rating_text(product.rating, language),
            )

    def _colours(self, dispatcher: CollectingDispatcher, product: Product, language: str) -> None:
        """ "Welke kleuren?": the colours it comes in, and which of them are in stock."""
        colours = list(dict.fromkeys(v.colour for v in product.variants if v.colour))
        if not colours and (product.attributes or {}).get("colour"):
            colours = [str(product.attributes["colour"])]
        stocked = list(dict.fromkeys(v.colour for v in product.variants if v.colour and v.stock))
        name = product.name(language)
        if not colours:
            say(dispatcher, language, "product_colour_one", product=name)
        elif stocked and len(stocked) < len(colours):
            say(
                dispatcher,
                language,
                "product_colours_in_stock",
                product=name,
                colours=join_words(colours, language),
                available=join_words(stocked, language),
            )
        else:
            say(
                dispatcher,
                language,
                "product_colours",
                product=name,
                colours=join_words(colours, language),
            )

    def _stock_for(
        self,
        dispatcher: CollectingDispatcher,
        product: Product,
        language: str,
        size: str | None,
        colour: str | None,
    ) -> None:
        name = product.name(language)
        wanted = " ".join(
            filter(
                None, [f"{'maat' if language == 'nl' else 'size'} {size}" if size else None, colour]
            )
        )
        variants = matching_variants(product, size, colour)
        if not variants:
            say(
                dispatcher,
                language,
                "product_no_such_variant",
                product=name,
                variant=wanted,
                variants=variants_text(list(product.variants), language),
            )
            return
        stock = sum(v.stock for v in variants)
        if stock == 0:
            available = available_text(product, language)
            if available:
                say(
                    dispatcher,
                    language,
                    "product_sold_out",
                    product=name,
                    variant=wanted,
                    available=available,
                )
            else:
                say(dispatcher, language, "product_sold_out_all", product=name)
        elif stock <= LOW_STOCK:
            self.ending = "product_low_stock"
            say(dispatcher, language, self.ending, product=name, variant=wanted, stock=stock)
        else:
            self.ending = "product_in_stock"
            say(dispatcher, language, self.ending, product=name, variant=wanted)

    def _no_product(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        session: Session,
        language: str,
        shown: list[Product],
    ) -> list[EventType]:
        """Nothing to answer about: the range asked for, the closest names, or ask which."""
        aspect = pointer(tracker).aspect
        categories = latest_values(tracker, "category")
        brands = latest_values(tracker, "brand")
        if categories or brands:
            options = products_in(
                session=session,
                category=categories[0] if categories else None,
                brand=brands[0] if brands else None,
                limit=3,
            )
            if options:
                say(
                    dispatcher,
                    language,
                    "category_suggestions",
                    products=join_words([p.name(language) for p in options], language),
                    buttons=[product_button(p, language, aspect) for p in options],
                )
                return [SlotSet("product_results", [p.sku for p in options])]
        text = tracker.latest_message.get("text") or ""
        common = everyday_words()
        words = [w for w in re.findall(r"[^\W\d_]{4,}", text.lower()) if w not in common][:20]
        close = closest_products(session=session, words=words)
        if close and not (text.startswith("/")):
            say(
                dispatcher,
                language,
                "product_unknown",
                buttons=[product_button(p, language, aspect) for p in close],
            )
            return [SlotSet("product_results", [p.sku for p in close])]
        if shown:
            say(
                dispatcher,
                language,
                "product_which_of_results",
                buttons=[product_button(p, language, aspect) for p in shown],
            )
        else:
            say(dispatcher, language, "product_ask_which")
        return []


def either(names: list[str], language: str) -> str:
    """'A, B of C?' / 'A, B or C?'."""
    last = texts.text("or_word", language)
    head = ", ".join(names[:-1])
    return f"{head} {last} {names[-1]}?" if head else f"{names[-1]}?"


def _pressed_button(tracker: Tracker) -> bool:
    return str(tracker.latest_message.get("text") or "").startswith("/")


def answer_product_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    answers = ProductAnswers()
    events = answers.run(dispatcher, tracker)
    return events + after_product_answer(dispatcher, tracker, events, answers.ending)  # #14
