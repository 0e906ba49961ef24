"""Intent accuracy on the challenge sets: messages written apart from the training data.

bench/challenge/<lang>-<set>.yml were each written by someone who never saw data/nlu, in a
different customer style (see bench/challenge/README.md). Set C was only scored, never used to
decide what to add to the training data, so it is the closest thing to unseen real messages.

Independent writers still hit the same common phrasings ("akkoord", "what time do you open"), so
about a fifth of the messages also occur in the training data. The headline figures count only the
messages that do not ("unseen"); the figures over all messages are reported beside them.

Trains the real pipeline (config.yml) on all of data/nlu, parses every challenge message and
writes a JSON summary per set and per language.
Usage: python bench/nlu_challenge.py OUT_DIR [--model models/x.tar.gz]
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from nlu_by_language import (
    figures,
    load_examples,
    model_arguments,
    parse_all,
    tally,
    top_confusions,
    train_nlu,
    write_summary,
)

ROOT = Path(__file__).resolve().parent.parent
CHALLENGE = ROOT / "bench" / "challenge"
# Only the totals of the test set are reported: its errors stay unread (bench/challenge/README.md).
TEST_SET = "c"


def load_challenge() -> list[tuple[str, str, str]]:
    """(text, label, set name) for every challenge message."""
    examples = []
    for path in sorted(CHALLENGE.glob("*.yml")):
        for label, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            examples += [(text, label, path.stem) for text in texts]
    return examples


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


def main(out_dir: Path, model: Path | None = None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if model is None:
        model = train_nlu(ROOT / "data" / "nlu", out_dir, "all")
    train_seconds = time.perf_counter() - started
    examples = load_challenge()
    predictions = asyncio.run(parse_all(model, [text for text, _, _ in examples]))
    trained_on = {normalised(text) for text, _, _ in load_examples()}
    per_set: dict[str, Counter] = defaultdict(Counter)
    per_language: dict[str, Counter] = defaultdict(Counter)
    per_language_all: dict[str, Counter] = defaultdict(Counter)
    confusions: Counter = Counter()
    for (text, gold, name), (intent, retrieval) in zip(examples, predictions, strict=True):
        language = name.split("-")[0]
        tally(per_language_all[language], gold, intent, retrieval)
        if normalised(text) in trained_on:
            continue
        tally(per_language[language], gold, intent, retrieval)
        right = tally(per_set[name], gold, intent, retrieval)
        if not right and not name.endswith(f"-{TEST_SET}"):
            confusions[(language, gold, retrieval if intent == "faq" else intent)] += 1
    summary = {
        "train_seconds": round(train_seconds),
        "unseen": {
            "sets": {name: figures(stats) for name, stats in sorted(per_set.items())},
            "languages": {lang: figures(stats) for lang, stats in sorted(per_language.items())},
        },
        "all_messages": {
            "languages": {lang: figures(s) for lang, s in sorted(per_language_all.items())},
        },
        "top_confusions_development_sets": top_confusions(confusions),
    }
    write_summary(out_dir, summary)


if __name__ == "__main__":
    arguments = model_arguments(__doc__, "nlu-challenge").parse_args()
    main(arguments.out_dir, arguments.model)
