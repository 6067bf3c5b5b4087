# Two commands matter: `make demo` and `make test`. Both create the environment when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installe
HOME_DIR ?= var

.PHONY: demo test test-rapide outils-systeme ui docs bench lint lock clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 ou plus récent est requis")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	./scripts/installer_python.sh $(VENV)
	@touch $(STAMP)

# The PDFs are printed by Debian's Chromium: installed when missing.
demo: $(STAMP)
	@./scripts/outils_systeme.sh chromium
	$(BIN)/iae demo --home $(HOME_DIR)

# The browser and PDF tests need Debian's Chromium and poppler-utils: installed when missing.
outils-systeme:
	@./scripts/outils_systeme.sh

# One worker per core (pytest-xdist); tests/conftest.py keeps the files sharing a fixture together.
test: $(STAMP) outils-systeme
	$(BIN)/python -m pytest --numprocesses=auto

# The daily loop: everything but the national chain runs, packs and browser (README: its time).
test-rapide: $(STAMP)
	$(BIN)/python -m pytest --numprocesses=auto -m "not lent and not navigateur"

ui: $(STAMP)
	$(BIN)/iae ui --home $(HOME_DIR)

# The pages of docs/ generated from the contracts and the catalog (a test fails when they are stale).
docs: $(STAMP)
	$(BIN)/python -m pipelines.documentation.generate

bench: $(STAMP)
	@./scripts/outils_systeme.sh chromium
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lock:
	$(BIN)/pip-compile --extra dev --strip-extras --no-header --allow-unsafe -q -o requirements.lock pyproject.toml

clean:
	rm -rf $(HOME_DIR)
