"""Checkers for the exercises of notebook 01 (the data).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import math

import torch

from rnnlesson._checks import positive_int
from rnnlesson import data
from rnnlesson.data import N_POINTS, SPAN, time_step
from rnnlesson.exercises import NO_ANSWER, as_number, as_shape, as_values, call_without, checker, report

TARGET_STARTS = (0.3, 4.1, -1.7)  # exercise 1: starts the learner's function is called with, none in the notebook
SHAPE_BATCH = 8  # exercise 2: the batch size whose input shapes the learner writes down
STEP_POINTS = 100  # exercise 3: a window of this many points over the same span

# exercise 1: what the exercise asks the learner to compute without, and how a hint names each
DATA_SHORTCUTS = [(data, name, f"rnnlesson.data.{name}") for name in ("sine_windows", "sine_series", "time_step")]


def _targets(start: float, mistake: str | None = None) -> torch.Tensor:
    """The targets of the window at ``start`` [1, 49, 1] in float64, right or with a mistake of
    TARGET_MISTAKES."""
    n, end = (N_POINTS - 1 if mistake == "49 points" else N_POINTS), (SPAN if mistake == "end at 10" else start + SPAN)
    if mistake == "start ignored":
        start, end = 0.0, SPAN
    values = torch.sin(torch.linspace(start, end, n, dtype=torch.float64))
    return (values[:-1] if mistake == "inputs" else values[1:]).reshape(1, -1, 1)


TARGET_MISTAKES = {
    "inputs": "these are the inputs (the first 49 points); the targets are the last 49 points.",
    "49 points": "your times hold 49 points, one too few for a window, so one target is missing: a window "
                 "has 50 points over [start, start + 10], of which the targets are the last 49.",
    "end at 10": "your times end at 10 whatever the start: a window ends at start + 10.",
    "start ignored": "your function gives the window at start 0 whatever start it is given: the times begin "
                     "at start.",
}


@checker
def check_targets(targets_by_hand: object) -> bool:
    """Exercise 1: ``targets_by_hand(start)`` should return the targets of the window at ``start``:
    [1, 49, 1], sin at the last 49 of 50 evenly spaced times over [start, start + 10] (a tensor or a
    numpy array). The checker calls it with starts the notebook never uses, with rnnlesson.data's
    window functions made unavailable, since the exercise asks for linspace and sin by hand."""
    if targets_by_hand is None:
        return report(False, "", NO_ANSWER)
    if not callable(targets_by_hand):
        return report(False, "", "pass your function itself, targets_by_hand(start), not "
                      f"a {type(targets_by_hand).__name__}.")
    for start in TARGET_STARTS:
        got, error = call_without(targets_by_hand, DATA_SHORTCUTS, start)
        if error:
            return report(False, "", f"with start={start}: {error}")
        if got is None:
            return report(False, "", "your function returns None: return the tensor of targets.")
        y = as_values(got, "your function's result", shaped=f"[1, {N_POINTS - 1}, 1]")
        expected = _targets(start)
        if list(y.shape) == [1, N_POINTS - 2, 1] and torch.allclose(y, _targets(start, "49 points"), atol=1e-5):
            return report(False, "", TARGET_MISTAKES["49 points"])
        if list(y.shape) != list(expected.shape):
            return report(
                False,
                "",
                f"the targets should be shaped [batch, seq_len, feature] = {list(expected.shape)}, got "
                f"{list(y.shape)}. Try .reshape(1, -1, 1).",
            )
        if torch.allclose(y, expected, atol=1e-5):
            continue
        for mistake, hint in TARGET_MISTAKES.items():
            if mistake != "49 points" and torch.allclose(y, _targets(start, mistake), atol=1e-5):
                return report(False, "", hint)
        return report(
            False,
            "",
            f"with start={start} the values differ from sin(t) at the last {N_POINTS - 1} of {N_POINTS} "
            f"times over [start, start + {SPAN:g}]. Check torch.linspace's arguments and the slice.",
        )
    return report(True, f"your function builds the targets of any window: the inputs shifted by one step, "
                  f"checked at {len(TARGET_STARTS)} starts the notebook never uses.", "")


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
    if (got_bf, got_sf) == (right_bf, (batch, 1, seq_len)) or (got_bf, got_sf) == (right_bf, right_bf[::-1]):
        return report(False, "", "seq first swaps the first two dimensions, batch and seq_len; the feature "
                      "dimension stays last.")
    if len(got_bf) == 2 or len(got_sf) == 2:
        return report(False, "", "keep the feature dimension: each step of the input holds one value, so the "
                      "shape has three entries.")
    if got_bf[1:] == right_bf[1:] and got_sf[0] == seq_len and got_sf[2:] == right_sf[2:]:
        return report(False, "", "the sequence length and feature are right; the batch is the number of "
                      "windows in the batch, as the exercise says.")
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
        return report(False, "", "you divided the span by the number of points: count the gaps between "
                      "neighbouring points instead.")
    if math.isclose(dt, time_step(), rel_tol=1e-4):
        return report(False, "", f"that is the time step of the lesson's {data.N_POINTS}-point window: "
                      f"the exercise asks about a window of {n_points} points.")
    if math.isclose(dt, 1 / (n_points - 1), rel_tol=1e-4) or math.isclose(dt, 1 / n_points, rel_tol=1e-4):
        return report(False, "", f"the points share a span of {SPAN:g} time units, not 1.")
    return report(False, "", f"the span is {SPAN:g} time units, shared by the gaps between {n_points} points.")
