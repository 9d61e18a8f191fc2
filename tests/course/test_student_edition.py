"""The student edition (`make student`, course/student.py): the series without its
solutions.

These tests build it into a temporary folder and check the file itself: every cell tagged
``solution`` gone, no line of any solution's code left anywhere in the file, every
exercise kept with its ``None`` placeholder, its checker call and its stored "Not yet",
and everything else unchanged. That each student notebook runs top to bottom in a fresh
kernel without an error, and that each checker then prints its "Not yet" message, is
checked by strict nbval over the student edition (make test-avx2-path runs it, on the AVX2
CPU code path).
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from course import student
from course.series import NOTEBOOKS, is_solution, series
from tests.helpers.notebooks import CHECK_CALL, printed

SERIES = series()


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("student")
    written = student.write_student_edition(out)
    return {path.name: path for path in written}


def all_strings(node) -> list[str]:
    """Every string in a notebook's JSON: cell sources, outputs, metadata, widget
    state."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in all_strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in all_strings(value)]
    return []


def solution_lines(nb: nbformat.NotebookNode) -> list[str]:
    """The lines of the solutions' code that nothing else in the notebook holds: a
    solution calls the same checker as its exercise, may repeat the exercise's ``def``
    line, or a line its question quotes."""
    elsewhere = "\n".join(
        all_strings([cell for cell in nb.cells if not is_solution(cell)])
    )
    return [
        line.strip()
        for cell in nb.cells
        if is_solution(cell) and cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.strip() and line.strip() not in elsewhere
    ]


def test_the_edition_has_one_notebook_per_notebook_of_the_series(edition):
    assert len(SERIES) == 6
    assert sorted(edition) == [path.name for path in SERIES]


@pytest.mark.parametrize("source", SERIES, ids=[p.stem for p in SERIES])
def test_no_solution_code_is_left_anywhere_in_the_student_file(source, edition):
    nb = nbformat.read(source, as_version=4)
    lines = solution_lines(nb)
    n_solutions = sum(1 for c in nb.cells if is_solution(c) and c.cell_type == "code")
    assert n_solutions >= 2 and len(lines) >= n_solutions, (
        f"{source.name}: too few solution lines to check"
    )
    raw = edition[source.name].read_text()
    text = "\n".join(all_strings(json.loads(raw)))
    left = [line for line in lines if line in text or json.dumps(line)[1:-1] in raw]
    assert not left, (
        f"{source.name}: solution code left in the student edition: {left[:5]}"
    )
    kept = nbformat.read(edition[source.name], as_version=4)
    assert not any(is_solution(c) for c in kept.cells)
    assert not any(c.source.startswith("**Solution**") for c in kept.cells)


@pytest.mark.parametrize("source", SERIES, ids=[p.stem for p in SERIES])
def test_every_exercise_and_everything_else_is_kept_as_stored(source, edition):
    nb = nbformat.read(source, as_version=4)
    kept = nbformat.read(edition[source.name], as_version=4)
    originals = [c for c in nb.cells if not is_solution(c)]
    assert kept.cells[0] == originals[0] and kept.cells[1].source == student.EDITION_NOTE
    assert len(kept.cells) == len(originals) + 1
    exercises = 0
    for original, cell in zip(originals, kept.cells[:1] + kept.cells[2:], strict=True):
        assert cell.cell_type == original.cell_type and cell.get("id") == original.get(
            "id"
        )
        if cell.cell_type == "markdown":
            assert cell.source == original.source, (
                f"{source.name}: prose changed\n{cell.source}"
            )
            continue
        assert cell.source == original.source

        def strip(outputs):
            return [
                {k: v for k, v in o.items() if k != "execution_count"} for o in outputs
            ]

        assert strip(cell.outputs) == strip(original.outputs), (
            f"{source.name}: outputs changed\n{cell.source}"
        )
        if CHECK_CALL.search(cell.source):
            exercises += 1
            assert any(p in cell.source for p in ("None", "...", '"?"')), (
                f"{source.name}: placeholder gone\n{cell.source}"
            )
            assert "Not yet" in printed(cell), (
                f"{source.name}: the exercise should show its checker's 'Not yet'"
            )
    assert exercises >= 2
    counts = [
        c.execution_count
        for c in kept.cells
        if c.cell_type == "code" and c.source.strip()
    ]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{source.name}: execution counts {counts}"
    )
    nbformat.validate(kept)


@pytest.mark.parametrize("source", SERIES, ids=[p.stem for p in SERIES])
def test_no_sentence_promises_a_solution_below_an_exercise(source, edition):
    kept = nbformat.read(edition[source.name], as_version=4)
    prose = "\n".join(c.source for c in kept.cells if c.cell_type == "markdown").lower()
    for word in ("unfold", "folded", "reveal", "solution follows", "solution you can"):
        assert word not in prose, (
            f"{source.name}: the student edition's prose still says {word!r}"
        )


def test_cells_are_removed_by_their_tag_not_by_their_text():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title"),
        # kept: no tag
        nbformat.v4.new_markdown_cell("**Solution** is a word this lesson uses"),
        nbformat.v4.new_code_cell(
            "answer = None\n_ = ex01.check(answer)", execution_count=1
        ),
        nbformat.v4.new_code_cell(
            "answer = 42\n_ = ex01.check(answer)",
            execution_count=2,
            metadata={"tags": ["solution"]},
        ),
        nbformat.v4.new_code_cell(
            "print(answer)", execution_count=3, metadata={"tags": ["other", "solution"]}
        ),
        nbformat.v4.new_code_cell(
            "x = 1\nx",
            execution_count=4,
            outputs=[
                nbformat.v4.new_output(
                    "execute_result", {"text/plain": "1"}, execution_count=4
                )
            ],
        ),
    ]
    kept = student.student_edition(nb)
    assert [c.source for c in kept.cells] == [
        "# Title",
        student.EDITION_NOTE,
        "**Solution** is a word this lesson uses",
        "answer = None\n_ = ex01.check(answer)",
        "x = 1\nx",
    ]
    assert [c.execution_count for c in kept.cells if c.cell_type == "code"] == [1, 2]
    assert kept.cells[-1].outputs[0]["execution_count"] == 2
    assert len(nb.cells) == 6, "the notebook passed in is not modified"


def test_a_stale_notebook_is_removed_and_the_series_folder_is_refused(tmp_path):
    (tmp_path / "99_gone.ipynb").write_text("{}")
    (tmp_path / "notes.ipynb").write_text("{}")
    student.write_student_edition(tmp_path)
    assert (
        not (tmp_path / "99_gone.ipynb").exists() and (tmp_path / "notes.ipynb").exists()
    )
    with pytest.raises(ValueError, match="out_dir"):
        student.write_student_edition(NOTEBOOKS)
