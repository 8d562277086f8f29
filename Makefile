# spreiding: two commands on a fresh machine, `make demo` and `make test`.
# Each creates .venv from requirements.lock when it is missing; the lock pins the test tools
# (the `test` extra of pyproject.toml) too, so both build the same .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# PREFECT_HOME: the CLI defaults it to var/prefect, the tests to a temporary folder.
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1

.PHONY: demo test lint spec bench graphviz chromium clean

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

# Debian's Chromium runs the browser tests of the web pages (tests/pages, through Playwright,
# which never downloads a browser of its own here); install it when we can (root on Debian).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null 2>&1)) || \
	     echo "chromium could not be installed: the browser tests in tests/pages will fail under CI"; \
	  else echo "chromium not found: the browser tests in tests/pages are skipped (CI fails them)"; fi; }

# The main job end to end on the embedded SQLite default (var/spreiding.db). Safe to repeat.
demo: $(STAMP) graphviz
	$(BIN)/spreiding init --demo
	@echo "== Demo-accounts (wachtwoorden worden alleen nu getoond) =="
	$(BIN)/spreiding user demo
	$(BIN)/spreiding figures show --year 2023
	$(BIN)/spreiding figures show --year 2023 --by sector
	@echo "== Zaken (locatieadvies) =="
	$(BIN)/spreiding case list --as bzk
	$(BIN)/spreiding case show 1 --as bzk
	$(BIN)/spreiding case verify --all --as bzk
	$(BIN)/spreiding lifecycle check
	$(BIN)/spreiding lifecycle diagram --format md --case 2 --as bzk --out var/levensloop.md
	-$(BIN)/spreiding lifecycle diagram --format svg --case 2 --as bzk --out var/levensloop.svg
	@echo "== Jaarlijkse inventarisatie 2023 =="
	$(BIN)/spreiding inventory demo --year 2023
	$(BIN)/spreiding flows run annual-inventory --year 2023 --out var/reports/2023
	$(BIN)/spreiding inventory list --year 2023
	@echo "== Regionale kansen =="
	$(BIN)/spreiding opportunity demo --year 2024
	$(BIN)/spreiding flows run regional-opportunities-overview --year 2024 --out var/reports/kansen-2024
	@echo "== Projectie: nieuwe aanpak tegen trend =="
	$(BIN)/spreiding simulate nieuwe-aanpak trend --years 10 --replications 1000 --out var/projectie \
	    --target "buiten-randstad>=0.45@2033" --target "PV22>=+1500@2030"
	@echo
	@echo "Rapportage 2023:       var/reports/2023/report.html"
	@echo "Regionale kansen:      var/reports/kansen-2024/"
	@echo "Projectie (waaier):    var/projectie/waaier-buiten-randstad.png"
	@echo "Bijsluiter:            var/projectie/bijsluiter.html"
	@echo "Levensloop van zaak 2: var/levensloop.md (en .svg)"
	@echo "Webservice (JSON API): $(BIN)/spreiding web serve, dan http://127.0.0.1:8000/api/v1"
	@echo "                       inloggen met een demo-account hierboven (README: a curl session)"
	@echo "Webpagina's:           $(BIN)/spreiding web serve, open dan http://127.0.0.1:8000/ in de browser"
	@echo "                       en log in met bijvoorbeeld bzk@demo.spreiding.example of"
	@echo "                       fin@demo.spreiding.example en het wachtwoord dat hierboven staat"

test: $(STAMP) graphviz chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

# The living specification as a report for policy owners: build/spec/index.html.
SPEC := build/spec

spec: $(STAMP) graphviz
	@mkdir -p $(SPEC) && rm -f $(SPEC)/cucumber.json $(SPEC)/junit.xml $(SPEC)/coverage.json
	@status=0; \
	SPREIDING_SPEC_COVERAGE=$(SPEC)/coverage.json $(BIN)/python -m pytest tests -m spec \
	  --cucumberjson=$(SPEC)/cucumber.json --junitxml=$(SPEC)/junit.xml || status=$$?; \
	$(BIN)/python -m spreiding.spec.report --features features \
	  --cucumber $(SPEC)/cucumber.json --junit $(SPEC)/junit.xml \
	  --coverage $(SPEC)/coverage.json --out $(SPEC)/index.html || exit $$?; \
	echo "Specification report: $(SPEC)/index.html"; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	$(BIN)/python bench/bench_cases.py
	$(BIN)/python bench/bench_inventory.py
	$(BIN)/python bench/bench_simulation.py --runs 5

clean:
	rm -rf $(VENV) build var .pytest_cache .ruff_cache
