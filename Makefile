# Two commands do everything: `make run` (the demo portal) and `make test` (the suite).
# Both install what they need: Debian packages via apt-get when run as root, the Python
# packages into .venv pinned by requirements.lock.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

# WeasyPrint needs Pango and fonts: Liberation Sans stands in for Arial, and the PDF
# stylesheet falls back to Noto (most scripts), Noto CJK (Chinese, Japanese, Korean,
# fullwidth forms) and Noto Color Emoji, so no character prints as an empty box: about
# 145 MB installed, 91 MB of it CJK (fonts-droid-fallback, 7 MB, has no Korean). The
# tests read PDFs with pdftotext and drive Debian's Chromium.
RUN_DEBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-noto-core \
	fonts-noto-cjk fonts-noto-color-emoji
TEST_DEBS := $(RUN_DEBS) poppler-utils chromium

.PHONY: run test lint bench lock system-run system-test clean

run: system-run $(VENV)/.installed-run
	DEBUG=true REQUIRE_2FA=false $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Portal: http://$(HOST):$(PORT)/  (demo mode: SQLite, tasks in-process, email to this console)"
	DEBUG=true REQUIRE_2FA=false $(PY) manage.py runserver $(HOST):$(PORT)

test: system-test $(VENV)/.installed-test
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint

# Needs PostgreSQL and Redis on 127.0.0.1 (as for the tests); see bench/README.md.
bench: system-test $(VENV)/.installed-bench
	@./scripts/ensure-debs wrk
	$(PY) -m bench $(BENCH_ARGS)

# Regenerate the lock after changing pyproject.toml dependencies.
lock: $(VENV)/bin/python
	$(PIP) install -q -e '.[test,bench]'
	$(PIP) freeze --exclude-editable > requirements.lock

system-run:
	@./scripts/ensure-debs $(RUN_DEBS)

system-test:
	@./scripts/ensure-debs $(TEST_DEBS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV)/.installed-run: $(VENV)/bin/python pyproject.toml requirements.lock
	$(PIP) install -q -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/bin/python pyproject.toml requirements.lock
	$(PIP) install -q -c requirements.lock -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-bench: $(VENV)/.installed-test
	$(PIP) install -q -c requirements.lock -e '.[test,bench]'
	touch $@

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 .test-media .test-logs staticfiles
