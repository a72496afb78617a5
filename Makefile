# Big I: the two commands a newcomer needs are `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
DEMO_PASSWORD ?= big-i-demo
# Tests never need a real key; the server path sets its own development key through DEBUG=1.
TEST_ENV := SECRET_KEY=test-only-not-secret DJANGO_SETTINGS_MODULE=config.settings

.PHONY: run test lint lock bench clean

# The virtualenv, installed from the lock files so every machine gets the versions CI tested.
$(BIN)/.base-installed: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/base.txt
	touch $@

$(BIN)/.dev-installed: requirements/dev.txt $(BIN)/.base-installed
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

run: $(BIN)/.base-installed
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo --if-empty --password "$(DEMO_PASSWORD)"
	@echo ""
	@echo "Big I is starting on http://127.0.0.1:8000  (stop it with Ctrl+C)"
	@echo "Demo logins (password: $(DEMO_PASSWORD)): admin, ppl, lead, su, chair"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: $(BIN)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/audit_dependencies.py

test: lint
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The scale benchmark (issue 10; not part of `make test`): creates its own PostgreSQL database
# (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bigi_bench), loads the scale
# dataset, runs gunicorn itself and prints the table the README shows. About 7 minutes.
bench: $(BIN)/.base-installed
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) tests/benchmarks/bench.py $(BENCH_ARGS)

# Regenerate the lock files after changing pyproject.toml.
lock: $(BIN)/.base-installed
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --no-header -q -o requirements/base.txt
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --extra dev --no-header -q -o requirements/dev.txt

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
