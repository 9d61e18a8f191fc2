"""Checkers for the exercises of notebook 01 (the data).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from rnnlesson import data
from rnnlesson.data import N_POINTS, SPAN, time_step
from rnnlesson.exercises import (
    judge_cases,
    learner_function,
    NO_ANSWER,
    NotYet,
    as_count,
    as_number,
    as_shape,
    as_values,
    call_each,
    checker,
    choice_verdict,
    report,
)

# exercise 1: starts the learner's function is called with, none in the notebook
TARGET_STARTS = (0.3, 4.1, -1.7)
SHAPE_BATCH = 8  # exercise 2: the batch size in the notebook's prose
# exercise 2: batch sizes the learner's function is called with, none in the notebook
SHAPE_BATCHES = (3, 12, 21)
STEP_POINTS = (100, 13, 401)  # exercise 3: windows of this many points over the same span

# exercise 1: what the exercise asks the learner to compute without, and how a hint names
# each
DATA_SHORTCUTS = [
    (data, name, f"rnnlesson.data.{name}")
    for name in ("sine_windows", "sine_series", "time_step")
]


def _targets(start: float, mistake: str | None = None) -> torch.Tensor:
    """The targets of the window at ``start`` [1, 49, 1] in float64, right or with a
    mistake of TARGET_MISTAKES."""
    n, end = (
        (N_POINTS - 1 if mistake == "49 points" else N_POINTS),
        (SPAN if mistake == "end at 10" else start + SPAN),
    )
    if mistake == "start ignored":
        start, end = 0.0, SPAN
    values = torch.sin(torch.linspace(start, end, n, dtype=torch.float64))
    return (values[:-1] if mistake == "inputs" else values[1:]).reshape(1, -1, 1)


TARGET_MISTAKES = {
    "inputs": "these are the inputs (the first 49 points); the targets are the last 49 "
    "points.",
    "49 points": "your times hold 49 points, one too few for a window, so one target is "
    "missing: a window "
    "has 50 points over [start, start + 10], of which the targets are the last 49.",
    "end at 10": "your times end at 10 whatever the start: a window ends at start + 10.",
    "start ignored": "your function gives the window at start 0 whatever start it is "
    "given: the times begin "
    "at start.",
}


@checker
def check_targets(targets_by_hand: object) -> bool:
    """Exercise 1: ``targets_by_hand(start)`` should return the targets of the window at
    ``start``: [1, 49, 1], sin at the last 49 of 50 evenly spaced times over [start, start
    + 10] (a tensor or a
    numpy array). The checker calls it with starts the notebook never uses, with
    rnnlesson.data's window functions made unavailable, since the exercise asks for
    linspace and sin by hand."""
    learner_function(targets_by_hand, "pass your function itself, targets_by_hand(start)")
    for (start,), got in call_each(
        targets_by_hand,
        DATA_SHORTCUTS,
        ("start",),
        [(s,) for s in TARGET_STARTS],
        "return the tensor of targets.",
    ):
        y = as_values(got, "your function's result", shaped=f"[1, {N_POINTS - 1}, 1]")
        expected = _targets(start)
        if list(y.shape) == [1, N_POINTS - 2, 1] and torch.allclose(
            y, _targets(start, "49 points"), atol=1e-5
        ):
            raise NotYet(TARGET_MISTAKES["49 points"])
        if list(y.shape) != list(expected.shape):
            raise NotYet(
                "the targets should be shaped [batch, seq_len, feature] = "
                f"{list(expected.shape)}, got {list(y.shape)}. Try .reshape(1, -1, 1)."
            )
        if torch.allclose(y, expected, atol=1e-5):
            continue
        for mistake, hint in TARGET_MISTAKES.items():
            if mistake != "49 points" and torch.allclose(
                y, _targets(start, mistake), atol=1e-5
            ):
                raise NotYet(hint)
        raise NotYet(
            f"with start={start} the values differ from sin(t) at the last "
            f"{N_POINTS - 1} of {N_POINTS} times over [start, start + {SPAN:g}]. Check "
            "torch.linspace's arguments and the slice."
        )
    return report(
        True,
        "your function builds the targets of any window: the inputs shifted by one "
        f"step, checked at {len(TARGET_STARTS)} starts the notebook never uses.",
        "",
    )


def _shapes(
    batch: int, mistake: str | None = None
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The input shapes of a batch of ``batch`` windows (batch first, seq first), right or
    with a mistake of SHAPE_MISTAKES."""
    seq_len = N_POINTS if mistake == "50 points" else N_POINTS - 1
    batch = SHAPE_BATCH if mistake == "batch ignored" else batch
    right_bf, right_sf = (batch, seq_len, 1), (seq_len, batch, 1)
    return {
        "swapped": (right_sf, right_bf),
        "no feature": (right_bf[:2], right_sf[:2]),
        "feature moved": (right_bf, (batch, 1, seq_len)),
        "reversed": (right_bf, right_bf[::-1]),
    }.get(mistake, (right_bf, right_sf))


SHAPE_MISTAKES = {
    "swapped": "the two are swapped: batch_first=True puts the batch in dimension 0.",
    "50 points": f"a window has {N_POINTS} points, but the input holds only the first "
    f"{N_POINTS - 1}.",
    "feature moved": "seq first swaps the first two dimensions, batch and seq_len; the "
    "feature dimension "
    "stays last.",
    "reversed": "seq first swaps the first two dimensions, batch and seq_len; the "
    "feature dimension stays last.",
    "no feature": "keep the feature dimension: each step of the input holds one value, "
    "so the shape has "
    "three entries.",
    "batch ignored": "your shapes do not change with batch: the batch dimension is the "
    "number of windows, "
    "the argument your function is given.",
}

# exercises 2 and 3: the package's windows, and its time step, are what the exercises ask
# to work out
WINDOW_SHORTCUTS = [
    (data, name, f"rnnlesson.data.{name}") for name in ("sine_windows", "sine_series")
]
STEP_SHORTCUTS = [
    (data, "time_step", "rnnlesson.data.time_step"),
    *WINDOW_SHORTCUTS,
    (
        torch,
        "linspace",
        "torch.linspace (count the gaps between the points instead of measuring one)",
    ),
    (
        np,
        "linspace",
        "numpy.linspace (count the gaps between the points instead of measuring one)",
    ),
]


@checker
def check_shapes(input_shapes: object) -> bool:
    """Exercise 2: ``input_shapes(batch)`` returns the input shape of a batch of ``batch``
    windows in both layouts, (batch first, seq first), each a tuple (or list, or
    torch.Size) of ints. The checker calls it
    with batch sizes the notebook never uses, with rnnlesson.data's window functions made
    unavailable."""
    learner_function(input_shapes, "pass your function itself, input_shapes(batch)")
    for (batch,), got in call_each(
        input_shapes,
        WINDOW_SHORTCUTS,
        ("batch",),
        [(b,) for b in SHAPE_BATCHES],
        "return the two shapes, (batch first, seq first).",
    ):
        if (
            isinstance(got, (str, bytes))
            or not isinstance(got, (tuple, list))
            or len(got) != 2
        ):
            raise NotYet("return the two shapes as a pair: (batch first, seq first).")
        got = (as_shape(got[0]), as_shape(got[1]))
        if got == _shapes(batch):
            continue
        for mistake, hint in SHAPE_MISTAKES.items():
            if got == _shapes(batch, mistake):
                raise NotYet(hint)
        raise NotYet(
            f"with batch={batch} the shapes differ: write [batch, seq_len, feature], "
            "then swap the first two for seq first."
        )
    return report(
        True,
        f"batch first is [batch, {N_POINTS - 1}, 1], seq first [{N_POINTS - 1}, batch, "
        "1]; only the first two swap (checked at batch = "
        f"{', '.join(map(str, SHAPE_BATCHES))}).",
        "",
    )


def _step(n_points: int, mistake: str | None = None) -> float:
    """The time step of ``n_points`` over the span, right or with a mistake of
    STEP_MISTAKES."""
    return {
        "points": SPAN / n_points,
        "span 1": 1 / (n_points - 1),
        "floor": float(SPAN // (n_points - 1)),
        "lesson's window": time_step(),
    }.get(mistake, SPAN / (n_points - 1))


STEP_MISTAKES = {
    "points": "you divided the span by the number of points: count the gaps between "
    "neighbouring points instead.",
    "span 1": f"the points share a span of {SPAN:g} time units, not 1.",
    "floor": "// rounds down to a whole number: divide with /.",
    "lesson's window": f"that is the time step of the lesson's {N_POINTS}-point window: "
    "use n_points.",
}


@checker
def check_time_step(time_step_by_hand: object) -> bool:
    """Exercise 3: ``time_step_by_hand(n_points)`` returns the time between neighbouring
    points of a window of ``n_points`` over the span 10 (any number type: int, float, a
    numpy scalar, a 0-d tensor). The
    checker calls it with windows the notebook never uses, with ``data.time_step`` (and
    the linspaces that would measure it) made unavailable."""
    learner_function(
        time_step_by_hand, "pass your function itself, time_step_by_hand(n_points)"
    )
    answers = [
        as_number(got, "your function should return the time step as a number")
        for _, got in call_each(
            time_step_by_hand,
            STEP_SHORTCUTS,
            ("n_points",),
            [(n,) for n in STEP_POINTS],
            "return the time step.",
        )
    ]
    judge_cases(
        [(n,) for n in STEP_POINTS],
        answers,
        _step,
        STEP_MISTAKES,
        "your function returns the same time step whatever n_points: work it out from "
        "n_points.",
        lambda n_points: f"with n_points={n_points}: the span is {SPAN:g} time units, "
        "shared by the "
        "gaps between the points.",
        same=lambda a, b: math.isclose(a, b, rel_tol=1e-4),
    )
    return report(
        True,
        f"n points have n - 1 gaps: dt = {SPAN:g} / (n_points - 1), checked at n_points "
        f"= {', '.join(map(str, STEP_POINTS))}.",
        "",
    )


# ---- the Think! questions after the window explorer ------------------------------------

POST_STARTS = (0.0, 1.0, 2.0, data.PERIOD)  # on the explorer's slider, 0 to 2π


@checker
def check_think_post_starts(starts: object) -> bool:
    """Think! 1: the starts on the explorer's slider (0 to 2π) at which the window is one
    of the post's, as a list or tuple of numbers (2π may be written math.tau or 2 *
    math.pi)."""
    if starts is None:
        raise NotYet(NO_ANSWER)
    if isinstance(starts, (str, bytes)) or not isinstance(starts, (list, tuple, set)):
        raise NotYet("give the starts as a list of numbers, e.g. [0.5, 1.5].")
    got = sorted(as_number(s, "each start should be a number") for s in starts)
    if len(got) == len(POST_STARTS) and all(
        abs(g - p) < 1e-3 for g, p in zip(got, POST_STARTS)
    ):
        return report(
            True,
            "0, 1 and 2 are the post's starts, and 2π gives the window at 0 again: the "
            "sine repeats every 2π.",
            "",
        )
    if any(abs(g - 6.28) < 1e-9 for g in got):
        raise NotYet(
            "6.28 is not 2π: the explorer labels the slider's last position 2π, and the "
            "position before it, 6.28, shows a window the post never drew."
        )
    extra = [g for g in got if all(abs(g - p) >= 1e-3 for p in POST_STARTS)]
    if extra:
        raise NotYet(
            "the post draws only the integers 0, 1 and 2 (np.random.randint(3)); every "
            "other start gives a window it never trained on, unless it is a whole "
            "period away from one of them."
        )
    raise NotYet(
        "one is missing: move start to the end of the slider, where the readout says "
        "whether that window is one of the post's, and think of the sine's period."
    )


def check_think_count_changes(changes: object) -> bool:
    """Think! 2: does the number of distinct windows the post's starts give ever change as
    n_points moves from 2 to 100?"yes" or "no"."""
    return choice_verdict(
        changes,
        ("yes", "no"),
        "whether the count changes",
        "no",
        "it stays 3: a window is fixed by its start, and the post draws three starts. "
        "More points sample the same three curves more finely; only more starts give "
        "more windows.",
        "move n_points across its range and watch the readout's count: what fixes a "
        "window, its points or its start?",
    )


@checker
def check_think_two_points(n_inputs: object, n_targets: object) -> bool:
    """Think! 3: with n_points = 2, how many inputs and how many targets are left (two
    ints)?"""
    if n_inputs is None or n_targets is None:
        raise NotYet(NO_ANSWER)
    got = (
        as_count(n_inputs, "give the number of inputs as an int"),
        as_count(n_targets, "give the number of targets as an int"),
    )
    if got == (1, 1):
        return report(
            True,
            "one input and one target, a whole 10 time units apart: a single pair, from "
            "which the network can learn nothing about the shape of the wave.",
            "",
        )
    if got == (2, 2):
        raise NotYet(
            "the inputs are all points but the last, and the targets all points but the "
            "first: count what is left of 2 points."
        )
    raise NotYet(
        "inputs and targets are the same window shifted by one step, so there are as "
        "many of each, one fewer than the points."
    )
