"""Checkers for the exercises of notebook 04 (zero_grad)."""

from __future__ import annotations

import sys
from collections.abc import ItemsView, Mapping, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from rnnlesson.data import draw_starts, sine_windows
from rnnlesson._checks import int_in_range
from rnnlesson import gradients
from rnnlesson.exercises import (
    learner_function,
    NO_ANSWER,
    NotYet,
    as_number,
    as_values,
    call_each,
    call_learner,
    checker,
    report,
)
from rnnlesson.gradients import STATES, grad_states
from rnnlesson.model import seeded_model

SCALE_SIZES = (40, 24)  # exercise 3: two micro-batches of unequal size


# ---- exercise 1: which gradients survive -----------------------------------------------

PARAMETERS = (
    "rnn.weight_ih_l0",
    "rnn.weight_hh_l0",
    "rnn.bias_ih_l0",
    "rnn.bias_hh_l0",
    "linear.weight",
    "linear.bias",
)  # SineRNN's parameters, in order
RNN_PARAMETERS = PARAMETERS[:4]
# (frozen, optimized, set_to_none) the learner's grads_after is called with, none in the
# notebook: every kind of parameter (frozen or not, held by the optimizer or not) and both
# values of set_to_none
SURVIVOR_CASES = (
    (
        ("rnn.weight_hh_l0", "linear.bias"),
        ("rnn.weight_ih_l0", "rnn.weight_hh_l0", "linear.weight"),
        False,
    ),
    (
        ("rnn.bias_ih_l0", "linear.weight"),
        ("rnn.bias_ih_l0", "rnn.bias_hh_l0", "linear.bias"),
        True,
    ),
    (
        ("rnn.weight_ih_l0",),
        ("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0"),
        False,
    ),
)
SURVIVOR_ARGUMENTS = ("frozen", "optimized", "set_to_none")


def _survivors_scenario(
    frozen: Sequence[str], optimized: Sequence[str], set_to_none: bool
) -> dict[str, str]:
    """Exercise 1's code, run for real: the parameters ``frozen`` frozen, an SGD optimizer
    given the parameters ``optimized``, one backward(), then
    ``optimizer.zero_grad(set_to_none=set_to_none)``."""
    model = seeded_model(4)
    for name, p in model.named_parameters():
        p.requires_grad_(name not in frozen)
    optimizer = torch.optim.SGD(
        [p for name, p in model.named_parameters() if name in optimized], lr=0.01
    )
    windows = sine_windows([0.0, 1.0])
    pred, _ = model(windows.x)
    nn.functional.mse_loss(pred, windows.y).backward()
    optimizer.zero_grad(set_to_none=set_to_none)
    return grad_states(model)


SURVIVOR_MISTAKES = {  # a mistake the checker simulates -> the hint that names it
    "frozen ignored": "your function treats a frozen parameter like the others, as if "
    "backward() gave it a "
    "gradient: what does backward() do for a parameter that does not require grad?",
    "frozen made zero": "your function lets zero_grad(set_to_none=False) make a tensor "
    "of zeros for a frozen "
    "parameter: zero_grad() can only fill a .grad that exists; it does not make one.",
    "frozen gradient zero": "your function gives a frozen parameter a gradient of zeros, "
    "even where zero_grad() "
    "does not reach it: backward() computes nothing for a parameter that does not "
    "require "
    "grad, not even zeros.",
    "set_to_none ignored": "your function gives the optimizer's parameters the same "
    "state whatever set_to_none "
    "is: True and False clear a .grad in different ways.",
    "set_to_none reversed": "your function has set_to_none the wrong way round: its name "
    "says what True does to "
    "each .grad the optimizer clears.",
    "optimizer ignored": "your function clears parameters that the optimizer was not "
    "given: optimizer.zero_grad() "
    "reaches only the parameters it holds.",
}


def _by_rule(
    frozen: Sequence[str],
    optimized: Sequence[str],
    set_to_none: bool,
    mistake: str | None = None,
) -> dict[str, str]:
    """Exercise 1 worked out from the rules, right (``mistake=None``) or with one of
    SURVIVOR_MISTAKES ("set_to_none ignored" clears to zeros; "set_to_none ignored, None"
    to None)."""
    cleared = {
        "set_to_none ignored": "zero",
        "set_to_none ignored, None": "None",
        "set_to_none reversed": "zero" if set_to_none else "None",
    }.get(mistake, "None" if set_to_none else "zero")
    states = {}
    for name in PARAMETERS:
        is_frozen = name in frozen and mistake != "frozen ignored"
        gradient = (
            "zero"
            if (is_frozen and mistake == "frozen gradient zero")
            else "None"
            if is_frozen
            else "nonzero"
        )
        held = name in optimized or mistake == "optimizer ignored"
        if held and gradient != "None":
            gradient = cleared
        elif held and mistake == "frozen made zero" and not set_to_none:
            gradient = "zero"
        states[name] = gradient
    return states


# exercise 1: what runs the code, or reads its result, instead of the learner's reasoning
SURVIVOR_SHORTCUTS = [
    (Tensor, "backward", "backward()"),
    (torch.autograd, "backward", "torch.autograd.backward"),
    (torch.autograd, "grad", "torch.autograd.grad"),
    (torch.optim.Optimizer, "zero_grad", "an optimizer's zero_grad()"),
    (nn.Module, "zero_grad", "a module's zero_grad()"),
    (gradients, "grad_states", "grad_states"),
    (gradients, "grad_state", "grad_state"),
    (sys.modules[__name__], "_by_rule", "the checker's own rule"),
]


def _as_states(got: object) -> dict[str, str]:
    """The learner's result as {parameter name: "None", "zero" or "nonzero"}: a dict, or a
    list of (name, state) pairs; a state in any case, or Python's None. Raises NotYet
    otherwise."""
    pairs = got.items() if isinstance(got, Mapping) else got
    if (
        isinstance(pairs, (str, bytes))
        or not isinstance(pairs, (Sequence, ItemsView))
        or not all(isinstance(pair, (tuple, list)) and len(pair) == 2 for pair in pairs)
    ):
        raise NotYet(
            'return a dict like {"rnn.weight_ih_l0": "None", ...} with all six '
            "parameters, "
            f"got {type(got).__name__}."
        )
    if not all(
        isinstance(name, str) and (state is None or isinstance(state, str))
        for name, state in pairs
    ):
        raise NotYet(
            "write each parameter name and each state as a string in quotes, e.g. "
            '{"linear.bias": "zero"}.'
        )
    states = {}
    for name, state in pairs:
        state = "None" if state is None else state.strip()
        states[name.strip()] = next(
            (s for s in STATES if s.lower() == state.lower()), state
        )
    unknown = sorted(set(states.values()) - set(STATES))
    if unknown:
        raise NotYet(
            "use only 'None', 'zero' or 'nonzero' for a state, got "
            f"{', '.join(map(repr, unknown))}."
        )
    missing = [name for name in PARAMETERS if name not in states]
    if missing:
        raise NotYet(
            f"your function's result is missing {', '.join(missing)}: give a state for "
            "all six parameters."
        )
    extra = sorted(set(states) - set(PARAMETERS))
    if extra:
        raise NotYet(
            f"{', '.join(map(repr, extra))} is not a parameter of SineRNN: use the "
            "names of model.named_parameters()."
        )
    return states


@checker
def check_survivors(grads_after: object) -> bool:
    """Exercise 1: ``grads_after(frozen, optimized, set_to_none)`` returns, for each
    parameter name of SineRNN, what its ``.grad`` holds ("None", "zero" or "nonzero")
    after the parameters named in
    ``frozen`` are frozen, an optimizer is given those named in ``optimized``, one
    backward() runs and then ``optimizer.zero_grad(set_to_none=set_to_none)``. The checker
    calls it on cases the notebook never uses, with backward, zero_grad and grad_states
    made unavailable: the exercise asks for the answer worked out, not measured."""
    learner_function(
        grads_after,
        "pass your function itself, grads_after(frozen, optimized, set_to_none)",
    )
    truths = [_survivors_scenario(*case) for case in SURVIVOR_CASES]
    answers = [
        _as_states(got)
        for _, got in call_each(
            grads_after,
            SURVIVOR_SHORTCUTS,
            SURVIVOR_ARGUMENTS,
            SURVIVOR_CASES,
            'return a dict like {"rnn.weight_ih_l0": "None", ...} with all six '
            "parameters.",
            ask="work it out from the rules, without running the code",
        )
    ]
    if answers == truths:
        return report(
            True,
            "a frozen parameter never gets a .grad, zero_grad() clears only the "
            "optimizer's parameters, and set_to_none decides between None and zeros "
            f"(checked on {len(SURVIVOR_CASES)} cases the notebook never uses).",
            "",
        )
    for mistake in [*SURVIVOR_MISTAKES, "set_to_none ignored, None"]:
        if answers == [_by_rule(*case, mistake) for case in SURVIVOR_CASES]:
            raise NotYet(SURVIVOR_MISTAKES[mistake.removesuffix(", None")])
    if all(answer == answers[0] for answer in answers):
        raise NotYet(
            "your function returns the same states whatever frozen, optimized and "
            "set_to_none are: work each state out from them."
        )
    case, answer, truth = next(
        (c, a, t) for c, a, t in zip(SURVIVOR_CASES, answers, truths) if a != t
    )
    wrong = [name for name in PARAMETERS if answer[name] != truth[name]]
    raise NotYet(
        f"with {', '.join(f'{n}={v}' for n, v in zip(SURVIVOR_ARGUMENTS, case))}, "
        f"{len(wrong)} of 6 states are wrong ({', '.join(wrong)}). Ask of each "
        "parameter in turn: did backward() give it a .grad, does the optimizer hold "
        "it, and what does set_to_none do to a .grad it clears?"
    )


# ---- exercise 2: gradient accumulation -------------------------------------------------


def _grads(model: nn.Module) -> list[Tensor | None]:
    """Each parameter's .grad as a float64 CPU copy (None where there is none)."""
    return [
        None if p.grad is None else as_values(p.grad, f"the .grad of {name}")
        for name, p in model.named_parameters()
    ]


def _close(grads: Sequence[Tensor | None], reference: Sequence[Tensor]) -> bool:
    return len(grads) == len(reference) and all(
        g is not None
        and g.shape == r.shape
        and torch.allclose(g, r, rtol=1e-4, atol=1e-6)
        for g, r in zip(grads, reference)
    )


def _unchanged(model: nn.Module, weights: dict[str, Tensor]) -> bool:
    """True when ``model`` still holds exactly the parameters ``weights`` (names, dtypes,
    values)."""
    now = dict(model.named_parameters())
    return now.keys() == weights.keys() and all(
        p.dtype == weights[k].dtype
        and p.device == weights[k].device
        and torch.equal(p, weights[k])
        for k, p in now.items()
    )


@checker
def check_accumulate(accumulate: object) -> bool:
    """Exercise 2: ``accumulate(model, x, y, n_micro)`` clears old gradients, then leaves
    in ``.grad`` the gradient of the mean-squared error over the whole batch, computed
    from ``n_micro`` equal
    micro-batches. x, y: [batch, seq_len, 1]; it must not change the parameters."""
    if not callable(accumulate):
        raise NotYet("pass a function accumulate(model, x, y, n_micro).")
    windows = sine_windows(draw_starts(32, generator=4))
    stale = sine_windows(draw_starts(32, generator=5))
    model = seeded_model(4)
    weights = {name: p.detach().clone() for name, p in model.named_parameters()}
    nn.functional.mse_loss(model(windows.x)[0], windows.y).backward()
    full = _grads(model)
    for n_micro in (1, 2, 4, 8):
        # a fresh one each time: the learner's function may have changed the last
        model = seeded_model(4)
        # old gradients to clear
        nn.functional.mse_loss(model(stale.x)[0], stale.y).backward()
        left_over = _grads(model)
        backwards = []
        # once per backward pass
        hook = model.linear.bias.register_hook(lambda grad: backwards.append(1))
        try:
            _, error = call_learner(
                accumulate, model, windows.x.clone(), windows.y.clone(), n_micro
            )
        finally:
            hook.remove()
        if error:
            raise NotYet(error)
        if not _unchanged(model, weights):
            raise NotYet(
                "the parameters changed: only compute gradients; do not call "
                "optimizer.step() or change the model."
            )
        got = _grads(model)
        if all(g is not None and torch.equal(g, s) for g, s in zip(got, left_over)):
            raise NotYet(
                ".grad still holds only the old gradients: your function computed "
                "nothing."
            )
        if len(backwards) != n_micro and _close(got, full):
            raise NotYet(
                f"with n_micro={n_micro} your function ran {len(backwards)} backward "
                "pass(es) over the whole batch: the exercise asks for one backward per "
                "micro-batch."
            )
        if len(backwards) != n_micro:
            raise NotYet(
                f"with n_micro={n_micro} your function ran {len(backwards)} backward "
                "pass(es): make one per micro-batch."
            )
        if _close(got, full):
            continue
        if _close(got, [f + s for f, s in zip(full, left_over)]):
            raise NotYet(
                "the old gradients are still in .grad: clear them before the first "
                "micro-batch."
            )
        if n_micro > 1 and _close(got, [n_micro * f for f in full]):
            raise NotYet(
                f"with n_micro={n_micro} the gradient is {n_micro} times too big: scale "
                "each loss."
            )
        if n_micro > 1 and _close(got, _last_micro(windows, n_micro)):
            raise NotYet(
                "only the last micro-batch's gradient is left: clear once, before the "
                "loop, not inside it."
            )
        if n_micro > 1 and _close(got, [f / n_micro for f in full]):
            raise NotYet(
                f"with n_micro={n_micro} the gradient is {n_micro} times too small: each "
                "micro-batch loss is already a mean, so divide it once, by n_micro."
            )
        raise NotYet(
            f"with n_micro={n_micro} .grad differs from the full-batch gradient: each "
            "micro-batch should add its share of the batch mean to .grad."
        )
    return report(
        True, "n_micro scaled backward passes add up to the full-batch gradient.", ""
    )


def _last_micro(windows, n_micro: int) -> list[Tensor]:
    """The gradients left when the learner clears inside the loop: the last micro-batch's,
    scaled."""
    model = seeded_model(4)
    x, y = windows.x.chunk(n_micro)[-1], windows.y.chunk(n_micro)[-1]
    (nn.functional.mse_loss(model(x)[0], y) / n_micro).backward()
    return _grads(model)


# ---- exercise 3: unequal micro-batches -------------------------------------------------


@checker
def check_scales(scales: object, sizes: Sequence[int] = SCALE_SIZES) -> bool:
    """Exercise 3: the factor for each micro-batch's mean loss, so that the accumulated
    gradient equals that of one batch holding all ``sizes`` windows: a tuple or list of
    numbers, or a 1-D
    tensor or array, one entry per micro-batch."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise TypeError(
            f"sizes must be a non-empty sequence of micro-batch sizes, got {sizes!r}"
        )
    sizes = tuple(int_in_range(f"sizes[{i}]", n) for i, n in enumerate(sizes))
    if scales is None or (
        isinstance(scales, Sequence) and any(s is None for s in scales)
    ):
        raise NotYet(NO_ANSWER)
    how_many = f"give {len(sizes)} numbers, one factor per micro-batch of sizes {sizes}"
    if isinstance(scales, (Tensor, np.ndarray)):
        if scales.ndim != 1:
            raise NotYet(
                f"{how_many}; got a {type(scales).__name__} shaped {list(scales.shape)}."
            )
        scales = as_values(scales, "scales").tolist()
    if (
        isinstance(scales, (str, bytes))
        or not isinstance(scales, Sequence)
        or len(scales) != len(sizes)
    ):
        raise NotYet(how_many + ".")
    scales = [as_number(s, "each factor should be a number") for s in scales]
    total = sum(sizes)
    right = [n / total for n in sizes]
    if all(abs(s - r) < 1e-6 for s, r in zip(scales, right)):
        return report(
            True,
            f"each mean loss is weighted by its share of the windows, n_k / {total}.",
            "",
        )
    mistakes = [
        (
            [1 / len(sizes)] * len(sizes),
            "equal factors give each window of the smaller micro-batch more weight than "
            "each window of the larger.",
        ),
        (
            [1 / n for n in sizes],
            "dividing by each micro-batch's own size undoes its mean: weight each mean "
            "by its share of the windows instead.",
        ),
        (
            right[::-1],
            "the factors are swapped: the larger micro-batch gets the larger weight.",
        ),
        (
            [float(n) for n in sizes],
            "multiplying by the sizes turns the means back into sums, and the full batch "
            "divides that sum by the total.",
        ),
    ]
    for values, hint in mistakes:
        if len(set(sizes)) > 1 or values != mistakes[2][0]:
            if all(abs(s - v) < 1e-6 for s, v in zip(scales, values)):
                raise NotYet(hint)
    raise NotYet(
        "a mean over n_k windows is a sum divided by n_k; the full batch divides by the "
        "total."
    )
