"""Product questions answered from the live catalogue: price, stock, sizes, specs, reviews."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.back_in_stock import after_product_answer
from actions.common import (
    language_of,
    latest_entities,
    latest_values,
    say,
    store_session,
)
from bot import texts
from bot.formatting import join_words, money_text, spec_text
from bot.nlu.lexicon import everyday_words
from bot.store.catalogue import closest_products, products_by_sku, products_in
from bot.store.models import Product, ProductVariant

LOW_STOCK = 2
COMPARE_KEYS = [
    "weight_g",
    "drop_mm",
    "waterproof",
    "persons",
    "comfort_temp_c",
    "length_cm",
    "volume_l",
    "thickness_mm",
    "max_load_kg",
    "surface",
]


def product_groups(tracker: Tracker) -> list[list[str]]:
    """SKUs per mention; a mention with several SKUs is ambiguous ('Storm jas')."""
    groups: dict[str, list[str]] = defaultdict(list)
    for number, entity in enumerate(latest_entities(tracker, "product")):
        groups[str(entity.get("group", f"button-{number}"))].append(str(entity["value"]))
    return list(groups.values())


def variants_text(variants: list[ProductVariant], language: str) -> str:
    """'maat 38, 39 en 42 (zwart/oranje)': sizes once, colour once when they share it."""
    if not variants:
        return ""
    colours = {v.colour for v in variants}
    if len(colours) > 1 or any(v.variant.lower() == "one size" for v in variants):
        return join_words([variant_name(v, language) for v in variants], language)
    word = texts.text("size_word", language)
    text = f"{word} " + join_words([v.variant for v in variants], language)
    colour = colours.pop()
    return f"{text} ({colour})" if colour else text


def variant_name(variant: ProductVariant, language: str) -> str:
    if variant.variant.lower() == "one size":
        return variant.colour or texts.text("one_size", language)
    word = texts.text("size_word", language)
    name = f"{word} {variant.variant}"
    return f"{name} ({variant.colour})" if variant.colour else name


def matches_size(variant: str, size: str) -> bool:
    variant, size = variant.lower().replace(",", "."), size.lower().replace(",", ".")
    if variant == size:
        return True
    span = re.fullmatch(r"(\d+)-(\d+)", variant)
    if span and re.fullmatch(r"\d+(\.5)?", size):
        return int(span.group(1)) <= float(size) <= int(span.group(2))
    return False


def matching_variants(
    product: Product, size: str | None, colour: str | None
) -> list[ProductVariant]:
    found = product.variants
    if size:
        found = [v for v in found if matches_size(v.variant, size)]
    if colour:
        found = [v for v in found if (v.colour or "").lower().startswith(colour.lower())]
    return found


def available_text(product: Product, language: str) -> str:
    return variants_text([v for v in product.variants if v.stock > 0], language)


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
    return details and bool(tracker.get_slot("product"))


class ActionAnswerProduct(Action):
    def name(self) -> str:
        return "action_answer_product"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return answer_product_question(dispatcher, tracker)


class ProductAnswers:
    """Answers one product question from the live catalogue."""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        language = language_of(tracker)
        groups = product_groups(tracker)
        aspects = latest_values(tracker, "product_aspect")
        aspect = aspects[0] if aspects else None
        sizes = latest_values(tracker, "size")
        colours = latest_values(tracker, "colour")
        with store_session() as session:
            ambiguous = next((g for g in groups if len(g) > 1), None)
            if ambiguous:
                options = products_by_sku(session=session, skus=ambiguous)
                say(
                    dispatcher,
                    language,
                    "product_which",
                    buttons=[product_button(p, language, aspect) for p in options],
                )
                return []
            skus = [g[0] for g in groups]
            asks_about_range = latest_values(tracker, "category") or latest_values(tracker, "brand")
            if (
                not skus
                and not asks_about_range
                and tracker.get_slot("product")
                and (sizes or colours or aspect)
            ):
                skus = [tracker.get_slot("product")]  # 'and in size 43?' about the last product
            products = products_by_sku(session=session, skus=skus)
            if not products:
                return self._no_product(dispatcher, tracker, session, language, aspect)
            if len(products) >= 2:
                self._compare(dispatcher, products[:3], language)
                return [SlotSet("product", products[0].sku)]
            product = products[0]
            self._answer(
                dispatcher,
                product,
                language,
                aspect,
                sizes[0] if sizes else None,
                colours[0] if colours else None,
            )
        return [SlotSet("product", product.sku)]

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
            self._reviews(dispatcher, product, language)
        else:
            say(
                dispatcher,
                language,
                "product_overview",
                product=name,
                price=money_text(product.price_cents, language),
                description=product.description(language),
                rating=product.rating or "-",
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
            say(
                dispatcher, language, "product_low_stock", product=name, variant=wanted, stock=stock
            )
        else:
            say(dispatcher, language, "product_in_stock", product=name, variant=wanted)

    def _reviews(self, dispatcher: CollectingDispatcher, product: Product, language: str) -> None:
        name = product.name(language)
        reviews = sorted(product.reviews, key=lambda r: (r.language != language, -r.rating))
        if not reviews:
            say(dispatcher, language, "product_no_reviews", product=name)
            return
        best = reviews[0]
        say(
            dispatcher,
            language,
            "product_reviews",
            product=name,
            rating=product.rating or "-",
            author=best.author,
            snippet=best.text,
        )

    def _compare(
        self, dispatcher: CollectingDispatcher, products: list[Product], language: str
    ) -> None:
        rating_word = texts.text("rating_word", language)
        lines = []
        for product in products:
            specs = spec_text(product.attributes or {}, language, COMPARE_KEYS)
            parts = [
                money_text(product.price_cents, language),
                f"{rating_word} {product.rating or '-'}/5",
            ]
            if specs:
                parts.append(specs)
            lines.append(f"• {product.name(language)}: " + " · ".join(parts))
        say(dispatcher, language, "product_compare", comparison="\n".join(lines))

    def _no_product(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        session: Any,
        language: str,
        aspect: str | None,
    ) -> list[EventType]:
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
                return []
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
        else:
            say(dispatcher, language, "product_ask_which")
        return []


def answer_product_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    events = ProductAnswers().run(dispatcher, tracker)
    return events + after_product_answer(dispatcher, tracker, events)  # sales (#14)
