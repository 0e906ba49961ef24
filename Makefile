# Klantreis: every task has a target; `make help` lists them.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export TF_CPP_MIN_LOG_LEVEL ?= 2
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.DEFAULT_GOAL := help
.PHONY: help setup run test lint validate train demo migrate shell bench nlu-eval fuzz lock clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

setup: ## create .venv and install the locked dependencies (idempotent)
	@bash scripts/setup.sh

run: setup ## start everything: demo shop page + widget, agent console, Rasa, action server
	@$(BIN)/klantreis run

test: setup ## everything CI runs: lint, data validation, training, all tests
	@bash scripts/test.sh

lint: setup ## ruff (lint + format check) and mypy
	@$(BIN)/ruff check bot actions connectors bench tests
	@$(BIN)/ruff format --check bot actions connectors bench tests
	@$(BIN)/mypy bot actions connectors

validate: setup ## rasa data validate --fail-on-warnings
	@$(BIN)/rasa data validate --fail-on-warnings --data data/nlu data/rules data/stories \
		--domain domain.yml --config config.yml

train: setup ## train the model when training data changed
	@$(BIN)/klantreis train

migrate: setup ## create or upgrade the database schema
	@$(BIN)/klantreis migrate

demo: migrate ## (re)load the demo shop
	@$(BIN)/klantreis demo

shell: setup ## chat in the terminal (needs a trained model: make train)
	@$(BIN)/klantreis shell

bench: setup ## benchmarks: import speed, chat latency, training time (writes bench/results/)
	@bash bench/run.sh

fuzz: setup ## 12,000 generated inputs at every endpoint of the real bot and Rasa's API (6-25 min; docs/robustness.md)
	@PYTHONPATH=. $(BIN)/python -m bench.fuzz

nlu-eval: setup ## NLU on public real data, held-out, challenge sets, 5-fold CV (slow), summary in docs/
	@bash scripts/nlu_eval.sh

lock: ## re-pin requirements.lock from the current .venv
	@(echo "# The whole dependency tree, pinned. Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -viE '^(klantreis|-e )' | sort -f) > requirements.lock

clean: ## remove runtime data, models and caches (keeps .venv)
	rm -rf runtime models results .pytest_cache .mypy_cache .ruff_cache
