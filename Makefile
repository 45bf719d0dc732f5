# Satupintu — every target bootstraps .venv itself.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Test processes: one per core by default; each test module stays in one process.
TEST_WORKERS ?= auto
# The benchmark: its own PostgreSQL database (created and seeded if missing), the scale of
# the synthetic data (1 = a million citizens and cases), and options of `satupintu bench run`.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/satupintu_bench
BENCH_SCALE ?= 1
BENCH_ARGS ?=
# Browser journeys: Debian's Chromium, the database to serve them from (empty: SQLite), and
# extra pytest arguments (e.g. E2E_ARGS="-k phone").
CHROMIUM ?= /usr/bin/chromium
E2E_DATABASE_URL ?=
E2E_ARGS ?=
E2E_STAMP := $(VENV)/.installed-e2e

.PHONY: demo test lint format e2e messages bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed: install python3.11 or run 'make PYTHON=python3 …'"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

## demo: set up an embedded SQLite database with the example catalogue and demo people, and serve it
demo: $(STAMP)
	$(BIN)/satupintu demo

## test: run the whole suite (SQLite by default; PostgreSQL when DATABASE_URL is set)
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## e2e: browser journeys in Chromium against the real server; screenshots in var/screenshots/
e2e: $(E2E_STAMP) $(CHROMIUM)
	CHROMIUM=$(CHROMIUM) E2E_DATABASE_URL=$(E2E_DATABASE_URL) $(BIN)/python -m pytest \
		-p no:django -p no:cacheprovider -W ignore::pytest.PytestConfigWarning \
		-m e2e e2e $(E2E_ARGS)

$(E2E_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,e2e]"
	@touch $(E2E_STAMP)

# Chromium from Debian's packages (Playwright's own browser downloads are not used).
/usr/bin/chromium:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get install -y -qq chromium >/dev/null || \
	{ $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## lint: ruff, and a check that models and migrations agree
lint: $(STAMP)
	$(BIN)/ruff check src tests e2e
	$(BIN)/ruff format --check src tests e2e
	$(BIN)/satupintu manage makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff check --fix src tests e2e
	$(BIN)/ruff format src tests e2e

## messages: update the translation catalogues and compile them
messages: $(STAMP)
	cd src/satupintu && ../../$(BIN)/satupintu manage makemessages -l id -l en --no-obsolete
	cd src/satupintu && ../../$(BIN)/satupintu manage compilemessages

## bench: seed the benchmark database (once), serve it with gunicorn, load it; report in bench/results/
bench: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/satupintu bench seed --scale $(BENCH_SCALE)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/satupintu bench run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
