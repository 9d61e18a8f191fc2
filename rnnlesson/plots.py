"""Figures for the lesson. Each function returns a ``matplotlib.figure.Figure`` built
directly (not through pyplot), so nothing is shown behind the caller's back and tests can
inspect it.
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

from rnnlesson._checks import (
    MAX_HIDDEN,
    MAX_STEPS,
    MAX_WINDOWS,
    finite_float,
    in_jupyter,
    not_meta,
    int_in_range,
)
from rnnlesson.data import SineWindows
from rnnlesson.gradients import STATES, check_columns
from rnnlesson.stacking import LAYOUTS, row_origin


# -- how every figure looks: readable on a phone, in both colour modes, for every reader -

# Colours from the Okabe-Ito palette (distinguishable under the common colour-vision
# deficiencies), each series also with a marker and a dash of its own, so that colour is
# never the only cue. four apart in every simulation
OKABE_ITO = ("#0072B2", "#D55E00", "#56B4E9", "#E69F00", "#CC79A7", "#009E73")
MARKERS = ("o", "s", "^", "D", "v", "P")
DASHES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))
TRUTH_COLOR = "0.35"
MIN_TEXT_PT = 11.0  # no text in a figure is smaller
# inches; at 100 dpi 560 px, shown at most 358 px wide on a 390 px phone
FIGSIZE = (5.6, 3.4)
# What that buys: on a phone the smallest text is MIN_TEXT_PT / 72 * 100 * 358 / 571 = 9.6
# CSS px (571 px: the PNG of a 5.6 in figure with its tight box), 9.4 in the dark panel (a
# few px of padding).
STYLE = {
    "font.size": 11,
    "axes.titlesize": 11.5,
    "axes.labelsize": 11,
    "xtick.labelsize": MIN_TEXT_PT,
    "ytick.labelsize": MIN_TEXT_PT,
    "legend.fontsize": MIN_TEXT_PT,
    "figure.titlesize": 12,
    "axes.prop_cycle": matplotlib.cycler(
        color=OKABE_ITO, marker=MARKERS, linestyle=DASHES
    ),
    "lines.markersize": 4,
    "figure.dpi": 100,
    "figure.facecolor": "white",
}


def series_style(i: int) -> dict:
    """The colour, marker and dash of series ``i`` (0, 1, ...), as keyword arguments of
    ``Axes.plot``."""
    i = i % len(OKABE_ITO)
    return {"color": OKABE_ITO[i], "marker": MARKERS[i], "linestyle": DASHES[i]}


def lesson_style(function):
    """Build the figure under STYLE (fonts, colour cycle) without changing the caller's
    rcParams."""
    import functools

    @functools.wraps(function)
    def styled(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            fig = function(*args, **kwargs)
            fix_tick_sizes(fig)
            return fig

    return styled


# a longer title is wrapped: at 11 pt it would stick out of FIGSIZE's width
TITLE_CHARS = 56


def fix_tick_sizes(fig: Figure) -> None:
    """Tick labels are made when the figure is drawn, after STYLE's rc_context: give each
    axes its size. And wrap a title too long for the figure's width."""
    import textwrap

    for ax in fig.axes:
        ax.tick_params(which="both", labelsize=MIN_TEXT_PT)
        title = ax.title.get_text()
        if len(title) > TITLE_CHARS and "\n" not in title:
            ax.title.set_text("\n".join(textwrap.wrap(title, TITLE_CHARS)))


# -- what a figure says in words: its alt text -------------------------------------------


def describe(fig: Figure, kind: str, summary: str = "") -> Figure:
    """Mark ``fig`` as a ``kind`` ("Line plot", "Diagram", ...) with an optional
    one-sentence ``summary``, both read by ``alt_text``; returns ``fig``."""
    fig.rnnlesson_kind, fig.rnnlesson_summary = kind, summary
    return fig


def _clean(text: str) -> str:
    return " ".join(text.replace("$", "").split())


def alt_text(fig: Figure) -> str:
    """A text alternative for ``fig``, from its own words: its kind and summary
    (``describe``), its title, and for each panel its title, axes (and log scales) and
    legend entries."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    parts = [getattr(fig, "rnnlesson_kind", "Figure")]
    if getattr(fig, "_suptitle", None) is not None and fig._suptitle.get_text():
        parts.append(_clean(fig._suptitle.get_text()))
    # a diagram's title
    parts += [
        _clean(ax.get_title()) for ax in fig.axes if not ax.axison and ax.get_title()
    ]
    summary = getattr(fig, "rnnlesson_summary", "")
    if summary:
        parts.append(summary[0].upper() + summary[1:])
    panels = [ax for ax in fig.axes if ax.get_label() != "<colorbar>" and ax.axison]
    for ax in panels:
        words = []
        if ax.get_title():
            words.append(_clean(ax.get_title()))
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            label = _clean(axis.get_label_text())
            if label:
                scale = " (log scale)" if axis.get_scale() == "log" else ""
                words.append(f"{name}: {label}{scale}")
        legend = ax.get_legend()
        entries = [_clean(t.get_text()) for t in legend.get_texts()] if legend else []
        if entries:
            words.append("shown: " + "; ".join(entries))
        if words:
            parts.append(("Panel: " if len(panels) > 1 else "") + ", ".join(words))
    for legend in fig.legends:
        parts.append(
            "Shown: " + "; ".join(_clean(t.get_text()) for t in legend.get_texts())
        )
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def smallest_text_pt(fig: Figure) -> float:
    """The font size in points of the smallest visible text in ``fig``."""
    from matplotlib.text import Text

    sizes = [
        t.get_fontsize()
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes) if sizes else float("inf")


# the PNG text chunk of the alt text (the same text as the output's "alt")
ALT_KEY = "Description"
# the PNG text chunk of the smallest text's height in pixels
SMALLEST_TEXT_KEY = "Smallest text px"


def png_with_alt(fig: Figure) -> tuple[str, dict] | None:
    """``fig`` as a notebook shows it: a base64 PNG (tight box, the figure's dpi) holding
    its alt text and its smallest text's size in its text chunks, and the output metadata
    {"alt": ...}."""
    from IPython.core.pylabtools import print_figure

    text = alt_text(fig)
    fig.draw_without_rendering()  # makes the tick labels, so that they are measured too
    smallest = smallest_text_pt(fig) * fig.dpi / 72
    data = print_figure(
        fig,
        "png",
        bbox_inches="tight",
        base64=True,
        metadata={ALT_KEY: text, SMALLEST_TEXT_KEY: f"{smallest:.2f}"},
    )
    return None if data is None else (data, {"alt": text})


def show_inline() -> None:
    """In a Jupyter kernel on the default inline backend, show Figure objects as images:
    what ``%matplotlib inline`` sets up, which a bare ``Figure`` does not trigger on its
    own, with each
    figure's alt text (``png_with_alt``). Each notebook calls it once, in its first cell;
    importing this module changes nothing. Another backend the learner chose
    (``%matplotlib widget``, say), and any process outside Jupyter, is left alone."""
    if in_jupyter() and "inline" in matplotlib.get_backend():
        from IPython import get_ipython

        shell = get_ipython()
        shell.enable_matplotlib("inline")
        shell.display_formatter.formatters["image/png"].for_type(Figure, png_with_alt)


def _new_axes(
    ax: Axes | None, figsize: tuple[float, float] = FIGSIZE
) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _legend_below(fig: Figure, ax: Axes) -> None:
    """``ax``'s legend below the axes, in two columns when its labels are short; the
    figure grows by the legend's rows, so that the axes keep their height."""
    handles, labels = ax.get_legend_handles_labels()
    columns = 2 if max(map(len, labels)) <= 26 else 1
    rows = -(-len(labels) // columns)
    fig.legend(handles, labels, loc="outside lower center", ncols=columns)
    fig.set_size_inches(fig.get_figwidth(), fig.get_figheight() + 0.24 * max(0, rows - 1))


def _flat(name: str, values: object) -> list[float]:
    """``values`` (a tensor, an array or a sequence of real numbers) as a flat list of
    floats, or a TypeError naming ``name``, before matplotlib sees it."""
    if isinstance(values, Tensor):
        not_meta(name, values)
        if values.is_complex() or values.dtype == torch.bool:
            raise TypeError(
                f"{name} must hold real numbers, got a tensor of dtype {values.dtype}"
            )
        return values.detach().cpu().double().reshape(-1).tolist()
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise TypeError(
            f"{name} must be a tensor or a sequence of numbers, got "
            f"{type(values).__name__}"
        )
    flat = []
    for value in values:
        if (
            isinstance(value, Tensor)
            and value.numel() == 1
            and value.device.type != "meta"
        ):
            value = value.item()
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
            raise TypeError(
                f"{name} must hold real numbers, got {value!r} ({type(value).__name__})"
            )
        flat.append(float(value))
    return flat


def _named(name: str, curves: object, what: str) -> Mapping:
    """``curves`` if it is a non-empty mapping of names to ``what``, else a clear error
    naming ``name``."""
    if not isinstance(curves, Mapping):
        raise TypeError(
            f"{name} must be a dict of name -> {what}, got {type(curves).__name__}"
        )
    if not curves:
        raise ValueError(f"{name} must hold at least one {what}, got none")
    return curves


def _check_windows(windows: object) -> SineWindows:
    if not isinstance(windows, SineWindows):
        raise TypeError(
            "windows must be a SineWindows from data.sine_windows(...), got "
            f"{type(windows).__name__}"
        )
    return windows


@lesson_style
def plot_windows(windows: SineWindows, n_show: int = 3) -> Figure:
    """One row per window (the first ``n_show``): its inputs, the first n-1 points, and
    its targets, the last n-1 points, so each window's start and end can be read off."""
    n_show = min(int_in_range("n_show", n_show), len(_check_windows(windows)))
    fig = Figure(figsize=(FIGSIZE[0], 1.2 + 1.6 * n_show), layout="constrained")
    axes = fig.subplots(n_show, 1, squeeze=False, sharey=True)[:, 0]
    for i, ax in enumerate(axes):
        draw_window(ax, windows, i)
    axes[-1].set_xlabel("time t")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    fig.suptitle("Sine windows: each target is the input one step later")
    return describe(
        fig,
        "Line plot",
        f"{n_show} windows, one per row, as dots (inputs) and crosses (targets)",
    )


def draw_window(
    ax: Axes, windows: SineWindows, i: int = 0, *, title: str | None = None
) -> None:
    """Draw window ``i`` of ``windows`` on ``ax``: its inputs x (dots, the first n-1
    points) and its targets y (crosses, the last n-1 points), titled with its start unless
    ``title`` is given.
    ``plot_windows`` draws each row with it, and notebook 01's explorer its one window."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    n_windows = len(_check_windows(windows))
    i = int_in_range("i", i, minimum=0)
    if i >= n_windows:
        raise ValueError(
            f"i must be in [0, {n_windows - 1}] (windows holds {n_windows}), got {i}"
        )
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__}")
    t = windows.t[i]
    ax.plot(
        t[:-1],
        _flat("windows.x", windows.x[i]),
        "o",
        ms=3.5,
        color=OKABE_ITO[0],
        label="input x (first n-1)",
    )
    ax.plot(
        t[1:],
        _flat("windows.y", windows.y[i]),
        "x",
        ms=5,
        color=OKABE_ITO[1],
        label="target y (last n-1)",
    )
    ax.set(
        title=f"window {i}: start = {t[0].item():.2f}" if title is None else title,
        ylabel="sin(t)",
    )


@lesson_style
def plot_losses(
    histories: Mapping[str, Sequence[float]], xlabel: str = "gradient evaluation"
) -> Figure:
    """Loss curves side by side, one panel per entry of ``histories`` (name -> losses),
    sharing one log-scale y-axis so their levels compare at a glance."""
    _named("histories", histories, "loss history")
    histories = {
        name: _flat(f"histories[{name!r}]", losses) for name, losses in histories.items()
    }
    fig = Figure(figsize=(FIGSIZE[0], 0.4 + 2.4 * len(histories)), layout="constrained")
    # one row each: readable on a phone
    axes = fig.subplots(len(histories), 1, squeeze=False, sharey=True)[:, 0]
    for i, (ax, (name, losses)) in enumerate(zip(axes, histories.items())):
        if not losses:
            raise ValueError(f"the loss history {name!r} is empty")
        ax.plot(
            range(1, len(losses) + 1),
            losses,
            lw=0.9,
            color=OKABE_ITO[i % len(OKABE_ITO)],
            linestyle=DASHES[i % len(DASHES)],
            label=f"{len(losses)} evaluations",
        )
        ax.set(yscale="log", title=name, xlabel=xlabel, ylabel="MSE (log)")
        ax.legend(loc="upper right")
    return describe(
        fig,
        "Line plot",
        f"{len(histories)} loss curves, one panel each, sharing one log-scale y-axis",
    )


@lesson_style
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
    show_warmup:  mark the first ``warmup`` points as observed (off for teacher-forced
                  plots, where every input is observed)
    The truth is drawn dashed on top, so it stays visible where a prediction covers it.
    """
    t, truth = _flat("t", t), _flat("truth", truth)
    if not isinstance(predictions, Mapping):  # may be empty: the truth alone
        raise TypeError(
            "predictions must be a dict of name -> prediction tensor, got "
            f"{type(predictions).__name__}"
        )
    predictions = {
        name: _flat(f"predictions[{name!r}]", values)
        for name, values in predictions.items()
    }
    warmup = int_in_range("warmup", warmup)
    if len(truth) != len(t):
        raise ValueError(
            f"t and truth must have the same length, got {len(t)} and {len(truth)}"
        )
    if warmup > len(t):
        raise ValueError(f"warmup must be <= len(t) = {len(t)}, got {warmup}")
    fig, ax = _new_axes(ax)
    ax.plot(t, truth, "--", color=TRUTH_COLOR, lw=1.2, label="truth", zorder=3)
    if show_warmup:
        ax.plot(
            t[:warmup],
            truth[:warmup],
            "o",
            color="black",
            ms=5,
            label=f"warm-up ({warmup} observed)",
            zorder=4,
        )
    for name, values in predictions.items():
        if warmup + len(values) > len(t):
            raise ValueError(
                f"predictions[{name!r}] has {len(values)} steps, but t has only "
                f"{len(t) - warmup} after the warm-up"
            )
    for i, (name, values) in enumerate(predictions.items()):
        ax.plot(
            t[warmup : warmup + len(values)],
            values,
            ms=3.5,
            lw=1,
            label=name,
            **series_style(i),
        )
    ax.set(title=title or "Rollout", xlabel="time t", ylabel="sin(t)", ylim=(-1.6, 1.6))
    _legend_below(fig, ax)
    return describe(
        fig,
        "Line plot",
        "the true sine dashed, each prediction with its own colour and marker",
    )


@lesson_style
def plot_error_by_horizon(
    errors: Mapping[str, Tensor],
    *,
    title: str = "Error against horizon",
    xlabel: str = "steps ahead (horizon)",
    mark: int | None = None,
    mark_label: str = "",
) -> Figure:
    """RMSE at each step, one line per entry (name -> [n_steps]), on a log scale; step 1
    first.

    mark: draw a vertical line at that step (e.g. the length of a training window),
    labelled ``mark_label``.
    """
    errors = {
        name: _flat(f"errors[{name!r}]", values)
        for name, values in _named("errors", errors, "error curve").items()
    }
    mark = None if mark is None else int_in_range("mark", mark, maximum=MAX_STEPS)
    fig, ax = _new_axes(None)
    for i, (name, values) in enumerate(errors.items()):
        style = series_style(i)
        ax.plot(
            range(1, len(values) + 1),
            values,
            lw=1.2,
            label=name,
            markevery=max(1, len(values) // 12),
            **style,
        )
    if mark is not None:
        ax.axvline(
            mark,
            color="0.4",
            ls=":",
            lw=1.2,
            marker="",
            label=mark_label or f"step {mark}",
        )
    ax.set(title=title, xlabel=xlabel, ylabel="RMSE (log scale)", yscale="log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(loc="outside lower center", ncols=2)
    return describe(
        fig, "Line plot", "one line per entry, each with its own colour, marker and dash"
    )


@lesson_style
def plot_error_by_warmup(
    warmups: Sequence[int], errors: Mapping[str, Sequence[float] | Tensor]
) -> Figure:
    """Free-running RMSE against the number of observed warm-up points, one line per entry
    (name -> one RMSE per entry of ``warmups``), on a log scale."""
    if isinstance(warmups, (str, bytes, Mapping)) or not isinstance(warmups, Iterable):
        raise TypeError(
            "warmups must be a sequence of warm-ups (ints >= 1), got "
            f"{type(warmups).__name__}"
        )
    warmups = [int_in_range("warmup", k) for k in warmups]
    if not warmups:
        raise ValueError("warmups must hold at least one entry, got none")
    errors = {
        name: _flat(f"errors[{name!r}]", values)
        for name, values in _named("errors", errors, "error list").items()
    }
    fig, ax = _new_axes(None)
    for i, (name, values) in enumerate(errors.items()):
        if len(values) != len(warmups):
            raise ValueError(
                f"errors[{name!r}] has {len(values)} values for {len(warmups)} warm-ups"
            )
        ax.plot(warmups, values, label=name, **series_style(i))
    ax.set(
        title="Error against warm-up",
        xlabel="warm-up: observed points read before predicting",
        ylabel="RMSE (log scale)",
        yscale="log",
        xticks=warmups,
    )
    ax.legend(loc="upper right")
    return describe(
        fig, "Line plot", "one line per entry, each with its own colour, marker and dash"
    )


@lesson_style
def plot_ablation(
    scores: Mapping[str, Sequence[float] | Tensor],
    reference: Mapping[str, float] | None = None,
    xlabel: str = "configuration",
    ylabel: str = "RMSE (log scale)",
) -> Figure:
    """One column per configuration (name -> one score per seed): a dot for every seed and
    a bar at the median, on a log scale, so that the spread from seed to seed is as
    visible as the
    difference between configurations. ``reference``: name -> a score drawn as a dashed
    line."""
    columns = {
        name: _flat(f"scores[{name!r}]", values)
        for name, values in _named("scores", scores, "configuration").items()
    }
    if reference is not None and not isinstance(reference, Mapping):
        raise TypeError(
            "reference must be a dict of name -> score, or None, got "
            f"{type(reference).__name__}"
        )
    reference = {
        name: finite_float(f"reference[{name!r}]", value)
        for name, value in (reference or {}).items()
    }
    for name, value in reference.items():
        if value <= 0:
            raise ValueError(
                f"reference[{name!r}] must be > 0 to be drawn on the log scale, got "
                f"{value}"
            )
    for name, values in columns.items():
        if not values or not all(np.isfinite(v) and v > 0 for v in values):
            raise ValueError(
                f"scores[{name!r}] must hold positive finite numbers, one per seed, got "
                f"{values}"
            )
    fig, ax = _new_axes(None)
    for i, (name, values) in enumerate(columns.items()):
        spread = np.linspace(-0.12, 0.12, len(values)) if len(values) > 1 else [0.0]
        ax.plot(
            i + np.asarray(spread),
            values,
            "o",
            color=OKABE_ITO[0],
            alpha=0.8,
            label="one seed" if i == 0 else None,
        )
        ax.plot(
            [i - 0.25, i + 0.25],
            [np.median(values)] * 2,
            "-",
            color=OKABE_ITO[1],
            lw=2.5,
            marker="",
            label="median" if i == 0 else None,
        )
    for j, (name, value) in enumerate(reference.items()):
        ax.axhline(
            value, color=OKABE_ITO[2 + j], ls=DASHES[1 + j], lw=1.4, marker="", label=name
        )
    ax.set(
        title="One choice at a time, over seeds",
        xlabel=xlabel,
        ylabel=ylabel,
        yscale="log",
        xticks=range(len(columns)),
        xlim=(-0.6, len(columns) - 0.4),
    )
    ax.set_xticklabels(list(columns))
    fig.legend(loc="outside lower center", ncols=3)
    return describe(
        fig,
        "Dot plot",
        "one column per configuration: a dot per seed and a bar at the median",
    )


# -- the model as a picture (notebook 02) ------------------------------------------------

# box size, column and row spacing of plot_unrolled (inches)
BOX_W, BOX_H, COLUMN, ROW = 1.08, 0.64, 1.36, 0.98
# Fills and outlines that read on white and behind black text; the roles differ by outline
# too.
ROLE_COLORS = {
    "input": "#cfe3f5",
    "hidden": "#fde0b8",
    "zeros": "0.9",
    "output": "#cdebc6",
}
ROLE_EDGES = {"input": "solid", "hidden": "solid", "zeros": "dashed", "output": "dotted"}
TEXT_PT = MIN_TEXT_PT


@lesson_style
def plot_unrolled(hidden_size: int, num_layers: int = 1, n_steps: int = 4) -> Figure:
    """``SineRNN`` unrolled over ``n_steps`` steps, drawn from its sizes, every tensor
    labelled with its shape, one row per step so that it fits a phone's width: the input
    x_t [batch, 1] on the
    left, one column of hidden states h_t [batch, hidden] per layer, the Linear head's
    prediction [batch, 1] on the right, and h_0 = 0 in the top row.
    Arrows: W_ih into a layer from its left, W_hh down a layer from the step before,
    Linear to the right."""
    hidden_size = int_in_range("hidden_size", hidden_size, maximum=MAX_HIDDEN)
    num_layers = int_in_range("num_layers", num_layers, maximum=6)
    n_steps = int_in_range("n_steps", n_steps, maximum=8)
    columns = num_layers + 2  # input, layers, output
    width, height = COLUMN * columns + 0.2, ROW * (n_steps + 1) + 1.6
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    # data units are inches: column c's centre at COLUMN * (c + 0.5), row t's at -ROW * t
    ax.set(
        xlim=(0, COLUMN * columns),
        ylim=(-ROW * (n_steps + 0.5) - 0.7, ROW * 0.9),
        aspect="equal",
    )
    ax.axis("off")

    def box(column: int, t: int, text: str, role: str) -> None:
        x, y = COLUMN * (column + 0.5), -ROW * t
        ax.add_patch(
            FancyBboxPatch(
                (x - BOX_W / 2, y - BOX_H / 2),
                BOX_W,
                BOX_H,
                boxstyle="round,pad=0.03",
                facecolor=ROLE_COLORS[role],
                edgecolor="0.2",
                lw=1,
                linestyle=ROLE_EDGES[role],
            )
        )
        ax.text(x, y, text, ha="center", va="center", fontsize=TEXT_PT)

    def arrow(
        start: tuple[float, float],
        end: tuple[float, float],
        label: str = "",
        side: str = "above",
    ) -> None:
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={"arrowstyle": "->", "color": "0.2", "lw": 1},
        )
        if label:
            mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            if side == "above":
                ax.text(
                    mid[0],
                    mid[1] + BOX_H / 2 + 0.03,
                    label,
                    fontsize=TEXT_PT,
                    color="0.2",
                    ha="center",
                    va="bottom",
                )  # in the gap between rows, clear of the boxes
            else:
                ax.text(
                    mid[0] + 0.06,
                    mid[1],
                    label,
                    fontsize=TEXT_PT,
                    color="0.2",
                    ha="left",
                    va="center",
                )

    heads = ["input", *[f"RNN layer {k}" for k in range(num_layers)], "Linear head"]
    for column, head in enumerate(heads):
        ax.text(
            COLUMN * (column + 0.5),
            ROW * 0.55,
            head,
            ha="center",
            va="bottom",
            fontsize=TEXT_PT,
            fontweight="bold",
        )
    for k in range(num_layers):
        box(k + 1, 0, "h_0 = 0", "zeros")
    for t in range(1, n_steps + 1):
        y = -ROW * t
        box(0, t, f"x_{t}\n[batch, 1]", "input")
        for k in range(num_layers):
            x = COLUMN * (k + 1.5)
            box(k + 1, t, f"h_{t}\n[batch, {hidden_size}]", "hidden")
            arrow(
                (x - COLUMN + BOX_W / 2, y), (x - BOX_W / 2, y), "W_ih" if t == 1 else ""
            )
            # below row 1, whose gap above holds the W_ih labels
            labelled = t == min(2, n_steps)
            arrow(
                (x, y + ROW - BOX_H / 2),
                (x, y + BOX_H / 2),
                "W_hh" if labelled else "",
                side="right",
            )
        box(columns - 1, t, f"pred_{t}\n[batch, 1]", "output")
        x = COLUMN * (columns - 0.5)
        arrow((x - COLUMN + BOX_W / 2, y), (x - BOX_W / 2, y), "Linear" if t == 1 else "")
    bottom = -ROW * (n_steps + 0.5)
    ax.text(
        0.05,
        bottom,
        f"hidden: the last h of every layer, [num_layers, batch, hidden] = "
        f"[{num_layers}, batch, {hidden_size}]\npred: [batch, {n_steps}, 1]",
        ha="left",
        va="top",
        fontsize=TEXT_PT,
        wrap=True,
    )
    ax.set_title(
        f"nn.RNN(1, {hidden_size}, num_layers={num_layers}, batch_first=True)\n+ "
        f"Linear({hidden_size}, 1), unrolled over {n_steps} steps:\nthe same weights at "
        "every step",
        fontsize=TEXT_PT + 0.5,
    )
    return describe(
        fig,
        "Diagram",
        (
            f"One row per step t = 1 to {n_steps}. In each row the input x_t [batch, 1] "
            "goes through W_ih into "
            + (
                f"layer 0's hidden state h_t [batch, {hidden_size}]"
                if num_layers == 1
                else f"layer 0's hidden state h_t [batch, {hidden_size}], then through "
                "W_ih into each next layer's"
            )
            + "; each layer's h_t also comes from its h of the step before through W_hh, "
            "starting from h_0 = 0; "
            "the Linear head turns the last layer's h_t into pred_t [batch, 1]. The "
            "final hidden is "
            f"[{num_layers}, batch, {hidden_size}], pred is [batch, {n_steps}, 1]"
        ),
    )


@lesson_style
def plot_hidden_states(
    values: Tensor | Sequence[float], states: Mapping[str, Tensor]
) -> Figure:
    """The input of one window on top and, below it, one heatmap per entry of ``states``
    (name -> hidden states [seq_len, hidden], e.g. ``model.rnn(x)[0][0]``): a row per
    hidden unit, a column per step, coloured on tanh's range -1 to 1."""
    values = _flat("values", values)
    for name, state in _named("states", states, "[seq_len, hidden] tensor").items():
        if (
            not isinstance(state, Tensor)
            or state.dim() != 2
            or state.shape[0] != len(values)
        ):
            got = list(state.shape) if isinstance(state, Tensor) else type(state).__name__
            raise ValueError(
                f"states[{name!r}] must be a tensor shaped [seq_len, hidden] = "
                f"[{len(values)}, hidden], got {got}"
            )
    fig = Figure(figsize=(FIGSIZE[0], 1.6 + 2.0 * len(states)), layout="constrained")
    axes = fig.subplots(
        1 + len(states), 1, sharex=True, height_ratios=[1] + [1.6] * len(states)
    )
    steps = range(len(values))
    axes[0].plot(steps, values, "o-", ms=3, lw=1, color=OKABE_ITO[0])
    axes[0].set(title="One window: the input x_t = sin(t) at each step", ylabel="x_t")
    for ax, (name, state) in zip(axes[1:], states.items()):
        state = state.detach().cpu()
        image = ax.imshow(
            state.T.numpy(),
            aspect="auto",
            cmap="RdBu_r",
            vmin=-1,
            vmax=1,
            interpolation="nearest",
            extent=(-0.5, len(values) - 0.5, state.shape[1] - 0.5, -0.5),
        )
        ax.set(
            title=f"{name}: h_t, {state.shape[1]} units x {state.shape[0]} steps",
            ylabel="hidden unit",
        )
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        fig.colorbar(image, ax=ax, label="h (tanh)", pad=0.01)
    axes[-1].set_xlabel("step t (position in the window)")
    return describe(
        fig,
        "Line plot above heatmaps",
        (
            "the window's input on top; below, for each model, a heatmap of its hidden "
            "state, a row per unit and a column per step, from blue (-1) through white "
            "(0) to red (1)"
        ),
    )


# -- gradients as pictures (notebook 04) -------------------------------------------------

STATE_COLORS = ("0.88", "#9ecae1", "#f4a259")  # for gradients.STATES: None, zero, nonzero
STATE_MARKS = ("None", "0", "≠ 0")
# bars differ by pattern too, not by colour alone
HATCHES = ("", "//", "..", "xx", "\\\\", "++")


@lesson_style
def plot_grad_norms(history: Mapping[str, Sequence[Mapping[str, float]]]) -> Figure:
    """One panel per case (case title -> one ``grad_norms`` per backward() call, in
    order): for each parameter, its gradient norm after each call divided by its norm
    after the first, as grouped
    bars. Gradients that add up climb 1, 2, 3, ...; cleared ones stay at 1."""
    _named("history", history, "list of grad_norms(...)")
    for case, calls in history.items():
        if (
            isinstance(calls, (str, bytes, Mapping))
            or not isinstance(calls, Sequence)
            or not calls
            or not all(
                isinstance(norms, Mapping)
                and norms.keys() == calls[0].keys()
                and all(
                    isinstance(v, Real) and not isinstance(v, bool)
                    for v in norms.values()
                )
                for norms in calls
            )
        ):
            raise ValueError(
                f"history[{case!r}] must be a non-empty list of grad_norms(...), one "
                "per call, each naming the same parameters"
            )
    fig = Figure(figsize=(FIGSIZE[0], 0.8 + 2.9 * len(history)), layout="constrained")
    # one row each: readable on a phone
    axes = fig.subplots(len(history), 1, sharey=True, squeeze=False)[:, 0]
    for ax, (case, calls) in zip(axes, history.items()):
        names = list(calls[0])
        if any(first == 0.0 for first in calls[0].values()):
            raise ValueError(
                f"in case {case!r} a parameter has no gradient after the first call"
            )
        width = 0.8 / len(calls)
        for i, norms in enumerate(calls):
            ratios = [norms[n] / calls[0][n] for n in names]
            ax.bar(
                np.arange(len(names)) + (i - (len(calls) - 1) / 2) * width,
                ratios,
                width,
                label=f"after backward() no. {i + 1}",
                color=OKABE_ITO[i % len(OKABE_ITO)],
                hatch=HATCHES[i % len(HATCHES)],
                edgecolor="0.15",
                lw=0.6,
            )
        ax.set_xticks(range(len(names)), names, rotation=25, ha="right")
        ax.set(title=case, ylabel=".grad norm / call 1's")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=2)
    return describe(
        fig,
        "Bar chart",
        (
            "for each parameter, its gradient norm after each backward() call divided by "
            "its norm after the first"
        ),
    )


@lesson_style
def plot_grad_states(
    columns: Mapping[str, Mapping[str, str]], title: str = "What .grad holds"
) -> Figure:
    """The table of ``format_grad_table`` as a grid: a row per parameter, a column per
    snapshot of ``grad_states``, each cell coloured and marked by its state (None, zeros,
    nonzero)."""
    check_columns(columns)
    names = list(dict.fromkeys(name for states in columns.values() for name in states))
    codes = np.array(
        [
            [STATES.index(states.get(name, "None")) for states in columns.values()]
            for name in names
        ]
    )
    fig = Figure(
        figsize=(min(FIGSIZE[0], 2.2 + 1.1 * len(columns)), 1.6 + 0.36 * len(names)),
        layout="constrained",
    )
    ax = fig.add_subplot()
    ax.imshow(
        codes,
        cmap=ListedColormap(STATE_COLORS),
        vmin=-0.5,
        vmax=len(STATES) - 0.5,
        aspect="auto",
    )
    for (row, col), code in np.ndenumerate(codes):
        ax.text(col, row, STATE_MARKS[code], ha="center", va="center")
    ax.set_xticks(range(len(columns)), [_wrapped(title, 11) for title in columns])
    ax.set_yticks(range(len(names)), names)
    ax.xaxis.tick_top()
    ax.set_title(title)
    fig.legend(
        handles=[
            Patch(facecolor=c, edgecolor="0.5", label=s)
            for c, s in zip(
                STATE_COLORS, (".grad is None", ".grad holds zeros", "a nonzero .grad")
            )
        ],
        loc="outside lower center",
        ncols=2,
    )
    return describe(
        fig,
        "Grid",
        "a row per parameter, a column per snapshot, each cell marked None, 0 or ≠ 0",
    )


def _wrapped(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


ROW_ORDER_WRAP = 10  # plot_row_order's cells per line: 10 fit a phone's width


@lesson_style
def plot_row_order(batch: int = 3, seq_len: int = 4) -> Figure:
    """One strip per layout: stacked row index left to right, coloured by sequence,
    labelled with (sequence, step)."""
    batch = int_in_range("batch", batch, maximum=MAX_WINDOWS)
    seq_len = int_in_range("seq_len", seq_len, maximum=MAX_STEPS)
    n_rows = batch * seq_len
    if n_rows > 40:
        raise ValueError(f"batch * seq_len must be <= 40 to stay readable, got {n_rows}")
    # a phone-width figure: wide batches fold onto several lines of at most ROW_ORDER_WRAP
    # cells
    per_line = min(n_rows, ROW_ORDER_WRAP)
    lines = -(-n_rows // per_line)
    fig = Figure(
        figsize=(0.3 + 0.48 * per_line, 0.3 + 2 * (0.9 + 0.62 * lines)),
        layout="constrained",
    )
    axes = fig.subplots(2, 1)
    for ax, layout in zip(axes, LAYOUTS):
        origin = row_origin(batch, seq_len, layout)
        grid = np.full((lines, per_line), np.nan)
        grid.flat[:n_rows] = origin[:, 0].numpy()
        ax.imshow(grid, cmap="Pastel1", vmin=0, vmax=8, aspect="auto")
        for r, (s, t) in enumerate(origin.tolist()):
            ax.text(
                r % per_line, r // per_line, f"{r}\ns{s} t{t}", ha="center", va="center"
            )
        shape = (
            "[batch, seq_len, h]" if layout == "batch_first" else "[seq_len, batch, h]"
        )
        ax.set_title(f"{layout}: {shape}\nstacked to [batch*seq_len, h]")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("stacked rows in order: index, then s = sequence, t = step")
    return describe(
        fig,
        "Diagram",
        (
            f"the {n_rows} stacked rows of each layout in order, each labelled with its "
            "sequence s and step t: "
            + "; ".join(
                f"{layout}: "
                + ", ".join(
                    f"s{s} t{t}" for s, t in row_origin(batch, seq_len, layout).tolist()
                )
                for layout in LAYOUTS
            )
        ),
    )
