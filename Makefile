# The two commands a newcomer needs: `make run` and `make test`. Everything else they need
# (a virtualenv, Python packages, Debian packages for the tests) is set up on the way.
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export FANFOLD_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-sqlite test-postgres lint format bench system-packages venv clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Fanfold needs Python 3.12 or newer (Django 6); none was found." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

# Serves a demo archive: the database under FANFOLD_DATA_DIR (SQLite unless DATABASE_URL says
# otherwise), demo content on the first start only, its logins shown on every start, and static
# files collected for whitenoise (DEBUG is off, as in production).
run: venv
	@mkdir -p "$(FANFOLD_DATA_DIR)"
	$(BIN)/fanfold migrate --no-input --verbosity 0
	$(BIN)/fanfold collectstatic --no-input --verbosity 0
	@$(BIN)/fanfold demo --if-empty
	@scripts/serve $(PORT)

system-packages:
	scripts/ensure-system-packages

test: venv system-packages lint
	$(BIN)/python scripts/run-tests

test-sqlite: venv system-packages
	$(BIN)/python scripts/run-tests --backend sqlite

test-postgres: venv system-packages
	$(BIN)/python scripts/run-tests --backend postgres

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	FANFOLD_TESTING=1 $(BIN)/mypy fanfold

# Benchmarks (bench/): every one, or one with BENCH=NAME; BENCH_ARGS=--quick for small sizes.
bench: venv system-packages
	$(BIN)/python -m bench $(BENCH) $(BENCH_ARGS)

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles
