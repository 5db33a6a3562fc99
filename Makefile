# Keuzehulp e-mail: `make run` serves the site, `make test` runs lint and tests.
# Both set everything up from a fresh clone; no environment variables needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate messages lint format clean system-packages

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

# The Debian packages the tests need (Chromium, poppler, gettext, WeasyPrint's libraries,
# fonts): installed when missing and root, otherwise the exact command to run.
system-packages:
	scripts/system-packages

test: system-packages lint messages
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
