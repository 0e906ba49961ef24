"""Held-out NLU evaluation per language: in-scope intent accuracy and out-of-scope rejection.

Splits data/nlu/<lang>/*.yml 80/20 per (language, intent) with a fixed seed, trains the real
pipeline (config.yml) on the 80 %, parses the 20 % with the trained model and writes a JSON
summary. Usage: python bench/nlu_by_language.py OUT_DIR
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REJECTED = {"out_of_scope", "nlu_fallback"}


def load_examples() -> list[tuple[str, str, str]]:
    """(text, full intent, language) for every example."""
    examples = []
    for path in sorted((ROOT / "data" / "nlu").glob("*/*.yml")):
        language = path.parent.name
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    examples.append((line.strip()[2:].strip(), block["intent"], language))
    return examples


def split(examples: list[tuple[str, str, str]], seed: int = 7) -> tuple[list, list]:
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for example in examples:
        groups[(example[2], example[1])].append(example)
    rng = random.Random(seed)
    train, test = [], []
    for key in sorted(groups):
        items = groups[key][:]
        rng.shuffle(items)
        cut = max(1, round(len(items) * 0.2))
        test += items[:cut]
        train += items[cut:]
    return train, test


def write_nlu(path: Path, examples: list[tuple[str, str, str]]) -> None:
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for text, intent, language in examples:
        blocks[(intent, language)].append(text)
    nlu = [
        {
            "intent": intent,
            "metadata": {"language": language},
            "examples": "".join(f"- {json.dumps(t, ensure_ascii=False)[1:-1]}\n" for t in texts),
        }
        for (intent, language), texts in sorted(blocks.items())
    ]
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True), encoding="utf-8"
    )


def train_nlu(nlu: Path, out_dir: Path, name: str) -> Path:
    """Train the real NLU pipeline (config.yml) on `nlu`; returns the model archive."""
    subprocess.run(
        [
            sys.executable, "-m", "rasa", "train", "nlu",
            "--config", str(ROOT / "config.yml"),
            "--nlu", str(nlu),
            "--out", str(out_dir / "model"),
            "--fixed-model-name", name,
        ],
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    return out_dir / "model" / f"{name}.tar.gz"


def tally(stats: Counter, gold: str, intent: str, retrieval: str | None) -> bool:
    """Count one prediction; True when it is right."""
    if gold == "out_of_scope":
        stats["oos_total"] += 1
        stats["oos_rejected"] += intent in REJECTED
        return intent in REJECTED
    stats["in_total"] += 1
    base = gold.split("/")[0]
    correct = intent == base and (base != "faq" or retrieval == gold)
    stats["in_correct"] += correct
    return correct


def share(part: int, whole: int) -> float | None:
    """part/whole rounded for a summary; None when there is nothing to count."""
    return round(part / whole, 4) if whole else None


def figures(stats: Counter) -> dict[str, float | int | None]:
    return {
        "in_scope_accuracy": share(stats["in_correct"], stats["in_total"]),
        "in_scope_examples": stats["in_total"],
        "out_of_scope_rejected": share(stats["oos_rejected"], stats["oos_total"]),
        "out_of_scope_examples": stats["oos_total"],
    }


def top_confusions(confusions: Counter) -> list[dict[str, str | int]]:
    return [
        {"language": lang, "expected": gold, "predicted": predicted, "count": n}
        for (lang, gold, predicted), n in confusions.most_common(15)
    ]


def model_arguments(doc: str, results: str) -> argparse.ArgumentParser:
    """The command line the NLU benches share: OUT_DIR (default bench/results/<results>) and
    --model, to score a trained model instead of training one."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", type=Path, default=ROOT / "bench/results" / results)
    parser.add_argument("--model", type=Path, help="score this model instead of training one")
    return parser


def write_summary(out_dir: Path, summary: dict) -> None:
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


async def parse_all(model: Path, texts: list[str]) -> list[tuple[str, str | None]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        intent = parsed["intent"]["name"]
        selector = parsed.get("response_selector", {}).get("faq", {}).get("response", {})
        results.append((intent, selector.get("intent_response_key")))
    return results


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    train, test = split(load_examples())
    write_nlu(out_dir / "train.yml", train)
    started = time.perf_counter()
    model = train_nlu(out_dir / "train.yml", out_dir, "heldout")
    train_seconds = time.perf_counter() - started
    predictions = asyncio.run(parse_all(model, [t for t, _, _ in test]))
    per_language: dict[str, Counter] = defaultdict(Counter)
    confusions: Counter = Counter()
    for (_, gold, language), (intent, retrieval) in zip(test, predictions, strict=True):
        if not tally(per_language[language], gold, intent, retrieval):
            confusions[(language, gold, retrieval if intent == "faq" else intent)] += 1
    summary = {
        "train_examples": len(train),
        "test_examples": len(test),
        "train_seconds": round(train_seconds),
        "languages": {lang: figures(s) for lang, s in sorted(per_language.items())},
        "top_confusions": top_confusions(confusions),
    }
    write_summary(out_dir, summary)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "nlu")
