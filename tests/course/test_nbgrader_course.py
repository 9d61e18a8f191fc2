"""The nbgrader course directory (`make nbgrader`, course/nbgrader.py), checked without
nbgrader: every exercise of the series becomes a solution cell holding its placeholder and
its reference
answer, and a locked test cell worth a point with a hidden test; every other cell is
locked; the test cell's checker cannot be replaced by a learner's cell. nbgrader's own
commands grade the course in tests/classroom/test_nbgrader_grading.py (make
test-class)."""

from __future__ import annotations

import contextlib
import io
import re
import sys

import nbformat
import pytest

from course import grading, nbgrader as course_nbgrader
from course.series import is_solution, series


@pytest.fixture(scope="module")
def course() -> dict[str, nbformat.NotebookNode]:
    return {
        path.stem: course_nbgrader.assignment(nbformat.read(path, as_version=4))
        for path in series()
    }


def cells_of(nb, kind):
    return [cell for cell in nb.cells if cell.metadata["nbgrader"][kind]]


def test_every_exercise_is_a_solution_cell_and_a_graded_test_with_a_hidden_test(course):
    total = 0
    for path in series():
        nb, original = course[path.stem], nbformat.read(path, as_version=4)
        exercises = [
            c
            for c in original.cells
            if c.cell_type == "code"
            and not is_solution(c)
            and re.search(r"\bex\d\d\.check_\w+\(", c.source)
        ]
        solutions, tests = cells_of(nb, "solution"), cells_of(nb, "grade")
        assert len(solutions) == len(tests) == len(exercises) >= 3, path.stem
        for exercise, answer, test in zip(exercises, solutions, tests):
            name = re.search(r"\.(check_\w+)\(", exercise.source).group(1)
            assert nb.cells.index(test) == nb.cells.index(answer) + 1
            assert (
                answer.metadata["nbgrader"]["locked"] is False
                and answer.id == exercise.id
            )
            placeholder = answer.source.split("### BEGIN SOLUTION")[0]
            assert placeholder.strip() and "check_" not in placeholder, answer.source
            assert answer.source.rstrip().endswith("### END SOLUTION")
            meta = test.metadata["nbgrader"]
            assert (
                meta["locked"]
                and meta["points"] == 1
                and meta["grade_id"] == f"test-{name}"
            )
            assert f"{grading.FRESH}().{name}(" in test.source
            hidden = test.source.split("### BEGIN HIDDEN TESTS")[1].split(
                "### END HIDDEN TESTS"
            )[0]
            assert grading.HIDDEN_TESTS[name].strip().splitlines()[0].strip() in hidden
            total += 1
    assert total == len(grading.HIDDEN_TESTS) == 28, total


def test_every_other_cell_is_locked_and_no_solution_note_is_left(course):
    for stem, nb in course.items():
        ids = [cell.metadata["nbgrader"]["grade_id"] for cell in nb.cells]
        assert len(ids) == len(set(ids)), stem
        for cell in nb.cells:
            meta = cell.metadata["nbgrader"]
            assert meta["schema_version"] == 3
            assert meta["locked"] or meta["solution"], (stem, cell.id)
            assert not is_solution(cell), (stem, cell.id)


def test_the_reference_answer_is_the_solution_cells_code(course):
    original = nbformat.read(series()[0], as_version=4)
    reference = next(
        c for c in original.cells if is_solution(c) and "check_targets" in c.source
    )
    answer = next(
        c for c in cells_of(course["01_data"], "solution") if c.id == "d7f23831"
    )
    body = answer.source.split("### BEGIN SOLUTION\n")[1].split("\n### END SOLUTION")[0]
    kept = "\n".join(
        line for line in reference.source.splitlines() if "check_targets" not in line
    )
    # the answer without its checker call and the blank lines before it
    assert body == kept.rstrip("\n")


def run_test_cell(source: str, namespace: dict) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, "test-cell", "exec"), namespace)
    return out.getvalue()


def test_a_redefined_or_patched_checker_does_not_pass_the_test_cell(course):
    test = next(
        c
        for c in cells_of(course["01_data"], "grade")
        if "check_time_step" in c.metadata["nbgrader"]["grade_id"]
    )
    visible = test.source.split("### BEGIN HIDDEN TESTS")[0]
    from rnnlesson import exercises
    from rnnlesson.exercises import ex01

    saved = (ex01.check_time_step, ex01.report, exercises.report)
    try:
        ex01.check_time_step = lambda *args, **kwargs: print("Correct") or True
        ex01.report = exercises.report = (
            lambda ok, success, hint: print("Correct") or True
        )
        fake = type(sys)("ex01")
        fake.check_time_step = lambda *args: True
        namespace = {"time_step_by_hand": lambda n_points: 0.1, "ex01": fake}
        # the patch works on the learner's module
        assert ex01.check_time_step(lambda n_points: 0.1) is True
        with pytest.raises(AssertionError, match="check_time_step: not yet"):
            run_test_cell(visible, namespace)
        assert sys.modules["rnnlesson.exercises.ex01"] is ex01, (
            "the learner's modules are put back"
        )
        assert "Correct" in run_test_cell(
            visible, {"time_step_by_hand": lambda n_points: 10 / (n_points - 1)}
        )
    finally:
        ex01.check_time_step, ex01.report, exercises.report = saved


@pytest.mark.parametrize(
    "name",
    [
        "check_shapes",
        "check_time_step",
        "check_parameter_count",
        "check_hidden_shape",
        "check_two_layer",
        "check_row_index",
        "check_unstack_seq_first",
        "check_fixed_forward",
        "check_accumulate",
        "check_batched_loop",
        "check_survivors",
    ],
)
def test_a_hidden_test_passes_the_reference_function_and_fails_a_hard_coded_one(
    course, name
):
    stem = {
        "check_shapes": "01_data",
        "check_time_step": "01_data",
        "check_parameter_count": "02_model",
        "check_hidden_shape": "02_model",
        "check_two_layer": "02_model",
        "check_accumulate": "04_zero_grad",
        "check_survivors": "04_zero_grad",
        "check_batched_loop": "03_training",
    }.get(name, "06_batch_stacking")
    nb = course[stem]
    answer = next(
        c
        for c in cells_of(nb, "solution")
        if c.metadata["nbgrader"]["grade_id"] == f"answer-{name}"
    )
    import torch
    from torch import nn
    from torch.nn.functional import mse_loss

    namespace = {"torch": torch, "nn": nn, "mse_loss": mse_loss}
    exec(answer.source, namespace)
    hidden = (
        "def _h():\n"
        + "\n".join(
            "    " + line for line in grading.HIDDEN_TESTS[name].strip().splitlines()
        )
        + "\n_h()"
    )
    exec(hidden, namespace)  # the reference passes
    learner = [
        k for k in namespace if k not in ("torch", "nn", "mse_loss", "__builtins__", "_h")
    ][0]
    real = namespace[learner]
    # what a learner who pasted the visible checker's result would hand in: the
    # reference's first answer on the checker's own inputs, whatever the input
    import importlib

    module = importlib.import_module(f"rnnlesson.exercises.ex{stem[:2]}")
    seen = []
    with contextlib.redirect_stdout(io.StringIO()):
        assert getattr(module, name)(lambda *args: seen.append(real(*args)) or seen[-1])
    namespace[learner] = lambda *args: seen[0]
    with pytest.raises((AssertionError, RuntimeError, ValueError, TypeError, IndexError)):
        exec(hidden, namespace)


def _value_answers(name: str) -> tuple[dict, dict]:
    """(the right answer, a wrong answer a learner might hand in) of a value exercise, as
    the notebook's names; the right one is what the exercise's checker computes."""
    from rnnlesson.exercises import ex03, ex05
    from rnnlesson.pretrained import trained_model

    model = trained_model()
    if name == "check_small_model_error":
        errors = ex03._small_model_errors(0)
        return {"small_error": errors["right"]}, {"small_error": errors["all 49 targets"]}
    if name == "check_carried_first_step":
        zeros, carried = ex03._first_step_errors(
            model, ex03.FIRST_WINDOWS, ex03.FIRST_CARRIED
        )
        return (
            {"model": model, "zeros_error": zeros, "carried_error": carried},
            {"model": model, "zeros_error": carried, "carried_error": zeros},
        )
    if name == "check_explorer_warmup":
        right = ex05._first_below(ex05._explorer_errors()["leftover"])
        return {"my_explorer_warmup": right}, {"my_explorer_warmup": right + 1}
    right = ex05._horizon_answers(model)["right"]
    return {"my_horizon": right}, {"my_horizon": right - 1}


@pytest.mark.parametrize(
    "name",
    [
        "check_small_model_error",
        "check_carried_first_step",
        "check_explorer_warmup",
        "check_horizon",
    ],
)
def test_a_value_exercises_hidden_test_recomputes_the_value(name):
    """The hidden test of an exercise answered by a value recomputes it in its own way:
    the checker's answer passes, and a near miss fails."""
    hidden = (
        "def _h():\n"
        + "\n".join(
            "    " + line for line in grading.HIDDEN_TESTS[name].strip().splitlines()
        )
        + "\n_h()"
    )
    assert "_fresh" not in hidden and "ex0" not in hidden, (
        "a hidden test must not call the checker's code"
    )
    right, wrong = _value_answers(name)
    exec(hidden, dict(right))
    with pytest.raises(AssertionError):
        exec(hidden, dict(wrong))
