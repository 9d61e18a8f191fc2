"""Helpers for the class tests and the autograding benchmark: an nbgrader course directory written
by course/nbgrader.py, nbgrader's commands run in it, and submissions made from the learners' copy.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from course import nbgrader as course_nbgrader

BIN = Path(sys.executable).parent


class Course:
    """A course directory in ``root`` with its exchange in ``root``/exchange."""

    def __init__(self, root: Path, cell_timeout_s: int = 120) -> None:
        self.root = root
        course_nbgrader.write_course(root)
        (root / "exchange").mkdir(exist_ok=True)
        (root / "exchange").chmod(0o777)
        self.env = os.environ | {
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # nbgrader runs `alembic` from it
            "NBGRADER_EXCHANGE": str(root / "exchange"),
            "NBGRADER_CELL_TIMEOUT": str(cell_timeout_s),
        }
        self.log = root / "nbgrader.log"

    def run(self, *args: str, check: bool = True, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        """``nbgrader ARGS`` in the course directory; its output is added to nbgrader.log."""
        result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd or self.root, env=env or self.env,
                                capture_output=True, text=True, timeout=1800)
        with open(self.log, "a") as log:
            log.write(f"$ nbgrader {' '.join(args)}  -> {result.returncode}\n{result.stdout}{result.stderr}\n")
        if check and result.returncode:
            raise AssertionError(f"nbgrader {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        return result

    def generate(self, assignment: str) -> nbformat.NotebookNode:
        """``nbgrader generate_assignment``; the learners' copy it writes into release/."""
        result = self.run("generate_assignment", assignment, "--force", check=False)
        if result.returncode:  # seen once here in a fresh folder; the same command then passed
            self.run("generate_assignment", assignment, "--force")
        return nbformat.read(self.root / "release" / assignment / f"{assignment}.ipynb", as_version=4)

    def source(self, assignment: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "source" / assignment / f"{assignment}.ipynb", as_version=4)

    def submit(self, student: str, assignment: str, nb: nbformat.NotebookNode | str) -> Path:
        """Put a submission under submitted/STUDENT/ASSIGNMENT/ (a notebook, or a file's raw text)."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{assignment}.ipynb"
        if isinstance(nb, str):
            path.write_text(nb)
        else:
            nbformat.write(nb, path)
        return path

    def add_students(self, *students: str) -> None:
        """Add the students to the gradebook, all with one command (`nbgrader db student import`)."""
        table = self.root / "students.csv"
        table.write_text("id\n" + "".join(f"{student}\n" for student in students))
        self.run("db", "student", "import", str(table))

    def grades(self) -> dict[tuple[str, str], tuple[float, float]]:
        """``nbgrader export`` to grades.csv: {(assignment, student): (score, max_score)}."""
        self.run("export", "--to", str(self.root / "grades.csv"))
        with open(self.root / "grades.csv") as file:
            return {(row["assignment"], row["student_id"]): (float(row["score"]), float(row["max_score"]))
                    for row in csv.DictReader(file)}


def answered(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the learners' notebook with the solution cells of the given checkers replaced by
    ``answers[checker_name]`` (the code a learner typed)."""
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

