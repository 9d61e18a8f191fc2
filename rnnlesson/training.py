"""Training: the package's batched training, and the original post's loop reproduced as it
was.

``train``           a full batch of windows whose starts cover a whole period, every
                    window starting from a zero hidden state, optimised with L-BFGS (or
                    Adam).
``train_original``  the blog post's loop: one window per step, starts 0, 1 or 2 only, the
                    hidden state carried from one unrelated window to the next, Adam with
                    lr 0.01.
Both record the loss at every gradient evaluation, so their curves share an x-axis.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Callable, Literal

import torch
from torch import Tensor, nn

from rnnlesson._checks import (
    MAX_ITERATIONS,
    MAX_WINDOWS,
    choice,
    finite_float,
    generator_seed,
    int_in_range,
)
from rnnlesson.data import SineWindows, draw_starts, sine_windows
from rnnlesson.model import SineRNN, check_model

DEFAULT_ITERATIONS = {"lbfgs": 8, "adam": 1000}
DEFAULT_LR = {"lbfgs": 1.0, "adam": 0.01}
ORIGINAL_ITERATIONS = 6000  # the post's loop: 6000 windows, one Adam step each
LBFGS_MAX_ITER = 20  # inner iterations per L-BFGS step
# gradient evaluations per L-BFGS step at most (PyTorch's default, 5/4 of max_iter)
LBFGS_MAX_EVAL = 25


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite, or grew to more than DIVERGED_GROWTH times its
    first value (and above 10, where predictions of a sine in [-1, 1] are off by about 3):
    training stopped, and
    the model's weights are unusable."""


# a loss this many times its first value means the steps overshoot
DIVERGED_GROWTH = 100.0


def _stop_if_diverged(
    losses: list[float],
    method: str,
    lr: float,
    default_lr: float,
    latest: float | None = None,
) -> None:
    """Raise TrainingDiverged, naming the loss and the likely cause, if the latest loss
    (by default the last one in ``losses``) is not finite or has grown past
    DIVERGED_GROWTH times the first
    (and past 10)."""
    latest = losses[-1] if latest is None else latest
    # at least 10: targets are in [-1, 1]
    if math.isfinite(latest) and latest <= DIVERGED_GROWTH * max(losses[0], 0.1):
        return
    what = (
        f"became {latest}"
        if not math.isfinite(latest)
        else f"grew from {losses[0]:.3g} to {latest:.3g}"
    )
    raise TrainingDiverged(
        f"training diverged: the loss {what} by gradient evaluation {len(losses)} "
        f"({method}, lr={lr:g}). The learning rate is most likely too large (the "
        f"default is {default_lr:g}); the model's weights are no longer usable, so "
        "create a new model before training again."
    )


@torch.no_grad()
def _loss_now(model: SineRNN, x: Tensor, y: Tensor) -> float:
    """The training loss at the model's weights as they stand, from zero hidden states."""
    return nn.functional.mse_loss(model.unchecked_forward(x)[0], y).item()


def _check_callback(callback: object) -> None:
    if callback is not None and not callable(callback):
        raise TypeError(
            "callback must be a function of the step number, or None, got "
            f"{type(callback).__name__}"
        )


@dataclass
class TrainingResult:
    """losses: the mean squared error at every gradient evaluation, in order.
    seconds: wall-clock time of the loop.
    hidden: the hidden state left over at the end, [num_layers, 1, hidden] (original loop
    only).
    """

    losses: list[float]
    seconds: float
    hidden: Tensor | None = None

    def __post_init__(self) -> None:
        if (
            isinstance(self.losses, (str, bytes))
            or not isinstance(self.losses, Sequence)
            or not all(
                isinstance(v, Real) and not isinstance(v, bool) for v in self.losses
            )
        ):
            raise TypeError(
                f"losses must be a list of numbers, got {type(self.losses).__name__}"
            )
        if len(self.losses) == 0:
            raise ValueError("losses must hold at least one loss, got none")
        self.seconds = finite_float("seconds", self.seconds, minimum=0.0)
        if self.hidden is not None and not isinstance(self.hidden, Tensor):
            raise TypeError(
                f"hidden must be a torch.Tensor or None, got {type(self.hidden).__name__}"
            )

    @property
    def final_loss(self) -> float:
        return self.losses[-1]


def train(
    model: SineRNN,
    *,
    seed: int = 0,
    n_sequences: int = 64,
    n_iterations: int | None = None,
    method: Literal["lbfgs", "adam"] = "lbfgs",
    lr: float | None = None,
    scheme: Literal["period", "original"] = "period",
    callback: Callable[[int], None] | None = None,
    fresh_windows: bool = False,
    windows: SineWindows | None = None,
) -> TrainingResult:
    """Fit ``model`` to ``n_sequences`` windows whose starts are drawn uniformly over one
    period.

    The batch is drawn once from ``seed``: the data form a one-parameter family (the
    start), so a fixed batch covers it, and a fixed batch lets L-BFGS search along lines
    of one smooth loss. n_iterations: optimizer steps; an L-BFGS step makes up to 25
    gradient evaluations. The same model, seed and arguments give bit-identical losses.
    scheme="original" draws the starts from 0, 1 and 2 as the post did
    (rnnlesson.ablation); callback(i) is called after optimizer step i (counting from 1).
    fresh_windows=True (Adam only) draws a new batch of ``n_sequences`` windows before
    every step instead, the first of them the fixed batch's windows, so that a comparison
    with the post's loop changes the batch size alone (rnnlesson.ablation).
    windows: a batch to fit instead of the drawn sine windows (any SineWindows, e.g.
    another signal's, rnnlesson.signals); then n_sequences, scheme and fresh_windows do
    not apply.
    """
    check_model(model)
    seed = generator_seed("seed", seed)
    n_sequences = int_in_range("n_sequences", n_sequences, maximum=MAX_WINDOWS)
    method = choice("method", method, tuple(DEFAULT_ITERATIONS))
    n_iterations = int_in_range(
        "n_iterations",
        DEFAULT_ITERATIONS[method] if n_iterations is None else n_iterations,
        maximum=MAX_ITERATIONS,
    )
    lr = finite_float(
        "lr", DEFAULT_LR[method] if lr is None else lr, minimum=0.0, strictly=True
    )
    _check_callback(callback)
    if not isinstance(fresh_windows, bool):
        raise TypeError(f"fresh_windows must be True or False, got {fresh_windows!r}")
    if fresh_windows and method != "adam":
        raise ValueError(
            "fresh_windows=True needs method='adam': L-BFGS searches along one fixed loss"
        )
    if windows is not None:
        if not isinstance(windows, SineWindows):
            raise TypeError(
                f"windows must be a SineWindows (or None for drawn sine windows), got "
                f"{type(windows).__name__}"
            )
        if fresh_windows:
            raise ValueError(
                "windows= gives one fixed batch: it cannot be used with "
                "fresh_windows=True"
            )
        if not bool(torch.isfinite(windows.values).all()):
            raise ValueError("windows contains NaN or infinite values")

    # the same first draw as draw_starts(..., generator=seed)
    draws = torch.Generator().manual_seed(seed)

    def draw_batch() -> tuple[Tensor, Tensor]:
        batch = (
            windows
            if windows is not None
            else sine_windows(draw_starts(n_sequences, scheme=scheme, generator=draws))
        )
        return batch.x.to(model.device, model.dtype), batch.y.to(
            model.device, model.dtype
        )

    x, y = draw_batch()
    model.train()
    losses: list[float] = []

    def closure() -> Tensor:
        optimizer.zero_grad()
        pred, _ = model(x)  # every window starts from a zero hidden state
        loss = nn.functional.mse_loss(pred, y)
        loss.backward()
        losses.append(loss.item())
        return loss

    if method == "lbfgs":
        optimizer = torch.optim.LBFGS(
            model.parameters(),
            lr=lr,
            max_iter=LBFGS_MAX_ITER,
            max_eval=LBFGS_MAX_EVAL,
            history_size=50,
            line_search_fn="strong_wolfe",
        )
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    started = time.perf_counter()
    with torch.enable_grad():  # also when the caller switched gradients off
        for step in range(n_iterations):
            if fresh_windows and step:
                x, y = draw_batch()
            optimizer.step(closure)
            # L-BFGS's line search tries far-off weights on its way (losses of 1e12 at
            # lr=1e6) and keeps the best it found: judge the weights it kept, not its last
            # trial
            kept = _loss_now(model, x, y) if method == "lbfgs" else None
            _stop_if_diverged(losses, method, lr, DEFAULT_LR[method], latest=kept)
            if callback is not None:
                callback(step + 1)
    seconds = time.perf_counter() - started
    model.eval()
    return TrainingResult(losses=losses, seconds=seconds)


def train_original(
    model: SineRNN,
    *,
    seed: int = 0,
    n_iterations: int = ORIGINAL_ITERATIONS,
    lr: float = DEFAULT_LR["adam"],
    log_every: int | None = None,
    scheme: Literal["original", "period"] = "original",
    carry_hidden: bool = True,
    callback: Callable[[int], None] | None = None,
) -> TrainingResult:
    """The blog post's loop, kept as it was so the lessons can compare against it.

    Each iteration: one window (batch 1) with start 0, 1 or 2; the hidden state left by
    the previous, unrelated window is fed in and then detached; ``model.zero_grad()``;
    Adam step. log_every: print the loss every that many iterations (rounded to 4
    decimals), or None. Returns the losses and the hidden state left over at the end:
    [num_layers, 1, hidden].

    Two of the loop's choices can be changed one at a time (rnnlesson.ablation does):
    scheme="period" draws the starts uniformly over a period instead of from 0, 1 and 2,
    and carry_hidden=False starts every window from zeros instead of the state the last
    one left. callback(i) is called after iteration i (counting from 1), for example to
    score the model.
    """
    check_model(model)
    seed = generator_seed("seed", seed)
    n_iterations = int_in_range("n_iterations", n_iterations, maximum=MAX_ITERATIONS)
    lr = finite_float("lr", lr, minimum=0.0, strictly=True)
    if log_every is not None:
        log_every = int_in_range("log_every", log_every)
    if not isinstance(carry_hidden, bool):
        raise TypeError(f"carry_hidden must be True or False, got {carry_hidden!r}")
    _check_callback(callback)

    windows = sine_windows(draw_starts(n_iterations, scheme=scheme, generator=seed))
    xs, ys = (
        windows.x.to(model.device, model.dtype),
        windows.y.to(model.device, model.dtype),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    hidden = model.initial_hidden(batch=1)
    model.train()
    losses: list[float] = []
    started = time.perf_counter()
    with torch.enable_grad():  # also when the caller switched gradients off
        for i in range(n_iterations):
            pred, hidden = model(xs[i : i + 1], hidden if carry_hidden else None)
            hidden = hidden.detach()  # carried into the next, unrelated window
            loss = nn.functional.mse_loss(pred, ys[i : i + 1])
            model.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            _stop_if_diverged(losses, "the original loop's Adam", lr, DEFAULT_LR["adam"])
            if log_every is not None and i % log_every == 0:
                print(f"iteration {i:5d}: loss {losses[-1]:.4f}")
            if callback is not None:
                callback(i + 1)
    seconds = time.perf_counter() - started
    model.eval()
    return TrainingResult(losses=losses, seconds=seconds, hidden=hidden)
