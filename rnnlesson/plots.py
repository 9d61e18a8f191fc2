"""Figures for the lesson. Each function returns a ``matplotlib.figure.Figure`` built directly
(not through pyplot), so nothing is shown behind the caller's back and tests can inspect it.
A notebook cell shows a figure by ending with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from torch import Tensor

from rnnlesson._checks import in_jupyter, positive_int
from rnnlesson.data import SineWindows



def _display_figures_inline() -> None:
    """In a Jupyter kernel on the default inline backend, show Figure objects as images: what
    ``%matplotlib inline`` sets up, which a bare ``Figure`` does not trigger on its own. Another
    backend the learner chose (``%matplotlib widget``, say) is left alone."""
    if in_jupyter() and "inline" in matplotlib.get_backend():
        from IPython import get_ipython

        get_ipython().enable_matplotlib("inline")


_display_figures_inline()
FIGSIZE = (8.0, 3.5)
TRUTH_COLOR = "0.35"


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _flat(values: Tensor | Sequence[float]) -> list[float]:
    if isinstance(values, Tensor):
        return values.detach().cpu().reshape(-1).tolist()
    return [float(v) for v in values]


def plot_windows(windows: SineWindows, n_show: int = 3) -> Figure:
    """One row per window (the first ``n_show``): its inputs, the first n-1 points, and its targets,
    the last n-1 points, so each window's start and end can be read off."""
    n_show = min(positive_int("n_show", n_show), len(windows))
    fig = Figure(figsize=(FIGSIZE[0], 0.6 + 1.5 * n_show), layout="constrained")
    axes = fig.subplots(n_show, 1, squeeze=False, sharey=True)[:, 0]
    for i, ax in enumerate(axes):
        t = windows.t[i]
        ax.plot(t[:-1], _flat(windows.x[i]), "o", ms=3, color="C0", label="input x (first n-1 points)")
        ax.plot(t[1:], _flat(windows.y[i]), "x", ms=4, color="C1", label="target y (last n-1 points)")
        ax.set(title=f"window {i}: start = {t[0].item():.2f}", ylabel="sin(t)")
    axes[-1].set_xlabel("time t")
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    fig.suptitle("Sine windows: each target is the input one step later")
    return fig


def plot_losses(histories: Mapping[str, Sequence[float]], xlabel: str = "gradient evaluation") -> Figure:
    """Loss curves side by side, one panel per entry of ``histories`` (name -> losses), sharing
    one log-scale y-axis so their levels compare at a glance."""
    if not histories:
        raise ValueError("histories must hold at least one named loss history, got none")
    fig = Figure(figsize=(FIGSIZE[0], FIGSIZE[1] * 0.9 + 0.5), layout="constrained")
    axes = fig.subplots(1, len(histories), squeeze=False, sharey=True)[0]
    for ax, (name, losses) in zip(axes, histories.items()):
        losses = _flat(losses)
        if not losses:
            raise ValueError(f"the loss history {name!r} is empty")
        ax.plot(range(1, len(losses) + 1), losses, lw=0.8, label=f"{len(losses)} evaluations")
        ax.set(yscale="log", title=name, xlabel=xlabel, ylabel="MSE loss (log scale)")
        ax.legend(loc="upper right", fontsize="small")
    return fig


def plot_rollout(
    t: Tensor,
    truth: Tensor,
    predictions: Mapping[str, Tensor],
    warmup: int,
    *,
    title: str | None = None,
    show_warmup: bool = True,
    ax: Axes | None = None,
) -> Figure:
    """The true series, the warm-up points the model read, and each prediction.

    t, truth:     [n] times and true values (any shape that flattens to n)
    predictions:  name -> [n_steps] predictions for times t[warmup : warmup + n_steps]
    show_warmup:  mark the first ``warmup`` points as observed (off for teacher-forced plots,
                  where every input is observed)
    The truth is drawn dashed on top, so it stays visible where a prediction covers it.
    """
    t, truth = _flat(t), _flat(truth)
    warmup = positive_int("warmup", warmup)
    if len(truth) != len(t):
        raise ValueError(f"t and truth must have the same length, got {len(t)} and {len(truth)}")
    if warmup > len(t):
        raise ValueError(f"warmup must be <= len(t) = {len(t)}, got {warmup}")
    fig, ax = _new_axes(ax)
    ax.plot(t, truth, "--", color=TRUTH_COLOR, lw=1.2, label="truth", zorder=3)
    if show_warmup:
        ax.plot(t[:warmup], truth[:warmup], "o", color="black", ms=5, label=f"warm-up ({warmup} observed)", zorder=4)
    for name, values in predictions.items():
        values = _flat(values)
        if warmup + len(values) > len(t):
            raise ValueError(
                f"prediction {name!r} has {len(values)} steps, but t has only {len(t) - warmup} after the warm-up"
            )
        ax.plot(t[warmup : warmup + len(values)], values, ".-", ms=4, lw=1, label=name)
    ax.set(title=title or "Rollout", xlabel="time t", ylabel="sin(t)", ylim=(-1.6, 1.6))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")  # beside the axes, off the lines
    return fig


def plot_error_by_horizon(
    errors: Mapping[str, Tensor],
    *,
    title: str = "Error against horizon",
    xlabel: str = "steps ahead (horizon)",
    mark: int | None = None,
    mark_label: str = "",
) -> Figure:
    """RMSE at each step, one line per entry (name -> [n_steps]), on a log scale; step 1 first.

    mark: draw a vertical line at that step (e.g. the length of a training window), labelled ``mark_label``.
    """
    if not errors:
        raise ValueError("errors must hold at least one named error curve, got none")
    fig, ax = _new_axes(None)
    for name, values in errors.items():
        values = _flat(values)
        ax.plot(range(1, len(values) + 1), values, lw=1.2, label=name)
    if mark is not None:
        ax.axvline(positive_int("mark", mark), color="0.5", ls=":", lw=1, label=mark_label or f"step {mark}")
    ax.set(title=title, xlabel=xlabel, ylabel="RMSE (log scale)", yscale="log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return fig


def plot_error_by_warmup(warmups: Sequence[int], errors: Mapping[str, Sequence[float] | Tensor]) -> Figure:
    """Free-running RMSE against the number of observed warm-up points, one line per entry
    (name -> one RMSE per entry of ``warmups``), on a log scale."""
    warmups = [positive_int("warmup", k) for k in warmups]
    if not warmups or not errors:
        raise ValueError("warmups and errors must each hold at least one entry, got none")
    fig, ax = _new_axes(None, figsize=(FIGSIZE[0] * 0.75, FIGSIZE[1]))
    for name, values in errors.items():
        values = _flat(values)
        if len(values) != len(warmups):
            raise ValueError(f"errors[{name!r}] has {len(values)} values for {len(warmups)} warm-ups")
        ax.plot(warmups, values, "o-", label=name)
    ax.set(title="Error against warm-up", xlabel="warm-up: observed points read before predicting",
           ylabel="RMSE (log scale)", yscale="log", xticks=warmups)
    ax.legend(loc="upper right", fontsize="small")
    return fig
