# Two commands: `make run` (set up everything and start) and `make test` (set up and run the suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
APPS := core estates members touchpoints complaints surveys lookup onboarding owners vanke_crm
LANGS := zh_Hans en

.PHONY: run test setup venv deps migrate messages compilemessages seed serve worker clean bench load backup restore

run: setup seed
	$(BIN)/honcho start -f Procfile --port $(PORT)

# Two test processes by default (each with its own database, broker folder and queue); PYTEST_ARGS= for one.
PYTEST_ARGS ?= -n 2

test: deps compilemessages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: deps compilemessages migrate

venv: $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

deps: $(VENV)/.deps-installed

$(VENV)/.deps-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

migrate:
	$(BIN)/python manage.py migrate --noinput

compilemessages: deps
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) -v 0

# For developers: refresh the catalogues after adding strings, then translate the new entries.
messages: deps
	for app in $(APPS); do mkdir -p $$app/locale; (cd $$app && ../$(BIN)/django-admin makemessages $(addprefix -l ,$(LANGS)) --no-obsolete --no-location -v 0); done
	$(BIN)/django-admin makemessages $(addprefix -l ,$(LANGS)) --no-obsolete --no-location -v 0 \
		--ignore='$(VENV)/*' $(addprefix --ignore=,$(addsuffix /*,$(APPS))) --ignore='bench/*' --ignore='conftest.py'

seed:
	$(BIN)/python manage.py seed_demo

serve:
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker:
	$(BIN)/celery -A vanke_crm worker --beat --loglevel=INFO --concurrency=2

# The database (pg_dump custom format, or the SQLite file) and the media folder into var/backups/<time>/.
backup: deps
	$(BIN)/python manage.py backup

# `make restore` puts back the newest backup; `make restore BACKUP=var/backups/<time>` a given one.
restore: deps
	$(BIN)/python manage.py restore $(BACKUP)

bench: deps
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# 50 tablet users for 60 s against gunicorn on PostgreSQL (LOAD_DATABASE_URL, default vanke_crm_load).
load: deps
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
