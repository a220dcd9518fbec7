# Two entry points do all set-up on a fresh machine:  `make run`  and  `make test`.
# Each first installs the Debian/Ubuntu system packages it needs that are missing (sudo only then).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck contracts unit deps deps-run deps-test bench package package-test clean

$(STAMP): pyproject.toml
	bash build_scripts/install_system_deps.sh test
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,build]'
	touch $(STAMP)

deps:
	bash build_scripts/install_system_deps.sh all

deps-run:
	bash build_scripts/install_system_deps.sh run

deps-test:
	bash build_scripts/install_system_deps.sh test

run: deps-run $(STAMP)
	$(BIN)/clearance

lint: $(STAMP)
	$(BIN)/ruff check desktop_app tests build_scripts

typecheck: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

unit: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

test: deps-test $(STAMP) lint typecheck contracts unit

bench: $(STAMP)
	$(BIN)/python tests/benchmarks/bench_engine.py
	$(BIN)/python tests/benchmarks/bench_search.py

# Installers: the frozen one-folder bundle, a .tar.gz and a .deb in dist/ (see docs/installing.md).
package: $(STAMP)
	PYTHON=$(BIN)/python bash build_scripts/build_linux.sh

# Build them, then run the frozen app from the bundle and from the unpacked .deb: fresh HOME, no network.
package-test: $(STAMP)
	PYTHON=$(BIN)/python bash build_scripts/package_test.sh

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
