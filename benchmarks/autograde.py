"""How long nbgrader takes to autograde a class's submissions of assignment 01 (01_data).

Usage: .venv/bin/python benchmarks/autograde.py [N_SUBMISSIONS]   (default 30)

Writes the course directory (course/nbgrader.py) into a temporary folder, generates the assignment,
puts N submissions under submitted/ (a third the reference answers, a third the untouched learners'
copy, a third with typical mistakes, as tests/class/test_nbgrader_grading.py makes them), and
autogrades them with one `nbgrader autograde 01_data` (nbgrader runs one kernel at a time, so one
core works while the other serves the kernel's I/O).

Prints the seconds per submission, checks every score in the exported gradebook (3, 0 or 1 of 3),
and prints as its last line one JSON object. Meant for 2 cores; on a machine that others share the
times are inflated. (Two autograde processes at once, each given half the students, are the next
thing to measure: `--student` takes one id or a glob pattern, not a list.)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "class")]

from nbgrader_course import Course, answered  # noqa: E402
from test_nbgrader_grading import MISTAKES_01  # noqa: E402

ASSIGNMENT = "01_data"
EXPECTED = {"reference": 3.0, "untouched": 0.0, "mistakes": 1.0}


def submissions(course: Course, n: int) -> dict[str, float]:
    """Put ``n`` submissions in; return {student: expected score}."""
    released, source = course.generate(ASSIGNMENT), course.source(ASSIGNMENT)
    kinds = {"reference": source, "untouched": released, "mistakes": answered(released, MISTAKES_01)}
    expected = {}
    for i in range(n):
        kind = list(kinds)[i % 3]
        student = f"s{i:03d}-{kind}"
        course.submit(student, ASSIGNMENT, kinds[kind])
        expected[student] = EXPECTED[kind]
    course.add_students(*expected)
    return expected


def main(n: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        one = Course(Path(folder) / "one")
        expected = submissions(one, n)
        began = time.monotonic()
        one.run("autograde", ASSIGNMENT)
        sequential = (time.monotonic() - began) / n
        print(f"nbgrader autograde: {sequential:6.2f} s per submission ({n} submissions)", flush=True)

        wrong = {}
        grades = one.grades()
        for student, score in expected.items():
            got = grades.get((ASSIGNMENT, student), (None, None))[0]
            if got != score:
                wrong[student] = got
        print("every score as expected" if not wrong else f"scores not as expected: {wrong}")
        print(json.dumps({"submissions": n, "seconds_per_submission": round(sequential, 2),
                          "scores_as_expected": not wrong}))
        return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
