# Two commands do all the set-up on a fresh machine (Python >= 3.11):
#   make run    install into .venv, then start the bot (console chat when no token is set)
#   make test   install into .venv, then run linters, type checks and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check install bench bench-load eval catalogs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d locales -D messages >/dev/null

run: install
	$(BIN)/python run_bot.py

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

check: install
	$(BIN)/python run_bot.py check --strict

eval: install
	$(BIN)/python benchmarks/evaluate.py

bench: install
	$(BIN)/python benchmarks/bench_matching.py

# Reading, checking and indexing synthetic knowledge bases of 1,000 and 10,000 entries.
bench-load: install
	$(BIN)/python benchmarks/bench_loading.py

# After changing user-facing text in bot/: refresh the template and the three catalogs.
catalogs: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _tr:3 --no-location --sort-output \
		--project hello-shenyang -o locales/messages.pot .
	# No fuzzy matching: a guessed translation of a similar message is compiled (--use-fuzzy) and
	# shown to users with the wrong placeholders.
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --ignore-obsolete \
		--no-fuzzy-matching
