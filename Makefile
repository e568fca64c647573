# Two commands on a fresh machine: `make run` and `make test`. Both set themselves up.
# The first interpreter that really runs and is 3.11+ (a pyenv shim may exist yet fail).
PY ?= $(shell for c in python3 python3.13 python3.12 python3.11; do \
	$$c -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$c; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint check setup clean demo

$(STAMP): pyproject.toml
	@test -n "$(PY)" || { echo "Python 3.11 or newer is needed"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/intake db upgrade
	$(BIN)/intake caseworker seed-demo --url http://$(HOST):$(PORT)
	$(BIN)/intake serve --host $(HOST) --port $(PORT)

# A year of made-up people for the Reports page and the export; then `make run`.
demo: $(STAMP)
	$(BIN)/intake db upgrade
	$(BIN)/intake demo seed

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .intake intake.db intake.db-wal intake.db-shm
