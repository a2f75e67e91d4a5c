# Everything the project needs is installed from here; nothing by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The benchmark has a venv of its own: the reference SDK from PyPI (`friendli`) would
# shadow our generated `friendli` package in the main one.
BENCH_VENV := bench/.venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_STAMP := $(BENCH_VENV)/.installed
# The generation benchmark's peers (openapi-python-client, datamodel-code-generator), in a
# venv of their own too: they bring black and click, which would skew the runtime bench.
GEN_BENCH_VENV := bench/.venv-gen
GEN_BENCH_PY := $(GEN_BENCH_VENV)/bin/python
GEN_BENCH_STAMP := $(GEN_BENCH_VENV)/.installed

.PHONY: all generate check test lint bench bench-runtime bench-gen bench-diff corpus parity fuzz clean refsdk prism

# Reference SDKs from PyPI, in their own venv (their module names collide with ours);
# used by tests/test_wire_compat.py.
REFSDK := .tools/refsdk
# friendli 0.9.0 is the last release shipping the generated code as the `friendli_core`
# module that also installs beside atoma-sdk 0.1.3 (later ones need pydantic>=2.11.2,
# atoma-sdk 0.1.3 needs pydantic<2.11; 0.16.4+ need a certifi newer than PyPI has here).
FRIENDLI_REF_VERSION := 0.9.0
ATOMA_REF_VERSION := 0.1.3
# The stamp names the versions, so changing a pin reinstalls.
REFSDK_STAMP := $(REFSDK)/.installed-friendli-$(FRIENDLI_REF_VERSION)-atoma-$(ATOMA_REF_VERSION)
# Prism (OpenAPI mock server with request validation), used by tests/test_prism_contract.py.
PRISM := .tools/prism
PRISM_VERSION := 5.16.0
PRISM_STAMP := $(PRISM)/.installed-$(PRISM_VERSION)

all: generate

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

env: $(STAMP)

$(REFSDK_STAMP):
	rm -rf $(REFSDK)
	$(PYTHON) -m venv $(REFSDK)
	$(REFSDK)/bin/pip install --quiet --upgrade pip
	$(REFSDK)/bin/pip install --quiet friendli==$(FRIENDLI_REF_VERSION) atoma-sdk==$(ATOMA_REF_VERSION)
	touch $(REFSDK_STAMP)

refsdk: $(REFSDK_STAMP)

$(PRISM_STAMP):
	rm -rf $(PRISM)
	mkdir -p $(PRISM)
	npm install --silent --no-audit --no-fund --prefix $(PRISM) @stoplight/prism-cli@$(PRISM_VERSION)
	touch $(PRISM_STAMP)

prism: $(PRISM_STAMP)

## generate: regenerate every SDK listed in sdkgen.yaml into generated/
generate: $(STAMP)
	$(VENV)/bin/sdkgen generate

## check: fail when generated/ differs from what the specs produce
check: $(STAMP)
	$(VENV)/bin/sdkgen check

## test: every test (unit, golden, live loopback, CLI)
test: $(STAMP) $(REFSDK_STAMP) $(PRISM_STAMP)
	$(PY) -m pytest -q

## bench-runtime: runtime benchmark (ours vs raw httpx, openai, the reference SDK); not in test
$(BENCH_STAMP): pyproject.toml bench/extra.py
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install --quiet --upgrade pip
	$(BENCH_PY) -m pip install --quiet $$($(BENCH_PY) bench/extra.py bench)
	touch $(BENCH_STAMP)

## bench: both benchmarks, runtime then generation (about 10 minutes)
bench: bench-runtime bench-gen bench-diff

## bench-diff: `sdkgen diff` on two versions of the OpenAI spec vs a cold generate
bench-diff: $(STAMP)
	$(PY) bench/diff_bench.py

bench-runtime: $(BENCH_STAMP)
	$(BENCH_PY) bench/runtime_bench.py

## bench-gen: generation speed (ours cold/warm/check vs openapi-python-client and
## datamodel-code-generator on the OpenAI and Stripe specs, growth over the corpus)
$(GEN_BENCH_STAMP): pyproject.toml bench/extra.py
	$(PYTHON) -m venv $(GEN_BENCH_VENV)
	$(GEN_BENCH_PY) -m pip install --quiet --upgrade pip
	$(GEN_BENCH_PY) -m pip install --quiet $$($(GEN_BENCH_PY) bench/extra.py bench-gen)
	touch $(GEN_BENCH_STAMP)

bench-gen: $(STAMP) $(GEN_BENCH_STAMP)
	$(PY) bench/generation_bench.py --peers-bin $(GEN_BENCH_VENV)/bin

## corpus: one row per real-world spec in ../shared/corpus (ops, warnings, import, seconds)
corpus: $(STAMP)
	cd tests && ../$(PY) -m corpus

## fuzz: the spec fuzzer for FUZZ_SECONDS (default 1800) from FUZZ_SEED (default: random,
## printed); failures are minimised and kept under tests/regressions/ (a minute of it runs
## in `make test`, tests/test_fuzz.py)
fuzz: $(STAMP)
	cd tests && ../$(PY) -m support.fuzz

## parity: generate the five SDKs of ../shared/corpus/parity and compare their docs with the
## commercial generator's, table row by row (fails below tests/parity/thresholds.py)
parity: $(STAMP)
	cd tests && ../$(PY) -m parity --check

lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests templates
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) $(BENCH_VENV) $(GEN_BENCH_VENV) .sdkgen-cache .tools
