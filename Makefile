# Xanh: `make serve` brings the site up with its real content; `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: serve test lint bench translations migrate load install clean

$(BIN)/.installed: pyproject.toml
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

test: translations  ## Run the whole test suite (starts headless Chromium itself)
	$(BIN)/ruff check app tests bench migrations wsgi.py
	$(BIN)/pytest -q

bench: load  ## One table of every tracked figure: throughput and load against hello world, transfer sizes, search against SQLite FTS5
	$(BIN)/python bench/all.py

clean:  ## Remove the virtual environment and the local database
	rm -rf $(VENV) instance
