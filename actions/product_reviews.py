"""What other customers say about a product: the rating, how many reviews, one or two snippets.

Snippets are in the shopper's language only: the most positive review and, when there is one,
the most critical, each cut to its first sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.common import say
from bot import texts
from bot.formatting import rating_text
from bot.settings import PROJECT_ROOT
from bot.store.models import Product, Review

SNIPPET_CHARS = 140
MAX_FIT_SNIPPETS = 2
WORDS_FILE = PROJECT_ROOT / "data" / "followup_words.yml"
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


def answer_fit(
    dispatcher: CollectingDispatcher, *, product: Product, language: str, variants: str
) -> None:
    """'Valt ie klein?': the sentences of reviews in the shopper's language that say how it
    fits ('hij valt iets smal, ik heb een halve maat groter genomen'); else that the reviews
    don't say, and the sizes it comes in."""
    name = product.name(language)
    found = [
        (sentence, review)
        for review in sorted(product.reviews, key=lambda r: r.id)
        if review.language == language
        for sentence in SENTENCE_END.split(review.text.strip())
        if _about_fit(sentence, language)
    ][:MAX_FIT_SNIPPETS]
    if not found:
        say(dispatcher, language, "product_fit_unknown", product=name, variants=variants)
        return
    intro = texts.text("product_fit", language, product=name)
    lines = [f'• "{snippet(sentence)}" ({review.author})' for sentence, review in found]
    dispatcher.utter_message(text="\n".join([intro, *lines]))


def _about_fit(sentence: str, language: str) -> bool:
    lowered = " " + re.sub(r"[^\w]+", " ", sentence.lower()) + " "
    return any(f" {word} " in lowered for word in fit_words(language))


@lru_cache(maxsize=1)
def _fit_words() -> dict[str, list[str]]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return dict((data.get("fit_reviews") or {}).get("fit") or {})


def fit_words(language: str) -> list[str]:
    """The words of data/followup_words.yml (fit_reviews) that say how something fits."""
    return list(_fit_words().get(language, []))
