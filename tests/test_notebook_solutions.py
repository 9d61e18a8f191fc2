"""Every solution a learner can reveal in a notebook, run where the learner would run it (after
the cells above it, in the notebook's own kernel), passes the checker of its exercise."""

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SOLUTION = re.compile(r"<summary>Solution</summary>.*?```python\n(.*?)```", re.DOTALL)
CHECK_CALL = re.compile(r"\bex\d\d\.check_\w+\(")


def with_solutions(path: Path) -> tuple[nbformat.NotebookNode, list[int]]:
    """The notebook with each revealed solution inserted as a code cell after its markdown, followed
    by the checker call(s) of the exercise cell just above, when the solution does not make them."""
    nb = nbformat.read(path, as_version=4)
    cells, solution_cells = [], []
    for i, cell in enumerate(nb.cells):
        cells.append(cell)
        match = SOLUTION.search(cell.source) if cell.cell_type == "markdown" else None
        if match is None:
            continue
        code = match.group(1)
        exercise = nb.cells[i - 1]
        if exercise.cell_type == "code" and not CHECK_CALL.search(code):
            code += "\n" + "\n".join(line for line in exercise.source.splitlines() if CHECK_CALL.search(line))
        cells.append(nbformat.v4.new_code_cell(code))
        solution_cells.append(len(cells) - 1)
    nb.cells = cells
    return nb, solution_cells


def printed(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_revealed_solutions_pass_their_checkers(path):
    nb, solution_cells = with_solutions(path)
    assert len(solution_cells) >= 2, f"{path.name} should reveal at least two solutions in code"
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for index in solution_cells:
        cell = nb.cells[index]
        out = printed(cell)
        assert "Not yet" not in out, f"{path.name}: a solution fails its checker:\n{cell.source}\n{out}"
        if CHECK_CALL.search(cell.source):
            assert "Correct" in out, f"{path.name}: the checker did not confirm a solution:\n{cell.source}\n{out}"
