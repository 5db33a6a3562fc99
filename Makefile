# Keuzehulp e-mail: `make run` serves the site, `make test` runs lint and tests.
# Both set everything up from a fresh clone; no environment variables needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate messages lint format clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0

run: migrate messages
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .

test: lint messages
	mkdir -p var
	$(BIN)/python manage.py check
	$(BIN)/pytest

format: install
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# Sends the mail outbox (advice links, consultant notifications) every 5 seconds until
# Ctrl-C; run it next to `make run`. Mail waits in the database until it is sent.
.PHONY: worker
worker: migrate
	$(BIN)/python manage.py mail_worker

# Every benchmark in one run (benchmarks/README.md; docs/performance.md has the last figures).
# About eight minutes. Needs PostgreSQL and Redis on 127.0.0.1, like the tests, and wrk
# (apt-get install -y wrk); each script makes its own throwaway database and removes it.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) messages
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_locust.py
	$(BIN)/python benchmarks/bench_backoffice.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/profile_step.py
