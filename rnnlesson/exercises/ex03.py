"""Checkers for the exercises of notebook 03 (training).

Each checker recomputes the answer with the package, prints one line and returns True or False.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from rnnlesson._checks import positive_int
from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.exercises import NO_ANSWER, NotYet, as_count, as_number, as_values, call_learner, checker, report
from rnnlesson.model import SineRNN, check_model, seeded_model
from rnnlesson.rollout import one_step, rmse
from rnnlesson.training import train

ORIGINAL_ITERATIONS = 6000
SMALL_HIDDEN = 4  # exercise 2: the smaller model the learner trains
EVAL_STARTS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


@checker
def check_distinct_windows(answer: object, seed: int = 0) -> bool:
    """Exercise 1: how many distinct windows did the original loop's 6000 iterations train on?
    (an integer: a Python int, a numpy integer or a 0-d integer tensor)"""
    seed = positive_int("seed", seed, minimum=0)
    if answer is None:
        return report(False, "", NO_ANSWER)
    answer = as_count(answer, "give the number of different windows as an integer")
    starts = draw_starts(ORIGINAL_ITERATIONS, scheme="original", generator=seed)
    distinct = torch.unique(sine_windows(starts).values, dim=0).shape[0]
    if answer == distinct:
        return report(True, f"{ORIGINAL_ITERATIONS} iterations, but only {distinct} different windows.", "")
    return report(False, "", "count the different windows, not the iterations: which values can start take?")


@functools.lru_cache(maxsize=4)  # deterministic in a process; the checker may be called again and again
@functools.lru_cache(maxsize=8)  # a training run per seed, once per process
def _small_model_error(seed: int = 0) -> float:
    """The answer to exercise 2, private so that the checker does not give it away: SineRNN(hidden_size=4)
    initialised from ``seed``, trained with ``train(model, seed=seed)``, scored one step ahead on the
    targets after the first 5 points of the windows starting at 0, 1, ..., 6."""
    model = seeded_model(seed, hidden_size=SMALL_HIDDEN)  # as torch.manual_seed(seed); SineRNN(4)
    train(model, seed=seed)
    w = sine_windows(list(EVAL_STARTS))
    return rmse(one_step(model, w.x)[:, 4:], w.y[:, 4:])


@checker
def check_small_model_error(answer: object, seed: int = 0) -> bool:
    """Exercise 2: the one-step RMSE of the 4-unit model (SineRNN(hidden_size=4) initialised with
    torch.manual_seed(seed), trained with train(model, seed=seed), scored one step ahead on the
    targets after the first 5 points of the windows starting at 0, 1, ..., 6), within 10 %."""
    seed = positive_int("seed", seed, minimum=0)
    if answer is None:
        return report(False, "", NO_ANSWER)
    value = as_number(answer, "give the RMSE as a float")
    expected = _small_model_error(seed)
    if abs(value - expected) <= 0.1 * expected:
        # no digits: the error of a model trained live differs from machine to machine
        return report(True, "within 10% of the recipe's result: a 4-unit RNN fits the sine too, just less closely.", "")
    return report(
        False,
        "",
        "check the recipe: torch.manual_seed(0) before SineRNN(hidden_size=4), train(model, seed=0), then "
        "rmse(one_step(model, w.x)[:, 4:], w.y[:, 4:]) with w = sine_windows([0.0, 1.0, ..., 6.0]).",
    )


@checker
def check_carried_first_step(model: SineRNN, zeros_error: object, carried_error: object) -> bool:
    """Exercise 3: the first-step RMSE of ``model`` (the notebook's own, trained in its kernel) over
    200 windows (starts drawn with generator 7), from zeros and from the hidden state left by 200
    unrelated windows (generator 8)."""
    model = check_model(model)
    if zeros_error is None or carried_error is None:
        return report(False, "", NO_ANSWER)
    got = [as_number(zeros_error, "give zeros_error as a float"), as_number(carried_error, "give carried_error as a float")]
    from rnnlesson.rollout import rmse_by_horizon

    w = sine_windows(draw_starts(200, generator=7))
    x = w.x.to(model.dtype)
    with torch.no_grad():
        _, carried = model(sine_windows(draw_starts(200, generator=8)).x.to(model.device, model.dtype))
    expected = [
        rmse_by_horizon(one_step(model, x), w.y)[0].item(),
        rmse_by_horizon(one_step(model, x, carried), w.y)[0].item(),
    ]
    if all(abs(g - e) <= 0.05 * e for g, e in zip(got, expected)):
        # no digits: the errors of a model trained live differ from machine to machine
        worse = "several times as far off as" if expected[1] > 2 * expected[0] else "about as far off as"
        return report(True, f"from a carried state, the first prediction is {worse} from zeros.", "")
    if all(abs(g - e) <= 0.05 * e for g, e in zip(got, reversed(expected))):
        return report(False, "", "the two numbers are swapped.")
    return report(False, "", "score only the first target: rmse_by_horizon(...)[0].")


LOOP_STEPS = 30  # exercise 4: steps the checker runs the learner's loop for
LOOP_LR = 0.01
LOOP_SEED = 3  # another seed than the notebook's, so that a loop tied to seed 0 shows up


@functools.lru_cache(maxsize=2)  # deterministic in a process; the checker may be called again and again
def _reference_losses(clear: bool) -> tuple[float, ...]:
    """The losses of exercise 4's loop from seed LOOP_SEED: what train(method="adam") records, or
    with ``clear=False`` the same loop that never clears its gradients (the mistake the checker names)."""
    if clear:
        return tuple(train(seeded_model(LOOP_SEED), seed=LOOP_SEED, method="adam", n_iterations=LOOP_STEPS,
                           lr=LOOP_LR).losses)
    model, windows = seeded_model(LOOP_SEED), _loop_windows()
    optimizer = torch.optim.Adam(model.parameters(), lr=LOOP_LR)
    losses = []
    for _ in range(LOOP_STEPS):
        loss = torch.nn.functional.mse_loss(model(windows.x)[0], windows.y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return tuple(losses)


def _loop_windows():
    return sine_windows(draw_starts(64, generator=LOOP_SEED))  # the windows train(seed=LOOP_SEED) uses


def _as_losses(value: object) -> list[float] | None:
    """A learner's losses (a list or tuple of numbers, numpy scalars or 0-d tensors, or a 1-d tensor or
    array) as floats; None if it is anything else."""
    try:
        if isinstance(value, (torch.Tensor, np.ndarray)):
            if value.ndim != 1:
                return None
            value = as_values(value, "losses").tolist()
        if not isinstance(value, (list, tuple)):
            return None
        return [as_number(entry, "each loss should be a number") for entry in value]
    except NotYet:
        return None


def _close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 1e-4 * abs(y) + 1e-8 for x, y in zip(a, b))


@checker
def check_batched_loop(train_batched: object) -> bool:
    """Exercise 4: ``train_batched(model, windows, n_steps, lr)`` trains ``model`` on all of
    ``windows`` at once with Adam, every window from a zero hidden state, and returns the loss of
    each step. Run from seed LOOP_SEED's weights, it must give the losses of
    ``train(model, seed=LOOP_SEED, method="adam")`` step for step."""
    if train_batched is None:
        return report(False, "", NO_ANSWER)
    if not callable(train_batched):
        return report(False, "", "give a function train_batched(model, windows, n_steps, lr), not a "
                                 f"{type(train_batched).__name__}.")
    result, raised = call_learner(train_batched, seeded_model(LOOP_SEED), _loop_windows(), LOOP_STEPS, LOOP_LR)
    if raised:
        return report(False, "", raised)
    got = _as_losses(result)
    if got is None:
        return report(False, "", "return the losses as a list of numbers, one per step "
                                 "(append loss.item() after each backward).")
    if len(got) != LOOP_STEPS:
        return report(False, "", f"return one loss per step: {LOOP_STEPS} steps were asked for, "
                                 f"your function returned {len(got)} losses.")
    expected = list(_reference_losses(clear=True))
    if _close(got, expected):
        return report(True, "your loop gives train(method='adam')'s losses, step for step: one batch of 64 "
                            "windows, every window from zeros, one Adam step per loss.", "")
    if _close(got[:-1], expected[1:]):
        return report(False, "", "your losses are shifted by one step: record each step's loss from the "
                                 "forward pass before that step's optimizer.step().")
    if not _close(got[:1], expected[:1]):
        return report(False, "", "the first loss should be the untrained model's mean squared error on all "
                                 "of windows.x against windows.y, every window from a zero hidden state "
                                 "(model(windows.x), no hidden state passed).")
    if _close(got, list(_reference_losses(clear=False))):
        return report(False, "", "the gradients pile up from step to step: clear them (optimizer.zero_grad()) "
                                 "before each backward.")
    return report(False, "", "the first loss is right, the later ones are not: create one Adam optimizer "
                             "with lr for the model's parameters before the loop, and make one zero_grad, "
                             "forward, loss, backward and step per iteration, on all windows at once, each "
                             "from a zero hidden state (do not pass on the state of the step before).")
