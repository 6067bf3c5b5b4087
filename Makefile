# Two commands matter: `make demo` and `make test`. Both create the environment when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installe
HOME_DIR ?= var

.PHONY: demo test ui bench lint lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est requis")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/iae demo --home $(HOME_DIR)

test: $(STAMP)
	$(BIN)/python -m pytest

ui: $(STAMP)
	$(BIN)/iae ui --home $(HOME_DIR)

bench: $(STAMP)
	$(BIN)/python -m pipelines.bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock:
	$(BIN)/pip-compile --extra dev --strip-extras --no-header --allow-unsafe -q -o requirements.lock pyproject.toml

clean:
	rm -rf $(HOME_DIR)
