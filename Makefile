# hoagiai: make run starts everything with demo data; make test runs every check.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: venv venv-run run test lint bench chaos soak help image image-smoke prometheus deploy-tools browser

help:
	@echo "make run    start the whole system (demo data on first start)"
	@echo "make test   lint and every test (needs RabbitMQ and PostgreSQL)"
	@echo "make bench  benchmarks; QUICK=1 for a short run"
	@echo "make chaos  chaos scenarios on a private broker and database, and 10,000 fuzz cases"
	@echo "make soak   a steady mixed load (SOAK_SECONDS, default 600); memory and errors"
	@echo "make run PROMETHEUS=1   also a local Prometheus on :9090 (targets, rules, alerts)"
	@echo "make prometheus         only the local Prometheus, for a system already running"
	@echo "make image  build the container image (docker, or podman/buildah); IMAGE=, BASE_IMAGE="
	@echo "make image-smoke        run the built image's gateway and check /health/live"

# One venv: `make run` installs only the runtime pins (requirements.txt); test, lint,
# bench and chaos add the development tools (requirements-dev.txt) on top of it.
PIP := $(PY) -m pip install -q --disable-pip-version-check

$(VENV)/.installed-run: requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) -r requirements.txt
	@touch $@

$(VENV)/.installed: $(VENV)/.installed-run requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	@touch $@

venv-run: $(VENV)/.installed-run

venv: $(VENV)/.installed

run: venv-run
	@bash scripts/ensure_broker.sh
	@mkdir -p var
	$(if $(PROMETHEUS),bash scripts/prometheus_local.sh with )$(PY) -m scripts.system

prometheus:
	bash scripts/prometheus_local.sh run

image:
	bash scripts/build_image.sh

image-smoke:
	bash scripts/image_smoke.sh

deploy-tools:
	@bash scripts/ensure_deploy_tools.sh

browser:
	@bash scripts/ensure_browser.sh

lint: venv
	$(VENV)/bin/ruff check services tests scripts bench

test: venv lint deploy-tools browser
	@bash scripts/ensure_broker.sh
	@bash scripts/ensure_test_services.sh
	$(PY) -m pytest --ignore=tests/chaos $(PYTEST_ARGS)

# The fuzz run's exit 5 means PYTEST_ARGS (e.g. -k cluster) selected none of its tests.
chaos: venv
	@bash scripts/ensure_broker.sh
	@bash scripts/ensure_test_services.sh
	$(PY) -m pytest tests/chaos -s $(PYTEST_ARGS)
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(PY) -m pytest tests/security/test_fuzz.py $(PYTEST_ARGS) || [ $$? -eq 5 ]

soak: venv
	@bash scripts/ensure_broker.sh
	@bash scripts/ensure_test_services.sh
	$(PY) -m scripts.soak --seconds $${SOAK_SECONDS:-600}

bench: venv
	@bash scripts/ensure_broker.sh
	@bash scripts/ensure_browser.sh
	@bash scripts/ensure_test_services.sh
	$(PY) -m bench $(if $(QUICK),--quick,)
