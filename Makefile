# Turnaround: every target sets up .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve site check test test-fast bench cards schemas linkcheck-external browser-deps clean

help:
	@echo "make serve   live preview on http://127.0.0.1:8000"
	@echo "make test    set up and run every test, browser tests included"
	@echo "make site    strict build into site/"
	@echo "make check   validate stories, steps and sources"
	@echo "make bench   build-time and size benchmark"

# Set up the virtual environment once, again whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

check: $(STAMP)
	$(BIN)/turnaround check

cards: $(STAMP)
	$(BIN)/turnaround cards --out site/cards

schemas: $(STAMP)
	$(BIN)/turnaround schemas --out schemas

# Browser tests need Debian's Chromium; install it when it is missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  echo "Installing chromium, zbar-tools, poppler-utils and nginx from Debian"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium zbar-tools poppler-utils nginx >/dev/null; }

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

bench: $(STAMP)
	$(BIN)/python -m turnaround.bench

# Opt-in, never part of `make test`: list the content's external links and request each one.
linkcheck-external: site
	$(BIN)/turnaround links site --external --fetch

clean:
	rm -rf site .pytest_cache test-artifacts
