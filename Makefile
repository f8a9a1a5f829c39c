# The two commands a newcomer needs: `make run` and `make test`. Each sets everything up first.
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run text test lint bench weights setup setup-dev

run: setup  ## set up, then start the assistant (voice mode; keyboard where there is no microphone)
	$(BIN)/twitch-guide voice

text: setup  ## set up, then start text mode (for screen readers and terminals)
	$(BIN)/twitch-guide text

test: setup-dev lint  ## set up, then run the linters and every test (no tests collected is a failure)
	@$(BIN)/pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: setup-dev  ## run every benchmark, then print one table of all figures
	$(BIN)/python -m bench

weights: setup  ## retrain the intent regression after changing the interaction model or language
	$(BIN)/python -m skill.train_intents

setup:
	@./scripts/setup.sh

setup-dev:  ## setup, and the second speech synthesiser the tests and benchmarks use (flite)
	@./scripts/setup.sh --dev
