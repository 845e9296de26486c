# Every target bootstraps .venv from PyPI on its own: `make demo` and `make test` work on a
# fresh clone. Pins chosen by measurement live in constraints.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
STAMP := $(VENV)/.installed
EXTRAS ?= web,test

.PHONY: venv demo test test-fast bench lint clean browser-deps

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/rashomon analyze data/demo --db demo.duckdb --json demo.json --html demo.html

# Chromium for the browser tests comes from Debian's package, never a Playwright download.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "WARNING: could not install chromium; browser tests will be skipped"; \
	  else echo "WARNING: chromium missing and not root; browser tests will be skipped"; fi; }

test: $(STAMP) browser-deps
	@$(PY) -m pytest -q -ra; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not spark and not browser"

bench: $(STAMP)
	$(PY) scripts/bench.py --out BENCHMARKS.md

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check rashomon tests || true

clean:
	rm -rf $(VENV) demo.duckdb demo.json demo.html .pytest_cache
