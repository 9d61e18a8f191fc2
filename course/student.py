"""The student edition: every notebook of the series without its solutions.

A solution is whatever the notebook marks as one: a cell tagged ``solution`` (the folded
code cell and its "**Solution**" note). Those cells are removed by their tag, never by
their text; every other cell is kept as it is, stored outputs included, so a learner reads
the same notebook, with each exercise's ``None`` placeholder and its checker's "Not yet"
message. Execution counts are renumbered 1..n, as a clean run of the shorter notebook
would number them.

The sentence that announces the solutions is a cell tagged ``solution`` too, so it goes
with them; a note under each title says that this is the student edition.

    python -m course.student [OUT_DIR]     # default: build/student
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor, TagRemovePreprocessor

from course.series import NOTEBOOKS, ROOT, SOLUTION_TAG, series

DEFAULT_OUT = ROOT / "build" / "student"

EDITION_NOTE = (
    "*Student edition: the solutions to the exercises are not in this copy. "
    "Each exercise's checker tells you whether your answer is right, and why not when it "
    "is not.*"
)


class RenumberExecutionCounts(Preprocessor):
    """Number the code cells' execution counts 1..n (their results' too), as a clean run
    of the notebook without its solutions would number them."""

    def preprocess(
        self, nb: nbformat.NotebookNode, resources: dict
    ) -> tuple[nbformat.NotebookNode, dict]:
        count = 0
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "execute_result":
                        output["execution_count"] = count
        return nb, resources


def student_edition(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without the cells tagged ``solution`` (nbconvert's
    TagRemovePreprocessor), execution counts renumbered 1..n, and the edition's note under
    the title."""
    student = copy.deepcopy(nb)
    resources: dict = {}
    for preprocessor in (
        TagRemovePreprocessor(enabled=True, remove_cell_tags={SOLUTION_TAG}),
        RenumberExecutionCounts(enabled=True),
    ):
        student, resources = preprocessor(student, resources)
    if student.cells and student.cells[0].cell_type == "markdown":
        student.cells.insert(
            1, nbformat.v4.new_markdown_cell(EDITION_NOTE, id="student-edition-note")
        )
    return student


def write_student_edition(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write the student edition of every notebook of the series into ``out_dir``; return
    the paths. A notebook named like the series' (NN_*.ipynb) that the series no longer
    has is removed from it."""
    if out_dir.resolve() == NOTEBOOKS.resolve():
        raise ValueError(f"out_dir must not be the series' own folder, got {out_dir}")
    out_dir.mkdir(parents=True, exist_ok=True)
    names = {path.name for path in series()}
    for stale in out_dir.glob("[0-9][0-9]_*.ipynb"):
        if stale.name not in names:
            stale.unlink()
    written = []
    for path in series():
        nb = nbformat.read(path, as_version=4)
        target = out_dir / path.name
        nbformat.write(student_edition(nb), target)
        written.append(target)
    return written


def write_missing(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write the student edition of each notebook that ``out_dir`` lacks; return the paths
    written. A notebook already there is kept as it is: it may hold a learner's work
    (`make lab`)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in series():
        target = out_dir / path.name
        if not target.exists():
            nbformat.write(student_edition(nbformat.read(path, as_version=4)), target)
            written.append(target)
    return written


def outdated(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """The notebooks in ``out_dir`` older than the series' notebook they were made
    from."""
    return [
        out_dir / path.name
        for path in series()
        if (out_dir / path.name).exists()
        and (out_dir / path.name).stat().st_mtime < path.stat().st_mtime
    ]


def main(argv: list[str]) -> int:
    out_dir = Path(argv[0]) if argv else DEFAULT_OUT
    for path in write_student_edition(out_dir.resolve()):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
