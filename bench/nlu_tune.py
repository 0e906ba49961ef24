"""Choose the intent classifier's settings without the evaluation data: C, the weight of the
sentence embedding and the "Did you mean" margin (FallbackClassifier's ambiguity_threshold).

Fits the classifier of bot/nlu/tfidf_classifier.py directly (no Rasa training, so a sweep takes
minutes) on the 80 % training split of data/nlu (bench/nlu_by_language.py's split) and scores:
- the 20 % held-out split of data/nlu;
- the development challenge sets A and B (bench/challenge/README.md), messages that also occur in
  the training data left out.
bench/realdata and challenge set C are never read here: they stay the measure of what is chosen.
Usage: python bench/nlu_tune.py OUT_DIR
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml
from nlu_by_language import REJECTED, load_examples, split

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.sentence_encoder import EmbeddingCache, default_cache_path, embed  # noqa: E402
from bot.nlu.tfidf_classifier import IntentModel, build_ngrams  # noqa: E402

MARKUP = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
# (embedding weight, C): the settings of before (2, 100) and the ones compared with them
# (docs/nlu-evaluation.md). These sets favour a light embedding: read the docs before following.
SETTINGS = ((2.0, 100.0), (2.0, 30.0), (1.0, 30.0), (1.0, 10.0), (0.5, 30.0))
FALLBACKS = (0.2, 0.25, 0.3)
MARGINS = (0.0, 0.02, 0.05, 0.08, 0.1)


def plain(text: str) -> str:
    return MARKUP.sub(r"\1", text)


def development_sets(trained: set[str]) -> list[tuple[str, str]]:
    rows = []
    for path in sorted((ROOT / "bench" / "challenge").glob("*-[ab].yml")):
        for label, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            unseen = [t for t in texts if " ".join(t.lower().split()) not in trained]
            rows += [(t, label.split("/")[0]) for t in unseen]
    return rows


def answer(classes: np.ndarray, row: np.ndarray, fallback: float, margin: float) -> str:
    first, second = np.argsort(row)[::-1][:2]
    if row[first] < fallback or row[first] - row[second] < margin:
        return "nlu_fallback"
    return str(classes[first])


def score(gold: list[str], predicted: list[str]) -> dict[str, float]:
    inside = [(g, p) for g, p in zip(gold, predicted, strict=True) if g != "out_of_scope"]
    outside = [p for g, p in zip(gold, predicted, strict=True) if g == "out_of_scope"]
    return {
        "in_scope": round(sum(g == p for g, p in inside) / len(inside), 4),
        "rejected": round(sum(p in REJECTED for p in outside) / len(outside), 4),
    }


def main(out_dir: Path) -> None:
    examples = [(plain(t), intent.split("/")[0], lang) for t, intent, lang in load_examples()]
    train, test = split(examples)
    dev = development_sets({" ".join(t.lower().split()) for t, _, _ in examples})
    cache = EmbeddingCache(default_cache_path())
    sets = {
        "held_out": ([t for t, _, _ in test], [i for _, i, _ in test]),
        "challenge_ab": ([t for t, _ in dev], [g for _, g in dev]),
    }
    train_texts = [t for t, _, _ in train]
    vectors = {
        name: list(embed(texts, threads=2, cache=cache)) for name, (texts, _) in sets.items()
    }
    train_vectors = list(embed(train_texts, threads=2, cache=cache))
    cache.save({t for t, _, _ in examples} | {t for t, _ in dev})  # the next run encodes nothing
    results = []
    from sklearn.linear_model import LogisticRegression

    for weight, c in SETTINGS:
        config = {"word_ngrams": [1, 2], "char_ngrams": [2, 5]}
        classifier = LogisticRegression(C=c, max_iter=3000)
        model = IntentModel(build_ngrams(config), classifier, weight, 512)
        model.fit(train_texts, train_vectors, [i for _, i, _ in train])
        for name, (texts, gold) in sets.items():
            probabilities = model.predict_proba(texts, vectors[name])
            for fallback, margin in itertools.product(FALLBACKS, MARGINS):
                predicted = [answer(model.classes_, row, fallback, margin) for row in probabilities]
                found = {"weight": weight, "C": c, "fallback": fallback, "margin": margin}
                found["set"] = name
                results.append({**found, **score(gold, predicted)})
                print(json.dumps(results[-1]), flush=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "tune.json").write_text(json.dumps(results, indent=1))
    best = Counter()
    for row in results:
        key = (row["weight"], row["C"], row["fallback"], row["margin"])
        best[key] += row["in_scope"] + row["rejected"]
    print("best (sum of in-scope and rejected over both sets):", best.most_common(5))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench/results/nlu-tune")
