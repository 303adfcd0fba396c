# The two commands of the README: `make run` and `make test`. Everything else is theirs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST ?= 127.0.0.1:8000

.PHONY: run test test-fast test-engine attack checks check-migrations setup lint security loadtest bench clean

# Tests run in parallel on every core (pytest-xdist); the browser tests go to one worker
# together so that one Chromium serves them (`--dist loadgroup`).
PARALLEL ?= -n auto --dist loadgroup

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
	@echo "MERK: innbyggere logger inn hos utviklingsleverandøren (MESTRING_DEV_OIDC=1, kun for demo)."
	MESTRING_DEMO_2FA_BYPASS=1 MESTRING_DEV_OIDC=1 $(BIN)/mestring runserver --noreload $(HOST)

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/lint-imports

# Security checks. pip-audit asks PyPI's advisory data. The probe asks
# PyPI for Django's release with its "vulnerabilities" list: no answer, or a mirror without
# advisories (pip-audit would then skip every package and still say "no vulnerabilities"),
# means the database is unreachable: said plainly and skipped. When it answers, any finding
# fails the run. The deploy check runs with production-like values (fresh random key).
AUDIT_PROBE := import django, json, urllib.request as u; \
	url = f"https://pypi.org/pypi/django/{django.get_version()}/json"; \
	assert "vulnerabilities" in json.load(u.urlopen(url, timeout=10))
security: setup
	$(BIN)/bandit -q -r src --severity-level medium --confidence-level medium
	$(BIN)/ruff check --select S --ignore S101 src  # only the security rules (asserts allowed, as in pyproject)
	@if $(BIN)/python -c '$(AUDIT_PROBE)' >/dev/null 2>&1; then \
		echo "$(BIN)/pip-audit --skip-editable --progress-spinner off"; \
		$(BIN)/pip-audit --skip-editable --progress-spinner off; \
	else \
		echo "MERK: pip-audit hoppet over: sårbarhetsdatabasen (PyPI) kan ikke nås herfra."; \
	fi
	DATABASE_URL=sqlite:///:memory: MESTRING_ENV=production DEBUG=0 \
		SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		ALLOWED_HOSTS=mestring.kommune.example MESTRING_SYNTHETIC_IDS=0 MESTRING_DEV_OIDC=0 \
		MESTRING_DEMO_2FA_BYPASS=0 MESTRING_OIDC_ISSUER=https://idporten.example \
		$(BIN)/mestring check --deploy --fail-level WARNING

check-migrations: setup
	DATABASE_URL=sqlite:///:memory: $(BIN)/mestring makemigrations --check --dry-run

# What does not depend on the database: lint, the security checks, migrations in step.
checks: lint $(if $(SKIP_SECURITY),,security) check-migrations

# The whole suite on DATABASE_URL's engine (SQLite when unset), after `checks`;
# SKIP_CHECKS=1 leaves them out (.ci/run times them as a stage of their own),
# SKIP_SECURITY=1 only the security checks. PYTEST_ARGS are passed on to pytest.
test: setup $(if $(SKIP_CHECKS),,checks)
	$(BIN)/python -m pytest $(PARALLEL) $(PYTEST_ARGS)

# Only the tests whose answer may depend on the database engine: what .ci/run runs on
# its second engine (SQLite) after the whole suite has run on PostgreSQL.
test-engine: setup
	$(BIN)/python -m pytest $(PARALLEL) -m "not engine_independent" $(PYTEST_ARGS)

# The attack suite: the id-swap walk of every person URL and API operation for every role
# and another municipality, and one test per finding in docs/testing.md. Part of
# `make test` too; this runs it alone.
attack: setup
	$(BIN)/python -m pytest $(PARALLEL) -m attack $(PYTEST_ARGS)

# The developer's quick loop: SQLite, no browser, the quick property-test profile.
# ARGS narrows it, e.g. make test-fast ARGS=tests/plans or ARGS="-k coordinator".
test-fast: setup
	env -u DATABASE_URL HYPOTHESIS_PROFILE=dev $(BIN)/python -m pytest $(PARALLEL) \
		-m "not browser" $(ARGS)

# `mestring serve` on loopback with demo data, locust headless; fails only on failures.
LOADTEST_USERS ?= 20
LOADTEST_SECONDS ?= 60
loadtest: setup
	env -u DATABASE_URL $(BIN)/python loadtest/run.py --users $(LOADTEST_USERS) --seconds $(LOADTEST_SECONDS)

# The benchmark on its own database, DEBUG off: DATABASE_URL if set (use a
# PostgreSQL database made for it), else var/bench.sqlite3. BENCH_ARGS are passed on,
# e.g. BENCH_ARGS="--persons 20000 --json bench.json".
BENCH_DB ?= sqlite:///$(CURDIR)/var/bench.sqlite3
bench: setup
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DB)}" DEBUG=0 $(BIN)/mestring migrate --noinput -v0
	DATABASE_URL="$${DATABASE_URL:-$(BENCH_DB)}" DEBUG=0 $(BIN)/mestring bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var test-results
