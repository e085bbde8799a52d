# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV := DJANGO_DEBUG=1

.PHONY: run test install install-dev lint format bench loadtest loadtest-live

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The project is installed in editable mode, so only a change of pyproject.toml (dependencies,
# entry points) needs a new install; a stamp file remembers the last one.
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

install-dev: $(VENV)/.installed-dev
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

## Set up and start the site on SQLite with the DockerCon 2017 data loaded.
run: install
	$(DEV) $(BIN)/python manage.py migrate --no-input
	$(DEV) $(BIN)/python manage.py loaddata dockercon-2017
	$(DEV) $(BIN)/python manage.py ensure_admin
	@echo "Serving http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/)"
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Run the whole test suite, then the linters.
test: install-dev
	bash scripts/test.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Benchmarks on a generated catalog (TALKS talks, a separate database in var/).
TALKS ?= 10000
bench: install
	$(BIN)/python benchmarks/run.py --talks $(TALKS)

## Load benchmark: gunicorn with production settings driven by wrk, cold and warm, on a catalog of
## CONFERENCES x TALKS talks (here TALKS counts per conference; set it on the command line).
CONFERENCES ?= 100
WORKERS ?= 2
CONNECTIONS ?= 16
DURATION ?= 5
loadtest: TALKS = 200
loadtest: install
	$(BIN)/python benchmarks/loadtest.py --conferences $(CONFERENCES) --talks $(TALKS) \
		--workers $(WORKERS) --connections $(CONNECTIONS) --duration $(DURATION)
	$(BIN)/python benchmarks/live_load.py --workers $(WORKERS) --connections $(CONNECTIONS)

## The live run alone: random URLs over 20 conferences of 100 talks, quiet, while an editor and
## an import change the catalog, and with Redis frozen (benchmarks/live_load.py).
loadtest-live: install
	$(BIN)/python benchmarks/live_load.py --workers $(WORKERS) --connections $(CONNECTIONS)
