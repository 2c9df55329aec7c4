# Two commands set up a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install browser-deps demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used) and need a
# CJK font to render Chinese. Installed when missing; needs root or sudo (CI runs as root).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "CJK"; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

## make demo: install, build the Guizhou demo warehouse, serve the cockpit on http://localhost:8501
demo: install
	$(BIN)/cockpit demo

## make test: install, run every test
test: install browser-deps
	$(BIN)/python -m pytest -q

## make bench: benchmarks (not part of CI), figures as JSON lines
bench: install browser-deps
	$(BIN)/python bench/build.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
