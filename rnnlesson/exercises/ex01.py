"""Checkers for the exercises of notebook 01 (the data).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import math

import torch

from rnnlesson._checks import positive_int
from rnnlesson.data import N_POINTS, SPAN, sine_windows, time_step
from rnnlesson.exercises import NO_ANSWER, as_number, as_shape, as_values, checker, report

TARGET_START = 2.5  # exercise 1: the window whose targets the learner builds by hand
SHAPE_BATCH = 8  # exercise 2: the batch size whose input shapes the learner writes down
STEP_POINTS = 100  # exercise 3: a window of this many points over the same span


@checker
def check_targets(y: object, start: float = TARGET_START) -> bool:
    """Exercise 1: ``y`` should be the targets of the window at ``start``: [1, 49, 1],
    sin at the last 49 of 50 evenly spaced times over [start, start + 10] (a tensor or a numpy array)."""
    expected = sine_windows([start])
    if y is None:
        return report(False, "", NO_ANSWER)
    y = as_values(y, "y", shaped=f"[1, {N_POINTS - 1}, 1]")
    if list(y.shape) != list(expected.y.shape):
        return report(
            False,
            "",
            f"y should be shaped [batch, seq_len, feature] = {list(expected.y.shape)}, got {list(y.shape)}."
            " Try .reshape(1, -1, 1).",
        )
    if torch.allclose(y, expected.y.double(), atol=1e-5):
        return report(True, f"these are the targets of the window at start={start}: the inputs shifted by one step.", "")
    if torch.allclose(y, expected.x.double(), atol=1e-5):
        return report(False, "", "these are the inputs (the first 49 points); the targets are the last 49 points.")
    return report(
        False,
        "",
        f"the values differ from sin(t) at the last {N_POINTS - 1} of {N_POINTS} times over "
        f"[{start}, {start + SPAN}]. Check torch.linspace's arguments and the slice.",
    )


@checker
def check_shapes(batch_first: object, seq_first: object, batch: int = SHAPE_BATCH) -> bool:
    """Exercise 2: the input shape of a batch of ``batch`` windows in both layouts,
    as tuples (or lists, or torch.Size) of ints."""
    batch = positive_int("batch", batch)
    seq_len = N_POINTS - 1
    right_bf, right_sf = (batch, seq_len, 1), (seq_len, batch, 1)
    if batch_first is None or seq_first is None:
        return report(False, "", NO_ANSWER)
    try:
        got_bf, got_sf = as_shape(batch_first), as_shape(seq_first)
    except ValueError as error:
        return report(False, "", str(error))
    if (got_bf, got_sf) == (right_bf, right_sf):
        return report(True, f"batch first is {right_bf}, seq first is {right_sf}; only the first two swap.", "")
    if (got_bf, got_sf) == (right_sf, right_bf):
        return report(False, "", "the two are swapped: batch_first=True puts the batch in dimension 0.")
    if seq_len + 1 in got_bf + got_sf:
        return report(False, "", f"a window has {N_POINTS} points, but the input holds only the first {seq_len}.")
    return report(False, "", "write [batch, seq_len, feature] with batch = 8, then swap the first two for seq first.")


@checker
def check_time_step(dt: object, n_points: int = STEP_POINTS) -> bool:
    """Exercise 3: the time between neighbouring points of a window of ``n_points`` over the span 10
    (any number type: int, float, a numpy scalar, a 0-d tensor)."""
    right = time_step(n_points=n_points)
    if dt is None:
        return report(False, "", NO_ANSWER)
    dt = as_number(dt, "give the time step as a number")
    if math.isclose(dt, right, rel_tol=1e-4):
        return report(True, f"{n_points} points have {n_points - 1} gaps: dt = {SPAN:g}/{n_points - 1} = {right:.4f}.", "")
    if math.isclose(dt, SPAN / n_points, rel_tol=1e-4):
        return report(False, "", f"count the gaps, not the points: {n_points} points have {n_points - 1} gaps.")
    return report(False, "", f"the span is {SPAN:g} time units, shared by the gaps between {n_points} points.")
