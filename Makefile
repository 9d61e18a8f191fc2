# Two commands on a fresh machine with Python 3.10+:
#   make lab    set up .venv and open the series in JupyterLab (prints the URL to open)
#   make test   set up .venv and run every test: package, notebooks (strict nbval), browser, site
# For instructors: make student (build/student), make site (build/site), make notebooks.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup lab test test-a11y test-retrain test-margins test-fast checkpoints ablation exposure notebooks student site benchmarks clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test,site]'
	$(BIN)/python -m course.lab --settings-only
	touch $(STAMP)

# JupyterLab on notebooks/, without the news prompt (.venv/share/jupyter/lab/settings/overrides.json),
# also as root; prints the one URL to open. Extra arguments: make lab LAB_ARGS="--ServerApp.ip=0.0.0.0"
lab: setup
	$(BIN)/python -m course.lab $(LAB_ARGS)

# Everything but the 25 s retraining of the original loop, on 2 workers: each test file (so each
# notebook, in one kernel) stays on one worker. tests/test_cpu_path_*.py rerun the series under two
# other CPU code paths, each in a process of its own (tests/cpu_paths.py).
test: setup
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not retrain and not a11y" --cpu-paths-early

# axe-core (npm, pinned in package.json, into node_modules/) on every page of the site, at desktop and
# phone sizes, in light and dark mode: fails on any serious or critical violation, lists the others
# (several minutes: each page is audited six times; CI runs this too).
test-a11y: setup
	$(BIN)/python -m pytest tests/test_site.py -m a11y -s

# The original loop retrained and compared with its shipped checkpoint, and three sampled entries of
# the ablation table retrained (about 3 minutes; CI runs this too).
test-retrain: setup
	$(BIN)/python -m pytest tests -m retrain

# Stored numbers near a rounding boundary: the series under strict nbval with the shipped models'
# weights jittered by 2e-7 (tests/margins/sitecustomize.py), three draws. CI runs this too.
test-margins: setup
	for draw in 1 2 3; do \
		RNNLESSON_WEIGHT_JITTER=$$draw PYTHONPATH=$(CURDIR)/tests/margins $(BIN)/python -m pytest -q notebooks || exit 1; \
	done

test-fast: setup
	$(BIN)/python -m pytest tests -m "not browser and not slow and not retrain"

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

# Instructors: re-run every notebook top to bottom in a fresh kernel and store its outputs.
notebooks: setup
	for nb in notebooks/[0-9][0-9]_*.ipynb; do \
		$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

# Instructors: the series without its solutions (cells tagged `solution`), to hand out.
student: setup
	$(BIN)/python -m course.student build/student

# The series as a static site from the stored outputs (nothing is run): build/site/index.html and one
# page per notebook, plus the instructor guide. Sphinx + MyST-NB; no page loads anything from the network.
site: setup
	$(BIN)/python -m course.site build/site

benchmarks: setup
	$(BIN)/python benchmarks/training.py
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/explorer.py

clean:
	rm -rf $(VENV) build *.egg-info
