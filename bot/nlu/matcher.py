"""Find products, brands, categories, sizes, colours, aspects, order numbers and postcodes.

Pure and fast: a blank spaCy pipeline with a PhraseMatcher built from the catalogue
patterns, a small typo corrector for product words, and a few regexes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from bot.nlu.lexicon import (
    ASPECT_WORDS,
    CATEGORY_WORDS,
    COLOUR_WORDS,
    LETTER_SIZES,
    SIZE_WORDS,
    everyday_words,
)
from bot.text import normalise_postcode

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


@dataclass(frozen=True)
class Found:
    """One entity in Rasa's shape."""

    entity: str
    value: str
    start: int
    end: int
    text: str
    group: str | None = None

    def as_rasa(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "entity": self.entity,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "confidence_entity": 1.0,
        }
        if self.group is not None:
            data["group"] = self.group
        return data


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class CatalogueMatcher:
    """Everything shop-specific the bot recognises in one message."""

    def __init__(self, patterns: dict[str, Any]) -> None:
        self.nlp = spacy.blank("nl")
        self.vocab = self.nlp.vocab
        self.matcher = PhraseMatcher(self.vocab, attr="LOWER")
        self.labels: dict[str, tuple[str, str | list[str]]] = {}
        products: dict[str, list[str]] = patterns.get("products", {})
        self._add("product", {phrase: skus for phrase, skus in products.items()})
        self._add("brand", {phrase: name for phrase, name in patterns.get("brands", {}).items()})
        self._add("category", {w: cat for cat, words in CATEGORY_WORDS.items() for w in words})
        self._add("colour", {w: c for c, words in COLOUR_WORDS.items() for w in words})
        self._add("product_aspect", {w: a for a, words in ASPECT_WORDS.items() for w in words})
        multi_char_sizes = [s for s in patterns.get("sizes", []) if not s.isdigit() and len(s) > 2]
        self._add("size", {s.lower(): s for s in multi_char_sizes if "'" in s or "-" in s})
        self.product_words = {
            word
            for phrase in list(products) + list(patterns.get("brands", {}))
            for word in phrase.split()
            if len(word) >= 4 and word.isalpha()
        }
        self.known_words = everyday_words()

    def _add(self, label: str, phrases: dict[str, Any]) -> None:
        for phrase, value in phrases.items():
            key = f"{label}::{phrase}"
            self.labels[key] = (label, value)
            self.matcher.add(key, [self.nlp.make_doc(phrase)])

    def _corrected(self, doc: Doc) -> Doc:
        """Replace likely misspellings of product words by the word from the catalogue."""
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
                limit = 1 if len(lower) < 8 else 2
                best = min(
                    (
                        (levenshtein(lower, w, limit), w)
                        for w in self.product_words
                        if w[0] == lower[0] or len(lower) >= 6
                    ),
                    default=(limit + 1, ""),
                )
                if best[0] <= limit:
                    word, changed = best[1], True
            words.append(word)
        if not changed:
            return doc
        return Doc(self.vocab, words=words, spaces=[bool(t.whitespace_) for t in doc])

    def find(self, text: str) -> list[Found]:
        text = text[:MAX_CHARS]
        doc = self.nlp.make_doc(text)
        matched_doc = self._corrected(doc)
        spans = [matched_doc[start:end] for _match_id, start, end in self.matcher(matched_doc)]
        keys = {
            (start, end): self.vocab.strings[match_id]
            for match_id, start, end in self.matcher(matched_doc)
        }
        found: list[Found] = []
        taken: list[tuple[int, int]] = []
        for group_no, span in enumerate(filter_spans(spans)):
            label, value = self.labels[keys[(span.start, span.end)]]
            start = doc[span.start].idx
            end = doc[span.end - 1].idx + len(doc[span.end - 1])
            taken.append((start, end))
            values = value if isinstance(value, list) else [value]
            group = str(group_no) if label == "product" else None
            for one in values:
                found.append(Found(label, one, start, end, text[start:end], group))
        found.extend(self._regex_entities(text, taken))
        return sorted(found, key=lambda f: (f.start, f.entity))

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
