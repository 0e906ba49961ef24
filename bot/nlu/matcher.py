"""Find products, brands, categories, attributes, prices, ratings, sizes, colours, aspects,
sort orders, references, order numbers and postcodes.

Pure and fast: a blank spaCy pipeline with PhraseMatchers built from the catalogue patterns
(bot.nlu.patterns: words with their inflected forms), a typo corrector for product and
catalogue words, and a few regexes (bot.nlu.facts). Two layers of phrases may overlap: what
a shopper names (product, brand, category, colour, aspect) and what they want of it
(attribute, sort, reference, rating), so "is hij waterdicht" is both a specs question and
waterproof=true.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.nlu.facts import Found, number_facts, number_template, price_facts, rating_facts
from bot.nlu.lexicon import (
    ASPECT_WORDS,
    COLOUR_WORDS,
    LETTER_SIZES,
    RATING_WORDS,
    REFERENCE_WORDS,
    SIZE_WORDS,
    SORT_WORDS,
    everyday_words,
)
from bot.text import normalise_postcode

__all__ = ["CatalogueMatcher", "Found", "levenshtein"]

MAX_CHARS = 1000  # longer messages are matched on their first part only
_ORDER_NUMBER = re.compile(r"(?<![\d+/.,-])#?\s?(\d{5,6})(?![\d/.,]\d)")
_POSTCODE = re.compile(r"\b([1-9]\d{3})\s?([a-zA-Z]{2})\b")
_NOT_POSTCODE_LETTERS = {
    "en",
    "de",
    "is",
    "in",
    "op",
    "of",
    "na",
    "te",
    "je",
    "we",
    "ze",
    "me",
    "at",
    "to",
    "on",
    "an",
    "as",
    "be",
    "by",
    "he",
    "if",
    "it",
    "my",
    "no",
    "or",
    "so",
    "up",
    "us",
    "ok",
    "om",
    "al",
    "nu",
    "zo",
    "er",
    "ik",
    "eu",
    "km",
    "kg",
    "cm",
    "mm",
    "gr",
    "pm",
    "am",
    "st",
}
_SIZE_AFTER_KEYWORD = re.compile(
    r"\b(?:maat|mt\.?|size|sz|eu|in)\s*(\d{2}(?:[.,]5)?|x{0,3}[sml]|xxl|xl|\d{1,2}'\d{0,2})(?!\w)",
    re.IGNORECASE,
)
_BARE_SHOE_SIZE = re.compile(
    r"(?<![\d€.,])\b(3[5-9]|4[0-8])([.,]5)?\b(?![.,]?\d|\s?(?:euro|eur|€|%))"
)


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two neighbours as one edit ("trial" → "trail"),
    giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return previous[-1]


Phrases = dict[str, Any]  # phrase → value


class CatalogueMatcher:
    """Everything shop-specific the bot recognises in one message."""

    def __init__(self, patterns: dict[str, Any]) -> None:
        self.nlp = spacy.blank("nl")
        self.vocab = self.nlp.vocab
        self.names = PhraseMatcher(self.vocab, attr="LOWER")  # what the shopper names
        self.wishes = PhraseMatcher(self.vocab, attr="LOWER")  # what they want of it
        self.labels: dict[str, tuple[str, str | list[str]]] = {}
        products: dict[str, list[str]] = patterns.get("products", {})
        categories: dict[str, Any] = patterns.get("categories", {})
        attributes: dict[str, Any] = patterns.get("attributes", {})
        self._add(self.names, "product", {phrase: skus for phrase, skus in products.items()})
        self._add(self.names, "brand", dict(patterns.get("brands", {}).items()))
        self._add(self.names, "category", _by_word(categories))
        self._add(self.names, "colour", _by_word(COLOUR_WORDS))
        self._add(self.names, "product_aspect", _by_word(ASPECT_WORDS))
        multi_char_sizes = [s for s in patterns.get("sizes", []) if not s.isdigit() and len(s) > 2]
        self._add(
            self.names, "size", {s.lower(): s for s in multi_char_sizes if "'" in s or "-" in s}
        )
        self._add(self.wishes, "attribute", _attribute_words(attributes))
        self._add(self.wishes, "sort", _by_word(SORT_WORDS))
        self._add(self.wishes, "reference", _by_word(REFERENCE_WORDS))
        self._add(self.wishes, "rating_min", _by_word(RATING_WORDS))
        self.number_templates = [
            (key, number_template(template))
            for key, spec in attributes.items()
            for template in spec.get("templates", [])
        ]
        self.product_words = _single_words(list(products) + list(patterns.get("brands", {})), 4)
        vocabulary = [w for c in categories.values() for w in c.get("words", [])] + list(
            _attribute_words(attributes)
        )
        # Catalogue words are corrected from six letters on: shorter ones are too close to
        # everyday words ("weten" is not "wegen").
        self.catalogue_words = _single_words(vocabulary, 6)
        self.known_words = everyday_words() | _single_words(vocabulary, 1)
        self._by_length: dict[int, list[tuple[str, frozenset[str]]]] = defaultdict(list)
        for word in sorted(self.product_words | self.catalogue_words):
            self._by_length[len(word)].append((word, frozenset(word)))
        self._corrections: dict[str, str | None] = {}

    def _add(self, matcher: PhraseMatcher, label: str, phrases: Phrases) -> None:
        for phrase, value in phrases.items():
            key = f"{label}::{phrase}"
            self.labels[key] = (label, value)
            matcher.add(key, [self.nlp.make_doc(phrase)])

    def _correction(self, lower: str) -> str | None:
        """The catalogue word `lower` is probably a misspelling of, if any."""
        if lower in self._corrections:
            return self._corrections[lower]
        limit = 1 if len(lower) < 8 else 2
        letters = frozenset(lower)
        best = (limit + 1, "")
        for length in range(len(lower) - limit, len(lower) + limit + 1):
            for word, word_letters in self._by_length.get(length, ()):
                # Each edit changes the set of letters by at most two: a cheap first sieve.
                if len(letters ^ word_letters) > 2 * limit:
                    continue
                if len(lower) < 6 and (word[0] != lower[0] or word not in self.product_words):
                    continue
                distance = levenshtein(lower, word, limit)
                if distance == 2 and abs(len(word) - len(lower)) == 2:
                    continue  # two letters more or fewer is another word: 'surfplank', 'surfpak'
                if distance < best[0] or (distance == best[0] and word < best[1]):
                    best = (distance, word)
        result = best[1] if best[0] <= limit else None
        if len(self._corrections) < 10_000:
            self._corrections[lower] = result
        return result

    def _corrected(self, doc: Doc) -> Doc:
        """Replace likely misspellings of product and catalogue words by the catalogue's word."""
        words, changed = [], False
        for token in doc:
            lower = token.lower_
            word = token.text
            if (
                len(lower) >= 4
                and lower.isalpha()
                and lower not in self.product_words
                and lower not in self.known_words
            ):
                correction = self._correction(lower)
                if correction:
                    word, changed = correction, True
            words.append(word)
        if not changed:
            return doc
        return Doc(self.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])

    def find(self, text: str) -> list[Found]:
        text = text[:MAX_CHARS]
        numbers: list[tuple[int, int]] = []  # price and rating phrases
        found = price_facts(text, numbers) + rating_facts(text, numbers)
        doc = self.nlp.make_doc(text)
        matched_doc = self._corrected(doc)
        taken: list[tuple[int, int]] = list(numbers)
        named: list[tuple[int, int]] = []  # products and brands: their words are their own
        for group_no, (span, label, value) in enumerate(
            self._matches(self.names, matched_doc, doc, numbers)
        ):
            start, end = _chars(doc, span)
            taken.append((start, end))
            if label in ("product", "brand"):
                named.append((start, end))
            values = value if isinstance(value, list) else [value]
            group = str(group_no) if label == "product" else None
            for one in values:
                found.append(Found(label, one, start, end, text[start:end], group))
        for span, label, value in self._matches(self.wishes, matched_doc, doc, numbers + named):
            start, end = _chars(doc, span)
            found.append(Found(label, str(value), start, end, text[start:end]))
        found.extend(number_facts(text, self.number_templates, numbers + named))
        found.extend(self._regex_entities(text, taken))
        return sorted(found, key=lambda f: (f.start, f.entity))

    def _matches(
        self, matcher: PhraseMatcher, matched_doc: Doc, doc: Doc, avoid: list[tuple[int, int]]
    ) -> list[tuple[Span, str, Any]]:
        """The longest non-overlapping phrases, each with its label and value."""
        hits = matcher(matched_doc)
        keys = {(start, end): self.vocab.strings[match_id] for match_id, start, end in hits}
        spans = [
            matched_doc[start:end]
            for _id, start, end in hits
            if all(
                _chars(doc, doc[start:end])[1] <= a or _chars(doc, doc[start:end])[0] >= b
                for a, b in avoid
            )
        ]
        return [(span, *self.labels[keys[(span.start, span.end)]]) for span in filter_spans(spans)]

    def _regex_entities(self, text: str, taken: list[tuple[int, int]]) -> list[Found]:
        def free(start: int, end: int) -> bool:
            return all(end <= s or start >= e for s, e in taken)

        found: list[Found] = []
        for match in _ORDER_NUMBER.finditer(text):
            if free(match.start(1), match.end(1)):
                found.append(
                    Found(
                        "order_number", match.group(1), match.start(1), match.end(1), match.group(1)
                    )
                )
                taken.append((match.start(1), match.end(1)))
        for match in _POSTCODE.finditer(text):
            letters = match.group(2)
            # '3511 en' is a number and a word; '1082 ME' and '1082me' are postcodes.
            looks_like_word = letters.islower() and " " in match.group(0)
            if (looks_like_word and letters in _NOT_POSTCODE_LETTERS) or not free(*match.span()):
                continue
            value = normalise_postcode(match.group(0))
            if value:
                found.append(Found("postcode", value, match.start(), match.end(), match.group(0)))
                taken.append(match.span())
        for match in _SIZE_AFTER_KEYWORD.finditer(text):
            if free(match.start(1), match.end(1)):
                value = match.group(1).replace(",", ".")
                value = value.upper() if value.lower() in LETTER_SIZES else value
                found.append(Found("size", value, match.start(1), match.end(1), match.group(1)))
                taken.append((match.start(1), match.end(1)))
        for match in _BARE_SHOE_SIZE.finditer(text):
            if free(*match.span()):
                value = match.group(0).replace(",", ".")
                found.append(Found("size", value, match.start(), match.end(), match.group(0)))
                taken.append(match.span())
        lowered = text.lower()
        for word, size in SIZE_WORDS.items():
            for match in re.finditer(rf"\b(?:maat|size|in|a|an|een)\s+({word})\b", lowered):
                if free(*match.span(1)):
                    found.append(Found("size", size, match.start(1), match.end(1), match.group(1)))
        return found


def _chars(doc: Doc, span: Span) -> tuple[int, int]:
    """The span's characters in the original text (the corrected doc has other words)."""
    return doc[span.start].idx, doc[span.end - 1].idx + len(doc[span.end - 1])


def _by_word(table: dict[str, Any]) -> Phrases:
    """{value: words} (or {value: {"words": [...]}}) turned round to {word: value}."""
    phrases: Phrases = {}
    for value, words in table.items():
        for word in words["words"] if isinstance(words, dict) else words:
            phrases.setdefault(word.lower(), value)
    return phrases


def _attribute_words(attributes: dict[str, Any]) -> Phrases:
    """'waterdichte' → 'waterproof=true', 'straat' → 'surface=road'."""
    phrases: Phrases = {}
    for key, spec in attributes.items():
        if spec.get("type") == "bool":
            phrases.update({w: f"{key}=true" for w in spec.get("words", [])})
        for value, value_spec in spec.get("values", {}).items():
            phrases.update({w: f"{key}={value}" for w in value_spec.get("words", [])})
    return phrases


def _single_words(phrases: list[str], min_len: int) -> set[str]:
    return {
        word
        for phrase in phrases
        for word in phrase.lower().split()
        if len(word) >= min_len and word.isalpha()
    }
