"""What other customers say about a product: the rating, how many reviews, one or two snippets.

Snippets are in the shopper's language only: the most positive review and, when there is one,
the most critical, each cut to its first sentence.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

from actions.common import say
from bot import texts
from bot.formatting import rating_text
from bot.store.models import Product, Review

SNIPPET_CHARS = 140
SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def answer_reviews(dispatcher: CollectingDispatcher, *, product: Product, language: str) -> None:
    name = product.name(language)
    reviews = list(product.reviews)
    if not reviews:
        say(dispatcher, language, "product_no_reviews", product=name)
        return
    count = review_count(len(reviews), language)
    rating = rating_text(product.rating, language)
    own = [r for r in reviews if r.language == language]
    if not own:
        say(
            dispatcher,
            language,
            "product_reviews_other_language",
            product=name,
            rating=rating,
            count=count,
        )
        return
    summary = texts.text(
        "product_reviews_summary", language, product=name, rating=rating, count=count
    )
    lines = [f'• "{snippet(r.text)}" ({r.author}, {r.rating}/5)' for r in chosen(own)]
    dispatcher.utter_message(text="\n".join([summary, *lines]))


def review_count(count: int, language: str) -> str:
    """'1 review' / '12 reviews'."""
    if count == 1:
        return texts.text("review_count_one", language)
    return texts.text("review_count", language, count=count)


def chosen(reviews: list[Review]) -> list[Review]:
    """The most positive review, and the most critical one when it is less positive."""
    ranked = sorted(reviews, key=lambda r: (-r.rating, r.id))
    best, worst = ranked[0], ranked[-1]
    return [best, worst] if worst.rating < best.rating else [best]


def snippet(text: str) -> str:
    """The first sentence, or the first words of a long one."""
    first = SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    if len(first) <= SNIPPET_CHARS:
        return first
    cut = first[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return f"{cut}…"
