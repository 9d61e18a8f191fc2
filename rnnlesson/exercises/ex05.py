"""Checkers for the exercises of notebook 05 (autoregressive prediction).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

from rnnlesson._checks import finite_float
from rnnlesson.data import N_POINTS, draw_starts, sine_series, sine_windows
from rnnlesson.exercises import NO_ANSWER, as_count, as_values, checker, report
from rnnlesson.model import SineRNN, check_model
from rnnlesson.pretrained import original_model
from rnnlesson.rollout import one_step, rmse, rmse_by_horizon, rollout

LOOP_START = 2.0  # exercise 1: the window the learner's warm-up loop reads
LOOP_WARMUP = 5  # exercise 1: observed points fed one at a time
LOOP_STEPS = 20  # exercise 1: predictions fed back
HORIZON_STARTS_SEED = 0  # exercise 2: starts = draw_starts(HORIZON_N_STARTS, generator=HORIZON_STARTS_SEED)
HORIZON_N_STARTS = 200
HORIZON_WARMUP = 5
HORIZON_MAX_STEPS = 300
HORIZON_THRESHOLD = 0.1
SPREAD_STARTS_SEED = 1  # exercise 3: section 3's windows, draw_starts(SPREAD_N_STARTS, generator=SPREAD_STARTS_SEED)
SPREAD_N_STARTS = 200
SPREAD_WINDOWS = (0, 2)  # exercise 3: the training windows whose final states are compared
SPREAD_THRESHOLD = 0.02
SPREAD_MAX_WARMUP = 20


def _loop_reference(model: SineRNN, start: float, warmup: int) -> Tensor:
    observed = sine_series([start], n_points=LOOP_WARMUP + LOOP_STEPS + 1).values.to(model.dtype)
    return rollout(model, observed, n_steps=LOOP_STEPS, warmup=warmup).reshape(-1).cpu().double()


@checker
def check_warmup_loop(model: SineRNN, predictions: object, start: float = LOOP_START) -> bool:
    """Exercise 1: ``predictions`` should be what a step-by-step loop gives: feed the first
    ``LOOP_WARMUP`` points of the series at ``start`` one at a time, starting from zeros, then feed
    each prediction back, ``LOOP_STEPS`` predictions in all: a tensor (or array) [1, 20, 1], or
    any shape of 20 numbers along one dimension ([20], [1, 20], [20, 1])."""
    model = check_model(model)
    start = finite_float("start", start)
    if predictions is None:
        return report(False, "", NO_ANSWER)
    predictions = as_values(predictions, "predictions")
    got = predictions.reshape(-1)
    if got.numel() in (LOOP_WARMUP - 1 + LOOP_STEPS, LOOP_WARMUP + LOOP_STEPS):
        return report(
            False, "", f"keep only the {LOOP_STEPS} predictions made after the warm-up: the outputs for the "
            "warm-up points predict values you had observed anyway."
        )
    if got.numel() != LOOP_STEPS:
        return report(False, "", f"expected {LOOP_STEPS} predictions, got {got.numel()} numbers.")
    if sorted(predictions.shape)[:-1] != [1] * (predictions.dim() - 1):
        return report(False, "", f"put the {LOOP_STEPS} predictions along one dimension, e.g. [1, {LOOP_STEPS}, 1], "
                      f"got shape {list(predictions.shape)}.")
    if torch.allclose(got, _loop_reference(model, start, LOOP_WARMUP), atol=1e-5):
        return report(
            True, f"your loop equals rollout(model, observed, n_steps={LOOP_STEPS}, warmup={LOOP_WARMUP}).", ""
        )
    for warmup in (LOOP_WARMUP - 1, LOOP_WARMUP + 1):
        if torch.allclose(got, _loop_reference(model, start, warmup), atol=1e-5):
            return report(
                False, "", f"off by one: these are the predictions after {warmup} observed points, "
                f"not {LOOP_WARMUP}. The first prediction is the output after reading point {LOOP_WARMUP}."
            )
    observed = sine_series([start], n_points=LOOP_WARMUP + LOOP_STEPS).values.to(model.dtype)
    teacher_forced = one_step(model, observed)[:, LOOP_WARMUP - 1 : LOOP_WARMUP - 1 + LOOP_STEPS].reshape(-1)
    if torch.allclose(got, teacher_forced.cpu().double(), atol=1e-5):
        return report(False, "", "these are one-step predictions: after the warm-up, feed your own prediction "
                      "back in, not the true value.")
    return report(
        False, "", f"the numbers differ from the rollout. Start from hidden=None (zeros), use start={start}, "
        "and carry the hidden state from each call to the next."
    )


def _horizon_errors(model: SineRNN) -> Tensor:
    """Exercise 2's error curve, private so that the checker does not give the answer away: RMSE over the exercise's starts at each horizon 1..HORIZON_MAX_STEPS."""
    starts = draw_starts(HORIZON_N_STARTS, generator=HORIZON_STARTS_SEED)
    series = sine_series(starts, n_points=HORIZON_WARMUP + HORIZON_MAX_STEPS).values.to(model.dtype)
    predictions = rollout(model, series, n_steps=HORIZON_MAX_STEPS, warmup=HORIZON_WARMUP)
    return rmse_by_horizon(predictions.cpu(), series[:, HORIZON_WARMUP:])


@checker
def check_horizon(model: SineRNN, horizon: object) -> bool:
    """Exercise 2: ``horizon`` should be the first number of steps ahead (counting from 1) at which
    the RMSE over the exercise's starts exceeds HORIZON_THRESHOLD, after a HORIZON_WARMUP-point warm-up
    (an int, a numpy integer or a 0-d integer tensor)."""
    model = check_model(model)
    if horizon is None:
        return report(False, "", NO_ANSWER)
    horizon = as_count(horizon, "give the horizon as an int (a number of steps)")
    above = torch.nonzero(_horizon_errors(model) > HORIZON_THRESHOLD).reshape(-1)
    if above.numel() == 0:
        return report(False, "", f"this model's RMSE stays below {HORIZON_THRESHOLD} for all {HORIZON_MAX_STEPS} "
                      "steps: use the notebook's model = pretrained.trained_model().")
    right = int(above[0]) + 1
    if horizon == right:
        return report(True, f"the RMSE first exceeds {HORIZON_THRESHOLD} {right} steps ahead, "
                      f"{right / 49:.1f} times the 49 steps of a training window.", "")
    if horizon == right - 1:
        return report(False, "", "off by one: horizons count from 1 (rmse_by_horizon's index 0 is 1 step ahead).")
    if horizon == right + 1:
        return report(False, "", "one too far: give the first horizon whose RMSE is above the threshold.")
    return report(
        False, "", f"not that one. Use starts = data.draw_starts({HORIZON_N_STARTS}, generator={HORIZON_STARTS_SEED}), "
        f"warmup={HORIZON_WARMUP}, n_steps={HORIZON_MAX_STEPS}, and find the first RMSE above {HORIZON_THRESHOLD}."
    )


@functools.cache  # the same shipped model every time
def _spread_by_warmup() -> Tensor:
    """Exercise 3's curve, private so that the checker does not give the answer away: for each
    warm-up k = 1 .. SPREAD_MAX_WARMUP, the RMSE between two rollouts of the
    original model over the exercise's windows, one starting from the state after training window
    SPREAD_WINDOWS[0], the other from the state after SPREAD_WINDOWS[1], each running to the end of
    the window (n_steps = N_POINTS - k). Returns [SPREAD_MAX_WARMUP]; index 0 is warm-up 1."""
    original, _, _ = original_model()
    windows = sine_windows(draw_starts(SPREAD_N_STARTS, generator=SPREAD_STARTS_SEED))
    states = []
    with torch.no_grad():
        for train_start in SPREAD_WINDOWS:
            _, after = original(sine_windows([train_start]).x)  # [1, 1, hidden]
            states.append(after.repeat(1, SPREAD_N_STARTS, 1))  # [1, SPREAD_N_STARTS, hidden]
    spreads = []
    for k in range(1, SPREAD_MAX_WARMUP + 1):
        first, second = (rollout(original, windows.values, n_steps=N_POINTS - k, warmup=k, hidden=h) for h in states)
        spreads.append(rmse(first, second))
    return torch.tensor(spreads)


@checker
def check_spread_warmup(warmup: object) -> bool:
    """Exercise 3: ``warmup`` should be the first warm-up (a number of observed points, from 1) at
    which the spread between the original model's rollouts from the states after training windows
    SPREAD_WINDOWS (over the exercise's windows, each to the end of its window) falls below
    SPREAD_THRESHOLD. A wrong guess is told whether the spread there is still above the threshold,
    never the spread itself, so that guessing does not find the answer."""
    if warmup is None:
        return report(False, "", NO_ANSWER)
    warmup = as_count(warmup, "give the warm-up as an int (a number of observed points)")
    if warmup < 1:
        return report(False, "", f"a warm-up counts observed points, so it is at least 1, got {warmup}.")
    spreads = _spread_by_warmup()
    below = torch.nonzero(spreads < SPREAD_THRESHOLD).reshape(-1)
    if below.numel() == 0:
        raise RuntimeError(f"the spread never falls below {SPREAD_THRESHOLD} within {SPREAD_MAX_WARMUP} warm-up points")
    right = int(below[0]) + 1
    if warmup == right:
        return report(True, f"after {right} observed points the spread is {spreads[right - 1]:.3f}, below "
                      f"{SPREAD_THRESHOLD}; at {right - 1} it was {spreads[right - 2]:.3f}.", "")
    if warmup < right:
        return report(False, "", f"at warm-up {warmup} the spread is still above {SPREAD_THRESHOLD}.")
    return report(False, "", f"a smaller warm-up already brings the spread below {SPREAD_THRESHOLD}: "
                  "compute it for every warm-up from 1 up, not only a few.")


EXPLORER_START = 1.0  # the Think! question on the rollout explorer: start = 1.00,
EXPLORER_STEPS = 49  # n_steps = 49,
EXPLORER_LEFT_AFTER = 2.0  # the trained model left with its state after the window at start 2.0,
EXPLORER_THRESHOLD = 0.05  # and the smallest warm-up whose RMSE is below this
EXPLORER_MAX_WARMUP = 20  # the explorer's warmup slider runs 1..20


@functools.cache  # the same shipped model every time
def _explorer_errors() -> dict[str, Tensor]:
    """The Think! question's curves, private so that the checker does not give the answer away: the
    shipped trained model's RMSE at the explorer's settings for warm-ups 1..EXPLORER_MAX_WARMUP,
    from zeros and from its state after the window at EXPLORER_LEFT_AFTER. Index 0 is warm-up 1."""
    from rnnlesson.pretrained import trained_model

    model = trained_model()
    truth = sine_series([EXPLORER_START], n_points=EXPLORER_MAX_WARMUP + EXPLORER_STEPS).values
    with torch.no_grad():
        _, left = model(sine_windows([EXPLORER_LEFT_AFTER]).x)  # [1, 1, hidden]
    errors = {}
    for state, hidden in (("zeros", None), ("leftover", left)):
        runs = {k: rollout(model, truth, n_steps=EXPLORER_STEPS, warmup=k, hidden=hidden)
                for k in range(1, EXPLORER_MAX_WARMUP + 1)}
        errors[state] = torch.tensor([rmse(run, truth[:, k : k + EXPLORER_STEPS]) for k, run in runs.items()])
    return errors


def _first_below(errors: Tensor) -> int:
    below = torch.nonzero(errors < EXPLORER_THRESHOLD).reshape(-1)
    if below.numel() == 0:
        raise RuntimeError(f"the RMSE never falls below {EXPLORER_THRESHOLD} within {EXPLORER_MAX_WARMUP} warm-up points")
    return int(below[0]) + 1


@checker
def check_explorer_warmup(warmup: object) -> bool:
    """The Think! question of section 7: ``warmup`` should be the smallest warm-up at which the
    trained model's RMSE in the rollout explorer falls below EXPLORER_THRESHOLD, with start 1.00,
    49 steps and the starting state "left over" (its state after the window at start 2.0). A wrong
    guess is told which side it is on, never an RMSE."""
    if warmup is None:
        return report(False, "", NO_ANSWER)
    warmup = as_count(warmup, "give the warm-up as an int (a number of observed points)")
    if not 1 <= warmup <= EXPLORER_MAX_WARMUP:
        return report(False, "", f"the warmup slider runs from 1 to {EXPLORER_MAX_WARMUP}, got {warmup}.")
    errors = _explorer_errors()
    right, from_zeros = _first_below(errors["leftover"]), _first_below(errors["zeros"])
    if warmup == right:
        extra = right - from_zeros
        compared = (f"{extra} more than from zeros" if extra > 0 else "the same as from zeros" if extra == 0
                    else f"{-extra} fewer than from zeros")
        return report(True, f"from its leftover state the trained model needs {right} observed points to get below "
                      f"{EXPLORER_THRESHOLD}: {compared}.", "")
    if warmup == from_zeros:
        return report(False, "", "that is the answer from zeros: choose 'left over' first, then move the warm-up.")
    if warmup < right:
        return report(False, "", f"at warm-up {warmup} the trained model's RMSE is still above {EXPLORER_THRESHOLD}.")
    return report(False, "", f"a smaller warm-up already brings it below {EXPLORER_THRESHOLD}: move the warm-up "
                  "slider up one step at a time from 1.")
