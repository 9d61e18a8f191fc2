"""Each notebook's first code cell, run in a Python that lacks the package, tells the learner how to
install it (`make lab`, or `pip install -e .`) instead of a bare "No module named 'rnnlesson'"."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from course.student import series

RUN_FIRST_CELL = """
import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
source = "".join(next(c for c in cells if c["cell_type"] == "code")["source"])
exec(compile(source, "first cell", "exec"))
"""


@pytest.mark.parametrize("path", series(), ids=lambda p: p.stem)
def test_the_first_cell_says_how_to_install_the_package(path, tmp_path):
    # -S: no site-packages, so neither the package nor torch can be imported; run away from the repo
    result = subprocess.run([sys.executable, "-S", "-c", RUN_FIRST_CELL, str(path)], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError: No module named 'rnnlesson': this notebook needs"), last
    assert "make lab" in last and "pip install -e ." in last and "restart the kernel" in last, last
    assert "During handling" not in result.stderr, result.stderr
    first = next(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code")
    assert first["outputs"] == [] or all(o.get("output_type") != "error" for o in first["outputs"])
