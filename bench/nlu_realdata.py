"""Intent accuracy on public real-world utterances, mapped to our intent contract.

bench/realdata/<lang>-<source>.yml hold small subsets of public data sets (train or validation
splits only, never a test split), each with its source and licence in its header and the original
label beside ours. They are used only to measure: nothing in them is trained on, and the training
data is written without reading their errors item by item (docs/nlu-evaluation.md says how they
were used).

Unlike the challenge sets, nobody here wrote these messages, so they show how the model does on
phrasings the team did not think of. An intent the model does not know (refund_status before it is
merged) simply counts as wrong.

Each list is split in two: its 1st, 3rd, 5th… message is development data (--split dev: read its
errors, tune on it), its 2nd, 4th… message is the score (--split test, the default: read its
totals only, at the end). The summary of a dev run lists the wrong messages; a test run does not.

bench/holdout/ holds more rows of the same sources, chosen by the same rules and scored once at the
end of the eighth pass; bench/holdout2/ and bench/holdout3/ the same in the ninth. Once scored,
a holdout is development data like the dev half (its errors are written out); the next pass needs
a new one.

Trains the real pipeline (config.yml) on all of data/nlu, or loads --model, parses every message
and writes a JSON summary per language, per source and per intent, with the confusion pairs.
Usage: python bench/nlu_realdata.py OUT_DIR [--model models/x.tar.gz]
       [--split dev|test|all|holdout|holdout2|holdout3]
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from nlu_by_language import (
    REJECTED,
    figures,
    load_examples,
    model_arguments,
    parse_all,
    tally,
    train_nlu,
    write_summary,
)

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT / "bench" / "realdata"


# In the order they were made; each takes rows none of the earlier ones has.
HOLDOUTS = {name: ROOT / "bench" / name for name in ("holdout", "holdout2", "holdout3")}
SPLITS = ("dev", "test", "all", *HOLDOUTS)
# Splits whose errors may be read: the dev half, and the holdouts once scored.
READABLE = ("dev", "holdout", "holdout2", "holdout3")


def in_split(position: int, split: str) -> bool:
    """Even positions of a list are development data, odd ones the score."""
    return split == "all" or split in HOLDOUTS or (position % 2 == 0) == (split == "dev")


def load_realdata(split: str = "all") -> list[tuple[str, str, str]]:
    """(text, label, file stem) for every message, e.g. ("is my order here", _, "en-clinc").

    `holdout`, `holdout2` … are bench/holdout/, bench/holdout2/ … whole: more rows of the same
    public sources."""
    examples = []
    for path in sorted(HOLDOUTS.get(split, REALDATA).glob("*.yml")):
        for label, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            examples += [
                (text, label, path.stem)
                for position, text in enumerate(texts)
                if in_split(position, split)
            ]
    return examples


def answered(intent: str, retrieval: str | None) -> str:
    """The answer as one label: an FAQ answer is its retrieval intent ("faq/payment_methods")."""
    return retrieval if intent == "faq" and retrieval else intent


def per_intent(rows: list[tuple[str, str]]) -> dict[str, dict[str, float | int]]:
    """Recall per gold intent: how many of its messages got the right answer (see answered)."""
    totals: Counter = Counter()
    right: Counter = Counter()
    for gold, predicted in rows:
        totals[gold] += 1
        right[gold] += predicted in REJECTED if gold == "out_of_scope" else predicted == gold
    return {
        gold: {"correct": round(right[gold] / totals[gold], 4), "examples": totals[gold]}
        for gold in sorted(totals)
    }


# FallbackClassifier settings compared by --sweep (threshold, "Did you mean" margin).
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
MARGINS = (0.0, 0.05, 0.1)


async def rankings(
    model: Path, texts: list[str]
) -> list[tuple[list[tuple[str, float]], str | None]]:
    """The intent classifier's own ranking per message, nlu_fallback taken out, and the FAQ
    answer the response selector picked."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    rows = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = parsed.get("intent_ranking") or [parsed["intent"]]
        if parsed["intent"]["name"] == "out_of_scope" and ranking[0]["name"] != "out_of_scope":
            ranking = [parsed["intent"]]  # the gibberish guard's verdict, not the classifier's
        selector = parsed.get("response_selector", {}).get("faq", {}).get("response", {})
        rows.append(
            (
                [(r["name"], r["confidence"]) for r in ranking if r["name"] != "nlu_fallback"],
                selector.get("intent_response_key"),
            )
        )
    return rows


def sweep(model: Path, split: str) -> list[dict[str, float | int | None]]:
    """In-scope accuracy and rejection for each fallback threshold and margin."""
    examples = load_realdata(split)
    ranked = asyncio.run(rankings(model, [text for text, _, _ in examples]))
    results = []
    for threshold in THRESHOLDS:
        for margin in MARGINS:
            stats: dict[str, Counter] = defaultdict(Counter)
            for (_, gold, name), (ranking, retrieval) in zip(examples, ranked, strict=True):
                best, confidence = ranking[0]
                second = ranking[1][1] if len(ranking) > 1 else 0.0
                if confidence < threshold or confidence - second < margin:
                    best = "nlu_fallback"
                tally(stats[name.split("-")[0]], gold, best, retrieval)
            row: dict[str, float | int | None] = {"threshold": threshold, "margin": margin}
            for language, counted in sorted(stats.items()):
                found = figures(counted)
                row[f"{language}_in"] = found["in_scope_accuracy"]
                row[f"{language}_out"] = found["out_of_scope_rejected"]
            results.append(row)
    return results


def main(out_dir: Path, model: Path | None, split: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if model is None:
        model = train_nlu(ROOT / "data" / "nlu", out_dir, "all")
    train_seconds = time.perf_counter() - started
    examples = load_realdata(split)
    # A message that also occurs in the training data says nothing about unseen phrasings:
    # count them, so that a figure bought by copying evaluation data would show.
    trained_on = {" ".join(t.lower().split()) for t, _, _ in load_examples()}
    in_training = [t for t, _, _ in examples if " ".join(t.lower().split()) in trained_on]
    predictions = asyncio.run(parse_all(model, [text for text, _, _ in examples]))
    per_language: dict[str, Counter] = defaultdict(Counter)
    per_source: dict[str, Counter] = defaultdict(Counter)
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    confusions: Counter = Counter()
    errors: list[dict[str, str]] = []
    for (text, gold, name), (intent, retrieval) in zip(examples, predictions, strict=True):
        language = name.split("-")[0]
        tally(per_language[language], gold, intent, retrieval)
        tally(per_source[name], gold, intent, retrieval)
        label = answered(intent, retrieval)
        rows[language].append((gold, label))
        wrong = label not in REJECTED if gold == "out_of_scope" else label != gold
        if wrong:
            confusions[(language, gold, label)] += 1
            errors.append({"text": text, "expected": gold, "predicted": label, "source": name})
    summary = {
        "model": str(model),
        "split": split,
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
    if split in READABLE:
        summary["errors"] = errors
    write_summary(out_dir, summary)


if __name__ == "__main__":
    parser = model_arguments(__doc__, "nlu-real")
    parser.add_argument("--split", choices=SPLITS, default="test", help="which half to score")
    parser.add_argument(
        "--sweep", action="store_true", help="with --model: fallback threshold and margin sweep"
    )
    arguments = parser.parse_args()
    if arguments.sweep and arguments.model:
        for found in sweep(arguments.model, arguments.split):
            print(found)
    else:
        main(arguments.out_dir, arguments.model, arguments.split)
