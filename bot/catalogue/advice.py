"""Advice for a need, from rules the retailer edits (data/demo/advice.yml, docs/search.md).

A rule says which words name a need ("beginnende hardloper", "beginner runner", "cadeau"), what
that need means as a search (a category, attributes, a price cap, a sort) and the reason in plain
words, per language. A rule may differ per season ("koud water": a thicker wetsuit in winter).
The same file holds the search know-how (`ask_about`, `also_fits`; see bot.catalogue.search).

The file is read again when it changes, so the retailer's edits apply without a restart; a
mistake stops with the file, the rule and what is wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from bot.catalogue.search import SORTS, SearchRules
from bot.language import LANGUAGES

SEASONS = ("winter", "spring", "summer", "autumn")
WANTED_KEYS = frozenset(
    {"category", "attributes", "size", "price_min", "price_max", "brand", "rating_min", "sort"}
)
RULE_KEYS = frozenset(
    {"name", "need", "wanted", "reason", "seasons", "when_category", "when_words", "own_category"}
)
# A gap in need words: 'houd ... waterdicht' also finds 'houd ik mijn regenjas waterdicht'.
GAP = "..."
GAP_WORDS = 4
# When the shopper says when ('in april', 'in de herfst', 'this summer'), that season counts,
# not today's. Month and season words per language; the season keys are SEASONS.
# fmt: off
MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"),
}
# fmt: on
SEASON_WORDS = {
    "nl": {
        "winter": ("winter", "wintertijd"),
        "spring": ("voorjaar", "lente"),
        "summer": ("zomer", "zomervakantie"),
        "autumn": ("herfst", "najaar", "herfstvakantie"),
    },
    "en": {
        "winter": ("winter",),
        "spring": ("spring",),
        "summer": ("summer",),
        "autumn": ("autumn", "fall"),
    },
}


class AdviceError(ValueError):
    """The advice file is wrong; the message says where and what."""


@dataclass(frozen=True)
class Need:
    """What a need means as a search, and why, in each language."""

    wanted: Mapping[str, Any]
    reason: Mapping[str, str]


@dataclass(frozen=True)
class Rule:
    name: str
    words: Mapping[str, tuple[str, ...]]  # language -> need words
    need: Need
    seasons: Mapping[str, Need] = field(default_factory=lambda: MappingProxyType({}))
    when_category: tuple[str, ...] = ()
    when_words: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # the rule's category and attributes hold over the shopper's: what they name is what the
    # advice is for ('my rain jacket' for care products)
    own_category: bool = False

    def for_day(self, day: dt.date, season: str | None = None) -> Need:
        """The rule as it holds on `day`, or in the `season` the shopper named: its season's
        search and reason over the general one."""
        special = self.seasons.get(season or season_of(day))
        if special is None:
            return self.need
        wanted = {**self.need.wanted, **special.wanted}
        attributes = {
            **self.need.wanted.get("attributes", {}),
            **special.wanted.get("attributes", {}),
        }
        if attributes:
            wanted["attributes"] = attributes
        return Need(wanted=wanted, reason={**self.need.reason, **special.reason})


@dataclass(frozen=True)
class Advice:
    rules: tuple[Rule, ...]
    search_rules: SearchRules

    def need_in(self, text: str, language: str, category: str | None = None) -> Rule | None:
        """The rule whose need words the message uses; the longest words win ('beginnende
        hardloper' over 'beginner'). A rule for one category only counts when the message is
        about that category."""
        found = self.need_at(text, language, category)
        return found[0] if found else None

    def need_at(
        self, text: str, language: str, category: str | None = None
    ) -> tuple[Rule, int, int] | None:
        """The rule and where its words are in `text` (start, end). A rule for some categories
        counts when the message is about one of them, or names no category but one of the
        rule's `when_words` ('schoenen' is running and trail shoes)."""
        found: list[tuple[int, int, Rule, int, int]] = []
        lowered = text.lower()
        for order, rule in enumerate(self.rules):
            if rule.when_category and category not in rule.when_category:
                about = category is None and any(
                    _says(lowered, words)
                    for lang in rule.when_words
                    for words in rule.when_words[lang]
                )
                if not about:
                    continue
            languages = [language, *(lang for lang in rule.words if lang != language)]
            for lang in languages:
                for words in rule.words.get(lang, ()):
                    span = _says(lowered, words)
                    if span:
                        found.append((len(words), -order, rule, *span))
        if not found:
            return None
        _, _, rule, start, end = max(found, key=lambda f: f[:2])
        return rule, start, end


def _says(text: str, words: str) -> tuple[int, int] | None:
    parts = [
        rf"(?:\S+\s+){{0,{GAP_WORDS}}}?" if w == GAP else re.escape(w) + r"\s+"
        for w in words.lower().split()
    ]
    pattern = "".join(parts).removesuffix(r"\s+")
    found = re.search(rf"(?<!\w){pattern}(?!\w)", text)
    return found.span() if found else None


def season_in(text: str, language: str) -> str | None:
    """The season a message names by a month or a season word ('in april' → spring)."""
    lowered = text.lower()
    for lang in (language, *(lang for lang in MONTHS if lang != language)):
        for number, month in enumerate(MONTHS[lang], start=1):
            if _says(lowered, month) and not (lang == "en" and month == "may"):
                return season_of(dt.date(2000, number, 1))
        for season, words in SEASON_WORDS[lang].items():
            if any(_says(lowered, w) for w in words):
                return season
    return None


def season_of(day: dt.date) -> str:
    """Meteorological seasons of the northern hemisphere: December to February is winter."""
    return SEASONS[(day.month % 12) // 3]


@lru_cache(maxsize=4)
def _load(path: Path, _changed: float) -> Advice:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AdviceError(f"{path}: cannot read it: {exc}") from None
    return parse_advice(data, str(path))


def load_advice(path: Path) -> Advice:
    """The advice in `path`, read again when the file changed."""
    try:
        changed = path.stat().st_mtime
    except OSError as exc:
        raise AdviceError(f"{path}: cannot read it: {exc.strerror}") from None
    return _load(path, changed)


def shop_advice() -> Advice:
    """The shop's own advice file (Settings.advice_file, KLANTREIS_ADVICE_FILE)."""
    from bot.settings import Settings

    return load_advice(Settings.from_env().advice_file)


def shop_search_rules() -> SearchRules:
    """The shop's search know-how for callers of `search()` (follow-ups, suggestions); plain
    rules when the advice file cannot be used."""
    try:
        return shop_advice().search_rules
    except AdviceError:
        return SearchRules()


def parse_advice(data: Any, where: str = "advice") -> Advice:
    """Check the whole file and build the advice, or say the first mistake."""
    if not isinstance(data, dict):
        raise AdviceError(
            f"{where}: expected a mapping with 'rules' (and 'ask_about', 'also_fits')"
        )
    unknown = set(data) - {"rules", "ask_about", "also_fits"}
    if unknown:
        raise AdviceError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    ask_about = data.get("ask_about") or []
    if not _strings(ask_about):
        raise AdviceError(f"{where}: ask_about must be a list of attribute keys")
    rules = data.get("rules") or []
    if not isinstance(rules, list):
        raise AdviceError(f"{where}: rules must be a list")
    parsed = tuple(_rule(rule, f"{where}: rules[{n}]") for n, rule in enumerate(rules))
    names = [r.name for r in parsed]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise AdviceError(f"{where}: rule name(s) used twice: {', '.join(twice)}")
    return Advice(
        rules=parsed,
        search_rules=SearchRules(
            ask_about=tuple(ask_about), also_fits=_also_fits(data.get("also_fits"), where)
        ),
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _also_fits(value: Any, where: str) -> Mapping[str, Mapping[str, frozenset[str]]]:
    if value is None:
        return MappingProxyType({})
    problem = f"{where}: also_fits must map attribute → stored value → the asked values it fits"
    if not isinstance(value, dict):
        raise AdviceError(problem)
    table: dict[str, Mapping[str, frozenset[str]]] = {}
    for key, fits in value.items():
        if not isinstance(fits, dict) or not all(_strings(v) for v in fits.values()):
            raise AdviceError(f"{problem} (at {key!r})")
        table[str(key)] = {str(k).lower(): frozenset(w.lower() for w in v) for k, v in fits.items()}
    return MappingProxyType(table)


def _rule(data: Any, where: str) -> Rule:
    if not isinstance(data, dict):
        raise AdviceError(f"{where}: a rule is a mapping with name, need, wanted and reason")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AdviceError(f"{where}: the rule needs a name")
    where = f"{where} ({name})"
    unknown = set(data) - RULE_KEYS
    if unknown:
        raise AdviceError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    words = data.get("need")
    if not isinstance(words, dict) or any(not _strings(words.get(lang)) for lang in LANGUAGES):
        raise AdviceError(
            f"{where}: need must list the words of the need in {' and '.join(LANGUAGES)}"
        )
    seasons = data.get("seasons") or {}
    if not isinstance(seasons, dict) or set(seasons) - set(SEASONS):
        raise AdviceError(f"{where}: seasons may only be {', '.join(SEASONS)}")
    need = Need(
        wanted=_wanted(data.get("wanted") or {}, where),
        reason=_reason(data.get("reason"), where, required=len(seasons) < len(SEASONS)),
    )
    by_season = {
        season: Need(
            wanted=_wanted((part or {}).get("wanted") or {}, f"{where} {season}"),
            reason=_reason((part or {}).get("reason"), f"{where} {season}", required=False),
        )
        for season, part in seasons.items()
    }
    if not need.wanted and not by_season:
        raise AdviceError(f"{where}: wanted must say what to search for")
    when = data.get("when_category")
    if isinstance(when, str):
        when = [when]
    if when is not None and not _strings(when):
        raise AdviceError(f"{where}: when_category must be a category key or a list of them")
    when_words = data.get("when_words") or {}
    if not isinstance(when_words, dict) or not all(
        lang in LANGUAGES and _strings(w) for lang, w in when_words.items()
    ):
        raise AdviceError(f"{where}: when_words must list words per language (nl, en)")
    if when_words and not when:
        raise AdviceError(f"{where}: when_words only count with when_category")
    own = data.get("own_category", False)
    if not isinstance(own, bool) or (own and "category" not in need.wanted):
        raise AdviceError(f"{where}: own_category is true or false, and needs wanted.category")
    return Rule(
        name=name,
        words={lang: tuple(words[lang]) for lang in LANGUAGES},
        need=need,
        seasons=MappingProxyType(by_season),
        when_category=tuple(when or ()),
        when_words=MappingProxyType({lang: tuple(w) for lang, w in when_words.items()}),
        own_category=own,
    )


def _reason(value: Any, where: str, *, required: bool) -> Mapping[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or any(
        not isinstance(value.get(lang), str) or not value[lang].strip() for lang in LANGUAGES
    ):
        raise AdviceError(f"{where}: reason must be a text in {' and '.join(LANGUAGES)}")
    return {lang: value[lang].strip() for lang in LANGUAGES}


def _wanted(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise AdviceError(f"{where}: wanted must be a mapping")
    unknown = set(value) - WANTED_KEYS
    if unknown:
        raise AdviceError(
            f"{where}: wanted has unknown key(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join(sorted(WANTED_KEYS))}"
        )
    wanted = dict(value)
    if "sort" in wanted and wanted["sort"] not in SORTS:
        raise AdviceError(f"{where}: sort must be one of {', '.join(SORTS)}")
    for key in ("price_min", "price_max", "rating_min"):
        if key in wanted and (
            isinstance(wanted[key], bool)
            or not isinstance(wanted[key], int | float)
            or wanted[key] < 0
        ):
            raise AdviceError(
                f"{where}: {key} must be a number (euros or stars), not {wanted[key]!r}"
            )
    attributes = wanted.get("attributes", {})
    if not isinstance(attributes, dict) or not all(
        isinstance(v, str | int | float | bool) for v in attributes.values()
    ):
        raise AdviceError(f"{where}: attributes must map attribute keys to values")
    for key in ("price_min", "price_max"):
        if key in wanted:
            wanted[key] = int(Decimal(str(wanted[key])) * 100)  # euros in the file, cents here
    if "attributes" in wanted:
        wanted["attributes"] = {str(k): _text(v) for k, v in attributes.items()}
    return MappingProxyType(wanted)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
