"""How a product's variants are said: sizes once, colour once when shared, what is in stock;
and which of the products one name found the shopper meant."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot import texts
from bot.catalogue.sizes import matches_size
from bot.formatting import join_words
from bot.store.catalogue import products_by_sku
from bot.store.models import Product, ProductVariant


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


def told_apart(options: list[Product], text: str) -> Product | None:
    """'the storm jacket for women': of the products one name found ('Storm jas'), the one whose
    own name words ('women', 'dames') the message uses; None when it uses none or several."""
    said = set(re.findall(r"[^\W_]+", text.lower()))
    names = {
        p.sku: set(re.findall(r"[^\W_]+", f"{p.name_nl} {p.name_en}".lower())) for p in options
    }
    if not names:
        return None
    shared = set.intersection(*names.values())
    hits = [p for p in options if (names[p.sku] - shared) & said]
    return hits[0] if len(hits) == 1 else None


def one_of_a_name(
    session: Session, groups: list[list[str]], *, weighs: bool, text: str
) -> tuple[list[list[str]], list[Product]]:
    """The mentions' SKUs with one name's several products settled where the message settles
    them, and those products when it does not (the bot asks which). Asked to compare ('storm
    jas heren vs dames'), one name's two or three products are the ones to weigh; a word of
    one product's own name ('the storm jacket for women') picks it."""
    ambiguous = next((g for g in groups if len(g) > 1), None)
    if ambiguous is None:
        return groups, []
    if weighs and len(groups) == 1 and len(ambiguous) <= 3:
        return [[sku] for sku in ambiguous], []
    options = products_by_sku(session=session, skus=ambiguous)
    told = told_apart(options, text)
    if told is None:
        return groups, options
    return [[told.sku] if g == ambiguous else g for g in groups], []
