#!/usr/bin/env bash
# NLU evaluation: public real-world utterances (the measure), held-out per-language figures, the
# challenge sets clean and with typos, then Rasa's 5-fold cross-validation.
# Slow (eight trainings); results go to bench/results/nlu*/. Summaries belong in docs/nlu-evaluation.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
echo "==> Public real-world utterances, bench/realdata (one training)"
$BIN/python bench/nlu_realdata.py bench/results/nlu-real
echo "==> Held-out evaluation per language (one training)"
$BIN/python bench/nlu_by_language.py bench/results/nlu
echo "==> Challenge sets written apart from the training data (one training)"
$BIN/python bench/nlu_challenge.py bench/results/nlu-challenge
echo "==> The challenge sets with one typo per message (the model above)"
$BIN/python bench/nlu_typos.py bench/results/nlu-typos --model bench/results/nlu-challenge/model/all.tar.gz
echo "==> rasa test nlu --cross-validation --folds 5 (five trainings)"
$BIN/rasa test nlu --nlu data/nlu --config config.yml --cross-validation --folds 5 \
  --out bench/results/nlu-cv --no-plot
echo "Intent summary:"; $BIN/python -c "
import json; r = json.load(open('bench/results/nlu-cv/intent_report.json'))
print({k: round(v, 4) if isinstance(v, float) else v for k, v in r['weighted avg'].items()}, 'accuracy', r.get('accuracy'))"
