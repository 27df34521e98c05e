# Two commands on a fresh machine: `make report` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
LABSTAMP := $(VENV)/.installed-lab
CHROMIUM ?= /usr/bin/chromium
REPORT ?= report.html

.PHONY: report test check bench lint lab install install-test chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(TESTSTAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(LABSTAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[lab]'
	touch $@

install: $(STAMP)

install-test: $(TESTSTAMP)

# Debian's chromium for the browser tests (never a browser download of playwright's own).
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "installing Debian's chromium"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# The sample's HTML report (self-contained, opens offline); prints the file's path.
report: $(STAMP)
	$(VENV)/bin/outreach-analytics report -o $(REPORT)

# JupyterLab on notebooks/ with this environment's kernel; prints the URL to open.
lab: $(LABSTAMP)
	$(PY) -m outreach_analytics.lab notebooks

# The whole suite, as CI runs it (.ci/run).
test: $(TESTSTAMP) chromium
	$(VENV)/bin/ruff check --quiet outreach_analytics tests benchmarks conftest.py
	$(PY) -m pytest

# The quick loop while editing: ruff and every test but the browser, notebook and slow ones
# (markers assigned in conftest.py): 1,300 tests in about 75 s on 2 cores. `make test` runs all.
check: $(TESTSTAMP)
	$(VENV)/bin/ruff check --quiet outreach_analytics tests benchmarks conftest.py
	$(PY) -m pytest -m "not browser and not notebooks and not slow"

bench: $(TESTSTAMP)
	$(PY) benchmarks/bench_summary.py
	$(PY) benchmarks/bench_report.py
	$(PY) benchmarks/bench_gsheets.py
	$(PY) benchmarks/bench_stats.py
	$(PY) benchmarks/bench_survival.py

lint: $(TESTSTAMP)
	$(VENV)/bin/ruff check outreach_analytics tests benchmarks conftest.py
	$(VENV)/bin/ruff format --check outreach_analytics tests benchmarks conftest.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info
