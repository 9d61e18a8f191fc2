"""nbgrader grades the course for real (make test-class): `nbgrader generate_assignment`
on the directory that course/nbgrader.py writes, submissions put under submitted/,
`nbgrader autograde`,
`nbgrader export` to a CSV gradebook, and every score asserted exactly.

- The reference solutions (the source version, answers in) get full marks, in all six
  assignments.
- The untouched learners' copy (release/, as `fetch_assignment` hands it out) gets 0.
- Typical mistakes get the partial score expected.
- A submission that redefines a checker, or patches rnnlesson.exercises to say "Correct",
  scores 0 for those exercises.
- A submission that never finishes is stopped after the cell time limit and scores 0; the
  others of the batch are graded.
- A damaged notebook file is reported by its path; the others of the batch are graded.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers.nbgrader_course import (
    ASSIGNMENTS,
    CHEATS_01,
    ENDLESS_01,
    EXPECTED,
    MISTAKES_01,
    MISTAKES_06,
    Course,
    answered,
)

# `class` is a Python keyword
pytestmark = [pytest.mark.slow, getattr(pytest.mark, "class")]

CELL_TIMEOUT_S = 30


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course(
        tmp_path_factory.mktemp("nbgrader") / "course", cell_timeout_s=CELL_TIMEOUT_S
    )
    began = time.monotonic()
    students = ["reference", "untouched", "mistakes", "cheater", "endless", "damaged"]
    course.add_students(*students)
    released = {}
    for assignment in ASSIGNMENTS:
        released[assignment] = course.generate(assignment)
        course.submit("reference", assignment, course.source(assignment))
    for assignment in ("01_data", "06_batch_stacking"):
        course.submit("untouched", assignment, released[assignment])
    course.submit("mistakes", "01_data", answered(released["01_data"], MISTAKES_01))
    course.submit("cheater", "01_data", answered(released["01_data"], CHEATS_01))
    course.submit("endless", "01_data", answered(released["01_data"], ENDLESS_01))
    damaged = course.submit(
        "damaged", "01_data", '{"cells": [{"cell_type": "code", "source": '
    )
    course.submit(
        "mistakes",
        "06_batch_stacking",
        answered(released["06_batch_stacking"], MISTAKES_06),
    )
    results = {
        assignment: course.run("autograde", assignment, check=False)
        for assignment in ASSIGNMENTS
    }
    grades = course.grades()
    print(
        f"\nnbgrader: {len(grades)} graded submissions in {time.monotonic() - began:.0f} "
        f"s; log {course.log}"
    )
    return course, results, grades, damaged


def test_every_score_in_the_gradebook_is_the_expected_one(graded):
    course, results, grades, damaged = graded
    submitted = {key: value for key, value in grades.items() if key in EXPECTED}
    assert submitted == EXPECTED, course.log.read_text()[-5000:]
    # The gradebook also lists each student for each assignment they did not hand in: with
    # 0.
    assert all(
        score == 0.0 for key, (score, _) in grades.items() if key not in EXPECTED
    ), grades
    assert len(grades) == len(ASSIGNMENTS) * 6


def test_a_damaged_notebook_is_reported_by_name_and_the_others_are_graded(graded):
    course, results, grades, damaged = graded
    result = results["01_data"]
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "damaged" in output and str(damaged.name) in output, output[-3000:]
    assert grades.get(("01_data", "damaged"), (0.0, 6.0))[0] == 0.0
    assert ("01_data", "mistakes") in grades and ("01_data", "cheater") in grades


def test_a_never_ending_submission_is_stopped_and_the_batch_goes_on(graded):
    course, results, grades, damaged = graded
    output = results["01_data"].stdout + results["01_data"].stderr
    assert "timed out" in output.lower() or "timeout" in output.lower(), output[-3000:]
    assert grades[("01_data", "endless")] == (0.0, 6.0)
    assert grades[("01_data", "cheater")] == (1.0, 6.0)  # graded after it
