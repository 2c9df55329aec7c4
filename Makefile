# Two commands set up a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: install, build the Guizhou demo warehouse, serve the cockpit on http://localhost:8501
demo: install
	$(BIN)/cockpit demo

## make test: install, run every test
test: install
	$(BIN)/python -m pytest -q

## make bench: benchmarks (not part of CI), figures as JSON lines
bench: install
	$(BIN)/python bench/build.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
