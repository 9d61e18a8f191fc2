"""The yardsticks for every RNN score: what is possible, and what a simple predictor gets.

Floors (the best any predictor can do, from what it has read):
``one_value_floor``    free-running from one observed value. Given only sin(phi), with phi
                       uniform, the best guess of sin(phi + k dt) is sin(phi) cos(k dt)
                       (the two phases with that value are equally likely), and its RMSE
                       over k = 1..n_steps is sqrt(1/2 * mean sin^2(k dt)): 0.490 over the
                       lesson's 49 steps.
``one_step_floor``     teacher forcing from a zero state over a window: only position 0 is
                       ambiguous (its best RMSE is sqrt(1/2) |sin dt| = 0.143), every
                       later one follows from two points, so over n positions the floor is
                       0.143 / sqrt(n) = 0.0205 for 49.
``monte_carlo_floor``  the first one estimated by sampling, to check the formula.

Baselines (fitted by the package on the same 64 training windows as ``train``):
``persistence``        the next value is the last one read.
``fit_ar``             a linear recurrence x_t = a_1 x_{t-1} + ... + a_p x_{t-p}, by least
                       squares; on a noise-free sampled sine AR(2) is exact: a_1 = 2
                       cos(dt), a_2 = -1.
``ar_one_step``, ``ar_rollout``  the AR(p) used like ``rollout.one_step`` and
                                 ``rollout.rollout``.
Shapes follow the lesson: series are [batch, n, 1].
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from rnnlesson._checks import (
    MAX_STEPS,
    bounded_product,
    MAX_WINDOWS,
    generator_seed,
    int_in_range,
    sequence_tensor,
)
from rnnlesson.data import N_POINTS, draw_starts, sine_windows, time_step

MAX_ORDER = 48  # an AR(p) reads p points; a 50-point window leaves 49 inputs
MAX_BINS, MAX_MONTE_CARLO_SAMPLES = 100_000, 10_000_000  # monte_carlo_floor's sizes


def one_value_floor(n_steps: int = N_POINTS - 1, dt: float | None = None) -> float:
    """The lowest RMSE of any prediction of sin(phi + k dt), k = 1..n_steps, from sin(phi)
    alone, phi uniform over a period: sqrt(1/2 * mean_k sin^2(k dt)). dt defaults to the
    lesson's 10 / 49."""
    n_steps = int_in_range("n_steps", n_steps, maximum=MAX_STEPS)
    dt = time_step() if dt is None else _positive_dt(dt)
    k = torch.arange(1, n_steps + 1, dtype=torch.float64)
    return math.sqrt(0.5 * float(torch.sin(k * dt).pow(2).mean()))


def one_step_floor(n_positions: int = N_POINTS - 1, dt: float | None = None) -> float:
    """The lowest teacher-forced RMSE over ``n_positions`` positions from a zero state:
    position 0 has read one value (best RMSE sqrt(1/2) |sin dt|), every later position two
    or more (0)."""
    n_positions = int_in_range("n_positions", n_positions, maximum=MAX_STEPS)
    dt = time_step() if dt is None else _positive_dt(dt)
    return math.sqrt(0.5) * abs(math.sin(dt)) / math.sqrt(n_positions)


def monte_carlo_floor(
    n_steps: int = N_POINTS - 1,
    n_samples: int = 100_000,
    seed: int = 0,
    n_bins: int = 200,
) -> float:
    """``one_value_floor`` estimated without the formula: draw phases, group them by their
    observed value sin(phi) into ``n_bins`` bins, predict each future value by its bin's
    mean (the best
    guess from the value, up to the bin's width) and return that prediction's RMSE."""
    n_steps = int_in_range("n_steps", n_steps, maximum=MAX_STEPS)
    n_bins = int_in_range("n_bins", n_bins, maximum=MAX_BINS)
    n_samples = int_in_range(
        "n_samples", n_samples, minimum=n_bins, maximum=MAX_MONTE_CARLO_SAMPLES
    )
    bounded_product({"n_samples": n_samples, "n_steps": n_steps}, what="future values")
    generator = torch.Generator().manual_seed(generator_seed("seed", seed))
    phi = torch.rand(n_samples, generator=generator, dtype=torch.float64) * 2 * math.pi
    k = torch.arange(1, n_steps + 1, dtype=torch.float64)
    future = torch.sin(phi[:, None] + k[None, :] * time_step())  # [n_samples, n_steps]
    bins = ((torch.sin(phi) + 1) / 2 * n_bins).long().clamp(max=n_bins - 1)  # [n_samples]
    sums = torch.zeros(n_bins, n_steps, dtype=torch.float64).index_add_(0, bins, future)
    counts = torch.bincount(bins, minlength=n_bins).clamp(min=1).to(torch.float64)
    guess = (sums / counts[:, None])[bins]
    return float((future - guess).pow(2).mean().sqrt())


def persistence(observed: Tensor, n_steps: int, warmup: int = 1) -> Tensor:
    """Free-running persistence: every prediction is the last observed value.

    observed: [batch, n_observed, 1] -> [batch, n_steps, 1], like ``rollout.rollout``.
    Teacher-forced persistence is the input itself: x[:, k] predicts x[:, k + 1].
    """
    sequence_tensor("observed", observed)
    n_steps = int_in_range("n_steps", n_steps, maximum=MAX_STEPS)
    warmup = int_in_range("warmup", warmup, maximum=observed.shape[1])
    return observed[:, warmup - 1 : warmup].expand(-1, n_steps, -1).clone()


def training_windows(seed: int = 0, n_sequences: int = 64) -> Tensor:
    """The windows ``train(model, seed=seed)`` fits: [n_sequences, 50, 1]."""
    seed = generator_seed("seed", seed)
    n_sequences = int_in_range("n_sequences", n_sequences, maximum=MAX_WINDOWS)
    return sine_windows(draw_starts(n_sequences, generator=seed)).values


def fit_ar(values: Tensor, p: int) -> Tensor:
    """Least-squares AR(p): the coefficients a [p] (float64) of x_t = a_1 x_{t-1} + ... +
    a_p x_{t-p}, fitted on every t >= p of every row of values [batch, n, 1] (n > p)."""
    sequence_tensor("values", values)
    p = int_in_range("p", p, maximum=MAX_ORDER)
    if values.shape[1] <= p:
        raise ValueError(
            f"p must be < the number of points per row ({values.shape[1]}), got {p}"
        )
    x = values[..., 0].detach().to(torch.float64)  # [batch, n]
    n = x.shape[1]
    # [batch, n - p, p]
    lags = torch.stack([x[:, p - i : n - i] for i in range(1, p + 1)], dim=-1)
    target = x[:, p:]  # [batch, n - p]
    return torch.linalg.lstsq(lags.reshape(-1, p), target.reshape(-1, 1)).solution[:, 0]


def ar_one_step(coefficients: Tensor, x: Tensor) -> Tensor:
    """Teacher-forced AR(p): output[:, k] predicts x[:, k + 1] from x[:, k], x[:, k - 1],
    ...; points before the series count as 0, as the RNN's zero state knows nothing of
    them.
    x: [batch, seq_len, 1] -> [batch, seq_len, 1] (float64)."""
    a = _coefficients(coefficients)
    sequence_tensor("x", x)
    p = len(a)
    # [batch, p - 1 + seq_len]
    padded = torch.nn.functional.pad(x[..., 0].detach().to(torch.float64), (p - 1, 0))
    seq_len = x.shape[1]
    lags = torch.stack(
        [padded[:, p - i : p - i + seq_len] for i in range(1, p + 1)], dim=-1
    )
    return (lags @ a).unsqueeze(-1)


def ar_rollout(
    coefficients: Tensor, observed: Tensor, n_steps: int, warmup: int
) -> Tensor:
    """Free-running AR(p) after reading ``warmup`` >= p observed points; each prediction
    is fed back.

    observed: [batch, n_observed, 1] -> [batch, n_steps, 1] (float64): prediction k stands
    for time index warmup + k, as in ``rollout.rollout``."""
    a = _coefficients(coefficients)
    sequence_tensor("observed", observed)
    n_steps = int_in_range("n_steps", n_steps, maximum=MAX_STEPS)
    p = len(a)
    warmup = int_in_range("warmup", warmup, maximum=observed.shape[1])
    if warmup < p:
        raise ValueError(
            f"warmup must be >= p = {p} (an AR(p) reads p points), got {warmup}"
        )
    # p tensors [batch]
    history = list(
        observed[:, warmup - p : warmup, 0].detach().to(torch.float64).unbind(1)
    )
    predictions = []
    for _ in range(n_steps):
        nxt = sum(a[i] * history[-1 - i] for i in range(p))
        predictions.append(nxt)
        history = history[1:] + [nxt]
    return torch.stack(predictions, dim=1).unsqueeze(-1)


def _coefficients(coefficients: object) -> Tensor:
    if (
        not isinstance(coefficients, Tensor)
        or coefficients.dim() != 1
        or not 1 <= len(coefficients) <= MAX_ORDER
    ):
        got = (
            list(coefficients.shape)
            if isinstance(coefficients, Tensor)
            else type(coefficients).__name__
        )
        raise ValueError(
            f"coefficients must be a 1-D tensor of 1 to {MAX_ORDER} AR coefficients "
            f"(from fit_ar), got {got}"
        )
    if not bool(torch.isfinite(coefficients).all()):
        raise ValueError("coefficients contains NaN or infinite values")
    return coefficients.detach().to(torch.float64)


def _positive_dt(dt: object) -> float:
    from rnnlesson._checks import finite_float

    return finite_float("dt", dt, minimum=0.0, strictly=True)
