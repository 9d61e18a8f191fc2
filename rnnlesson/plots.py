"""Figures for the lesson. Each function returns a ``matplotlib.figure.Figure`` built directly
(not through pyplot), so nothing is shown behind the caller's back and tests can inspect it.
A notebook cell shows a figure by ending with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from numbers import Real

import matplotlib
import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.ticker import MaxNLocator
from torch import Tensor

from rnnlesson._checks import MAX_HIDDEN, MAX_STEPS, finite_float, in_jupyter, not_meta, positive_int
from rnnlesson.data import SineWindows
from rnnlesson.gradients import STATES, check_columns



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


def _flat(name: str, values: object) -> list[float]:
    """``values`` (a tensor, an array or a sequence of real numbers) as a flat list of floats, or a
    TypeError naming ``name``, before matplotlib sees it."""
    if isinstance(values, Tensor):
        not_meta(name, values)
        if values.is_complex() or values.dtype == torch.bool:
            raise TypeError(f"{name} must hold real numbers, got a tensor of dtype {values.dtype}")
        return values.detach().cpu().double().reshape(-1).tolist()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a tensor or a sequence of numbers, got {type(values).__name__}")
    flat = []
    for value in values:
        if isinstance(value, Tensor) and value.numel() == 1 and value.device.type != "meta":
            value = value.item()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
            raise TypeError(f"{name} must hold real numbers, got {value!r} ({type(value).__name__})")
        flat.append(float(value))
    return flat


def _named(name: str, curves: object, what: str) -> Mapping:
    """``curves`` if it is a non-empty mapping of names to ``what``, else a clear error naming ``name``."""
    if not isinstance(curves, Mapping):
        raise TypeError(f"{name} must be a dict of name -> {what}, got {type(curves).__name__}")
    if not curves:
        raise ValueError(f"{name} must hold at least one {what}, got none")
    return curves


def _check_windows(windows: object) -> SineWindows:
    if not isinstance(windows, SineWindows):
        raise TypeError(f"windows must be a SineWindows from data.sine_windows(...), got {type(windows).__name__}")
    return windows


def plot_windows(windows: SineWindows, n_show: int = 3) -> Figure:
    """One row per window (the first ``n_show``): its inputs, the first n-1 points, and its targets,
    the last n-1 points, so each window's start and end can be read off."""
    n_show = min(positive_int("n_show", n_show), len(_check_windows(windows)))
    fig = Figure(figsize=(FIGSIZE[0], 0.6 + 1.5 * n_show), layout="constrained")
    axes = fig.subplots(n_show, 1, squeeze=False, sharey=True)[:, 0]
    for i, ax in enumerate(axes):
        draw_window(ax, windows, i)
    axes[-1].set_xlabel("time t")
    axes[0].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    fig.suptitle("Sine windows: each target is the input one step later")
    return fig


def draw_window(ax: Axes, windows: SineWindows, i: int = 0, *, title: str | None = None) -> None:
    """Draw window ``i`` of ``windows`` on ``ax``: its inputs x (dots, the first n-1 points) and its
    targets y (crosses, the last n-1 points), titled with its start unless ``title`` is given.
    ``plot_windows`` draws each row with it, and notebook 01's explorer its one window."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    n_windows = len(_check_windows(windows))
    i = positive_int("i", i, minimum=0)
    if i >= n_windows:
        raise ValueError(f"i must be in [0, {n_windows - 1}] (windows holds {n_windows}), got {i}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__}")
    t = windows.t[i]
    ax.plot(t[:-1], _flat("windows.x", windows.x[i]), "o", ms=3, color="C0", label="input x (first n-1 points)")
    ax.plot(t[1:], _flat("windows.y", windows.y[i]), "x", ms=4, color="C1", label="target y (last n-1 points)")
    ax.set(title=f"window {i}: start = {t[0].item():.2f}" if title is None else title, ylabel="sin(t)")


def plot_losses(histories: Mapping[str, Sequence[float]], xlabel: str = "gradient evaluation") -> Figure:
    """Loss curves side by side, one panel per entry of ``histories`` (name -> losses), sharing
    one log-scale y-axis so their levels compare at a glance."""
    _named("histories", histories, "loss history")
    histories = {name: _flat(f"histories[{name!r}]", losses) for name, losses in histories.items()}
    fig = Figure(figsize=(FIGSIZE[0], FIGSIZE[1] * 0.9 + 0.5), layout="constrained")
    axes = fig.subplots(1, len(histories), squeeze=False, sharey=True)[0]
    for ax, (name, losses) in zip(axes, histories.items()):
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
    t, truth = _flat("t", t), _flat("truth", truth)
    if not isinstance(predictions, Mapping):  # may be empty: the truth alone
        raise TypeError(f"predictions must be a dict of name -> prediction tensor, got {type(predictions).__name__}")
    predictions = {name: _flat(f"predictions[{name!r}]", values) for name, values in predictions.items()}
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
        if warmup + len(values) > len(t):
            raise ValueError(
                f"predictions[{name!r}] has {len(values)} steps, but t has only {len(t) - warmup} after the warm-up"
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
    errors = {name: _flat(f"errors[{name!r}]", values) for name, values in _named("errors", errors, "error curve").items()}
    mark = None if mark is None else positive_int("mark", mark, maximum=MAX_STEPS)
    fig, ax = _new_axes(None)
    for name, values in errors.items():
        ax.plot(range(1, len(values) + 1), values, lw=1.2, label=name)
    if mark is not None:
        ax.axvline(mark, color="0.5", ls=":", lw=1, label=mark_label or f"step {mark}")
    ax.set(title=title, xlabel=xlabel, ylabel="RMSE (log scale)", yscale="log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return fig


def plot_error_by_warmup(warmups: Sequence[int], errors: Mapping[str, Sequence[float] | Tensor]) -> Figure:
    """Free-running RMSE against the number of observed warm-up points, one line per entry
    (name -> one RMSE per entry of ``warmups``), on a log scale."""
    if isinstance(warmups, (str, bytes, Mapping)) or not isinstance(warmups, Iterable):
        raise TypeError(f"warmups must be a sequence of warm-ups (ints >= 1), got {type(warmups).__name__}")
    warmups = [positive_int("warmup", k) for k in warmups]
    if not warmups:
        raise ValueError("warmups must hold at least one entry, got none")
    errors = {name: _flat(f"errors[{name!r}]", values) for name, values in _named("errors", errors, "error list").items()}
    fig, ax = _new_axes(None, figsize=(FIGSIZE[0] * 0.75, FIGSIZE[1]))
    for name, values in errors.items():
        if len(values) != len(warmups):
            raise ValueError(f"errors[{name!r}] has {len(values)} values for {len(warmups)} warm-ups")
        ax.plot(warmups, values, "o-", label=name)
    ax.set(title="Error against warm-up", xlabel="warm-up: observed points read before predicting",
           ylabel="RMSE (log scale)", yscale="log", xticks=warmups)
    ax.legend(loc="upper right", fontsize="small")
    return fig



def plot_ablation(scores: Mapping[str, Sequence[float] | Tensor], reference: Mapping[str, float] | None = None,
                  xlabel: str = "configuration", ylabel: str = "RMSE (log scale)") -> Figure:
    """One column per configuration (name -> one score per seed): a dot for every seed and a bar
    at the median, on a log scale, so that the spread from seed to seed is as visible as the
    difference between configurations. ``reference``: name -> a score drawn as a dashed line."""
    columns = {name: _flat(f"scores[{name!r}]", values) for name, values in _named("scores", scores, "configuration").items()}
    if reference is not None and not isinstance(reference, Mapping):
        raise TypeError(f"reference must be a dict of name -> score, or None, got {type(reference).__name__}")
    reference = {name: finite_float(f"reference[{name!r}]", value) for name, value in (reference or {}).items()}
    for name, value in reference.items():
        if value <= 0:
            raise ValueError(f"reference[{name!r}] must be > 0 to be drawn on the log scale, got {value}")
    for name, values in columns.items():
        if not values or not all(np.isfinite(v) and v > 0 for v in values):
            raise ValueError(f"scores[{name!r}] must hold positive finite numbers, one per seed, got {values}")
    fig, ax = _new_axes(None)
    for i, (name, values) in enumerate(columns.items()):
        spread = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else [0.0]
        ax.plot(i + np.asarray(spread), values, "o", color="C0", alpha=0.75, label="one seed" if i == 0 else None)
        ax.plot([i - 0.25, i + 0.25], [np.median(values)] * 2, "-", color="C3", lw=2.5,
                label="median" if i == 0 else None)
    for j, (name, value) in enumerate(reference.items()):
        ax.axhline(value, color=f"C{2 + j}", ls="--", lw=1.2, label=name)
    ax.set(title="One choice at a time, over seeds", xlabel=xlabel, ylabel=ylabel, yscale="log",
           xticks=range(len(columns)), xlim=(-0.6, len(columns) - 0.4))
    ax.set_xticklabels(list(columns), fontsize="small")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    return fig

# -- the model as a picture (notebook 02) -----------------------------------------------------------

BOX_W, BOX_H, COLUMN = 1.25, 0.62, 1.75  # box size and column spacing of plot_unrolled, in data units
ROLE_COLORS = {"input": "#dbe9f6", "hidden": "#fde7c8", "zeros": "0.92", "output": "#d9f0d3"}
TEXT_PT = 9  # no text in these figures is smaller than 8 pt


def plot_unrolled(hidden_size: int, num_layers: int = 1, n_steps: int = 4) -> Figure:
    """``SineRNN`` unrolled over ``n_steps`` steps, drawn from its sizes, every tensor labelled with
    its shape: inputs x_t [batch, 1] at the bottom, one row of hidden states h_t [batch, hidden]
    per layer, the Linear head's predictions [batch, 1] on top, and h_0 = 0 on the left.
    Arrows: W_ih into a layer from below, W_hh along a layer from the step before, Linear upwards."""
    hidden_size = positive_int("hidden_size", hidden_size, maximum=MAX_HIDDEN)
    num_layers = positive_int("num_layers", num_layers, maximum=6)
    n_steps = positive_int("n_steps", n_steps, maximum=8)
    rows = num_layers + 2  # input, layers, output
    fig = Figure(figsize=(2.6 + 1.45 * n_steps + 2.4, 0.7 + 0.95 * rows), layout="constrained")
    ax = fig.add_subplot()
    ax.set(xlim=(-2.2, COLUMN * n_steps + 2.9), ylim=(-0.55, rows - 0.45), aspect="auto")
    ax.axis("off")

    def box(x: float, y: float, text: str, role: str) -> None:
        ax.add_patch(FancyBboxPatch((x - BOX_W / 2, y - BOX_H / 2), BOX_W, BOX_H, boxstyle="round,pad=0.03",
                                    facecolor=ROLE_COLORS[role], edgecolor="0.3", lw=0.8))
        ax.text(x, y, text, ha="center", va="center", fontsize=TEXT_PT)

    def arrow(start: tuple[float, float], end: tuple[float, float], label: str = "") -> None:
        ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "->", "color": "0.25", "lw": 1})
        if label:
            mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            ax.text(mid[0] + 0.06, mid[1] + 0.05, label, fontsize=TEXT_PT - 1, color="0.25", ha="left", va="bottom")

    ax.text(-1.45, 0, "input", ha="right", va="center", fontsize=TEXT_PT)
    ax.text(-1.45, rows - 1, "Linear\nhead", ha="right", va="center", fontsize=TEXT_PT)
    for k in range(num_layers):
        ax.text(-1.45, k + 1, f"RNN\nlayer {k}", ha="right", va="center", fontsize=TEXT_PT)
        box(0, k + 1, "h_0 = 0", "zeros")
    for t in range(1, n_steps + 1):
        x = COLUMN * t
        box(x, 0, f"x_{t}\n[batch, 1]", "input")
        arrow((x, BOX_H / 2), (x, 1 - BOX_H / 2), "W_ih" if t == 1 else "")
        for k in range(num_layers):
            box(x, k + 1, f"h_{t}\n[batch, {hidden_size}]", "hidden")
            arrow((x - COLUMN + BOX_W / 2, k + 1), (x - BOX_W / 2, k + 1), "W_hh" if t == 1 else "")
            if k + 1 < num_layers:
                arrow((x, k + 1 + BOX_H / 2), (x, k + 2 - BOX_H / 2), "W_ih" if t == 1 else "")
        box(x, rows - 1, f"pred_{t}\n[batch, 1]", "output")
        arrow((x, rows - 2 + BOX_H / 2), (x, rows - 1 - BOX_H / 2), "Linear" if t == 1 else "")
        ax.text(x, -0.5, f"step t = {t}", ha="center", va="bottom", fontsize=TEXT_PT - 1, color="0.35")
    right = COLUMN * n_steps + BOX_W / 2 + 0.15
    ax.text(right, (num_layers + 1) / 2, f"hidden: the last h\nof every layer\n[num_layers, batch, hidden]"
            f"\n= [{num_layers}, batch, {hidden_size}]", ha="left", va="center", fontsize=TEXT_PT)
    ax.text(right, rows - 1, f"pred [batch, {n_steps}, 1]", ha="left", va="center", fontsize=TEXT_PT)
    ax.set_title(f"nn.RNN(1, {hidden_size}, num_layers={num_layers}, batch_first=True) + Linear({hidden_size}, 1),"
                 f" unrolled over {n_steps} steps: the same weights at every step", fontsize=TEXT_PT + 1)
    return fig


def plot_hidden_states(values: Tensor | Sequence[float], states: Mapping[str, Tensor]) -> Figure:
    """The input of one window on top and, below it, one heatmap per entry of ``states``
    (name -> hidden states [seq_len, hidden], e.g. ``model.rnn(x)[0][0]``): a row per hidden unit,
    a column per step, coloured on tanh's range -1 to 1."""
    values = _flat("values", values)
    for name, state in _named("states", states, "[seq_len, hidden] tensor").items():
        if not isinstance(state, Tensor) or state.dim() != 2 or state.shape[0] != len(values):
            got = list(state.shape) if isinstance(state, Tensor) else type(state).__name__
            raise ValueError(f"states[{name!r}] must be a tensor shaped [seq_len, hidden] = [{len(values)}, hidden], got {got}")
    fig = Figure(figsize=(FIGSIZE[0], 1.6 + 2.0 * len(states)), layout="constrained")
    axes = fig.subplots(1 + len(states), 1, sharex=True, height_ratios=[1] + [1.6] * len(states))
    steps = range(len(values))
    axes[0].plot(steps, values, "o-", ms=3, lw=1, color="C0")
    axes[0].set(title="One window: the input x_t = sin(t) read at each step", ylabel="x_t")
    for ax, (name, state) in zip(axes[1:], states.items()):
        state = state.detach().cpu()
        image = ax.imshow(state.T.numpy(), aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest",
                          extent=(-0.5, len(values) - 0.5, state.shape[1] - 0.5, -0.5))
        ax.set(title=f"{name}: hidden state h_t, {state.shape[1]} units x {state.shape[0]} steps", ylabel="hidden unit")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.colorbar(image, ax=ax, label="h (tanh: -1 to 1)", pad=0.01)
    axes[-1].set_xlabel("step t (position in the window)")
    return fig


# -- gradients as pictures (notebook 04) ------------------------------------------------------------

STATE_COLORS = ("0.88", "#9ecae1", "#f4a259")  # for gradients.STATES: None, zero, nonzero
STATE_MARKS = ("None", "0", "≠ 0")


def plot_grad_norms(history: Mapping[str, Sequence[Mapping[str, float]]]) -> Figure:
    """One panel per case (case title -> one ``grad_norms`` per backward() call, in order): for each
    parameter, its gradient norm after each call divided by its norm after the first, as grouped
    bars. Gradients that add up climb 1, 2, 3, ...; cleared ones stay at 1."""
    _named("history", history, "list of grad_norms(...)")
    for case, calls in history.items():
        if isinstance(calls, (str, bytes, Mapping)) or not isinstance(calls, Sequence) or not calls or not all(
                isinstance(norms, Mapping) and norms.keys() == calls[0].keys()
                and all(isinstance(v, Real) and not isinstance(v, bool) for v in norms.values()) for norms in calls):
            raise ValueError(f"history[{case!r}] must be a non-empty list of grad_norms(...), one per call, "
                             "each naming the same parameters")
    fig = Figure(figsize=(8.0, 3.6), layout="constrained")
    axes = fig.subplots(1, len(history), sharey=True, squeeze=False)[0]
    for ax, (case, calls) in zip(axes, history.items()):
        names = list(calls[0])
        if any(first == 0.0 for first in calls[0].values()):
            raise ValueError(f"in case {case!r} a parameter has no gradient after the first call")
        width = 0.8 / len(calls)
        for i, norms in enumerate(calls):
            ratios = [norms[n] / calls[0][n] for n in names]
            ax.bar(np.arange(len(names)) + (i - (len(calls) - 1) / 2) * width, ratios, width,
                   label=f"after backward() no. {i + 1}", color=f"C{i}")
        ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=8)
        ax.set(title=case, ylabel="norm of .grad / norm after call 1")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes[-1].legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small")
    return fig


def plot_grad_states(columns: Mapping[str, Mapping[str, str]], title: str = "What .grad holds") -> Figure:
    """The table of ``format_grad_table`` as a grid: a row per parameter, a column per snapshot of
    ``grad_states``, each cell coloured and marked by its state (None, zeros, nonzero)."""
    check_columns(columns)
    names = list(dict.fromkeys(name for states in columns.values() for name in states))
    codes = np.array([[STATES.index(states.get(name, "None")) for states in columns.values()] for name in names])
    fig = Figure(figsize=(2.6 + 1.6 * len(columns), 0.9 + 0.32 * len(names)), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(codes, cmap=ListedColormap(STATE_COLORS), vmin=-0.5, vmax=len(STATES) - 0.5, aspect="auto")
    for (row, col), code in np.ndenumerate(codes):
        ax.text(col, row, STATE_MARKS[code], ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(columns)), [title.replace(" ", "\n", 1) if len(title) > 16 else title for title in columns],
                  fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.xaxis.tick_top()
    ax.set_title(title, fontsize=10)
    ax.legend(handles=[Patch(facecolor=c, edgecolor="0.5", label=s) for c, s in zip(STATE_COLORS, (
        ".grad is None", ".grad holds zeros", "a nonzero .grad"))], loc="upper left", bbox_to_anchor=(1.02, 1.0),
        fontsize=8)
    return fig
