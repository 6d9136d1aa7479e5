# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker scheduler test lint venv clean messages

run: $(VENV)/.runtime messages
	$(BIN)/python manage.py signing_key create --if-missing
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_account --url http://$(HOST):$(PORT)/
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production service (see README, Deployment): Gunicorn, after checks and migrations.
serve: $(VENV)/.runtime messages
	$(BIN)/python -m corroborate.serve

# A task queue worker (needs CELERY_BROKER_URL); start as many as the work needs, on any
# machine that reaches the broker, the database and the evidence storage.
worker: $(VENV)/.runtime
	@test -n "$$CELERY_BROKER_URL" || { echo "make worker: set CELERY_BROKER_URL (redis://... or amqp://...); without a broker tasks run inside make run/serve."; exit 2; }
	$(BIN)/celery -A corroborate worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

# The periodic tasks (re-hashing evidence, removing expired dossiers): exactly one per site.
scheduler: $(VENV)/.runtime
	@test -n "$$CELERY_BROKER_URL" || { echo "make scheduler: set CELERY_BROKER_URL (redis://... or amqp://...)."; exit 2; }
	$(BIN)/celery -A corroborate beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-celerybeat-schedule}

test: $(VENV)/.dev messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

venv: $(VENV)/.runtime

# The interface's translations (locale/*/LC_MESSAGES/django.po) compiled for Django. GNU
# gettext's msgfmt where installed (Debian: apt install gettext); else Babel's compiler, so
# that a fresh machine needs nothing more.
messages: $(VENV)/.runtime
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else \
		$(BIN)/python -m corroborate.compile_messages; \
	fi

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Corroborate needs Python 3.11 or newer (found $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
		echo "Could not create a virtualenv. On Debian/Ubuntu: sudo apt install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
