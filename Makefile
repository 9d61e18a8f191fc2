# Two commands on a fresh machine with Python 3.10+:
#   make lab    set up .venv and open the series in JupyterLab
#   make test   set up .venv and run every test: package, notebooks (strict nbval), browser
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup lab test test-fast notebooks benchmarks clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lab: setup
	$(BIN)/jupyter lab notebooks/

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest tests -m "not browser and not slow"

# Instructors: re-run every notebook top to bottom in a fresh kernel and store its outputs.
notebooks: setup
	for nb in notebooks/[0-9][0-9]_*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

benchmarks: setup
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/explorer.py

clean:
	rm -rf $(VENV) build *.egg-info
