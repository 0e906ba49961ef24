"""Facts written with numbers: price ranges, star ratings and number attributes.

"onder de 100 euro" → price_max 10000 (cents), "tussen 50 en 80 euro" → price_min 5000 and
price_max 8000, "minstens 4 sterren" → rating_min 4, and a number attribute's words from the
catalogue ("{n} persoons", "for {n}") → attribute "persons=2". Euros only: "60 pounds" is no
price we can search on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.nlu.lexicon import ARTICLE_NUMBERS, NUMBER_WORDS


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


_AMOUNT = r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT_RE = re.compile(_AMOUNT)
_EURO_BEFORE = r"(?:€|eur\b|euro\b)\s*"
_EURO_AFTER = r"\s*(?:euro'?s?\b|eur\b|€|,-)"
_MONEY = rf"(?:{_EURO_BEFORE}(?:{_AMOUNT})(?:{_EURO_AFTER})?|(?:{_AMOUNT}){_EURO_AFTER})"
# A bare number is a price after a price word, unless a unit or another currency follows.
_NOT_UNIT = (
    r"(?![.,]?\d|\s*(?:%|x\b|g\b|gr\b|gram|kg|kilo|cm|mm|m\b|meter|l\b|ml|liter|litre|°|graden|"
    r"degrees|pers|people|mensen|ster|star|jaar|year|maand|month|dag|day|week|uur|hour|min\b|"
    r"minut|pond|pound|£|\$|dollar|usd|gbp|maat|size))"
)
_MAYBE_MONEY = rf"(?:{_EURO_BEFORE})?(?:{_AMOUNT})(?:{_EURO_AFTER}|{_NOT_UNIT})"
_MAX_WORDS = (
    r"onder(?:\s+de)?|beneden(?:\s+de)?|minder\s+dan|niet\s+meer\s+dan|maximaal|max\.?|"
    r"hooguit|hoogstens|goedkoper\s+dan|under|below|less\s+than|(?:no|not)\s+more\s+than|"
    r"maximum|at\s+most|cheaper\s+than|budget(?:\s+(?:van|of|is))?(?:\s+(?:ongeveer|about|around))?"
)
_MAX_WORDS_WITH_EURO = r"tot(?:\s+en\s+met)?|t/m|up\s+to"
_MIN_WORDS = (
    r"boven(?:\s+de)?|meer\s+dan|vanaf|minimaal|minstens|ten\s+minste|duurder\s+dan|over|"
    r"above|more\s+than|at\s+least|from|minimum|min\.?"
)
_TO = r"\s*(?:-|–|tot|to|t/m)\s*"
_RANGES = [
    re.compile(
        rf"\b(?:tussen|between)\s+(?:de\s+)?{_MAYBE_MONEY}\s+(?:en|and)\s+{_MAYBE_MONEY}", re.I
    ),
    re.compile(rf"(?:\b(?:van|from)\s+)?{_EURO_BEFORE}(?:{_AMOUNT}){_TO}{_MAYBE_MONEY}", re.I),
    re.compile(rf"(?:\b(?:van|from)\s+)?\b(?:{_AMOUNT}){_TO}(?:{_AMOUNT}){_EURO_AFTER}", re.I),
]
_MAXIMA = [
    re.compile(rf"\b(?:{_MAX_WORDS})\s*{_MAYBE_MONEY}", re.I),
    re.compile(rf"\b(?:{_MAX_WORDS_WITH_EURO})\s*{_MONEY}", re.I),
    re.compile(rf"{_MONEY}\s*(?:of\s+minder|or\s+less|or\s+under|max(?:imaal|imum)?\b)", re.I),
]
_MINIMA = [
    re.compile(rf"\b(?:{_MIN_WORDS})\s*{_MONEY}", re.I),
    re.compile(rf"{_MONEY}\s*(?:of\s+meer|or\s+more|en\s+hoger|and\s+up|or\s+above)", re.I),
]
# "voor 2 december", "voor 17:00", "for 2 weeks": a date, a time or a period, not a count.
_NOT_A_COUNT = (
    r"(?!\w|[.,:]\d|\s*(?:€|euro|eur\b|,-|%|\d|:|uur\b|u\b|h\b|dag|day|week|maand|month|"
    r"jaar|year|nacht|night|keer|times|jan|feb|maart|march|apr|mei\b|may\b|jun|jul|aug|sep|"
    r"o[ck]t|nov|dec))"
)
_STAR_NUMBER = "|".join([r"[1-5](?:[.,]5)?", *NUMBER_WORDS])
_RATING = re.compile(
    r"\b(?:(?:minstens|minimaal|ten\s+minste|at\s+least|minimum|meer\s+dan|more\s+than|boven|"
    rf"above|over)\s+)?(?P<stars>{_STAR_NUMBER})\s*\+?\s*(?:sterren|ster|stars?)\b"
    r"(?:\s+(?:of\s+(?:meer|hoger|beter)|or\s+(?:more|higher|better|above)))?",
    re.I,
)


def _cents(raw: str) -> str | None:
    text = raw.replace(".", "").replace(",", ".") if re.search(r"\.\d{3}", raw) else raw
    try:
        amount = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    cents = int(amount * 100)
    return str(cents) if 0 < cents < 10**9 else None


def _number_text(raw: str) -> str:
    lowered = raw.lower()
    if lowered in NUMBER_WORDS:
        return str(NUMBER_WORDS[lowered])
    if lowered in ARTICLE_NUMBERS:
        return str(ARTICLE_NUMBERS[lowered])
    value = Decimal(lowered.replace(",", "."))
    return str(value.normalize()) if value != value.to_integral_value() else str(int(value))


def _free(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return all(span[1] <= start or span[0] >= end for start, end in taken)


def price_facts(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    """price_min / price_max in cents; the spans they cover are added to `taken`."""
    found: list[Found] = []

    def add(entity: str, raw: str, match: re.Match[str]) -> None:
        cents = _cents(raw)
        if cents is not None:
            found.append(Found(entity, cents, match.start(), match.end(), match.group(0)))

    for kinds, patterns in (
        (("price_min", "price_max"), _RANGES),
        (("price_max",), _MAXIMA),
        (("price_min",), _MINIMA),
    ):
        for pattern in patterns:
            for match in pattern.finditer(text):
                if not _free(match.span(), taken):
                    continue
                amounts = _AMOUNT_RE.findall(match.group(0))
                if len(amounts) < len(kinds):
                    continue
                low_high = sorted(amounts[: len(kinds)], key=lambda a: int(_cents(a) or 0))
                for entity, raw in zip(kinds, low_high, strict=True):
                    add(entity, raw, match)
                taken.append(match.span())
    return found


def rating_facts(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    found = []
    for match in _RATING.finditer(text):
        if _free(match.span(), taken):
            value = _number_text(match.group("stars"))
            if Decimal(value) <= 5:
                found.append(Found("rating_min", value, *match.span(), match.group(0)))
                taken.append(match.span())
    return found


def number_template(template: str) -> re.Pattern[str]:
    """'{n} persoons' → a regex for '2 persoons', '2-persoons', 'tweepersoons(tent)'."""
    before, _, after = template.lower().partition("{n}")
    words = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    numbers = rf"\d+(?:[.,]\d+)?|{words}"
    if after.strip():
        numbers += "|" + "|".join(ARTICLE_NUMBERS)
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, before.split()))
    pattern += (r"\s+" if before.strip() else "") + rf"(?P<n>{numbers})"
    if after.strip():
        pattern += r"[\s-]*" + r"\s+".join(map(re.escape, after.split())) + r"\w*"
    else:
        pattern += _NOT_A_COUNT
    return re.compile(pattern, re.I)


def number_facts(
    text: str, templates: Iterable[tuple[str, re.Pattern[str]]], taken: list[tuple[int, int]]
) -> list[Found]:
    """attribute "key=n" for every number attribute phrase; the longest phrase wins."""
    candidates = [(match, key) for key, pattern in templates for match in pattern.finditer(text)]
    candidates.sort(key=lambda c: (-(c[0].end() - c[0].start()), c[0].start()))
    found = []
    for match, key in candidates:
        if _free(match.span(), taken):
            value = f"{key}={_number_text(match.group('n'))}"
            found.append(Found("attribute", value, *match.span(), match.group(0)))
            taken.append(match.span())
    return found
