# medoffice: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := medoffice.config.settings
# Two test workers (pytest-xdist): the suite is CPU-bound and these machines have two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint typecheck pytest install system-test-deps clean demo bench

$(STAMP): pyproject.toml requirements.lock
	@bash scripts/install-system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/medoffice migrate --no-input
	$(BIN)/medoffice demo --if-empty
	@bash scripts/serve.sh "$(HOST)" "$(PORT)"

demo: $(STAMP)
	$(BIN)/medoffice migrate --no-input
	$(BIN)/medoffice demo

# Benchmarks in databases of their own: SQLite, then PostgreSQL when DATABASE_URL is set.
# make bench BENCH_ARGS="--patients 1000000" SCHEDULING_BENCH_ARGS="--appointments 400000"
# BILLING_BENCH_ARGS="--payments 2000"
bench: $(STAMP)
	env -u DATABASE_URL $(BIN)/medoffice bench patients $(BENCH_ARGS)
	env -u DATABASE_URL $(BIN)/medoffice bench scheduling $(SCHEDULING_BENCH_ARGS)
	env -u DATABASE_URL $(BIN)/medoffice bench billing $(BILLING_BENCH_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		$(BIN)/medoffice bench patients $(BENCH_ARGS) && \
		$(BIN)/medoffice bench scheduling $(SCHEDULING_BENCH_ARGS) && \
		$(BIN)/medoffice bench billing $(BILLING_BENCH_ARGS); \
	fi

system-test-deps:
	@bash scripts/install-test-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/medoffice makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test: $(STAMP) system-test-deps lint typecheck pytest

clean:
	rm -rf $(VENV) var
