"""Intent accuracy when customers mistype: the challenge sets with one typo per message.

Real messages carry typos ("bestelnig", "cancdling"), and #11 asks for typos in every intent's
phrasing. Written typos only cover what their writer thought of, so this bench makes them
mechanically: in every challenge message with a word of five or more letters, one such word gets
one typo, as fingers make them (a letter left out, two letters swapped, a letter doubled, a
neighbouring key hit), never in its first letter. The typo is drawn from a generator seeded with
the message, so every run and every model sees the same typos.

It scores the messages that do not occur in the training data ("unseen", as
bench/nlu_challenge.py does), clean and with the typo, per language. The gap between the two is
what typos cost; typo repair (bot/nlu/spelling.py) exists to make it small. Messages without a
word of five letters are left out of both columns.
Usage: python bench/nlu_typos.py OUT_DIR [--model models/x.tar.gz]
"""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from nlu_by_language import (
    figures,
    load_examples,
    model_arguments,
    parse_all,
    tally,
    train_nlu,
    write_summary,
)
from nlu_challenge import load_challenge, normalised

ROOT = Path(__file__).resolve().parent.parent
LONG_WORD = re.compile(r"[^\W\d_]{5,}")
ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def neighbours(letter: str) -> str:
    """The keys left and right of a letter on a QWERTY keyboard (Dutch shops type on one too)."""
    for row in ROWS:
        at = row.find(letter)
        if at >= 0:
            return row[max(at - 1, 0) : at] + row[at + 1 : at + 2]
    return ""


def mistype(word: str, chance: random.Random) -> str:
    """`word` with one typo after its first letter."""
    at = chance.randrange(1, len(word))
    kind = chance.choice(("drop", "swap", "double", "neighbour"))
    if kind == "swap" and at < len(word) - 1 and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "double":
        return word[: at + 1] + word[at] + word[at + 1 :]
    near = neighbours(word[at].lower())
    if kind == "neighbour" and near:
        return word[:at] + chance.choice(near) + word[at + 1 :]
    return word[:at] + word[at + 1 :]


def with_typo(text: str, seed: int = 11) -> str | None:
    """`text` with one of its long words mistyped, or None when it has no long word."""
    words = list(LONG_WORD.finditer(text))
    if not words:
        return None
    chance = random.Random(f"{seed}:{text}")
    picked = chance.choice(words)
    return text[: picked.start()] + mistype(picked.group(0), chance) + text[picked.end() :]


def main(out_dir: Path, model: Path | None = None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if model is None:
        model = train_nlu(ROOT / "data" / "nlu", out_dir, "all")
    trained_on = {normalised(text) for text, _, _ in load_examples()}
    rows = []
    for text, gold, name in load_challenge():
        typed = with_typo(text)
        if typed is not None and normalised(text) not in trained_on:
            rows.append((text, typed, gold, name.split("-")[0]))
    clean = asyncio.run(parse_all(model, [text for text, _, _, _ in rows]))
    typed = asyncio.run(parse_all(model, [typo for _, typo, _, _ in rows]))
    stats: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for (_, _, gold, language), before, after in zip(rows, clean, typed, strict=True):
        tally(stats[language]["clean"], gold, *before)
        tally(stats[language]["one_typo"], gold, *after)
    summary = {
        "model": str(model),
        "languages": {
            language: {version: figures(counts) for version, counts in versions.items()}
            for language, versions in sorted(stats.items())
        },
    }
    write_summary(out_dir, summary)


if __name__ == "__main__":
    arguments = model_arguments(__doc__, "nlu-typos").parse_args()
    main(arguments.out_dir, arguments.model)
