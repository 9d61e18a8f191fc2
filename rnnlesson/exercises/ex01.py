"""Checkers for the exercises of notebook 01 (the data).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import math

import torch

from rnnlesson._checks import positive_int
from rnnlesson import data
from rnnlesson.data import N_POINTS, SPAN, time_step
from rnnlesson.exercises import (NO_ANSWER, as_choice, as_count, as_number, as_shape, as_values, call_without,
                                 checker, report)

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
    if len(got_sf) == 3 and got_bf[1:] == right_bf[1:] and got_sf[0] == seq_len and got_sf[2:] == right_sf[2:]:
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


# ---- the Think! questions after the window explorer ---------------------------------------------

POST_STARTS = (0.0, 1.0, 2.0, data.PERIOD)  # on the explorer's slider, 0 to 2π


@checker
def check_think_post_starts(starts: object) -> bool:
    """Think! 1: the starts on the explorer's slider (0 to 2π) at which the window is one of the post's,
    as a list or tuple of numbers (2π may be written math.tau or 2 * math.pi)."""
    if starts is None:
        return report(False, "", NO_ANSWER)
    if isinstance(starts, (str, bytes)) or not isinstance(starts, (list, tuple, set)):
        return report(False, "", "give the starts as a list of numbers, e.g. [0.5, 1.5].")
    got = sorted(as_number(s, "each start should be a number") for s in starts)
    if len(got) == len(POST_STARTS) and all(abs(g - p) < 1e-3 for g, p in zip(got, POST_STARTS)):
        return report(True, "0, 1 and 2 are the post's starts, and 2π gives the window at 0 again: the sine "
                      "repeats every 2π.", "")
    if any(abs(g - 6.28) < 1e-9 for g in got):
        return report(False, "", "6.28 is not 2π: the explorer labels the slider's last position 2π, and the "
                      "position before it, 6.28, shows a window the post never drew.")
    extra = [g for g in got if all(abs(g - p) >= 1e-3 for p in POST_STARTS)]
    if extra:
        return report(False, "", "the post draws only the integers 0, 1 and 2 (np.random.randint(3)); every other "
                      "start gives a window it never trained on, unless it is a whole period away from one of them.")
    return report(False, "", "one is missing: move start to the end of the slider, where the readout says "
                  "whether that window is one of the post's, and think of the sine's period.")


@checker
def check_think_count_changes(changes: object) -> bool:
    """Think! 2: does the number of distinct windows the post's starts give ever change as n_points
    moves from 2 to 100?"yes" or "no"."""
    if changes is None:
        return report(False, "", NO_ANSWER)
    answer = as_choice(changes, ("yes", "no"), "whether the count changes")
    if answer == "no":
        return report(True, "it stays 3: a window is fixed by its start, and the post draws three starts. More "
                      "points sample the same three curves more finely; only more starts give more windows.", "")
    return report(False, "", "move n_points across its range and watch the readout's count: what fixes a window, "
                  "its points or its start?")


@checker
def check_think_two_points(n_inputs: object, n_targets: object) -> bool:
    """Think! 3: with n_points = 2, how many inputs and how many targets are left (two ints)?"""
    if n_inputs is None or n_targets is None:
        return report(False, "", NO_ANSWER)
    got = (as_count(n_inputs, "give the number of inputs as an int"),
           as_count(n_targets, "give the number of targets as an int"))
    if got == (1, 1):
        return report(True, "one input and one target, a whole 10 time units apart: a single pair, from which "
                      "the network can learn nothing about the shape of the wave.", "")
    if got == (2, 2):
        return report(False, "", "the inputs are all points but the last, and the targets all points but the "
                      "first: count what is left of 2 points.")
    return report(False, "", "inputs and targets are the same window shifted by one step, so there are as many "
                  "of each, one fewer than the points.")
