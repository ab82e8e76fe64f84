# Riskboard. `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON := $(shell ./scripts/find-python)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Every transitive dependency, pinned; installs use it as a constraints file. Regenerate with `make lock`.
LOCK := requirements.lock

.PHONY: run test install install-dev lock migrate demo worker beat bench lint format migrations clean

run: install migrate demo ## Install, migrate, load the demo and serve it
	$(PY) manage.py runserver $(HOST)

test: install-dev ## Install the test tools and run lint + the whole suite
	./scripts/test $(ARGS)

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(LOCK) $(VENV)/bin/activate
	$(PY) -m pip install --quiet -c $(LOCK) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(LOCK) $(VENV)/.installed
	$(PY) -m pip install --quiet -c $(LOCK) -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Needs only the virtualenv and PyPI (not the lock it replaces): installs the pinned uv, then resolves
# requirements-dev.txt (which includes requirements.txt) for every platform and Python >= 3.12. Versions
# already in the lock are kept unless a requirement changed; `make lock LOCK_ARGS=--upgrade` moves all.
lock: $(VENV)/bin/activate ## Pin every transitive dependency into requirements.lock
	$(PY) -m pip install --quiet "$$(grep -E '^uv==' requirements-dev.txt)"
	$(VENV)/bin/uv pip compile requirements-dev.txt --universal --python-version 3.12 --quiet \
		--custom-compile-command "make lock" --output-file $(LOCK) $(LOCK_ARGS)

migrate: install
	$(PY) manage.py migrate --noinput

demo: install
	$(PY) manage.py seed_demo

worker: install ## A Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A riskboard worker --loglevel=info

beat: install ## The Celery beat scheduler (needs REDIS_URL)
	$(VENV)/bin/celery -A riskboard beat --loglevel=info

bench: install-dev ## Benchmarks (not part of `make test`)
	for bench in tests/bench/bench_*.py; do $(PY) $$bench || exit 1; done

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

migrations: install
	$(PY) manage.py makemigrations

clean:
	rm -rf $(VENV) staticfiles riskboard.sqlite3*
