# Two commands on a fresh machine with Python 3.10+:
#   make lab    set up .venv and open the series' student edition in JupyterLab (prints the URL to open)
#   make test   set up .venv and run every test: package, notebooks (strict nbval), browser, site
# For instructors: make lab EDITION=instructor (with the solutions), make student (build/student),
# make site (the learners' site, build/site), make site EDITION=instructor, make nbgrader (build/nbgrader),
# make test-class (JupyterHub + nbgrader for real), make notebooks.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EDITION ?= student
# The CPU build of PyTorch (1.6 GB of .venv instead of 6.0 GB with CUDA on Linux), for torch alone:
#   make lab TORCH_INDEX=https://download.pytorch.org/whl/cpu   PyTorch's CPU wheel index
#   make lab TORCH_FIND_LINKS=/path/to/wheels                   a folder holding a torch wheel
# Either is handed to pip for torch only, before the package; everything else comes from PyPI.
TORCH_INDEX ?=
TORCH_FIND_LINKS ?=
TORCH_REQUIREMENT := $(shell sed -n 's/^ *"\(torch[^"]*\)".*/\1/p' pyproject.toml)
CHP_VERSION := 5.3.0

.PHONY: setup lab test test-main test-default-path test-avx2-path lint test-oldest test-a11y test-retrain test-margins test-fast test-class checkpoints ablation exposure signals notebooks student site nbgrader benchmarks clean

# What a learner needs: the package, PyTorch and JupyterLab (no test, site or class extras).
setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(if $(TORCH_INDEX)$(TORCH_FIND_LINKS),$(BIN)/python -m pip install --quiet \
		$(if $(TORCH_INDEX),--index-url $(TORCH_INDEX)) $(if $(TORCH_FIND_LINKS),--no-index --find-links $(TORCH_FIND_LINKS)) \
		'$(TORCH_REQUIREMENT)')
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m course.lab --settings-only
	touch $(STAMP)

# The extras, each installed once by the targets that need it: .venv/.installed-test, -site, -class.
$(VENV)/.installed-%: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[$*]'
	touch $@

# JupyterLab on the student edition (build/student, written where a notebook is missing; a learner's
# copy is never overwritten), or on notebooks/ with EDITION=instructor; without the news prompt
# (.venv/share/jupyter/lab/settings/overrides.json), also as root; prints the one URL to open.
# Extra arguments: make lab LAB_ARGS="--ServerApp.ip=0.0.0.0"; a --ServerApp.root_dir there wins.
lab: setup
	$(BIN)/python -m course.lab --edition $(EDITION) $(LAB_ARGS)

# make test: the linter, then three pytest runs at once, each printing its own count and, when it
# fails, its own output (make -j3 --output-sync: each run's output comes whole when it ends):
#   test-main           the package's tests, the browser and site tests, and the series under strict
#                       nbval (with the folded solutions), on this CPU's own code path, on 2 workers
#   test-default-path   the series under strict nbval on PyTorch's and MKL's portable code paths
#   test-avx2-path      the student edition (no solutions) under strict nbval on AVX2 only
# The stored outputs are a promise to every machine: the same forward pass adds up its terms in
# another order on another CPU, so each run must see the same digits. The CPU path is chosen by
# environment variables that must be set before torch is imported, hence a process per path.
DEFAULT_PATH := ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE
AVX2_PATH    := ATEN_CPU_CAPABILITY=avx2 MKL_CBWR=AVX2 ONEDNN_MAX_CPU_ISA=AVX2
# test-main's files in the order its 2 workers take them, whole files at a time: the longest first,
# so that they overlap all the rest (pytest collects a file once, where it is first named).
MAIN_ORDER   := tests/browser/test_browser.py tests/course/test_lab.py notebooks/05_autoregressive.ipynb \
                notebooks/03_training.ipynb notebooks tests
test: $(VENV)/.installed-test $(VENV)/.installed-site
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory -j3 --output-sync=target test-main test-default-path test-avx2-path

test-main: $(VENV)/.installed-test $(VENV)/.installed-site
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not retrain and not class and not a11y" \
		$(MAIN_ORDER)

test-default-path: $(VENV)/.installed-test
	$(DEFAULT_PATH) $(BIN)/python -m pytest -q -p no:xdist notebooks

test-avx2-path: $(VENV)/.installed-test
	$(BIN)/python -m course.student build/student
	$(AVX2_PATH) $(BIN)/python -m pytest -q -p no:xdist build/student

# ruff (its rules and line length in pyproject.toml) over the code and the notebooks' code cells,
# and ruff format's layout of the .py files (run $(BIN)/ruff format to apply it).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The oldest PyTorch that pyproject.toml allows (its torch floor), in a venv of its own (.venv-oldest),
# with what pip picks for everything else: the tests without a browser, and strict nbval on the
# series. PyPI has only the CUDA build of that torch for Linux (about 5 GB with its libraries,
# several minutes to download), which runs on the CPU. CI runs this too.
OLDEST_VENV  := .venv-oldest
OLDEST_TORCH := $(shell sed -n 's/^ *"torch>=\([0-9.]*\),.*/\1/p' pyproject.toml)
$(OLDEST_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(OLDEST_VENV)
	env -u PIP_CONSTRAINT $(OLDEST_VENV)/bin/python -m pip install --quiet 'torch==$(OLDEST_TORCH)'
	env -u PIP_CONSTRAINT $(OLDEST_VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@

test-oldest: $(OLDEST_VENV)/.installed
	$(OLDEST_VENV)/bin/python -c "import torch; print('torch', torch.__version__)"
	$(OLDEST_VENV)/bin/python -m pytest -q -n 2 --dist loadfile -m "not browser and not slow and not retrain and not class and not a11y" \
		tests notebooks

# axe-core (npm, pinned in package.json, into node_modules/) on every page of the site, at desktop and
# phone sizes, in light and dark mode: fails on any serious or critical violation, lists the others
# (several minutes: each page is audited six times; CI runs this too).
test-a11y: $(VENV)/.installed-test $(VENV)/.installed-site
	$(BIN)/python -m pytest tests/course/test_site.py -m a11y -s

# The course as a class takes it (tests/classroom/): nbgrader generates, autogrades and
# exports every score; a real JupyterHub (configurable-http-proxy from npm, into node_modules/) with
# one instructor and three students, one of them in Chromium; the CPU-torch install from a wheel folder.
test-class: $(VENV)/.installed-test $(VENV)/.installed-class node_modules/.bin/configurable-http-proxy
	$(BIN)/python -m pytest -m class -p no:xdist tests/classroom

node_modules/.bin/configurable-http-proxy:
	npm install --no-save --no-audit --no-fund configurable-http-proxy@$(CHP_VERSION)

# The original loop retrained and compared with its shipped checkpoint, and three sampled entries of
# the ablation table retrained (about 3 minutes; CI runs this too).
test-retrain: $(VENV)/.installed-test
	$(BIN)/python -m pytest tests -m retrain

# Stored numbers near a rounding boundary: the series under strict nbval with the shipped models'
# weights jittered by 2e-7 (tests/margins/sitecustomize.py), three draws. CI runs this too.
test-margins: $(VENV)/.installed-test
	for draw in 1 2 3; do \
		RNNLESSON_WEIGHT_JITTER=$$draw PYTHONPATH=$(CURDIR)/tests/margins $(BIN)/python -m pytest -q notebooks || exit 1; \
	done

test-fast: $(VENV)/.installed-test $(VENV)/.installed-site
	$(BIN)/python -m pytest tests -m "not browser and not slow and not retrain and not class"

# Maintainers: retrain the models that ship with the package (five train() runs and the original
# loop, about 30 s); then make notebooks, since the stored outputs show these models.
checkpoints: setup
	$(BIN)/python -m rnnlesson.pretrained

# Notebook 05's table: the original loop's training changed one choice at a time, 8 seeds each
# (about 30 minutes on 2 cores); writes rnnlesson/checkpoints/ablation.json.
ablation: setup
	$(BIN)/python -m rnnlesson.ablation

# Notebook 05's exposure-bias table: teacher forcing against a rollout loss, 8 seeds (several
# minutes on 2 cores); writes rnnlesson/checkpoints/exposure.json.
exposure: setup
	$(BIN)/python -m rnnlesson.exposure

# Notebook 05's signal search: the RNN against the best AR(p), p <= 10, on a noisy sine, tanh(3 sin t)
# and a Van der Pol oscillator, 8 seeds each (several minutes on 2 cores); writes
# rnnlesson/checkpoints/signals.json.
signals: setup
	$(BIN)/python -m rnnlesson.signals

# Instructors: re-run every notebook top to bottom in a fresh kernel and store its outputs.
notebooks: $(VENV)/.installed-test
	for nb in notebooks/[0-9][0-9]_*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

# Instructors: the series without its solutions (cells tagged `solution`), to hand out.
student: setup
	$(BIN)/python -m course.student build/student

# The series as a static site from the stored outputs (nothing is run): build/site/index.html and one
# page per notebook. The learners' site by default: no solutions, no instructor guide. EDITION=instructor:
# solutions folded, the instructor guide and "Running the course for a class" (build/site-instructor).
# Sphinx + MyST-NB; no page loads anything from the network.
site: $(VENV)/.installed-site
	$(BIN)/python -m course.site --edition $(EDITION) $(if $(filter instructor,$(EDITION)),build/site-instructor,build/site)

# Instructors: an nbgrader course directory from the series (build/nbgrader: source/NN_name/, and its
# nbgrader_config.py); then cd build/nbgrader and use nbgrader's commands (INSTRUCTORS.md).
nbgrader: $(VENV)/.installed-class
	$(BIN)/python -m course.nbgrader build/nbgrader

benchmarks: $(VENV)/.installed-test $(VENV)/.installed-class
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/explorer.py
	$(BIN)/python benchmarks/autograde.py

clean:
	rm -rf $(VENV) $(OLDEST_VENV) build *.egg-info node_modules
