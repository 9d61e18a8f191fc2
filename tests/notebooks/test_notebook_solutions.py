"""Every exercise is followed by its solution: a code cell tagged ``solution``, folded in
JupyterLab (source and output hidden), that calls the exercise's checker. Each solution
runs where a learner
would run it, after the cells above it, so strict nbval executes it in the notebook's own
kernel and compares what its checker prints with the stored "Correct: ..." on every CPU
path that `make test` checks. These tests check the stored side of that promise.
"""

import nbformat
import pytest

from course.series import is_solution, series
from tests.helpers.notebooks import CHECK_CALL, printed

NOTEBOOKS = series()


def exercises_and_solutions(
    nb: nbformat.NotebookNode,
) -> list[tuple[nbformat.NotebookNode, nbformat.NotebookNode | None]]:
    """Each exercise cell (code that calls a checker, not a solution) with the solution
    code cell that follows it before the next exercise, or None."""
    pairs = []
    for cell in nb.cells:
        if cell.cell_type != "code" or not CHECK_CALL.search(cell.source):
            continue
        if is_solution(cell):
            if pairs and pairs[-1][1] is None:
                pairs[-1] = (pairs[-1][0], cell)
        else:
            pairs.append((cell, None))
    return pairs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_exercise_has_a_folded_solution_that_its_checker_accepts(path):
    nb = nbformat.read(path, as_version=4)
    pairs = exercises_and_solutions(nb)
    assert len(pairs) >= 2, f"{path.name} should have at least two exercises"
    for exercise, solution in pairs:
        assert solution is not None, (
            f"{path.name}: no solution cell after the exercise\n{exercise.source}"
        )
        assert set(CHECK_CALL.findall(exercise.source)) <= set(
            CHECK_CALL.findall(solution.source)
        ), (
            f"{path.name}: the solution should call the exercise's "
            f"checker\n{solution.source}"
        )
        assert solution.metadata.get("jupyter", {}) == {
            "source_hidden": True,
            "outputs_hidden": True,
        }, (
            f"{path.name}: a solution should be folded, source and "
            f"output\n{solution.source}"
        )
        assert "Not yet" in printed(exercise), (
            f"{path.name}: the empty exercise should print 'Not yet'"
        )
        out = printed(solution)
        assert "Correct" in out and "Not yet" not in out, (
            f"{path.name}: stored solution output:\n{out}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_solution_cells_are_only_solutions(path):
    """Everything tagged ``solution`` is a solution or its folded-cell note, so that
    removing the tag's cells leaves the lesson whole: no definition that later cells need
    lives in a solution."""
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if is_solution(c)]
    solutions = [c for c in tagged if c.cell_type == "code"]
    notes = [
        c
        for c in tagged
        if c.cell_type == "markdown" and c.source.startswith("**Solution**")
    ]
    assert len(notes) == len(solutions), (
        f"{path.name}: each folded solution gets one note"
    )
    announcements = [c for c in tagged if c.cell_type == "markdown" and c not in notes]
    assert len(announcements) <= 1 and all(
        c.source.startswith("A solution follows each exercise") for c in announcements
    ), f"{path.name}: {announcements}"
    last_exercise = max(
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and not is_solution(c) and CHECK_CALL.search(c.source)
    )
    later_code = [
        c
        for c in nb.cells[last_exercise:]
        if c.cell_type == "code" and not is_solution(c)
    ]
    assert len(later_code) == 1, (
        f"{path.name}: exercises and their solutions should close the notebook"
    )


def test_a_missing_solution_is_caught():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("_ = ex01.check_targets(None)")]
    assert exercises_and_solutions(nb) == [(nb.cells[0], None)]
