# spreiding: two commands on a fresh machine, `make demo` and `make test`.
# Each creates .venv from requirements.lock when it is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PREFECT_HOME ?= $(CURDIR)/var/prefect
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1

.PHONY: demo test lint spec bench graphviz clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Graphviz's `dot` draws the SVG/PNG lifecycle diagrams; install it when we can (root on Debian).
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq graphviz >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq graphviz >/dev/null 2>&1)) || \
	     echo "graphviz could not be installed: SVG/PNG diagrams unavailable, mermaid/md still work"; \
	  else echo "graphviz (dot) not found: SVG/PNG diagrams unavailable, mermaid/md still work"; fi; }

# The main job end to end on the embedded SQLite default (var/spreiding.db).
demo: $(STAMP) graphviz
	$(BIN)/spreiding init --demo
	$(BIN)/spreiding figures show --year 2023
	$(BIN)/spreiding figures show --year 2023 --by sector
	$(BIN)/spreiding case list --as bzk
	$(BIN)/spreiding case show 1 --as bzk
	$(BIN)/spreiding case verify --all
	$(BIN)/spreiding lifecycle check
	$(BIN)/spreiding lifecycle diagram --format md --case 2 --out var/lifecycle.md

test: $(STAMP) graphviz
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build var .pytest_cache .ruff_cache
