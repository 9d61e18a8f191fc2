"""Helpers for the class tests and the autograding benchmark: an nbgrader course directory
written by course/nbgrader.py, nbgrader's commands run in it, and submissions made from
the learners' copy.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from course import nbgrader as course_nbgrader
from course.series import series

BIN = Path(sys.executable).parent


class Course:
    """A course directory in ``root`` with its exchange in ``root``/exchange."""

    def __init__(self, root: Path, cell_timeout_s: int = 120) -> None:
        self.root = root
        course_nbgrader.write_course(root)
        (root / "exchange").mkdir(exist_ok=True)
        (root / "exchange").chmod(0o777)
        self.env = os.environ | {
            # nbgrader runs `alembic` from it
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "NBGRADER_EXCHANGE": str(root / "exchange"),
            "NBGRADER_CELL_TIMEOUT": str(cell_timeout_s),
        }
        self.log = root / "nbgrader.log"

    def run(
        self,
        *args: str,
        check: bool = True,
        cwd: Path | None = None,
        env: dict | None = None,
    ) -> subprocess.CompletedProcess:
        """``nbgrader ARGS`` in the course directory; its output is added to
        nbgrader.log."""
        result = subprocess.run(
            [str(BIN / "nbgrader"), *args],
            cwd=cwd or self.root,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        with open(self.log, "a") as log:
            log.write(
                f"$ nbgrader {' '.join(args)}  -> "
                f"{result.returncode}\n{result.stdout}{result.stderr}\n"
            )
        if check and result.returncode:
            raise AssertionError(
                f"nbgrader {' '.join(args)} failed "
                f"({result.returncode}):\n{result.stdout}{result.stderr}"
            )
        return result

    def generate(self, assignment: str) -> nbformat.NotebookNode:
        """``nbgrader generate_assignment``; the learners' copy it writes into
        release/."""
        result = self.run("generate_assignment", assignment, "--force", check=False)
        # seen once here in a fresh folder; the same command then passed
        if result.returncode:
            self.run("generate_assignment", assignment, "--force")
        return nbformat.read(
            self.root / "release" / assignment / f"{assignment}.ipynb", as_version=4
        )

    def source(self, assignment: str) -> nbformat.NotebookNode:
        return nbformat.read(
            self.root / "source" / assignment / f"{assignment}.ipynb", as_version=4
        )

    def submit(
        self, student: str, assignment: str, nb: nbformat.NotebookNode | str
    ) -> Path:
        """Put a submission under submitted/STUDENT/ASSIGNMENT/ (a notebook, or a file's
        raw text)."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{assignment}.ipynb"
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbformat.write(nb, path)
        return path

    def add_students(self, *students: str) -> None:
        """Add the students to the gradebook, all with one command (`nbgrader db student
        import`)."""
        table = self.root / "students.csv"
        table.write_text("id\n" + "".join(f"{student}\n" for student in students))
        self.run("db", "student", "import", str(table))

    def grades(self) -> dict[tuple[str, str], tuple[float, float]]:
        """``nbgrader export`` to grades.csv: {(assignment, student): (score,
        max_score)}."""
        self.run("export", "--to", str(self.root / "grades.csv"))
        with open(self.root / "grades.csv") as file:
            return {
                (row["assignment"], row["student_id"]): (
                    float(row["score"]),
                    float(row["max_score"]),
                )
                for row in csv.DictReader(file)
            }


def answered(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the learners' notebook with the solution cells of the given checkers
    replaced by ``answers[checker_name]`` (the code a learner typed)."""
    copy = nbformat.from_dict(nb)
    found = set()
    for cell in copy.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        name = grade_id.removeprefix("answer-")
        if grade_id.startswith("answer-") and name in answers:
            cell.source = answers[name]
            found.add(name)
    missing = set(answers) - found
    if missing:
        raise KeyError(f"no solution cell for {sorted(missing)}")
    return copy


# ---- the submissions the class test grades and the benchmark times, and their expected s

ASSIGNMENTS = [path.stem for path in series()]

# 01: three Think! checks (left unanswered here) and three exercises. A learner's typical
# mistakes: the targets right, the two layouts swapped, n points taken as n gaps.
MISTAKES_01 = {
    "check_targets": (
        "def targets_by_hand(start):\n"
        "    t = torch.linspace(start, start + 10, 50)\n"
        "    return torch.sin(t)[1:].reshape(1, 49, 1)"
    ),
    "check_shapes": "def input_shapes(batch):\n    return (49, batch, 1), (batch, 49, 1)",
    "check_time_step": "def time_step_by_hand(n_points):\n    return 10 / n_points",
}
# A learner who makes the checkers say "Correct" instead: one redefines the checker, one
# patches the package's report (the module's and the package's), the third exercise
# answered right.
CHEATS_01 = {
    "check_targets": 'ex01.check_targets = lambda *args, **kwargs: print("Correct") or '
    "True\ntargets_by_hand = None",
    "check_shapes": (
        "import rnnlesson.exercises\n"
        "rnnlesson.exercises.report = "
        'lambda ok, success, hint: print("Correct") or True\n'
        "ex01.report = rnnlesson.exercises.report\n"
        "def input_shapes(batch):\n    return (1, 2, 3), (3, 2, 1)"
    ),
    "check_time_step": "def time_step_by_hand(n_points):\n    return 10 / (n_points - 1)",
}
ENDLESS_01 = {"check_targets": "while True:\n    pass"}
# 06: row_index right, the seq-first rows unstacked with a plain reshape (the mistake the
# notebook warns about), the forward repaired right.
MISTAKES_06 = {
    "check_row_index": (
        "def row_index(sequence, step, batch, seq_len, batch_first):\n"
        "    return sequence * seq_len + step if batch_first else step * batch + sequence"
    ),
    "check_unstack_seq_first": (
        "def unstack_seq_first(rows, batch, seq_len):\n"
        "    return rows.reshape(batch, seq_len, -1)"
    ),
    "check_fixed_forward": (
        "def fixed_forward(model, x):\n"
        "    out, hidden = model.rnn(x)\n"
        "    rows = model.linear(out.reshape(-1, model.hidden_size))\n"
        "    return rows.reshape(x.shape[0], x.shape[1], 1), hidden"
    ),
}

EXPECTED = {
    **{
        (a, "reference"): (float(n), float(n))
        for a, n in zip(ASSIGNMENTS, (6, 3, 4, 3, 9, 3))
    },
    ("01_data", "untouched"): (0.0, 6.0),
    ("01_data", "mistakes"): (1.0, 6.0),
    ("01_data", "cheater"): (1.0, 6.0),
    ("01_data", "endless"): (0.0, 6.0),
    ("06_batch_stacking", "untouched"): (0.0, 3.0),
    ("06_batch_stacking", "mistakes"): (2.0, 3.0),
}
