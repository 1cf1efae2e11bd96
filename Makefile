# Developer entry points. `make run` starts the local stack, `make test` runs the tests.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test test-faults test-deps lint bench messages clean distclean

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $(STAMP)

# Each part its own process; the API with API_PROCESSES of them (default: REDRESS_API_PROCESSES,
# else 1), e.g. `make run API_PROCESSES=2`. Data and logs in REDRESS_DATA_DIR, else var/.
run: venv
	REDRESS_DATA_DIR="$${REDRESS_DATA_DIR:-var}" $(BIN)/redress run $(RUN_ARGS)

RUN_ARGS = $(if $(API_PROCESSES),--api-processes $(API_PROCESSES))

# The Debian packages first (a fresh machine may lack python3.11-venv), then the suite with
# a throwaway PostgreSQL cluster. REDRESS_TEST_TODAY=2026-12-24 runs it as if on that date.
test: test-deps venv
	scripts/test-env run $(BIN)/pytest -q $(PYTEST_ARGS)

# The stack as separate processes (Temporal on SQLite, worker, API, mail sink, PostgreSQL
# behind a TCP proxy), broken on purpose: killed, stopped, cut off (tests/faults, ~5 min).
test-faults: test-deps venv
	scripts/test-env run $(BIN)/pytest -q -m faults --durations=0 tests/faults $(PYTEST_ARGS)

test-deps:
	scripts/test-env install

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Every benchmark on the stack of separate processes, PostgreSQL included (about 35 min on
# 2 cores); BENCH_ARGS=--quick checks that they run, at small sizes. Then Lighthouse's
# performance figures for the public pages and a portal page (bench/lighthouse.py, about
# 4 min; --quick: one run), and the bytes each public page moves, compressed or not
# (bench/page_bytes.py, seconds).
bench: test-deps venv
	scripts/test-env run $(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.lighthouse $(if $(findstring --quick,$(BENCH_ARGS)),--runs 1)
	$(BIN)/python -m bench.page_bytes

# Page translations: extract the message ids, then update every catalog (Babel).
# Public pages and the portal: every language below (English is the source).
LOCALE := api/locale
PUBLIC_LANGUAGES := nl bn tr zh
PORTAL_LANGUAGES := nl bn tr zh
BABEL_EXTRACT = $(BIN)/pybabel extract -k _ -k N_ --no-location --sort-output -w 100
BABEL_UPDATE = $(BIN)/pybabel update --init-missing --ignore-obsolete --no-fuzzy-matching -w 100

messages: venv
	$(BABEL_EXTRACT) --project=Redress --version=1.0 --copyright-holder=Redress \
		-F babel.cfg -o $(LOCALE)/public.pot .
	$(BABEL_EXTRACT) --omit-header -F $(LOCALE)/portal.cfg -o $(LOCALE)/portal.pot .
	for lang in $(PUBLIC_LANGUAGES); do \
		$(BABEL_UPDATE) -i $(LOCALE)/public.pot -d $(LOCALE) -D public -l $$lang || exit 1; \
	done
	for lang in $(PORTAL_LANGUAGES); do \
		$(BABEL_UPDATE) -i $(LOCALE)/portal.pot -d $(LOCALE) -D portal -l $$lang || exit 1; \
	done

# Caches and build output; the local data (var/) and the virtualenv stay.
clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache build test-artifacts *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Everything generated, including the virtualenv and the local data in var/.
distclean: clean
	rm -rf $(VENV) var
