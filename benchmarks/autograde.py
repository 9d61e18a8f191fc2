"""How long nbgrader takes to autograde a class's submissions of assignment 01 (01_data),
and whether a second process helps.

Usage: .venv/bin/python benchmarks/autograde.py [N_SUBMISSIONS]   (default 30, an even
number)

Side by side, in one run, on the same N submissions (a third the reference answers, a
third the untouched learners' copy, a third with typical mistakes, as
tests/classroom/test_nbgrader_grading.py makes them):

- one:  one `nbgrader autograde 01_data` over all N, in one course directory (nbgrader
  runs one
        kernel at a time);
- two:  two `nbgrader autograde 01_data` at once, each over half of them in a course
  directory of
        its own (the gradebook is an SQLite file, so two processes do not share one).

Prints the seconds per submission of each and their ratio, checks every score in the
exported gradebooks against what the class test expects, and prints as its last line one
JSON object. Meant for 2 cores; on a machine that others share the times are inflated.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.nbgrader_course import (  # noqa: E402
    BIN,
    EXPECTED,
    MISTAKES_01,
    Course,
    answered,
)

ASSIGNMENT = "01_data"
KINDS = ("reference", "untouched", "mistakes")


def submissions(course: Course, students: list[str]) -> dict[str, float]:
    """Put in one submission per student (its kind is the name's last part); {student:
    expected score}."""
    released, source = course.generate(ASSIGNMENT), course.source(ASSIGNMENT)
    notebooks = {
        "reference": source,
        "untouched": released,
        "mistakes": answered(released, MISTAKES_01),
    }
    for student in students:
        course.submit(student, ASSIGNMENT, notebooks[student.rsplit("-", 1)[1]])
    course.add_students(*students)
    return {
        student: EXPECTED[(ASSIGNMENT, student.rsplit("-", 1)[1])][0]
        for student in students
    }


def wrong_scores(course: Course, expected: dict[str, float]) -> dict[str, float | None]:
    grades = course.grades()
    got = {
        student: grades.get((ASSIGNMENT, student), (None, None))[0]
        for student in expected
    }
    return {
        student: score for student, score in got.items() if score != expected[student]
    }


def main(n: int) -> int:
    if n < 2 or n % 2:
        raise SystemExit(f"N_SUBMISSIONS must be an even number of at least 2, got {n}")
    students = [f"s{i:03d}-{KINDS[i % 3]}" for i in range(n)]
    with tempfile.TemporaryDirectory() as folder:
        one = Course(Path(folder) / "one")
        halves = [Course(Path(folder) / f"half{k}") for k in (0, 1)]
        expected = [(one, submissions(one, students))]
        expected += [
            (half, submissions(half, students[k::2])) for k, half in enumerate(halves)
        ]

        began = time.monotonic()
        one.run("autograde", ASSIGNMENT)
        one_s = (time.monotonic() - began) / n
        print(
            f"one process:   {one_s:6.2f} s per submission ({n} submissions)", flush=True
        )

        began = time.monotonic()
        running = [
            subprocess.Popen(
                [str(BIN / "nbgrader"), "autograde", ASSIGNMENT],
                cwd=half.root,
                env=half.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for half in halves
        ]
        codes = [process.wait() for process in running]
        two_s = (time.monotonic() - began) / n
        print(
            f"two processes: {two_s:6.2f} s per submission ({n // 2} each, at once)",
            flush=True,
        )
        print(f"ratio one / two: {one_s / two_s:.2f}")

        wrong = {
            student: score
            for course, want in expected
            for student, score in wrong_scores(course, want).items()
        }
        ok = not wrong and not any(codes)
        print(
            "every score as expected"
            if ok
            else f"not as expected: exit codes {codes}, scores {wrong}"
        )
        print(
            json.dumps(
                {
                    "submissions": n,
                    "one_process_s_per_submission": round(one_s, 2),
                    "two_processes_s_per_submission": round(two_s, 2),
                    "ratio": round(one_s / two_s, 2),
                    "scores_as_expected": ok,
                }
            )
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
