#!/usr/bin/env bash
# The whole test suite, as CI runs it. Assumes `make setup` ran (make test does that).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

step "Lint: ruff and mypy"
$BIN/ruff check bot actions connectors bench tests
$BIN/ruff format --check bot actions connectors bench tests
$BIN/mypy bot actions connectors

step "Rasa data validation (--fail-on-warnings)"
if ! out=$($BIN/rasa data validate --fail-on-warnings --data data/nlu data/rules data/stories \
    --domain domain.yml --config config.yml 2>&1); then
  echo "$out" >&2; echo "rasa data validate failed: fix the warnings above" >&2; exit 1
fi
echo "$out" | grep -E "rasa.validator" || true

step "Training (skipped when the model is up to date)"
$BIN/klantreis train

step "Browser for the web tests"
bash scripts/browser.sh

step "Tests (pytest: unit, PostgreSQL, actions, real Rasa + action server, conversations)"
# -p no:warnings: importing Rasa resets the warning filters, and its pinned dependencies
# (TensorFlow, pyparsing, typer, pkg_resources) then bury the result under import-time
# DeprecationWarnings that no code of ours can fix. Our code is held to ruff and mypy.
# Two workers (-n 2), a test module per worker at a time (--dist loadfile): most tests wait on
# real processes, so two cores run the suite in about half the time. Each worker's real
# processes listen on ports of their own (tests/helpers/stack.py).
$BIN/python -m pytest -q -rs -p no:warnings -n 2 --dist loadfile "$@"

printf '\n==> Test command finished in %ss\n' "$(( $(date +%s) - started ))"
