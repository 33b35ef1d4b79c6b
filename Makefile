# cocomm: `make run` serves the demo locally; `make test` runs every test.
# Both install what they need on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cocomm
CELERY_TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
# pytest-xdist worker processes for `make test`. Two suit the 2-CPU machines CI and developers have:
# PostgreSQL, the Celery workers and Chromium take the rest. Each worker uses its own copy of the
# test database and its own Redis database (15, 14, ... below CELERY_TEST_BROKER_URL's number).
TEST_WORKERS ?= 2

.PHONY: run test lint typecheck deps dev-deps static-deps system-deps check-services clean benchmark

# ---- running the app (SQLite, no broker: tasks run in-process) --------------------------------
# The settings fail closed, so a local run says DEBUG=true; its secret key is generated once into
# var/secret_key by the settings themselves (unless SECRET_KEY is set).
LOCAL := env -u DATABASE_URL -u CELERY_BROKER_URL DEBUG=true
run: deps static-deps
	@mkdir -p var
	$(LOCAL) $(PY) manage.py migrate --noinput
	$(LOCAL) $(PY) manage.py load_demo
	@echo ""
	@echo "cocomm is starting at http://127.0.0.1:8000 (log in with a demo login above; Ctrl-C stops it)"
	$(LOCAL) $(PY) manage.py runserver 127.0.0.1:8000

# ---- testing (PostgreSQL, Redis, Chromium) ------------------------------------------------------
# tests/settings.py sets DEBUG and a test-only SECRET_KEY for the suite, the worker processes it
# starts and mypy's view of the settings; nothing here depends on the caller's environment for them.
test: dev-deps static-deps system-deps check-services lint typecheck
	DATABASE_URL=$(DATABASE_URL) CELERY_TEST_BROKER_URL=$(CELERY_TEST_BROKER_URL) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: dev-deps
	$(VENV)/bin/mypy

# ---- installing ---------------------------------------------------------------------------------
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $(VENV)/.deps $@

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed to install the NHS.UK frontend (apt-get install npm)"; exit 1; }
	npm ci --silent --no-audit --no-fund
	@touch $@

static-deps: node_modules/.installed

# System packages the tests need: Chromium (browser journeys), poppler (reading PDFs back),
# HarfBuzz subsetting (WeasyPrint's font path), Redis (Celery broker) when it is not running.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "Install these packages first (as root):$$missing"; exit 1; fi; \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

check-services: dev-deps
	DATABASE_URL=$(DATABASE_URL) CELERY_TEST_BROKER_URL=$(CELERY_TEST_BROKER_URL) $(PY) tests/check_services.py

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache .hypothesis

# ---- benchmark at national scale (PostgreSQL; builds its data once in BENCHMARK_DATABASE_URL) ----
BENCHMARK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cocomm_benchmark
# The 200,000-row register for the export benchmark lives in a scratch database of its own.
EXPORT_BENCHMARK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cocomm_benchmark_export
benchmark: dev-deps static-deps
	@psql "$(BENCHMARK_DATABASE_URL:/cocomm_benchmark=/postgres)" -qc "CREATE DATABASE cocomm_benchmark" 2>/dev/null || true
	@psql "$(EXPORT_BENCHMARK_DATABASE_URL:/cocomm_benchmark_export=/postgres)" -qc "CREATE DATABASE cocomm_benchmark_export" 2>/dev/null || true
	DEBUG=true DATABASE_URL=$(BENCHMARK_DATABASE_URL) $(PY) -m tests.benchmarks.national_scale
	DEBUG=true DATABASE_URL=$(BENCHMARK_DATABASE_URL) $(PY) -m tests.benchmarks.assurance_pack
	DEBUG=false SECRET_KEY=benchmark-only ALLOWED_HOSTS=testserver DATABASE_URL=$(EXPORT_BENCHMARK_DATABASE_URL) $(PY) -m tests.benchmarks.register_export
