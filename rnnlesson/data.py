"""The lesson's data: windows of a sine wave, split into inputs and next-step targets.

A window holds ``n_points`` samples of ``sin`` over ``[start, start + span]``. The model
reads the first ``n_points - 1`` samples and must predict the last ``n_points - 1``: each
target is the input one time step later. Tensors are batch first: ``[batch, seq_len, 1]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral
from typing import Literal

import torch
from torch import Tensor

from rnnlesson._checks import (
    MAX_STEPS,
    MAX_TIME,
    MAX_WINDOWS,
    bounded_product,
    choice,
    finite_float,
    generator_seed,
    not_meta,
    int_in_range,
)

N_POINTS = 50
SPAN = 10.0
PERIOD = 2 * math.pi
ORIGINAL_STARTS = (0, 1, 2)  # the blog post drew start from these integers only
# how draw_starts draws: over a whole period, or as the post did
SCHEMES = ("period", "original")


@dataclass(frozen=True)
class SineWindows:
    """A batch of sine windows.

    t:      [batch, n_points]       sample times
    values: [batch, n_points, 1]    sin(t)
    """

    t: Tensor
    values: Tensor

    def __post_init__(self) -> None:
        if (
            not isinstance(self.t, Tensor)
            or self.t.dim() != 2
            or not self.t.is_floating_point()
        ):
            raise TypeError(
                "t must be a float tensor shaped [batch, n_points], got "
                f"{_described(self.t)}"
            )
        batch, n_points = self.t.shape
        if (
            not isinstance(self.values, Tensor)
            or list(self.values.shape) != [batch, n_points, 1]
            or (not self.values.is_floating_point())
        ):
            raise TypeError(
                f"values must be a float tensor shaped [batch, n_points, 1] = [{batch}, "
                f"{n_points}, 1] (t is [{batch}, {n_points}]), got "
                f"{_described(self.values)}"
            )
        if batch < 1 or n_points < 2:
            raise ValueError(
                "a SineWindows needs batch >= 1 and n_points >= 2, got t shaped "
                f"{list(self.t.shape)}"
            )

    @property
    def x(self) -> Tensor:
        """Inputs, the first n_points - 1 samples: [batch, n_points - 1, 1]."""
        return self.values[:, :-1]

    @property
    def y(self) -> Tensor:
        """Targets, the last n_points - 1 samples (inputs shifted by one): [batch,
        n_points - 1, 1]."""
        return self.values[:, 1:]

    def __len__(self) -> int:
        return self.values.shape[0]


def window_starts(starts: object, n_points: int) -> Tensor:
    """``starts`` (a number or a sequence of numbers) as a float64 tensor [batch], or a
    clear error: at least one start, at most MAX_WINDOWS, and at most MAX_ELEMENTS samples
    with ``n_points`` each."""
    starts = _as_starts(starts)
    if starts.numel() == 0:
        raise ValueError("starts must hold at least one start, got none")
    if starts.numel() > MAX_WINDOWS:
        raise ValueError(
            f"starts must hold at most {MAX_WINDOWS:,} starts, got {starts.numel():,}"
        )
    bounded_product({"len(starts)": starts.numel(), "n_points": n_points}, what="samples")
    return starts


def sine_windows(
    starts: Tensor | list[float] | float, n_points: int = N_POINTS, span: float = SPAN
) -> SineWindows:
    """Sample ``sin`` on ``n_points`` evenly spaced times over ``[start, start + span]``
    for each start.

    starts: a number or a sequence of numbers in [-MAX_TIME, MAX_TIME], one window each ->
    batch = len(starts). span: in (0, MAX_TIME]. The bounds keep every time finite and
    resolved: a start of 1e30 would give 50 equal float64 times, a constant "sine".
    The sine is computed in float64 and stored as float32.
    """
    n_points = int_in_range("n_points", n_points, minimum=2, maximum=MAX_STEPS)
    span = finite_float("span", span, minimum=0.0, strictly=True)
    if span > MAX_TIME:
        raise ValueError(f"span must be in (0, {MAX_TIME:g}], got {span:g}")
    starts = window_starts(starts, n_points)
    if not bool(torch.isfinite(starts).all()):
        raise ValueError("starts contains NaN or infinite values")
    if bool((starts.abs() > MAX_TIME).any()):
        raise ValueError(
            f"starts must be in [-{MAX_TIME:g}, {MAX_TIME:g}] (the sine repeats every "
            f"2*pi), got {starts.abs().max().item():g}"
        )
    t = (
        starts[:, None]
        + torch.linspace(0.0, span, n_points, dtype=torch.float64)[None, :]
    )
    return SineWindows(t=t.float(), values=torch.sin(t).float().unsqueeze(-1))


def _described(value: object) -> str:
    return (
        f"{value.dtype} shaped {list(value.shape)}"
        if isinstance(value, Tensor)
        else type(value).__name__
    )


def _as_starts(starts: object) -> Tensor:
    if isinstance(starts, Tensor):
        not_meta("starts", starts)
    try:
        values = torch.as_tensor(starts)
    except (TypeError, ValueError, RuntimeError) as error:
        raise TypeError(
            "starts must be a number or a sequence of numbers, got "
            f"{type(starts).__name__}"
        ) from error
    if (
        values.is_complex()
        or values.dtype == torch.bool
        or not (
            values.is_floating_point()
            or values.dtype
            in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8)
        )
    ):
        raise TypeError(f"starts must hold real numbers, got dtype {values.dtype}")
    if values.dim() > 1:
        raise ValueError(
            f"starts must be a number or a 1-D sequence, got shape {list(values.shape)}"
        )
    return values.to(torch.float64).reshape(-1)


def time_step(n_points: int = N_POINTS, span: float = SPAN) -> float:
    """The time between two neighbouring samples: span / (n_points - 1)."""
    n_points = int_in_range("n_points", n_points, minimum=2, maximum=MAX_STEPS)
    return finite_float("span", span, minimum=0.0, strictly=True) / (n_points - 1)


def sine_series(
    starts: Tensor | list[float] | float, n_points: int, dt: float | None = None
) -> SineWindows:
    """Like ``sine_windows`` but set by the time step: ``n_points`` samples ``dt`` apart.

    With the default ``dt`` (the lesson's 10 / 49) the first 50 points equal
    ``sine_windows``'s window, so a series can run as far past the training window as a
    rollout needs.
    """
    n_points = int_in_range("n_points", n_points, minimum=2, maximum=MAX_STEPS)
    dt = time_step() if dt is None else finite_float("dt", dt, minimum=0.0, strictly=True)
    if dt * (n_points - 1) > MAX_TIME:
        raise ValueError(
            f"dt must be in (0, {MAX_TIME / (n_points - 1):g}] so that {n_points} "
            f"points span at most {MAX_TIME:g}, got {dt:g}"
        )
    return sine_windows(starts, n_points=n_points, span=dt * (n_points - 1))


def draw_starts(
    n: int,
    *,
    scheme: Literal["period", "original"] = "period",
    generator: torch.Generator | int | None = None,
) -> Tensor:
    """Draw ``n`` window starts: [n] float32.

    scheme="period":   uniform over one full period [0, 2*pi), so every phase of the sine
                       is seen.
    scheme="original": the blog post's draw, integers 0, 1 or 2, which gives only three
    distinct windows. generator: a torch.Generator, or an int seed, or None for torch's
    global generator.
    """
    n = int_in_range("n", n, maximum=MAX_WINDOWS)
    if isinstance(generator, Integral) and not isinstance(generator, bool):
        generator = torch.Generator().manual_seed(generator_seed("generator", generator))
    elif generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            "generator must be a torch.Generator, an int seed >= 0, or None, got "
            f"{type(generator).__name__}"
        )
    scheme = choice("scheme", scheme, SCHEMES)
    if scheme == "period":
        return torch.rand(n, generator=generator, dtype=torch.float64).mul(PERIOD).float()
    return torch.randint(len(ORIGINAL_STARTS), (n,), generator=generator).float()
