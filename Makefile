# Keuzehulp e-mail: `make run` serves the site, `make test` runs lint and tests.
# Both set everything up from a fresh clone; no environment variables needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate messages translations lint format clean engine-digest bench system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# A catalogue is compiled only when its .po changed: two test runs side by side (.ci/run) then
# never rewrite a .mo that the other is reading.
MO := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
messages: $(MO)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0 -l $*

# New or changed strings into the Dutch catalogue (English is the source language); then
# fill in the empty msgstr's and check the fuzzy ones. tests/test_translations.py checks.
translations: install
	$(BIN)/python manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=tests \
		--ignore=benchmarks --ignore=var --ignore=staticfiles

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput -v0

run: migrate messages
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .

# The Debian packages the tests need (Chromium, poppler, gettext, WeasyPrint's libraries,
# fonts): installed when missing and root, otherwise the exact command to run.
system-packages:
	scripts/system-packages

test: system-packages lint messages
	mkdir -p var
	$(BIN)/python manage.py check
	$(BIN)/pytest

# The same suite on PostgreSQL (127.0.0.1:5432, user postgres), where production runs: the
# queue, locks and indexes behave as they will there, and the browser journeys' jobs are
# run by a worker. Tests marked `standalone` make their own PostgreSQL database and
# processes (or build the image) whatever DATABASE_URL says, so they run once, in `make test`.
# Its files go to a media folder of its own, so it can run next to `make test` (.ci/run does).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/keuzehulp_ci
.PHONY: test-postgres
test-postgres: messages
	mkdir -p var
	DATABASE_URL=$(PG_TEST_URL) DJANGO_MEDIA_ROOT=$(CURDIR)/var/media-postgresql \
		$(BIN)/pytest -m "not standalone"

format: install
	$(BIN)/ruff format .

# After bumping ENGINE_VERSION in advisor/advice/table.py: record the digest of the rules it
# stands for (tests/advice/test_engine_version.py fails until then).
engine-digest: install
	$(BIN)/python manage.py record_engine_digest

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache

# Runs background jobs (PDF reports, mail) until Ctrl-C; run it next to `make run` when
# DATABASE_URL is PostgreSQL. With SQLite jobs run inside `make run` and it says so.
.PHONY: worker
worker: migrate
	$(BIN)/python manage.py worker

# Every benchmark in one run (benchmarks/README.md; docs/performance.md has the last figures).
# About eight minutes plus 500 PDF renders. Needs PostgreSQL and Redis on 127.0.0.1, like the
# tests, and wrk (Debian's package, installed like the tests' packages when missing); each
# script makes its own throwaway database and removes it.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $(BENCH_STAMP)

bench: system-packages $(BENCH_STAMP) messages
	SYSTEM_PACKAGES=wrk scripts/system-packages
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_locust.py
	$(BIN)/python benchmarks/bench_backoffice.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_worker_memory.py
	$(BIN)/python benchmarks/profile_step.py
