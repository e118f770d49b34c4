# taskdesk developer commands.  GNU make; recipes use plain /bin/sh.
#
#   make run [ARGS="--help"]   bootstrap .venv if needed, then open the app
#   make test                  lint + format check + mypy + pytest (what CI runs)
#   make lint | typecheck | format | screenshots | bench | perf | clean | distclean
#
# The virtual environment is (re)installed only when pyproject.toml is newer than
# .venv/.installed, so every run after the first starts at once.

SHELL := /bin/sh
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
ARGS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=
PERF_ARGS ?=

BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SOURCES := taskdesk tests

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1

.PHONY: help venv run test lint format typecheck pytest screenshots bench perf reliability-report clean distclean check-python

help:
	@echo "make run [ARGS=...]    open taskdesk (creates $(VENV) on first use)"
	@echo "make test              ruff check, ruff format --check, mypy, pytest"
	@echo "make lint              ruff check + ruff format --check"
	@echo "make format            ruff format + ruff check --fix (rewrites files)"
	@echo "make typecheck         mypy (strict, the taskdesk package)"
	@echo "make screenshots       regenerate screenshots/ (scripts/screenshots.py)"
	@echo "make bench             store and Board benchmarks -> benchmarks/results/"
	@echo "make perf              taskdesk vs a bare Textual app, in a pty -> docs/performance.md"
	@echo "make clean             remove caches and build output (keeps $(VENV))"
	@echo "make distclean         clean, and remove $(VENV) too"
	@echo "Variables: PYTHON=$(PYTHON) VENV=$(VENV) PYTEST_ARGS= BENCH_ARGS= PERF_ARGS= ARGS="

# Fail early, and say why, when the interpreter is missing or older than 3.11.
check-python:
	@command -v "$(PYTHON)" >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' not found; install Python >= 3.11 or run 'make PYTHON=/path/to/python3.11 ...'" >&2; \
	  exit 1; }
	@"$(PYTHON)" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || { \
	  echo "error: taskdesk needs Python >= 3.11, but $(PYTHON) is $$("$(PYTHON)" -c 'import platform; print(platform.python_version())')." >&2; \
	  echo "       run 'make PYTHON=/path/to/python3.11 ...' (and 'make distclean' if $(VENV) was made by the old one)" >&2; \
	  exit 1; }

$(BIN)/python:
	@$(MAKE) --no-print-directory check-python
	@echo "==> creating $(VENV) with $$("$(PYTHON)" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
	"$(PYTHON)" -m venv "$(VENV)"

# Reinstall when pyproject.toml changes (new dependency, new entry point).
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "==> installing taskdesk (editable) with test extras into $(VENV)"
	"$(BIN)/python" -m pip install --progress-bar off -e '.[test]'
	@touch "$(STAMP)"

venv: $(STAMP)

run: $(STAMP)
	"$(BIN)/taskdesk" $(ARGS)

# Each step stops the run with a one-line reason; make then exits non-zero.
test: $(STAMP)
	@echo "==> ruff check $(SOURCES)"
	@"$(BIN)/ruff" check $(SOURCES) || { echo "make test: FAILED at 'ruff check' (try 'make format')" >&2; exit 1; }
	@echo "==> ruff format --check $(SOURCES)"
	@"$(BIN)/ruff" format --check $(SOURCES) || { echo "make test: FAILED at 'ruff format --check' (run 'make format')" >&2; exit 1; }
	@echo "==> mypy (strict, package taskdesk)"
	@"$(BIN)/mypy" || { echo "make test: FAILED at 'mypy'" >&2; exit 1; }
	@echo "==> pytest $(PYTEST_ARGS)"
	@"$(BIN)/python" -m pytest $(PYTEST_ARGS) || { rc=$$?; echo "make test: FAILED at 'pytest' (exit code $$rc)" >&2; exit $$rc; }
	@echo "make test: all checks passed"

lint: $(STAMP)
	"$(BIN)/ruff" check $(SOURCES)
	"$(BIN)/ruff" format --check $(SOURCES)

format: $(STAMP)
	"$(BIN)/ruff" format $(SOURCES)
	"$(BIN)/ruff" check --fix $(SOURCES)

typecheck: $(STAMP)
	"$(BIN)/mypy"

pytest: $(STAMP)
	"$(BIN)/python" -m pytest $(PYTEST_ARGS)

screenshots: $(STAMP)
	"$(BIN)/python" scripts/screenshots.py

reliability-report: $(STAMP)
	TASKDESK_RELIABILITY_OUT=benchmarks/results/reliability.json "$(BIN)/python" -m pytest tests/reliability

bench: $(STAMP)
	"$(BIN)/python" benchmarks/bench_store.py $(BENCH_ARGS)
	"$(BIN)/python" benchmarks/bench_board_ui.py
	"$(BIN)/python" benchmarks/bench_scheduler.py

# Whole processes in a real pty, side by side with a bare Textual app (the floor).
# Quick look: make perf PERF_ARGS="--sizes 1000 --quick"
perf: $(STAMP)
	"$(BIN)/python" benchmarks/bench_perf.py $(PERF_ARGS)

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache .hypothesis snapshot_report.html
	rm -rf ./*.egg-info
	find taskdesk tests benchmarks scripts -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true

distclean: clean
	rm -rf "$(VENV)"
