# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast bench recipes clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[progress,plot,data,images]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[progress,plot,data,images,safetensors,onnx,test,mpi]"
	touch $@

demo: $(VENV)/.demo-installed
	$(BIN)/lamina train

test: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/lint-imports
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2

test-fast: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/lint-imports
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -m "not slow"

bench: $(VENV)/.test-installed
	for b in mlp lenet resblock charlstm word2vec; do $(BIN)/python benchmarks/$$b.py; done

# every recipe's full default run, checked against README's recipe table (minutes; not in CI)
recipes: $(VENV)/.demo-installed
	$(BIN)/python scripts/check_recipes.py

clean:
	rm -rf $(VENV)
