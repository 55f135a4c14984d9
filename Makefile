# Protection Desk — two commands:
#   make run    set up everything and serve the demo desk on http://127.0.0.1:8000
#   make test   install what the tests need and run the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
PD := $(VENV)/bin/protectdesk
# Two workers on the 2-core CI machine (pytest-xdist); each gets its own data dir and test DB.
PYTEST_ARGS ?= -n auto
export PROTECTDESK_DATA_DIR ?= $(CURDIR)/var
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)

.PHONY: help run test install install-dev system-deps e2e-deps lint format messages bench bench-m security

help:
	@echo "make run    - set up and serve the demo desk on http://127.0.0.1:8000"
	@echo "make test   - install test dependencies and run the whole suite"
	@echo "make lint   - ruff and mypy"
	@echo "make security - sqlmap and wapiti against the demo desk on 127.0.0.1 (about an hour)"
	@echo "make bench  - quick benchmarks (tier S); make bench-m for tier M, PostgreSQL and load"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Protection Desk needs Python 3.11 or newer (found " + sys.version.split()[0] + "). Set PYTHON=/path/to/python3.11.")'
	$(PYTHON) -m venv $(VENV)

$(UV): $(VENV)/bin/python
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

install: $(UV)
	$(UV) sync --frozen --inexact --no-dev --quiet

install-dev: $(UV)
	$(UV) sync --frozen --inexact --quiet

run: install
	$(PD) migrate --noinput
	$(PD) demo --if-empty
	@echo
	@echo "  Protection Desk is starting on  http://127.0.0.1:8000/"
	@echo "  Sign in with one of the demo accounts above (password: protect-demo-2026)."
	@echo "  Data directory: $(PROTECTDESK_DATA_DIR)   Stop with Ctrl+C."
	@echo
	$(PD) serve

system-deps:
	@bash scripts/system-deps.sh

e2e-deps: system-deps
	@bash scripts/e2e-deps.sh

test: install-dev e2e-deps
	@set +e; $(VENV)/bin/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure, not a pass." >&2; exit 1; fi; \
	exit $$rc

lint: install-dev
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff format src tests bench
	$(VENV)/bin/ruff check --fix src tests bench

messages: install-dev
	cd src/protectdesk && ../../$(PD) makemessages --no-obsolete --no-location -l en -l es -l fr -l pt && ../../$(PD) compilemessages

# A quick run: the micro-benchmarks, then tier S (1,000 incidents) generated and measured on
# SQLite. `make bench-m` is the full run: tiers S and M on SQLite and PostgreSQL and the load
# test (about an hour on 2 cores; results in bench/results/M.md).
export PROTECTDESK_BENCH_DIR ?= $(CURDIR)/var/bench
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres

bench: install-dev
	$(VENV)/bin/python -m bench
	$(PD) bench run --tier S --no-load

bench-m: install-dev
	$(PD) bench run --tier M --postgres $(BENCH_POSTGRES)

# sqlmap against every form and API operation, then wapiti over the site, signed in as the demo
# caseworker, on a fresh demo desk served on 127.0.0.1 (var/security); fails on any finding.
security: install-dev
	@bash scripts/security.sh
