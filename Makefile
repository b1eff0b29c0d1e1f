# The two commands a newcomer needs: `make run` and `make test`. Everything else here
# is what they call. Nothing is downloaded at run time except from package registries.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BOOTSTRAP := .cache/bootstrap
UV := $(BOOTSTRAP)/bin/uv
UV_VERSION := 0.13.9
PY := $(VENV)/bin/python
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: help install run test lint messages clean stack

help:
	@echo "make run    install what is missing, migrate, load demo content, serve on http://127.0.0.1:8000"
	@echo "make test   install what is missing, start PostgreSQL and Elasticsearch, run the suite twice"
	@echo "make lint   ruff"
	@echo "make stack  production-like stack on loopback (gunicorn, PostgreSQL, Elasticsearch, Redis, RQ);"
	@echo "            ARGS='.venv/bin/python bench/load.py' runs a command in it, then stops it all"

install: $(VENV)/.installed $(MO_FILES)

$(UV):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or newer" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "$(PYTHON) is older than 3.11: install Python 3.11 or newer" >&2; exit 1; }
	@$(PYTHON) -m venv $(BOOTSTRAP) || { echo "python venv module missing: install python3-venv" >&2; exit 1; }
	@$(BOOTSTRAP)/bin/pip install -q --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	@portal/bin/require msgfmt gettext "gettext (to compile the message catalogues)"
	@msgfmt --check -o $@ $<

messages: install
	$(PY) manage.py makemessages --locale zh_Hans --locale en --ignore '.venv/*' --ignore '.cache/*' --ignore 'var/*' --no-obsolete
	$(PY) manage.py makemessages --domain djangojs --locale zh_Hans --locale en --ignore '.venv/*' --ignore '.cache/*' --ignore 'var/*' --no-obsolete

run: install
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py seed_demo
	@echo "Serving the portal on http://127.0.0.1:$${PORT:-8000} (web, worker, scheduler). Ctrl-C stops all three."
	@exec honcho start -f Procfile -p $${PORT:-8000}

test: install
	@bash tests/run.sh

stack: install
	@bash bench/stack.sh $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf .cache/services var/static
