# Developer entry points. `make run` starts the local stack, `make test` runs the tests.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test lint bench clean distclean

venv: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[dev]'
	touch $(STAMP)

run: venv
	REDRESS_DATA_DIR=var $(BIN)/redress run

test: venv
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: venv
	$(BIN)/python -m bench
	$(BIN)/python -m bench.search

# Caches and build output; the local data (var/) and the virtualenv stay.
clean:
	rm -rf .pytest_cache .mypy_cache .ruff_cache build test-artifacts *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Everything generated, including the virtualenv and the local data in var/.
distclean: clean
	rm -rf $(VENV) var
