# Shortcuts for the commands in README.md; each target runs exactly what the README shows.
.PHONY: venv demo serve test lint format migrations-check smoke ci up down load bench lock upgrade audit backup css first-visit

PY := .venv/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk

venv: .venv/installed
.venv/installed: requirements.txt requirements-dev.txt
	python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt
	touch $@

# The demo on SQLite: migrate, seed once (kept on later runs), serve on 127.0.0.1:8000.
demo: venv
	$(PY) manage.py migrate
	$(PY) manage.py seed_demo --schools 12 --tickets 2000 --if-empty
	$(PY) manage.py runserver 127.0.0.1:8000

test: venv
	DATABASE_URL=$(TEST_DATABASE_URL) .venv/bin/pytest -n auto

lint: venv
	.venv/bin/ruff check .

format: venv
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

smoke: venv
	bin/smoke

ci:
	bash .ci/run

up:
	docker-compose up -d --build

# A backup now, into the backup service's folder (the nightly one runs by itself).
backup:
	docker-compose run --rm backup sh /deploy/backup.sh

# The locks (requirements.txt for the image, requirements-dev.txt for development), with
# hashes, from requirements*.in: `lock` after editing an .in file, `upgrade` to move every
# package to its latest release that fits. Then `make audit`.
UV_COMPILE := .venv/bin/uv pip compile --python-version 3.11 --generate-hashes -q
lock: venv
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

upgrade: venv
	$(UV_COMPILE) --upgrade requirements.in -o requirements.txt
	$(UV_COMPILE) --upgrade requirements-dev.in -o requirements-dev.txt

audit: venv
	.venv/bin/pip-audit --vulnerability-service pypi --require-hashes --disable-pip -r requirements.txt -r requirements-dev.txt

down:
	docker-compose down

# Scripted load on 127.0.0.1: gunicorn, Celery, Redis and an SMTP sink against a throwaway
# PostgreSQL database (recreated), 50 users for 2 minutes; see README "Reliability".
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/helpdesk_load
load: venv
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) loadtest/run.py

# The performance benchmark (bench/): seeds helpdesk_bench (or BENCH_DATABASE_URL) with N
# tickets, serves it with gunicorn on 127.0.0.1 and writes bench/results/N<N>.md.
N ?= 100000
bench: venv
	$(PY) -m bench --tickets $(N)

# Bootstrap's stylesheet trimmed to the selectors the pages use, vendored as
# static/vendor/bootstrap/bootstrap.purged.min.css: PurgeCSS at the version pinned in
# tools/css/package-lock.json scans templates/, the apps' Python, static/js/ and
# crispy_bootstrap5's templates. Run after adding a Bootstrap class the pages never used.
CRISPY_TEMPLATES = $(shell $(PY) -c "import crispy_bootstrap5, pathlib; print(pathlib.Path(crispy_bootstrap5.__file__).parent / 'templates')")
css: venv
	cd tools/css && npm ci --no-audit --no-fund && node purge.mjs $(CRISPY_TEMPLATES)

# First visit on a slow school connection (bench/first_visit.py): the production static
# setup under gunicorn, each page in headless Chromium with CDP throttling; writes
# bench/results/first_visit.md.
first-visit: venv
	$(PY) -m bench.first_visit
