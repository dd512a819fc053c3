# The portal's two commands: `make run` serves it, `make test` proves it.
PORT ?= 5000
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PORT
export PORTAL_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test install assets lint requirements chromium

run: install assets
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi demo load
	@# The job consumer (allocation runs, hourly release of unconfirmed performances) runs beside the web server
	@# and stops with it.
	$(BIN)/huey_consumer portal.jobs.huey --workers 1 --quiet & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers 2 --threads 4 --bind 127.0.0.1:$(PORT) wsgi:app

# Unit and integration tests run in parallel (pytest-xdist), a file at a time per worker, each worker on databases of
# its own (tests/conftest.py); `make test TEST_WORKERS=0` runs them in one process. The browser tests run after them,
# in one process unless BROWSER_WORKERS says more (at most 6; each worker starts its own live servers). Both list
# their slowest tests, so the time CI takes can be read off its log.
TEST_WORKERS ?= auto
BROWSER_WORKERS ?= 0

test: install assets chromium lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15 tests/unit tests/integration
	$(BIN)/python -m pytest -n $(BROWSER_WORKERS) --dist loadfile --durations=25 tests/browser

install: $(STAMP)

# requirements-dev.txt holds every package, the portal's own included, pinned with hashes (see `requirements`).
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# After changing requirements.in or requirements-dev.in: pin everything they pull in, with hashes.
requirements: install
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements-dev.txt requirements-dev.in

assets: node_modules/.package-lock.json static/build/portal.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/portal.css: node_modules/.package-lock.json static/scss/portal.scss
	npm run --silent build

# Browser tests drive Debian's Chromium; a new machine does not have it.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

# The same checks run before each commit once `pre-commit install` has been run (.pre-commit-config.yaml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
