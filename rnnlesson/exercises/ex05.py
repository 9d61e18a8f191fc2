"""Checkers for the exercises of notebook 05 (autoregressive prediction).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
from torch import Tensor

from rnnlesson.widgets import SLIDER_MAX_WARMUP
from rnnlesson.data import N_POINTS, draw_starts, sine_series, sine_windows
from rnnlesson.exercises import (
    learner_function,
    NO_ANSWER,
    NotYet,
    as_choice,
    as_count,
    as_number,
    as_values,
    call_without,
    checker,
    choice_verdict,
    report,
)
from rnnlesson.model import SineRNN, check_model
from rnnlesson.pretrained import original_model
from rnnlesson import rollout as rollouts
from rnnlesson.rollout import one_step, rmse, rmse_by_horizon, rollout

LOOP_START = 2.0  # exercise 1: the window the learner's warm-up loop reads
LOOP_WARMUP = 5  # exercise 1: observed points fed one at a time
LOOP_STEPS = 20  # exercise 1: predictions fed back
# exercise 2: starts = draw_starts(HORIZON_N_STARTS, generator=HORIZON_STARTS_SEED)
HORIZON_STARTS_SEED = 0
HORIZON_N_STARTS = 200
HORIZON_WARMUP = 5
HORIZON_MAX_STEPS = 300
HORIZON_THRESHOLD = 0.1
# exercise 3: section 3's windows, draw_starts(SPREAD_N_STARTS,
# generator=SPREAD_STARTS_SEED)
SPREAD_STARTS_SEED = 1
SPREAD_N_STARTS = 200
# exercise 3: the training windows whose final states are compared
SPREAD_WINDOWS = (0, 2)
SPREAD_THRESHOLD = 0.02
SPREAD_MAX_WARMUP = 20


# exercise 1: starts of the series the checker gives the learner's loop, not the
# notebook's
LOOP_CASES = (4.4, -0.8)


def _loop_models() -> list[SineRNN]:
    """The models exercise 1's checker runs the learner's loop with: the shipped trained
    one and the post's."""
    from rnnlesson.pretrained import trained_model

    return [trained_model(), original_model()[0]]


def _loop_series(start: float) -> Tensor:
    return sine_series([start], n_points=LOOP_WARMUP + LOOP_STEPS).values  # [1, 25, 1]


def _simulated_loop(
    model: SineRNN, observed: Tensor, mistake: str | None = None
) -> Tensor:
    """Exercise 1's loop [20] in float64: right, or with one of LOOP_MISTAKES."""
    with torch.no_grad():
        if mistake == "teacher forced":
            return (
                one_step(model, observed)[
                    :, LOOP_WARMUP - 1 : LOOP_WARMUP - 1 + LOOP_STEPS
                ]
                .reshape(-1)
                .double()
            )
        if mistake == "ignores observed":
            observed = _loop_series(LOOP_START)
        warmup = {"warm-up 4": LOOP_WARMUP - 1, "warm-up 6": LOOP_WARMUP + 1}.get(
            mistake, LOOP_WARMUP
        )
        if mistake == "state not carried":
            pred, predictions = None, []
            for i in range(warmup):
                pred, _ = model(observed[:, i : i + 1])
            for _ in range(LOOP_STEPS):
                predictions.append(pred)
                pred, _ = model(pred)
            return torch.cat(predictions, dim=1).reshape(-1).double()
        if warmup > observed.shape[1]:
            # only its length matters for the check below
            observed = sine_series([0.0], n_points=warmup).values
        return (
            rollout(model, observed, n_steps=LOOP_STEPS, warmup=warmup)
            .reshape(-1)
            .double()
        )


LOOP_MISTAKES = {
    "teacher forced": "these are one-step predictions: after the warm-up, feed your own "
    "prediction back in, "
    "not the true value.",
    "state not carried": "your loop does not carry the hidden state: pass the hidden "
    "state each call returns "
    "into the next call.",
    "warm-up 4": "your first prediction comes one observed point too early: it is the "
    "output after reading "
    "the last of the warm-up points.",
    "warm-up 6": "your loop reads one observed point too many before predicting: the "
    "warm-up is the exercise's "
    "number of points.",
    "ignores observed": "your function ignores observed: it predicts the notebook's "
    "series at start 2.0 whatever "
    "series it is given.",
}


@checker
def check_warmup_loop(warmup_loop: object) -> bool:
    """Exercise 1: ``warmup_loop(model, observed) -> predictions`` should be the
    step-by-step loop: start from zeros, feed the first ``LOOP_WARMUP`` points of
    ``observed`` [1, 25, 1] one at a time,
    then feed each prediction back, ``LOOP_STEPS`` predictions in all: a tensor (or array)
    [1, 20, 1], or any shape of 20 numbers along one dimension ([20], [1, 20], [20, 1]).
    The checker calls it with two models and series the notebook never uses, with
    ``rollout`` made unavailable, and checks that every call of the model reads one
    point."""
    learner_function(
        warmup_loop, "pass your function itself, warmup_loop(model, observed)"
    )
    for model, start in zip(_loop_models(), LOOP_CASES):
        observed = _loop_series(start)
        lengths: list[int] = []

        def forward(
            x: Tensor, hidden: Tensor | None = None, _model: SineRNN = model
        ) -> tuple[Tensor, Tensor]:
            lengths.append(x.shape[1] if isinstance(x, Tensor) and x.dim() == 3 else -1)
            return type(_model).forward(_model, x, hidden)

        object.__setattr__(model, "forward", forward)  # counts the points each call reads
        shortcuts = [
            (
                rollouts,
                "rollout",
                "rollout(...), the loop this exercise asks you to write",
            )
        ]
        try:
            with torch.no_grad():
                got, error = call_without(warmup_loop, shortcuts, model, observed.clone())
        finally:
            object.__delattr__(model, "forward")
        if error:
            raise NotYet(error)
        if got is None:
            raise NotYet(
                "your function returns None: return the predictions as a tensor."
            )
        if (
            isinstance(got, (list, tuple))
            and all(isinstance(g, Tensor) for g in got)
            and got
        ):
            raise NotYet(
                "your function returns a list of tensors: join them into one, e.g. "
                "torch.cat(predictions, dim=1)."
            )
        at_once = any(n > 1 for n in lengths)
        one_at_a_time = (
            "the exercise asks you to feed the points one at a time, but one call of "
            f"the model read {max(lengths, default=0)} points at once."
        )
        predictions = as_values(got, "predictions")
        flat = predictions.reshape(-1)
        if flat.numel() in (LOOP_WARMUP - 1 + LOOP_STEPS, LOOP_WARMUP + LOOP_STEPS):
            raise NotYet(
                f"keep only the {LOOP_STEPS} predictions made after the warm-up: the "
                "outputs for the warm-up points predict values you had observed "
                "anyway."
            )
        if flat.numel() != LOOP_STEPS:
            raise NotYet(
                f"expected {LOOP_STEPS} predictions, got {flat.numel()} numbers."
            )
        if sorted(predictions.shape)[:-1] != [1] * (predictions.dim() - 1):
            raise NotYet(
                f"put the {LOOP_STEPS} predictions along one dimension, e.g. "
                f"[1, {LOOP_STEPS}, 1], got shape {list(predictions.shape)}."
            )
        if torch.allclose(flat, _simulated_loop(model, observed), atol=1e-5):
            if at_once:
                raise NotYet(one_at_a_time)
            continue
        for mistake, hint in LOOP_MISTAKES.items():
            if torch.allclose(flat, _simulated_loop(model, observed, mistake), atol=1e-5):
                raise NotYet(hint)
        if at_once:
            raise NotYet(one_at_a_time)
        raise NotYet(
            "the predictions differ from the loop's: start from hidden=None (zeros), "
            "read the warm-up points of observed one at a time, then feed each "
            "prediction back."
        )
    return report(
        True,
        f"your loop equals rollout(model, observed, n_steps={LOOP_STEPS}, "
        f"warmup={LOOP_WARMUP}), for two models and two series the notebook never "
        "shows.",
        "",
    )


def _horizon_errors(
    model: SineRNN, warmup: int = HORIZON_WARMUP, shift: int = 0
) -> Tensor:
    """Exercise 2's error curve, private so that the checker does not give the answer
    away: RMSE over the exercise's starts at each horizon 1..HORIZON_MAX_STEPS after
    ``warmup`` observed points; a
    ``shift`` compares prediction k with the truth ``shift`` points later (a misaligned
    slice)."""
    starts = draw_starts(HORIZON_N_STARTS, generator=HORIZON_STARTS_SEED)
    series = sine_series(starts, n_points=warmup + HORIZON_MAX_STEPS + 1).values.to(
        model.dtype
    )
    predictions = rollout(model, series, n_steps=HORIZON_MAX_STEPS, warmup=warmup)
    truth = series[:, warmup + shift : warmup + shift + HORIZON_MAX_STEPS]
    return rmse_by_horizon(predictions.cpu(), truth)


def _first_above(errors: Tensor) -> int | None:
    above = torch.nonzero(errors > HORIZON_THRESHOLD).reshape(-1)
    return None if above.numel() == 0 else int(above[0]) + 1


# a mistake -> the hint that names it; the checker computes what each one answers
HORIZON_MISTAKES = {
    "counted from 0": "you counted the horizons from 0: index 0 of rmse_by_horizon's "
    "result is already 1 step ahead.",
    "warm-up 4": "that is the answer after a warm-up of 4 observed points: the exercise "
    "reads 5.",
    "warm-up 6": "that is the answer after a warm-up of 6 observed points: the exercise "
    "reads 5.",
    "misaligned truth": "the error is above the threshold from the first step, so the "
    "truth is misaligned: "
    "prediction k stands for the point k steps after the warm-up, series[:, warmup:].",
}


def _horizon_answers(model: SineRNN) -> dict[str, int | None]:
    right = _first_above(_horizon_errors(model))
    return {
        "right": right,
        "counted from 0": None if right is None else right - 1,
        "warm-up 4": _first_above(_horizon_errors(model, warmup=HORIZON_WARMUP - 1)),
        "warm-up 6": _first_above(_horizon_errors(model, warmup=HORIZON_WARMUP + 1)),
        "misaligned truth": _first_above(_horizon_errors(model, shift=-1)),
    }


@checker
def check_horizon(model: SineRNN, horizon: object) -> bool:
    """Exercise 2: ``horizon`` should be the first number of steps ahead (counting from 1)
    at which the RMSE over the exercise's starts exceeds HORIZON_THRESHOLD, after a
    HORIZON_WARMUP-point warm-up
    (an int, a numpy integer or a 0-d integer tensor). A wrong answer that a simulated
    mistake gives hears that mistake, never the right value."""
    model = check_model(model)
    if horizon is None:
        raise NotYet(NO_ANSWER)
    horizon = as_count(horizon, "give the horizon as an int (a number of steps)")
    answers = _horizon_answers(model)
    right = answers.pop("right")
    if right is None:
        raise NotYet(
            f"this model's RMSE stays below {HORIZON_THRESHOLD} for all "
            f"{HORIZON_MAX_STEPS} steps: use the notebook's model = "
            "pretrained.trained_model()."
        )
    if horizon == right:
        return report(
            True,
            f"the RMSE first exceeds {HORIZON_THRESHOLD} {right} steps ahead, "
            f"{right / 49:.1f} times the 49 steps of a training window.",
            "",
        )
    for mistake, answer in answers.items():
        if horizon == answer:
            raise NotYet(HORIZON_MISTAKES[mistake])
    if horizon > HORIZON_MAX_STEPS:
        raise NotYet(
            f"the exercise rolls out {HORIZON_MAX_STEPS} steps, and the RMSE exceeds "
            f"{HORIZON_THRESHOLD} within them."
        )
    raise NotYet(
        f"not that one. Use starts = data.draw_starts({HORIZON_N_STARTS}, "
        f"generator={HORIZON_STARTS_SEED}), warmup={HORIZON_WARMUP}, "
        f"n_steps={HORIZON_MAX_STEPS}, and find the first RMSE above "
        f"{HORIZON_THRESHOLD}."
    )


# exercise 3: the learner measures the spread for warm-ups 1..SPREAD_ASKED
SPREAD_ASKED = 12


@functools.cache  # the same shipped model every time
def _spread_by_warmup(mistake: str | None = None) -> Tensor:
    """Exercise 3's curve, private so that the checker does not give the answer away: for
    each warm-up k = 1 .. SPREAD_MAX_WARMUP, the RMSE between two rollouts of the
    original model over the exercise's windows, one starting from the state after training
    window SPREAD_WINDOWS[0], the other from the state after SPREAD_WINDOWS[1], each
    running to the end of the window (n_steps = N_POINTS - k). A ``mistake`` of
    SPREAD_MISTAKES gives that mistake's curve. Returns [SPREAD_MAX_WARMUP]; index 0 is
    warm-up 1."""
    original, _, _ = original_model()
    windows = sine_windows(draw_starts(SPREAD_N_STARTS, generator=SPREAD_STARTS_SEED))
    states = []
    with torch.no_grad():
        for train_start in SPREAD_WINDOWS:
            _, after = original(sine_windows([train_start]).x)  # [1, 1, hidden]
            # [1, SPREAD_N_STARTS, hidden]
            states.append(after.repeat(1, SPREAD_N_STARTS, 1))
    spreads = []
    for k in range(1, SPREAD_MAX_WARMUP + 1):
        n_steps = {
            "fixed 40 steps": 40,
            "fixed 49 steps": N_POINTS - 1,
            "49 - k steps": N_POINTS - 1 - k,
        }.get(mistake, N_POINTS - k)
        first, second = (
            rollout(original, windows.values, n_steps=n_steps, warmup=k, hidden=h)
            for h in states
        )
        if mistake == "against the truth":
            second = windows.values[:, k : k + n_steps]
        spreads.append(rmse(first, second))
    return torch.tensor(spreads)


SPREAD_MISTAKES = {
    "fixed 40 steps": "your rollouts all run 40 steps: each runs to the end of its "
    "window, n_steps = 50 - k.",
    "fixed 49 steps": "your rollouts all run 49 steps, past the end of the window: each "
    "runs to the end of its "
    "window, n_steps = 50 - k.",
    "49 - k steps": "your rollouts stop one step short of the end of the window: a "
    "window has 50 points, so "
    "n_steps = 50 - k.",
    "against the truth": "those are errors against the truth: the spread compares the "
    "two rollouts with each "
    "other.",
}


def _as_spreads(value: object) -> list[float]:
    """A learner's spreads for warm-ups 1..SPREAD_ASKED: a dict {k: spread}, or a
    sequence, 1-D tensor or array of SPREAD_ASKED numbers (index 0 is warm-up 1)."""
    ask = (
        f"give my_spreads as {SPREAD_ASKED} numbers, one per warm-up 1 to "
        f"{SPREAD_ASKED}, or a dict {{k: spread}}"
    )
    if isinstance(value, dict):
        if sorted(value, key=str) != sorted(
            range(1, SPREAD_ASKED + 1), key=str
        ) or not all(isinstance(k, int) for k in value):
            raise NotYet(f"{ask}; your dict should have the keys 1 to {SPREAD_ASKED}.")
        value = [value[k] for k in range(1, SPREAD_ASKED + 1)]
    elif isinstance(value, (Tensor, np.ndarray)):
        if value.ndim != 1:
            raise NotYet(
                f"{ask}; got a {type(value).__name__} shaped {list(value.shape)}."
            )
        value = as_values(value, "my_spreads").tolist()
    if (
        isinstance(value, (str, bytes))
        or not isinstance(value, (list, tuple))
        or len(value) != SPREAD_ASKED
    ):
        raise NotYet(ask + ".")
    return [as_number(v, "each spread should be a number") for v in value]


@checker
def check_spread_warmup(spreads: object, warmup: object) -> bool:
    """Exercise 3: ``spreads`` should be the spread for each warm-up 1..SPREAD_ASKED
    between the original model's rollouts from the states after training windows
    SPREAD_WINDOWS (over the
    exercise's windows, each to the end of its window), and ``warmup`` the first warm-up
    (a number of observed points, from 1) whose spread is below SPREAD_THRESHOLD. A wrong
    answer hears which mistake it matches or which side it is on, never a spread."""
    if spreads is None or warmup is None:
        raise NotYet(NO_ANSWER)
    got = _as_spreads(spreads)
    warmup = as_count(warmup, "give the warm-up as an int (a number of observed points)")
    right_spreads = _spread_by_warmup()[:SPREAD_ASKED].tolist()

    def same(curve: list[float]) -> bool:
        return all(abs(g - c) <= 1e-3 * c + 1e-6 for g, c in zip(got, curve))

    if not same(right_spreads):
        for mistake, hint in SPREAD_MISTAKES.items():
            if same(_spread_by_warmup(mistake)[:SPREAD_ASKED].tolist()):
                raise NotYet(hint)
        if same(right_spreads[::-1]):
            raise NotYet(
                "your spreads run from warm-up 12 down to 1: put warm-up 1 first."
            )
        raise NotYet(
            "your spreads differ from the measurement: for each k, roll the original "
            "model out from both states (each repeated along the batch) over the "
            "exercise's windows, and take the RMSE between the two rollouts."
        )
    if warmup < 1:
        raise NotYet(
            f"a warm-up counts observed points, so it is at least 1, got {warmup}."
        )
    below = torch.nonzero(_spread_by_warmup() < SPREAD_THRESHOLD).reshape(-1)
    if below.numel() == 0:
        raise RuntimeError(
            f"the spread never falls below {SPREAD_THRESHOLD} within {SPREAD_MAX_WARMUP} "
            "warm-up points"
        )
    right = int(below[0]) + 1
    if warmup == right:
        return report(
            True,
            f"your spreads are right, and after {right} observed points the spread "
            f"first falls below {SPREAD_THRESHOLD}.",
            "",
        )
    if warmup < right:
        raise NotYet(
            f"your spreads are right, but at warm-up {warmup} the spread is still above "
            f"{SPREAD_THRESHOLD}."
        )
    raise NotYet(
        f"your spreads are right, but a smaller warm-up already brings the spread below "
        f"{SPREAD_THRESHOLD}: look at every warm-up from 1 up."
    )


EXPLORER_START = 1.0  # the Think! question on the rollout explorer: start = 1.00,
EXPLORER_STEPS = 49  # n_steps = 49,
# the trained model left with its state after the window at start 2.0,
EXPLORER_LEFT_AFTER = 2.0
EXPLORER_THRESHOLD = 0.05  # and the smallest warm-up whose RMSE is below this
# the explorer's warmup slider runs 1..SLIDER_MAX_WARMUP
EXPLORER_MAX_WARMUP = SLIDER_MAX_WARMUP


@functools.cache  # the same shipped model every time
def _explorer_errors() -> dict[str, Tensor]:
    """The Think! question's curves, private so that the checker does not give the answer
    away: the shipped trained model's RMSE at the explorer's settings for warm-ups
    1..EXPLORER_MAX_WARMUP,
    from zeros and from its state after the window at EXPLORER_LEFT_AFTER. Index 0 is
    warm-up 1."""
    from rnnlesson.pretrained import trained_model

    model = trained_model()
    truth = sine_series(
        [EXPLORER_START], n_points=EXPLORER_MAX_WARMUP + EXPLORER_STEPS
    ).values
    with torch.no_grad():
        _, left = model(sine_windows([EXPLORER_LEFT_AFTER]).x)  # [1, 1, hidden]
    errors = {}
    for state, hidden in (("zeros", None), ("leftover", left)):
        runs = {
            k: rollout(model, truth, n_steps=EXPLORER_STEPS, warmup=k, hidden=hidden)
            for k in range(1, EXPLORER_MAX_WARMUP + 1)
        }
        errors[state] = torch.tensor(
            [rmse(run, truth[:, k : k + EXPLORER_STEPS]) for k, run in runs.items()]
        )
    return errors


def _first_below(errors: Tensor) -> int:
    below = torch.nonzero(errors < EXPLORER_THRESHOLD).reshape(-1)
    if below.numel() == 0:
        raise RuntimeError(
            f"the RMSE never falls below {EXPLORER_THRESHOLD} within "
            f"{EXPLORER_MAX_WARMUP} warm-up points"
        )
    return int(below[0]) + 1


@checker
def check_explorer_warmup(warmup: object) -> bool:
    """The Think! question of section 7: ``warmup`` should be the smallest warm-up at
    which the trained model's RMSE in the rollout explorer falls below EXPLORER_THRESHOLD,
    with start 1.00,
    49 steps and the starting state "left over" (its state after the window at start 2.0).
    A wrong guess is told which side it is on, never an RMSE."""
    if warmup is None:
        raise NotYet(NO_ANSWER)
    warmup = as_count(warmup, "give the warm-up as an int (a number of observed points)")
    if not 1 <= warmup <= EXPLORER_MAX_WARMUP:
        raise NotYet(
            f"the warmup slider runs from 1 to {EXPLORER_MAX_WARMUP}, got {warmup}."
        )
    errors = _explorer_errors()
    right, from_zeros = _first_below(errors["leftover"]), _first_below(errors["zeros"])
    if warmup == right:
        extra = right - from_zeros
        compared = (
            f"{extra} more than from zeros"
            if extra > 0
            else "the same as from zeros"
            if extra == 0
            else f"{-extra} fewer than from zeros"
        )
        return report(
            True,
            f"from its leftover state the trained model needs {right} observed points "
            f"to get below {EXPLORER_THRESHOLD}: {compared}.",
            "",
        )
    if warmup == from_zeros:
        raise NotYet(
            "that is the answer from zeros: choose 'left over' first, then move the "
            "warm-up."
        )
    if warmup < right:
        raise NotYet(
            f"at warm-up {warmup} the trained model's RMSE is still above "
            f"{EXPLORER_THRESHOLD}."
        )
    raise NotYet(
        f"a smaller warm-up already brings it below {EXPLORER_THRESHOLD}: move the "
        "warm-up slider up one step at a time from 1."
    )


# ---- the other Think! questions of section 7 with a definite answer --------------------


def check_think_largest_error(where: object) -> bool:
    """Think! 1: with warmup = 1 and the state on zeros, where is the trained model's
    one-point error largest: "zero crossings" or "peaks"?"""
    return choice_verdict(
        where,
        ("zero crossings", "peaks"),
        "where the error is largest",
        "zero crossings",
        "near a zero crossing one value is shared by a rising and a falling sine, so "
        "one point cannot say which way the wave goes; at a peak the value 1 belongs to "
        "one phase only.",
        "at a peak, is there a rising and a falling sine with the same value? Move "
        "start to a peak, then to a zero crossing, and compare the RMSE.",
    )


@checker
def check_think_leftover(original: object, trained: object) -> bool:
    """Think! 2: at warmup = 1, does the leftover state "help", "hurt", or does it
    "depend" on the start, for the original model and for the trained model?"""
    if original is None or trained is None:
        raise NotYet(NO_ANSWER)
    options = ("help", "hurt", "depend")
    got = (
        as_choice(original, options, "for the original model"),
        as_choice(trained, options, "for the trained model"),
    )
    if got == ("depend", "hurt"):
        return report(
            True,
            "the original model's one-point error is lower from its leftover state at "
            "most starts but not all, so it depends; the trained model, trained from "
            "zeros, does worse from its leftover state at nearly every start.",
            "",
        )
    if got[0] != "depend":
        raise NotYet(
            "for the original model, switch the state at several starts across the "
            "period: is the answer the same at every one?"
        )
    raise NotYet(
        "for the trained model, switch the state at several starts: it was trained from "
        "zeros, so what does another window's state do to its first prediction?"
    )


def check_think_second_point(original_gains_as_much: object) -> bool:
    """Think! 3: does the original model gain as much from the second observed point as
    the trained one?"yes" or "no". Why the second point is worth so much stays an open
    question."""
    return choice_verdict(
        original_gains_as_much,
        ("yes", "no"),
        "whether the original gains as much",
        "no",
        "the trained model's error falls steeply from one observed point to two; the "
        "original's falls far less, since its error lies in its weights, not in how it "
        "starts.",
        "compare each model's RMSE at warmup = 1 and warmup = 2: "
        "which one falls further?",
    )


def check_think_on_truth(on_truth: object) -> bool:
    """Think! 4: with warmup = 5 and n_steps = 200, does each trained prediction still sit
    on the truth at the end?"yes" or "no"."""
    return choice_verdict(
        on_truth,
        ("yes", "no"),
        "whether the predictions sit on the truth",
        "no",
        "the trained model keeps a sine's shape and size, but by the end it has slipped "
        "against the truth: the phase drift section 6 measured.",
        "look at the last period of the plot: do the crests of the prediction and of the "
        "truth line up?",
    )


def check_think_step_49(changes: object) -> bool:
    """Think! 5: does anything change at the 49th prediction?"yes" or "no"."""
    return choice_verdict(
        changes,
        ("yes", "no"),
        "whether anything changes",
        "no",
        "every step applies the same weights to the previous state and input; nothing "
        "in the model marks where the training windows ended (its state could track "
        "elapsed time, but training never asked it to stop at 49), and the error grows "
        "smoothly past it.",
        "does the model know which step it is at? Look at what one step computes, and "
        "at the error curve around step 49.",
    )
