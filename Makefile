# Two commands: `make run` (set up, load the sample reports, serve the dashboard) and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: setup chromium postgres sample run test bench screenshot gazetteer assets clean

$(VENV)/.installed: requirements.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

setup: $(VENV)/.installed chromium

chromium:
	@scripts/ensure_chromium.sh

postgres:
	@scripts/ensure_postgres.sh

sample: $(VENV)/.installed
	$(PY) -m geo ingest data/reports/

run: setup sample
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

test: setup postgres
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/extraction.py
	$(PY) bench/accuracy.py
	$(PY) bench/dashboard.py

screenshot: setup sample
	$(PY) scripts/screenshot.py docs/dashboard.png

gazetteer:
	$(PY) -m pip install --quiet -r requirements-build.txt
	$(PY) scripts/build_gazetteer.py

assets:
	$(PY) scripts/fetch_assets.py

clean:
	rm -rf $(VENV) .pytest_cache .cache data/control.sqlite
