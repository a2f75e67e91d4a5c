# Everything the project needs is installed from here; nothing by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all generate check test lint bench corpus clean

all: generate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

env: $(STAMP)

## generate: regenerate every SDK listed in sdkgen.yaml into generated/
generate: $(STAMP)
	$(VENV)/bin/sdkgen generate

## check: fail when generated/ differs from what the specs produce
check: $(STAMP)
	$(VENV)/bin/sdkgen check

## test: every test (unit, golden, live loopback, CLI)
test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .sdkgen-cache
