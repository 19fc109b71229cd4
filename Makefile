# Xanh: `make serve` brings the site up with its real content; `make test` runs every test.
# CPython 3.12, not 3.11: 3.11's garbage collector can run a weakref callback in the
# middle of storing an attribute and free the same memory twice, which crashed gunicorn
# workers (tests/test_crash_sweep.py). The machine image ships 3.12 through pyenv.
PYTHON ?= $(firstword $(sort $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12)) \
	$(wildcard /usr/local/bin/python3.12 /usr/bin/python3.12) $(shell command -v python3.12))
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: serve test test-fast lint bench screenshots fonts translations migrate load install clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Xanh needs CPython 3.12: put python3.12 on PATH or install it with pyenv"; exit 1; }
	@# A .venv made with another Python is made anew.
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed  ## Create .venv and install Xanh with its pinned dependencies

translations: install  ## Compile the message catalogs
	$(BIN)/flask --app wsgi translations compile

migrate: install  ## Bring the database schema up to date (Alembic migrations)
	$(BIN)/flask --app wsgi db upgrade

load: translations migrate  ## Load content/ into the database
	$(BIN)/flask --app wsgi content load

serve: load  ## Load content, then serve the site with gunicorn on PORT (default 8000)
	exec $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

test: translations  ## Run the whole test suite (starts headless Chromium and PostgreSQL itself)
	$(BIN)/ruff check app tests bench tools migrations wsgi.py
	$(BIN)/mypy
	$(BIN)/pytest -q

test-fast: translations  ## Everyday: the suite on SQLite only, without the browser and PostgreSQL
	$(BIN)/ruff check app tests bench tools migrations wsgi.py
	$(BIN)/mypy
	XANH_TESTS_FAST=1 $(BIN)/pytest -q -m "not browser"

bench: load  ## One table of every tracked figure: throughput and load against hello world, transfer sizes, Lighthouse, search against SQLite FTS5
	$(BIN)/python bench/all.py

screenshots: translations  ## Every page type in both languages at 390 px and 1280 px, into screenshots/
	$(BIN)/python bench/screenshots.py

fonts: install  ## Cut Be Vietnam Pro down to the characters the pages use, into static/fonts/
	$(BIN)/python tools/subset_fonts.py

clean:  ## Remove the virtual environment and the local database
	rm -rf $(VENV) instance
