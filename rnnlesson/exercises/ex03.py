"""Checkers for the exercises of notebook 03 (training).

Each checker recomputes the answer with the package, prints one line and returns True or
False.
"""

from __future__ import annotations

import functools

import numpy as np
import torch

from rnnlesson._checks import int_in_range
from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.exercises import (
    learner_function,
    NO_ANSWER,
    NotYet,
    as_count,
    as_number,
    as_values,
    call_learner,
    call_without,
    checker,
    report,
)
from rnnlesson.model import SineRNN, check_model, seeded_model
from rnnlesson import training
from rnnlesson.rollout import one_step, rmse
from rnnlesson.training import train

SMALL_HIDDEN = 4  # exercise 2: the smaller model the learner trains
EVAL_STARTS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


# exercise 1: starts the learner's count_windows is called with, none of them the
# notebook's
COUNT_CASES = (
    (0.0, 1.0, 0.0, 2.0, 2.0, 5.5),
    (1.5,) * 10,
    "draw_starts(300, scheme='original', generator=9)",
    "draw_starts(40, generator=9)",
)


def _count_cases() -> list[torch.Tensor]:
    return [
        torch.tensor(case)
        if isinstance(case, tuple)
        else draw_starts(300, scheme="original", generator=9)
        if "original" in case
        else draw_starts(40, generator=9)
        for case in COUNT_CASES
    ]


@checker
def check_distinct_windows(count_windows: object) -> bool:
    """Exercise 1: ``count_windows(starts)`` should return how many distinct windows
    ``sine_windows(starts)`` holds (an int), for any 1-D tensor of starts. The checker
    calls it on starts the notebook never uses: repeated starts, the original scheme with
    another seed, starts over a period."""
    learner_function(
        count_windows,
        "give a function count_windows(starts) that returns a number of windows",
    )
    for starts in _count_cases():
        got, raised = call_learner(count_windows, starts.clone())
        if raised:
            raise NotYet(raised)
        got = as_count(got, "return the number of distinct windows as an integer")
        windows = sine_windows(starts).values
        right = torch.unique(windows, dim=0).shape[0]
        if got == right:
            continue
        if got == len(starts) and right < len(starts):
            raise NotYet(
                "your function counts the draws (every iteration), not the different "
                "windows among them."
            )
        if got == torch.unique(windows).numel():
            raise NotYet(
                "your function counts distinct numbers, not distinct windows: a window "
                "is a whole row of values (torch.unique(..., dim=0))."
            )
        raise NotYet(
            "your count differs from the number of different windows among "
            "sine_windows(starts)."
        )
    return report(
        True,
        "your function counts windows, not draws; on the post's 6000 draws it finds how "
        "few different windows the original loop trained on.",
        "",
    )


@functools.lru_cache(maxsize=8)  # a training run per seed, once per process
def _small_model_errors(seed: int = 0) -> dict[str, float]:
    """The answer to exercise 2 and its likely mistakes, private so that the checker does
    not give it away: SineRNN(hidden_size=4) initialised from ``seed``, trained with
    ``train(model, seed=seed)``,
    scored one step ahead on the targets after the first 5 points of the windows starting
    at 0, 1, ..., 6 ("right"); the same model on all 49 targets; the untrained model; and
    the shipped 10-unit model."""
    from rnnlesson.pretrained import trained_model

    w = sine_windows(list(EVAL_STARTS))
    # as torch.manual_seed(seed); SineRNN(4)
    untrained = seeded_model(seed, hidden_size=SMALL_HIDDEN)
    model = seeded_model(seed, hidden_size=SMALL_HIDDEN)
    train(model, seed=seed)
    return {
        "right": rmse(one_step(model, w.x)[:, 4:], w.y[:, 4:]),
        "all 49 targets": rmse(one_step(model, w.x), w.y),
        "untrained": rmse(one_step(untrained, w.x)[:, 4:], w.y[:, 4:]),
        "10-unit model": rmse(one_step(trained_model(seed), w.x)[:, 4:], w.y[:, 4:]),
    }


def _small_model_error(seed: int = 0) -> float:
    return _small_model_errors(seed)["right"]


SMALL_MISTAKES = {
    "all 49 targets": "that scores all 49 targets: score only those after the first five "
    "points, [:, 4:].",
    "untrained": "that is the 4-unit model before training: train it with train(small, "
    "seed=0) first.",
    "10-unit model": "that is the 10-unit model's error: score the 4-unit model you "
    "trained (small), not model.",
}


@checker
def check_small_model_error(answer: object, seed: int = 0) -> bool:
    """Exercise 2: the one-step RMSE of the 4-unit model (SineRNN(hidden_size=4)
    initialised with torch.manual_seed(seed), trained with train(small, seed=seed), scored
    one step ahead on the
    targets after the first 5 points of the windows starting at 0, 1, ..., 6), within 10
    %."""
    seed = int_in_range("seed", seed, minimum=0)
    if answer is None:
        raise NotYet(NO_ANSWER)
    value = as_number(answer, "give the RMSE as a float")
    errors = _small_model_errors(seed)
    if abs(value - errors["right"]) <= 0.1 * errors["right"]:
        # no digits: the error of a model trained live differs from machine to machine
        return report(
            True,
            "within 10% of the recipe's result: a 4-unit RNN fits the sine too, less "
            "closely than the 10-unit model on these windows.",
            "",
        )
    for mistake, hint in SMALL_MISTAKES.items():
        if abs(value - errors[mistake]) <= 0.1 * errors[mistake]:
            raise NotYet(hint)
    raise NotYet(
        "not the recipe's value: check that torch.manual_seed(0) comes right before "
        "SineRNN(hidden_size=4), and that you train and score that model."
    )


# exercise 3: (number, generator) of the windows scored, none of them section 4's
FIRST_WINDOWS = (50, 13)
# exercise 3: the unrelated windows whose final state is carried in
FIRST_CARRIED = (50, 14)
# section 4's windows and carried states, whose first column a cell prints
SECTION_4 = ((200, 7), (200, 8))
# relative: the checker recomputes with the learner's own model, in the same kernel
FIRST_TOLERANCE = 0.01


def _first_step_errors(
    model: SineRNN,
    scored: tuple[int, int],
    carried_from: tuple[int, int],
    position: int = 0,
) -> list[float]:
    """[from zeros, from a carried state]: the one-step RMSE at ``position`` of ``model``
    over the windows ``draw_starts(*scored)``, from zeros and from the state left by
    ``draw_starts(*carried_from)``;
    position None scores all 49 positions."""
    from rnnlesson.rollout import rmse_by_horizon

    w = sine_windows(draw_starts(scored[0], generator=scored[1]))
    x = w.x.to(model.dtype)
    with torch.no_grad():
        _, carried = model(
            sine_windows(draw_starts(carried_from[0], generator=carried_from[1])).x.to(
                model.device, model.dtype
            )
        )
    runs = [one_step(model, x), one_step(model, x, carried)]
    if position is None:
        return [rmse(run, w.y) for run in runs]
    return [rmse_by_horizon(run, w.y)[position].item() for run in runs]


@checker
def check_carried_first_step(
    model: SineRNN, zeros_error: object, carried_error: object
) -> bool:
    """Exercise 3: the first-step RMSE of ``model`` (the notebook's own 10-unit model,
    trained in its kernel) over the windows draw_starts(*FIRST_WINDOWS), from zeros and
    from the hidden state left
    by the windows draw_starts(*FIRST_CARRIED). Neither number is printed anywhere in the
    notebook."""
    model = check_model(model)
    if zeros_error is None or carried_error is None:
        raise NotYet(NO_ANSWER)
    got = [
        as_number(zeros_error, "give zeros_error as a float"),
        as_number(carried_error, "give carried_error as a float"),
    ]
    if model.hidden_size != 10 or model.num_layers != 1:
        raise NotYet(
            f"model is now a {model.hidden_size}-unit model with {model.num_layers} "
            "layer(s), not the 10-unit model of section 2: did exercise 2 overwrite "
            "it? Rerun section 2's training cell, and call the small model small."
        )

    def near(values: list[float]) -> bool:
        return all(abs(g - e) <= FIRST_TOLERANCE * e for g, e in zip(got, values))

    expected = _first_step_errors(model, FIRST_WINDOWS, FIRST_CARRIED)
    if near(expected):
        # no digits: the errors of a model trained live differ from machine to machine
        worse = (
            "several times as far off as"
            if expected[1] > 2 * expected[0]
            else "about as far off as"
        )
        return report(
            True, f"from a carried state, the first prediction is {worse} from zeros.", ""
        )
    from rnnlesson.pretrained import original_model

    mistakes = [
        (expected[::-1], "the two numbers are swapped."),
        (
            _first_step_errors(model, *SECTION_4),
            "those are section 4's windows: score the exercise's 50 windows "
            "(generator 13), carrying the state of 50 others (generator 14).",
        ),
        (
            _first_step_errors(model, FIRST_WINDOWS, FIRST_CARRIED, position=None),
            "those are RMSEs over all 49 positions: score only the first position, "
            "rmse_by_horizon(...)[0].",
        ),
        (
            _first_step_errors(model, FIRST_WINDOWS, FIRST_CARRIED, position=1),
            "those are the second position's errors: index 0 of rmse_by_horizon is the "
            "first prediction.",
        ),
        (
            _first_step_errors(original_model()[0], FIRST_WINDOWS, FIRST_CARRIED),
            "those are the original model's errors: the exercise asks about our model, "
            "model.",
        ),
    ]
    for values, hint in mistakes:
        if near(values):
            raise NotYet(hint)
    raise NotYet(
        "not yet the first-position errors of model on the exercise's windows, from "
        "zeros and from the carried state."
    )


LOOP_STEPS = 30  # exercise 4: steps the checker runs the learner's loop for
LOOP_LR = 0.01
LOOP_SEED = 3  # another seed than the notebook's, so that a loop tied to seed 0 shows up


LOOP_MISTAKES = {  # a mistake the checker simulates -> the hint that names it
    "no zero_grad": "the gradients pile up from step to step: clear them "
    "(optimizer.zero_grad()) before each "
    "backward.",
    "optimizer in the loop": "your losses are those of a new optimizer at every step: "
    "Adam keeps running averages "
    "of the gradients, so create it once, before the loop.",
    "state carried": "your loop passes each step's hidden state on to the next: run "
    "every window from a zero "
    "hidden state, model(windows.x) with no state.",
    "SGD": "your losses are those of plain SGD: the exercise asks for torch.optim.Adam.",
    "lr ignored": "your optimizer does not use the lr it is given: pass lr=lr.",
}


# deterministic in a process; the checker may be called again and again
@functools.lru_cache(maxsize=8)
def _reference_losses(mistake: str | None = None) -> tuple[float, ...]:
    """The losses of exercise 4's loop from seed LOOP_SEED: what train(method="adam")
    records (the right loop), or the same loop with one of LOOP_MISTAKES."""
    if mistake is None:
        return tuple(
            train(
                seeded_model(LOOP_SEED),
                seed=LOOP_SEED,
                method="adam",
                n_iterations=LOOP_STEPS,
                lr=LOOP_LR,
            ).losses
        )
    model, windows = seeded_model(LOOP_SEED), _loop_windows()

    def optimizer_for(model: torch.nn.Module) -> torch.optim.Optimizer:
        if mistake == "SGD":
            return torch.optim.SGD(model.parameters(), lr=LOOP_LR)
        return torch.optim.Adam(
            model.parameters(), lr=1e-3 if mistake == "lr ignored" else LOOP_LR
        )

    optimizer, hidden, losses = optimizer_for(model), None, []
    for _ in range(LOOP_STEPS):
        if mistake == "optimizer in the loop":
            optimizer = optimizer_for(model)
        if mistake != "no zero_grad":
            optimizer.zero_grad()
        pred, hidden = model(windows.x, hidden)
        loss = torch.nn.functional.mse_loss(pred, windows.y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        hidden = hidden.detach() if mistake == "state carried" else None
    return tuple(losses)


def _loop_windows():
    # the windows train(seed=LOOP_SEED) uses
    return sine_windows(draw_starts(64, generator=LOOP_SEED))


def _as_losses(value: object) -> list[float] | None:
    """A learner's losses (a list or tuple of numbers, numpy scalars or 0-d tensors, or a
    1-d tensor or array) as floats; None if it is anything else."""
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
    return len(a) == len(b) and all(
        abs(x - y) <= 1e-4 * abs(y) + 1e-8 for x, y in zip(a, b)
    )


@checker
def check_batched_loop(train_batched: object) -> bool:
    """Exercise 4: ``train_batched(model, windows, n_steps, lr)`` trains ``model`` on all
    of ``windows`` at once with Adam, every window from a zero hidden state, and returns
    the loss of
    each step. Run from seed LOOP_SEED's weights, it must give the losses of
    ``train(model, seed=LOOP_SEED, method="adam")`` step for step, without calling
    ``train`` itself, with one backward pass per step."""
    learner_function(
        train_batched, "give a function train_batched(model, windows, n_steps, lr)"
    )
    model = seeded_model(LOOP_SEED)
    backwards = []
    # once per backward pass
    hook = model.linear.bias.register_hook(lambda grad: backwards.append(1))
    shortcuts = [
        (training, "train", "train(...), the function this exercise asks you to write"),
        (training, "train_original", "train_original(...)"),
    ]
    try:
        result, raised = call_without(
            train_batched, shortcuts, model, _loop_windows(), LOOP_STEPS, LOOP_LR
        )
    finally:
        hook.remove()
    if raised:
        raise NotYet(raised)
    got = _as_losses(result)
    if got is None:
        raise NotYet(
            "return the losses as a list of numbers, one per step "
            "(append loss.item() after each backward)."
        )
    if len(got) != LOOP_STEPS:
        raise NotYet(
            f"return one loss per step: {LOOP_STEPS} steps were asked for, "
            f"your function returned {len(got)} losses."
        )
    if len(backwards) != LOOP_STEPS:
        raise NotYet(
            f"make one backward pass per step: {LOOP_STEPS} steps were asked for, your "
            f"function ran {len(backwards)}."
        )
    expected = list(_reference_losses())
    if _close(got, expected):
        return report(
            True,
            "your loop gives train(method='adam')'s losses, step for step: one batch of "
            "64 windows, every window from zeros, one Adam step per loss.",
            "",
        )
    if _close(got[:-1], expected[1:]):
        raise NotYet(
            "your losses are shifted by one step: record each step's loss from the "
            "forward pass before that step's optimizer.step()."
        )
    for mistake, hint in LOOP_MISTAKES.items():
        if _close(got, list(_reference_losses(mistake))):
            raise NotYet(hint)
    if not _close(got[:1], expected[:1]):
        raise NotYet(
            "the first loss should be the untrained model's mean squared error on all "
            "of windows.x against windows.y, every window from a zero hidden state."
        )
    raise NotYet(
        "the first loss is right, the later ones are not: compare your loop with the "
        "exercise's list, one line at a time."
    )
