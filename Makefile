# Turnaround: every target sets up .venv/ on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: help serve site check lint test test-fast bench cards schemas linkcheck-external system-deps browser-deps clean

# The Debian packages the project needs, each named once, grouped by what needs them.
# Every target sets up .venv/: Debian's python3 lacks the venv module (ensurepip) without python3-venv.
PYTHON_DEBS := $(if $(shell $(PYTHON) -c 'import ensurepip' 2>/dev/null && echo ok),,python3-venv)
# The tests: Debian's Chromium for Playwright, zbarimg and poppler to read the PDFs back, nginx as the deployed server.
TEST_DEBS := chromium zbar-tools poppler-utils nginx

# What each target needs; system-deps installs the packages of the target make was asked for.
DEBS := $(PYTHON_DEBS)
test test-fast browser-deps: DEBS := $(PYTHON_DEBS) $(TEST_DEBS)

help:
	@echo "make serve   live preview on http://127.0.0.1:8000"
	@echo "make test    set up and run every test, browser tests included"
	@echo "make site    strict build into site/"
	@echo "make check   validate stories, steps and sources"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make bench   build-time and size benchmark (BENCH_ARGS=\"--stories 10 --rounds 1\" for a quick run)"

# Install the missing ones only (dpkg-query), with one apt-get update; sudo when not root.
system-deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Set up the virtual environment once, again whenever pyproject.toml changes.
$(STAMP): pyproject.toml | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: system-deps $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: system-deps $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir site

check: system-deps $(STAMP)
	$(BIN)/turnaround check

cards: system-deps $(STAMP)
	$(BIN)/turnaround cards --out site/cards

schemas: system-deps $(STAMP)
	$(BIN)/turnaround schemas --out schemas

# Every package a test needs (CI calls it before it sets up .venv/ itself).
browser-deps: system-deps

# One linter and formatter (ruff, configured in pyproject.toml); `make test` runs it before the tests.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: system-deps $(STAMP) lint
	$(BIN)/python -m pytest

test-fast: system-deps $(STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

bench: system-deps $(STAMP)
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# Opt-in, never part of `make test`: list the content's external links and request each one.
linkcheck-external: site
	$(BIN)/turnaround links site --external --fetch

clean:
	rm -rf site .pytest_cache test-artifacts
