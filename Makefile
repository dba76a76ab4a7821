# hoagiai: make run starts everything with demo data; make test runs every check.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test lint unit bench clean-var help

help:
	@echo "make run    start the whole system (demo data on first start)"
	@echo "make test   lint and every test (needs RabbitMQ and PostgreSQL)"
	@echo "make bench  benchmarks; QUICK=1 for a short run"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

run: venv
	@bash scripts/ensure_broker.sh
	@mkdir -p var
	$(PY) -m scripts.system

lint: venv
	$(VENV)/bin/ruff check services tests scripts bench

test: venv lint
	@bash scripts/ensure_broker.sh
	@bash scripts/ensure_test_services.sh
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv
	@bash scripts/ensure_broker.sh
	$(PY) -m bench $(if $(QUICK),--quick,)
