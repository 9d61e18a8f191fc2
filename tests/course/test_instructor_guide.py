"""INSTRUCTORS.md keeps up with the notebooks: an answer for every exercise and every
Think! question of each notebook, the prerequisites and the time, and the credit to the
post the series comes from."""

from __future__ import annotations

import re

import nbformat
import pytest

from course.series import ROOT, is_solution, series
from tests.helpers.notebooks import CHECK_CALL

GUIDE = ROOT / "INSTRUCTORS.md"
SERIES = series()


def section(text: str, number: str) -> str:
    """The guide's section on notebook ``number``: from its '### NN ·' heading to the next
    one."""
    parts = re.split(r"^### (?=\d\d ·)", text, flags=re.MULTILINE)
    found = [part for part in parts if part.startswith(f"{number} ·")]
    assert len(found) == 1, f"the guide should have one section '### {number} · ...'"
    return found[0]


@pytest.mark.parametrize("path", SERIES, ids=[p.stem for p in SERIES])
def test_every_exercise_and_think_question_has_an_answer(path):
    nb = nbformat.read(path, as_version=4)
    part = section(GUIDE.read_text(), path.name[:2])
    n_exercises = sum(
        1
        for c in nb.cells
        if c.cell_type == "code"
        and not is_solution(c)
        and CHECK_CALL.search(c.source)
        # a Think! question's check is answered under Think!
        and "check_think_" not in c.source
    )
    answered = re.findall(r"^\*\*Exercise (\d)\b", part, flags=re.MULTILINE)
    assert answered == [str(k) for k in range(1, n_exercises + 1)], (
        f"{path.name}: {n_exercises} exercises, guide has {answered}"
    )
    assert part.count("Likely mistake") >= n_exercises, (
        f"{path.name}: each exercise needs its likely mistakes"
    )
    questions = [
        c.source
        for c in nb.cells
        if c.cell_type == "markdown" and re.match(r"#+\s*Think!", c.source)
    ]
    n_questions = sum(
        len(re.findall(r"^\d+\.\s", q, flags=re.MULTILINE)) for q in questions
    )
    if n_questions:
        think = part[part.index("**Think!") :]
        assert len(re.findall(r"^\d+\.\s", think, flags=re.MULTILINE)) == n_questions, (
            f"{path.name}: Think! answers"
        )


def test_the_guide_credits_the_post_and_states_prerequisites_and_time():
    text = " ".join(GUIDE.read_text().split())
    for words in (
        "De Jun Huang",
        "Learning Day 27: Implementing RNN in Pytorch for time-series prediction",
        "13 May 2021",
        "Medium",
        "tensors",
        "autograd",
        "mean squared error",
        "gradient descent",
        "two hours",
        "make student",
        "make site",
        "make notebooks",
        "CC BY 4.0",
        "MIT",
    ):
        assert words in text, f"the instructor guide should mention {words!r}"
