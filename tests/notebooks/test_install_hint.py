"""Each notebook's first code cell, run in a Python that lacks the package, tells the
learner how to install it (`make lab`, or `pip install -e .`) instead of a bare "No module
named 'rnnlesson'"."""

from __future__ import annotations

import json
import subprocess
import sys

from course.series import series

RUN_FIRST_CELLS = """
import json, sys, traceback
for path in sys.argv[1:]:
    cells = json.load(open(path))["cells"]
    source = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
    try:
        exec(compile(source, "first cell", "exec"), {})
        print(json.dumps([path, "no error"]))
    except BaseException as error:
        shown = "".join(traceback.format_exception(error))
        print(json.dumps([path, shown]))
"""


def test_each_first_cell_says_how_to_install_the_package(tmp_path):
    # -S: no site-packages, so neither the package nor torch can be imported; run away
    # from the repo
    paths = [str(path) for path in series()]
    result = subprocess.run(
        [sys.executable, "-S", "-c", RUN_FIRST_CELLS, *paths],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    shown = dict(json.loads(line) for line in result.stdout.splitlines())
    assert sorted(shown) == sorted(paths), result.stderr
    for path, traceback in shown.items():
        last = traceback.strip().splitlines()[-1]
        assert last.startswith(
            "ModuleNotFoundError: No module named 'rnnlesson': this notebook needs"
        ), (path, last)
        assert (
            "make lab" in last
            and "pip install -e ." in last
            and "restart the kernel" in last
        ), last
        assert "During handling" not in traceback, traceback
    for path in series():  # where the package is installed, the cell ran without an error
        first = next(
            c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"
        )
        assert all(o.get("output_type") != "error" for o in first["outputs"]), path.name
