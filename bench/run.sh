#!/usr/bin/env bash
# All benchmarks; results in bench/results/*.json, summary in docs/benchmarks.md (by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(date -u +%F)"
echo "==> Import: 100,000 order lines"
.venv/bin/python bench/import_bench.py bench/results/import.json
echo "==> Chat latency and training time (Klantreis and plain rasa init)"
.venv/bin/python bench/latency_bench.py bench/results/latency.json
echo "==> The NLG call per domain response (action server /nlg)"
PYTHONPATH=. .venv/bin/python bench/nlg_bench.py bench/results/nlg.json
echo "==> Customer message to 20 open agent consoles"
PYTHONPATH=. .venv/bin/python bench/console_latency.py bench/results/console.json
echo "==> Search answers on the demo catalogue and one twenty times its size"
PYTHONPATH=. .venv/bin/python bench/search_bench.py bench/results/search.json
echo "==> Product conversations: 69 written conversations per language over REST (latest model)"
PYTHONPATH=. .venv/bin/python bench/product_conversations/run.py bench/results/product_conversations.json
