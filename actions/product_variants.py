"""How a product's variants are said: sizes once, colour once when shared, what is in stock."""

from __future__ import annotations

from bot import texts
from bot.catalogue.sizes import matches_size
from bot.formatting import join_words
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
