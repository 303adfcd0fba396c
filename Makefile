# The two commands of the README: `make run` and `make test`. Everything else is theirs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1:8000

.PHONY: run test setup lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Fant ikke $(PYTHON). Installer Python 3.11."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/mestring migrate --noinput
	$(BIN)/mestring demo
	@echo ""
	@echo "Mestring kjører på http://$(HOST)/  (stopp med Ctrl+C)"
	@echo "MERK: demobrukere logger inn uten andre faktor (MESTRING_DEMO_2FA_BYPASS=1, kun for demo)."
	MESTRING_DEMO_2FA_BYPASS=1 $(BIN)/mestring runserver --noreload $(HOST)

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

test: lint
	DATABASE_URL=sqlite:///:memory: $(BIN)/mestring makemigrations --check --dry-run
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var test-results
