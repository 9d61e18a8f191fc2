"""Checkers for the exercises of notebook 04 (zero_grad)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from rnnlesson.data import draw_starts, sine_windows
from rnnlesson._checks import int_in_range
from rnnlesson.exercises import NO_ANSWER, NotYet, as_number, as_values, call_learner, checker, report
from rnnlesson.gradients import STATES, grad_states
from rnnlesson.model import seeded_model

SCALE_SIZES = (40, 24)  # exercise 3: two micro-batches of unequal size


# ---- exercise 1: which gradients survive -------------------------------------------------


def _survivors_scenario() -> dict[str, str]:
    """Exercise 1's scenario, run for real: the whole ``rnn`` frozen, an SGD optimizer given
    ``model.parameters()``, one backward(), then ``optimizer.zero_grad(set_to_none=False)``."""
    model = seeded_model(4)
    model.rnn.requires_grad_(False)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    windows = sine_windows([0.0, 1.0])
    pred, _ = model(windows.x)
    nn.functional.mse_loss(pred, windows.y).backward()
    optimizer.zero_grad(set_to_none=False)
    return grad_states(model)


@checker
def check_survivors(answer: object) -> bool:
    """Exercise 1: ``answer`` maps each parameter name of SineRNN to "None", "zero" or "nonzero"."""
    truth = _survivors_scenario()
    if not isinstance(answer, Mapping):
        return report(False, "", 'give a dict like {"rnn.weight_ih_l0": "None", ...} with all six parameters.')
    not_text = [v for v in answer.values() if v is not None and not isinstance(v, str)]
    if not_text or not all(isinstance(k, str) for k in answer):
        return report(False, "", "write each parameter name and each state as a string in quotes, "
                      'e.g. {"linear.bias": "zero"}.')
    given = {k: ("None" if v is None else v.strip()) for k, v in answer.items()}
    given = {k: next((s for s in STATES if s.lower() == v.lower()), v) for k, v in given.items()}
    missing = [name for name in truth if name not in given]
    if missing:
        return report(False, "", f"the answer is missing {', '.join(missing)}; list all six parameters.")
    unknown = sorted(set(v for v in given.values() if v not in STATES))
    if unknown == ["?"]:  # the template ("None" is an answer here, so the blanks are "?")
        return report(False, "", "replace each '?' with 'None', 'zero' or 'nonzero', then run the cell again.")
    if unknown:
        return report(False, "", f"use only 'None', 'zero' or 'nonzero', got {unknown}.")
    wrong = [name for name in truth if given[name] != truth[name]]
    if not wrong:
        return report(True, "a frozen parameter never gets a .grad, and set_to_none=False only zeroes existing ones.", "")
    frozen = [name for name in truth if name.startswith("rnn.")]
    owned = [name for name in truth if not name.startswith("rnn.")]
    hints = []
    if any(given[name] == "zero" for name in frozen):
        hints.append("a frozen parameter never gets a .grad, and set_to_none=False can only fill a .grad that "
                     "exists: it does not make one")
    if any(given[name] == "nonzero" for name in frozen):
        hints.append("backward() makes no .grad for a parameter that does not require grad")
    if any(given[name] == "nonzero" for name in owned):
        hints.append("the optimizer was given model.parameters(), so its zero_grad() clears the Linear's "
                     "gradients too")
    if any(given[name] == "None" for name in owned):
        hints.append("with set_to_none=False, zero_grad() keeps each existing .grad as a tensor, filled with zeros")
    return report(False, "", f"{len(wrong)} of 6 wrong ({', '.join(wrong)}): " + "; ".join(hints) + ".")


# ---- exercise 2: gradient accumulation ---------------------------------------------------


def _grads(model: nn.Module) -> list[Tensor | None]:
    """Each parameter's .grad as a float64 CPU copy (None where there is none)."""
    return [None if p.grad is None else as_values(p.grad, f"the .grad of {name}") for name, p in model.named_parameters()]


def _close(grads: Sequence[Tensor | None], reference: Sequence[Tensor]) -> bool:
    return len(grads) == len(reference) and all(
        g is not None and g.shape == r.shape and torch.allclose(g, r, rtol=1e-4, atol=1e-6)
        for g, r in zip(grads, reference))


def _unchanged(model: nn.Module, weights: dict[str, Tensor]) -> bool:
    """True when ``model`` still holds exactly the parameters ``weights`` (names, dtypes, values)."""
    now = dict(model.named_parameters())
    return now.keys() == weights.keys() and all(
        p.dtype == weights[k].dtype and p.device == weights[k].device and torch.equal(p, weights[k])
        for k, p in now.items())


@checker
def check_accumulate(accumulate: object) -> bool:
    """Exercise 2: ``accumulate(model, x, y, n_micro)`` clears old gradients, then leaves in ``.grad``
    the gradient of the mean-squared error over the whole batch, computed from ``n_micro`` equal
    micro-batches. x, y: [batch, seq_len, 1]; it must not change the parameters."""
    if not callable(accumulate):
        return report(False, "", "pass a function accumulate(model, x, y, n_micro).")
    windows = sine_windows(draw_starts(32, generator=4))
    stale = sine_windows(draw_starts(32, generator=5))
    model = seeded_model(4)
    weights = {name: p.detach().clone() for name, p in model.named_parameters()}
    nn.functional.mse_loss(model(windows.x)[0], windows.y).backward()
    full = _grads(model)
    for n_micro in (1, 2, 4, 8):
        model = seeded_model(4)  # a fresh one each time: the learner's function may have changed the last
        nn.functional.mse_loss(model(stale.x)[0], stale.y).backward()  # old gradients to clear
        left_over = _grads(model)
        backwards = []
        hook = model.linear.bias.register_hook(lambda grad: backwards.append(1))  # once per backward pass
        try:
            _, error = call_learner(accumulate, model, windows.x.clone(), windows.y.clone(), n_micro)
        finally:
            hook.remove()
        if error:
            return report(False, "", error)
        if not _unchanged(model, weights):
            return report(False, "", "the parameters changed: only compute gradients; do not call optimizer.step() "
                          "or change the model.")
        got = _grads(model)
        if all(g is not None and torch.equal(g, s) for g, s in zip(got, left_over)):
            return report(False, "", ".grad still holds only the old gradients: your function computed nothing.")
        if len(backwards) != n_micro and _close(got, full):
            return report(False, "", f"with n_micro={n_micro} your function ran {len(backwards)} backward pass(es) "
                          "over the whole batch: the exercise asks for one backward per micro-batch.")
        if len(backwards) != n_micro:
            return report(False, "", f"with n_micro={n_micro} your function ran {len(backwards)} backward "
                          "pass(es): make one per micro-batch.")
        if _close(got, full):
            continue
        if _close(got, [f + s for f, s in zip(full, left_over)]):
            return report(False, "", "the old gradients are still in .grad: clear them before the first micro-batch.")
        if n_micro > 1 and _close(got, [n_micro * f for f in full]):
            return report(False, "", f"with n_micro={n_micro} the gradient is {n_micro} times too big: scale each loss.")
        if n_micro > 1 and _close(got, _last_micro(windows, n_micro)):
            return report(False, "", "only the last micro-batch's gradient is left: clear once, before the loop, "
                          "not inside it.")
        if n_micro > 1 and _close(got, [f / n_micro for f in full]):
            return report(False, "", f"with n_micro={n_micro} the gradient is {n_micro} times too small: each "
                          "micro-batch loss is already a mean, so divide it once, by n_micro.")
        return report(
            False,
            "",
            f"with n_micro={n_micro} .grad differs from the full-batch gradient: each micro-batch should add "
            "its share of the batch mean to .grad.",
        )
    return report(True, "n_micro scaled backward passes add up to the full-batch gradient.", "")


def _last_micro(windows, n_micro: int) -> list[Tensor]:
    """The gradients left when the learner clears inside the loop: the last micro-batch's, scaled."""
    model = seeded_model(4)
    x, y = windows.x.chunk(n_micro)[-1], windows.y.chunk(n_micro)[-1]
    (nn.functional.mse_loss(model(x)[0], y) / n_micro).backward()
    return _grads(model)


# ---- exercise 3: unequal micro-batches ---------------------------------------------------


@checker
def check_scales(scales: object, sizes: Sequence[int] = SCALE_SIZES) -> bool:
    """Exercise 3: the factor for each micro-batch's mean loss, so that the accumulated gradient
    equals that of one batch holding all ``sizes`` windows: a tuple or list of numbers, or a 1-D
    tensor or array, one entry per micro-batch."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or not sizes:
        raise TypeError(f"sizes must be a non-empty sequence of micro-batch sizes, got {sizes!r}")
    sizes = tuple(int_in_range(f"sizes[{i}]", n) for i, n in enumerate(sizes))
    if scales is None or (isinstance(scales, Sequence) and any(s is None for s in scales)):
        return report(False, "", NO_ANSWER)
    how_many = f"give {len(sizes)} numbers, one factor per micro-batch of sizes {sizes}"
    if isinstance(scales, (Tensor, np.ndarray)):
        if scales.ndim != 1:
            raise NotYet(f"{how_many}; got a {type(scales).__name__} shaped {list(scales.shape)}.")
        scales = as_values(scales, "scales").tolist()
    if isinstance(scales, (str, bytes)) or not isinstance(scales, Sequence) or len(scales) != len(sizes):
        return report(False, "", how_many + ".")
    scales = [as_number(s, "each factor should be a number") for s in scales]
    total = sum(sizes)
    right = [n / total for n in sizes]
    if all(abs(s - r) < 1e-6 for s, r in zip(scales, right)):
        return report(True, f"each mean loss is weighted by its share of the windows, n_k / {total}.", "")
    mistakes = [
        ([1 / len(sizes)] * len(sizes), "equal factors give each window of the smaller micro-batch more weight than "
                                        "each window of the larger."),
        ([1 / n for n in sizes], "dividing by each micro-batch's own size undoes its mean: weight each mean by its "
                                 "share of the windows instead."),
        (right[::-1], "the factors are swapped: the larger micro-batch gets the larger weight."),
        ([float(n) for n in sizes], "multiplying by the sizes turns the means back into sums, and the full batch "
                                    "divides that sum by the total."),
    ]
    for values, hint in mistakes:
        if len(set(sizes)) > 1 or values != mistakes[2][0]:
            if all(abs(s - v) < 1e-6 for s, v in zip(scales, values)):
                return report(False, "", hint)
    return report(False, "", "a mean over n_k windows is a sum divided by n_k; the full batch divides by the total.")
