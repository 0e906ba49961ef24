"""Tell Dutch from English per message, and say nothing when the message does not tell.

A multinomial naive Bayes over words and character trigrams, learned from the bot's
own training data (each intent block carries `metadata: {language: ..}`) plus spaCy's
stop-word lists. A short, shared word ("ok", "👍", "10452") gives no decision, so the
conversation keeps the language it had.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from bot.language import LANGUAGES

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def features(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    grams: list[str] = []
    for word in words:
        padded = f"<{word}>"
        grams.extend(f"#{padded[i : i + 3]}" for i in range(len(padded) - 2))
    return words + grams


class LanguageModel:
    """Counts per language; decide() returns a language or None when unsure."""

    def __init__(self, counts: dict[str, dict[str, int]] | None = None, margin: float = 3.0):
        self.counts = {
            lang: Counter(counts.get(lang, {})) if counts else Counter() for lang in LANGUAGES
        }
        self.margin = margin
        self._refresh()

    def _refresh(self) -> None:
        self.totals = {lang: sum(c.values()) for lang, c in self.counts.items()}
        self.vocab = len(set().union(*self.counts.values())) or 1

    def learn(self, examples: Iterable[tuple[str, str]], weight: int = 1) -> None:
        for text, lang in examples:
            if lang in self.counts:
                for feature in features(text):
                    self.counts[lang][feature] += weight
        self._refresh()

    def scores(self, text: str) -> dict[str, float]:
        feats = [f for f in features(text) if any(f in c for c in self.counts.values())]
        result = {}
        for lang, counts in self.counts.items():
            denominator = math.log(self.totals[lang] + self.vocab)
            result[lang] = sum(math.log(counts.get(f, 0) + 1) - denominator for f in feats)
        return result

    def decide(self, text: str) -> str | None:
        scores = self.scores(text)
        (best, high), (_other, low) = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
        return best if high - low >= self.margin else None

    def to_dict(self) -> dict[str, Any]:
        return {"margin": self.margin, "counts": {k: dict(v) for k, v in self.counts.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LanguageModel:
        return cls(data["counts"], margin=data.get("margin", 3.0))


def stop_word_examples() -> list[tuple[str, str]]:
    from bot.nlu.lexicon import stop_words

    EN, NL = stop_words("en"), stop_words("nl")
    shared = set(EN) & set(NL)
    return [(w, "en") for w in sorted(set(EN) - shared)] + [
        (w, "nl") for w in sorted(set(NL) - shared)
    ]
