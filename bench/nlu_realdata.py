"""Intent accuracy on public real-world utterances, mapped to our intent contract.

bench/realdata/<lang>-<source>.yml hold small subsets of public data sets (train or validation
splits only, never a test split), each with its source and licence in its header and the original
label beside ours. They are used only to measure: nothing in them is trained on, and the training
data is written without reading their errors item by item (docs/nlu-evaluation.md says how they
were used).

Unlike the challenge sets, nobody here wrote these messages, so they show how the model does on
phrasings the team did not think of. An intent the model does not know (refund_status before it is
merged) simply counts as wrong.

Trains the real pipeline (config.yml) on all of data/nlu, or loads --model, parses every message
and writes a JSON summary per language, per source and per intent, with the confusion pairs.
Usage: python bench/nlu_realdata.py OUT_DIR [--model models/x.tar.gz]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from nlu_by_language import (
    REJECTED,
    figures,
    load_examples,
    parse_all,
    tally,
    train_nlu,
    write_summary,
)

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT / "bench" / "realdata"


def load_realdata() -> list[tuple[str, str, str]]:
    """(text, label, file stem) for every message, e.g. ("is my order here", _, "en-clinc")."""
    examples = []
    for path in sorted(REALDATA.glob("*.yml")):
        for label, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            examples += [(text, label, path.stem) for text in texts]
    return examples


def per_intent(rows: list[tuple[str, str]]) -> dict[str, dict[str, float | int]]:
    """Recall per gold intent: how many of its messages got the right answer."""
    totals: Counter = Counter()
    right: Counter = Counter()
    for gold, predicted in rows:
        totals[gold] += 1
        right[gold] += predicted in REJECTED if gold == "out_of_scope" else predicted == gold
    return {
        gold: {"correct": round(right[gold] / totals[gold], 4), "examples": totals[gold]}
        for gold in sorted(totals)
    }


def main(out_dir: Path, model: Path | None) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if model is None:
        model = train_nlu(ROOT / "data" / "nlu", out_dir, "all")
    train_seconds = time.perf_counter() - started
    examples = load_realdata()
    # A message that also occurs in the training data says nothing about unseen phrasings:
    # count them, so that a figure bought by copying evaluation data would show.
    trained_on = {" ".join(t.lower().split()) for t, _, _ in load_examples()}
    in_training = [t for t, _, _ in examples if " ".join(t.lower().split()) in trained_on]
    predictions = asyncio.run(parse_all(model, [text for text, _, _ in examples]))
    per_language: dict[str, Counter] = defaultdict(Counter)
    per_source: dict[str, Counter] = defaultdict(Counter)
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    confusions: Counter = Counter()
    for (_, gold, name), (intent, _) in zip(examples, predictions, strict=True):
        language = name.split("-")[0]
        tally(per_language[language], gold, intent, None)
        tally(per_source[name], gold, intent, None)
        rows[language].append((gold, intent))
        wrong = intent not in REJECTED if gold == "out_of_scope" else intent != gold
        if wrong:
            confusions[(language, gold, intent)] += 1
    summary = {
        "model": str(model),
        "train_seconds": round(train_seconds),
        "also_in_training_data": in_training,
        "languages": {lang: figures(s) for lang, s in sorted(per_language.items())},
        "sources": {name: figures(s) for name, s in sorted(per_source.items())},
        "intents": {lang: per_intent(r) for lang, r in sorted(rows.items())},
        "confusions": [
            {"language": lang, "expected": gold, "predicted": predicted, "count": n}
            for (lang, gold, predicted), n in confusions.most_common()
        ],
    }
    write_summary(out_dir, summary)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=ROOT / "bench/results/nlu-real")
    parser.add_argument("--model", type=Path, help="score this model instead of training one")
    arguments = parser.parse_args()
    main(arguments.out_dir, arguments.model)
