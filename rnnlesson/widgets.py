"""Two explorers: sliders that redraw one plot, shown in a notebook as widgets.

WindowExplorer (notebook 01): one window of the sine for a ``start`` and a number of
points, its inputs and its next-step targets, and how many distinct windows the original
post's integer starts give with that many points.

RolloutExplorer (notebook 05): one or more models' free-running predictions after a
warm-up, from a zero hidden state or from the state each model was left with, with each
model's RMSE.

How a slider update stays cheap (see benchmarks/explorer.py):
    * the models are only run (``rollout.rollout``), never trained;
    * the rollout figure is built once; an update sets the data of its moving artists;
    * the still parts (axes, ticks, labels, legend) are drawn once per x range into a
      saved background; an update pastes that background and draws only the moving artists
      on top (blitting). The window explorer redraws its small figure whole, with
      ``plots.draw_window``;
    * the pixels go to the browser as one PNG in an ``ipywidgets.Image``, swapped in
      place;
    * the sliders send their value when released (``continuous_update=False``), so
      dragging builds no backlog of redraws in the kernel and the plot does not move under
      the mouse.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Mapping
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np
import torch
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage
from torch import Tensor

from rnnlesson import plots
from rnnlesson import rollout as rollouts
from rnnlesson._checks import finite_float, int_in_range
from rnnlesson.data import (
    N_POINTS,
    ORIGINAL_STARTS,
    PERIOD,
    SPAN,
    draw_starts,
    sine_series,
    sine_windows,
    time_step,
)
from rnnlesson.model import SineRNN, check_model
from rnnlesson.plots import (
    FIGSIZE,
    MIN_TEXT_PT,
    STYLE,
    TRUTH_COLOR,
    describe,
    fix_tick_sizes,
    series_style,
)

SLIDER_MAX_STEPS = 200  # the n_steps slider runs 1..SLIDER_MAX_STEPS
SLIDER_MAX_WARMUP = 20  # the warmup slider runs 1..SLIDER_MAX_WARMUP
MAX_MODELS = 4  # models one rollout explorer compares
MAX_POINTS = 100  # the window explorer's n_points slider runs 2..MAX_POINTS
# the rollout plot's x range grows and shrinks in whole blocks of this many time steps
X_BLOCK = 25
# the state control: label -> value
STATE_OPTIONS = {"zeros": "zeros", "left over": "leftover"}
DPI = 100
LEGEND_COLUMNS = 2  # a legend row fits the figure's phone-sized width
EXPLORER_FIGSIZE = (FIGSIZE[0], FIGSIZE[1] + 0.8)  # room for the legend and the summary
Y_LIMITS = (-1.6, 1.6)


def _check_start(start: object) -> float:
    start = finite_float("start", start)
    if not 0.0 <= start <= PERIOD:
        raise ValueError(f"start must be in [0, 2*pi] = [0, {PERIOD:.4f}], got {start}")
    return start


def _png(figure: Figure) -> bytes:
    """The figure's canvas as it stands (nothing is drawn here), encoded fast as a PNG."""
    buffer = io.BytesIO()
    PILImage.frombuffer(
        "RGBA", figure.canvas.get_width_height(), figure.canvas.buffer_rgba()
    ).save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _image(figure_size: tuple[float, float]) -> widgets.Image:
    width, height = int(figure_size[0] * DPI), int(figure_size[1] * DPI)
    image = widgets.Image(
        format="png", layout=widgets.Layout(width=f"{width}px", height=f"{height}px")
    )
    image.add_class("rnnlesson-plot")
    return image


def _start_slider(start: float, readout_format: str) -> widgets.FloatSlider:
    """The start slider both explorers show: a phase from 0 to 2 pi, in steps of 0.01."""
    return _slider(
        widgets.FloatSlider,
        "start",
        start,
        0.0,
        PERIOD,
        step=0.01,
        readout_format=readout_format,
    )


def _slider(
    kind: type, name: str, value: float, minimum: float, maximum: float, **options
) -> widgets.Widget:
    slider = kind(
        value=value,
        min=minimum,
        max=maximum,
        description=name,
        continuous_update=False,
        style={"description_width": "70px"},
        layout=widgets.Layout(width="520px"),
        **options,
    )
    slider.add_class(f"rnnlesson-{name.replace('_', '-')}")
    return slider


class _Explorer:
    """What both explorers share: a ``start`` slider, controls that call ``update`` when
    moved, and display as their widget."""

    controls: tuple[widgets.Widget, ...]
    start_slider: widgets.FloatSlider

    def _watch(self) -> None:
        self._holding = False
        for control in self.controls:
            control.observe(self._on_change, names="value")

    @property
    def start(self) -> float:
        return float(self.start_slider.value)

    def _on_change(self, change: dict) -> None:
        if not self._holding:
            self.update()

    @contextmanager
    def _held(self):
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    def update(self) -> None:
        raise NotImplementedError

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


# -- notebook 01 -------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)  # one entry per n_points the slider reaches
def _post_windows(n_points: int) -> Tensor:
    """The distinct windows of ``n_points`` points among 1000 of the post's draws (as in
    notebook 01's section 5): [n_distinct, n_points, 1]."""
    post = sine_windows(
        draw_starts(1000, scheme="original", generator=0), n_points=n_points
    ).values
    return torch.unique(post, dim=0)


class WindowExplorer(_Explorer):
    """A ``start`` slider and an ``n_points`` slider over one window of ``sin`` spanning
    10 time units.

    start:     the window's start, in [0, 2*pi] (one period: every phase)
    n_points:  samples in the window, in [2, MAX_POINTS]: n_points - 1 inputs x and as
               many targets y

    The plot is ``plots.draw_window``'s: inputs x as dots, targets y (the inputs one step
    later) as crosses, on fixed axes. The readout gives the time step and how many
    distinct windows the original post's integer starts (0, 1 or 2, 1000 draws) give with
    ``n_points`` points, and whether the window on show is one of them.
    Read from Python after any change: ``window`` (the SineWindows on show), ``dt``,
    ``n_distinct``, ``is_original`` (bool), the widgets ``start_slider``,
    ``n_points_slider``, ``readout``, ``image``.
    """

    def __init__(self, *, start: float = 0.0, n_points: int = N_POINTS) -> None:
        start = _check_start(start)
        n_points = int_in_range("n_points", n_points, minimum=2, maximum=MAX_POINTS)
        self.start_slider = _start_slider(start, readout_format=".3f")
        self.n_points_slider = _slider(
            widgets.IntSlider, "n_points", n_points, 2, MAX_POINTS
        )
        self.readout = widgets.Label()
        self.readout.add_class("rnnlesson-readout")
        with matplotlib.rc_context(STYLE):
            self.figure = Figure(figsize=EXPLORER_FIGSIZE, dpi=DPI)
            FigureCanvasAgg(self.figure)
            # the legend below
            self.figure.subplots_adjust(left=0.13, right=0.97, top=0.90, bottom=0.32)
            self.axes = self.figure.add_subplot()
            self.axes.set(
                xlim=(-0.3, PERIOD + SPAN + 0.3), ylim=(-1.2, 1.2), xlabel="time t"
            )
            self.axes.grid(alpha=0.3)
            fix_tick_sizes(self.figure)
            describe(
                self.figure,
                "Line plot",
                "one window of the sine: its inputs as dots, its targets as crosses",
            )
        self.image = _image(EXPLORER_FIGSIZE)
        self.controls = (self.start_slider, self.n_points_slider)
        self.widget = widgets.VBox([*self.controls, self.readout, self.image])
        self.widget.add_class("rnnlesson-explorer")
        self.update()
        self._watch()

    @property
    def n_points(self) -> int:
        return int(self.n_points_slider.value)

    def set(self, *, start: float | None = None, n_points: int | None = None) -> None:
        """Move the given sliders, then redraw once."""
        start = self.start if start is None else _check_start(start)
        n_points = (
            self.n_points
            if n_points is None
            else int_in_range("n_points", n_points, minimum=2, maximum=MAX_POINTS)
        )
        with self._held():
            self.start_slider.value, self.n_points_slider.value = start, n_points
        self.update()

    def update(self) -> None:
        """Redraw the window and the readout for the sliders' values."""
        start, n_points = self.start, self.n_points
        self.window = sine_windows([start], n_points=n_points)
        self.dt = time_step(n_points)
        post = _post_windows(n_points)  # [n_distinct, n_points, 1]
        self.n_distinct = post.shape[0]
        self.is_original = bool(
            ((post - self.window.values).abs().amax(dim=(1, 2)) < 1e-6).any()
        )

        ax = self.axes
        # the last window's points; the axes and their ticks stay
        for line in list(ax.lines):
            line.remove()
        shown = _start_words(start)
        with matplotlib.rc_context(STYLE):
            plots.draw_window(
                ax,
                self.window,
                title=f"start = {shown}: {n_points} points, dt = {self.dt:.4f}",
            )
            # below, as plots.plot_windows
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncols=2)
        self.figure.canvas.draw()
        self.image.value = _png(self.figure)

        which = "one of them" if self.is_original else "not one of them"
        self.readout.value = (
            f"start {shown}: {_plural(n_points - 1, 'input')} x and "
            f"{_plural(n_points - 1, 'target')} y, dt = {self.dt:.4f}. The post's "
            f"starts {', '.join(map(str, ORIGINAL_STARTS))} give {self.n_distinct} "
            f"distinct windows of {n_points} points; this window is {which}."
        )


def _start_words(start: float) -> str:
    """A start as the readout shows it: two decimals, and "2π" at the end of the period,
    where 6.28 and 2π would otherwise read alike (the slider holds both, 0.0032 apart, and
    their windows differ)."""
    return f"{start:.2f} (2π)" if abs(start - PERIOD) < 5e-4 else f"{start:.2f}"


def _plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an s unless the count is one: "1 input", "49
    inputs"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- notebook 05 -------------------------------------------------------------------------


def _check_models(models: object) -> dict[str, SineRNN]:
    if isinstance(models, SineRNN):
        return {"rollout": check_model(models, name="models")}
    if not isinstance(models, Mapping):
        raise TypeError(
            "models must be a SineRNN or a dict of name -> SineRNN, got "
            f"{type(models).__name__}"
        )
    if not 1 <= len(models) <= MAX_MODELS:
        raise ValueError(f"models must hold 1 to {MAX_MODELS} models, got {len(models)}")
    for name, model in models.items():
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"models' names must be non-empty strings, got {name!r}")
        check_model(model, name=f"models[{name!r}]")
    return dict(models)


def _check_leftover(leftover: object, models: dict[str, SineRNN]) -> dict[str, Tensor]:
    if leftover is None:
        return {}
    if not isinstance(leftover, Mapping):
        raise TypeError(
            "leftover must be a dict of model name -> hidden state, or None, got "
            f"{type(leftover).__name__}"
        )
    checked = {}
    for name, hidden in leftover.items():
        if name not in models:
            shown = ", ".join(map(repr, models))
            raise ValueError(
                f"leftover names a model that is not shown: {name!r} (models: {shown})"
            )
        hidden = models[name].as_hidden(hidden, batch=1, name=f"leftover[{name!r}]")
        checked[name] = hidden.detach().clone()
    return checked


def _x_points(n_shown: int, n_available: int) -> int:
    """Time steps on the x axis for ``n_shown`` plotted points: whole blocks of X_BLOCK,
    at most all ``n_available`` (the sliders' maxima together)."""
    return min(X_BLOCK * math.ceil(n_shown / X_BLOCK), n_available)


class RolloutExplorer(_Explorer):
    """Sliders, a starting-state control and one plot for comparing free-running
    predictions.

    models:    a SineRNN, or a dict of up to MAX_MODELS names -> SineRNN, each drawn in
               its own colour
    leftover:  optional dict of model name -> hidden state [num_layers, 1, hidden] that
               the model was left with (the original post's state left over from training,
               say). With it, a control chooses the starting state of every rollout:
               "zeros", or "leftover" (each model listed here starts from its state; the
               others from zeros all the same)
    start:     phase of the true series sin(t) = sin(start + tau), in [0, 2*pi]
    n_steps:   number of predictions fed back, in [1, SLIDER_MAX_STEPS]
    warmup:    number of observed points read before predicting, in [1, SLIDER_MAX_WARMUP]
    state:     "zeros" or "leftover" (the latter only with ``leftover``)

    The x axis is the time since the start, tau = t - start; it spans whole blocks of
    X_BLOCK time steps, enough for the warm-up plus the rollout, so it changes only when
    that crosses a block. The y axis is sin(t), as in ``plots.plot_rollout``. Prediction k
    (k = 0 .. n_steps-1) is drawn at time index warmup + k.

    Read from Python after any change: ``rmse`` and ``predictions`` (dicts by model name:
    float, [n_steps] tensor), the artists ``truth_line``, ``warmup_points``,
    ``prediction_lines`` (by name), ``summary_text``, the widgets ``start_slider``,
    ``n_steps_slider``, ``warmup_slider``, ``state_buttons``, ``readout`` and ``image``
    (PNG). ``set(...)`` moves several controls with one redraw. Show it by ending a
    notebook cell with the explorer (or ``explorer.widget``).
    """

    def __init__(
        self,
        models: SineRNN | Mapping[str, SineRNN],
        *,
        leftover: Mapping[str, Tensor] | None = None,
        start: float = 0.0,
        n_steps: int = 49,
        warmup: int = 1,
        state: str = "zeros",
    ) -> None:
        self.models = _check_models(models)
        self.leftover = _check_leftover(leftover, self.models)
        start, n_steps, warmup, state = self._checked(start, n_steps, warmup, state)

        self.start_slider = _start_slider(start, readout_format=".2f")
        self.n_steps_slider = _slider(
            widgets.IntSlider, "n_steps", n_steps, 1, SLIDER_MAX_STEPS
        )
        self.warmup_slider = _slider(
            widgets.IntSlider, "warmup", warmup, 1, SLIDER_MAX_WARMUP
        )
        self.state_buttons = widgets.ToggleButtons(
            options=list(STATE_OPTIONS.items()),
            value=state,
            description="state",
            disabled=not self.leftover,
            tooltips=[
                "every rollout starts from zeros",
                "each model starts from the state it was left with",
            ],
            style={"description_width": "70px", "button_width": "110px"},
        )
        self.state_buttons.add_class("rnnlesson-state")
        self.readout = widgets.Label()
        self.readout.add_class("rnnlesson-readout")
        self.image = _image(EXPLORER_FIGSIZE)
        sliders = (self.start_slider, self.n_steps_slider, self.warmup_slider)
        self.controls = sliders + ((self.state_buttons,) if self.leftover else ())
        self.widget = widgets.VBox([*self.controls, self.readout, self.image])
        self.widget.add_class("rnnlesson-explorer")

        self._build_figure()
        self.update()
        self._watch()

    def _checked(
        self, start: object, n_steps: object, warmup: object, state: object
    ) -> tuple[float, int, int, str]:
        start = _check_start(start)
        n_steps = int_in_range("n_steps", n_steps, maximum=SLIDER_MAX_STEPS)
        warmup = int_in_range("warmup", warmup, maximum=SLIDER_MAX_WARMUP)
        allowed = list(STATE_OPTIONS.values()) if self.leftover else ["zeros"]
        if state not in allowed:
            why = "" if self.leftover else " (give leftover states to choose 'leftover')"
            raise ValueError(f"state must be one of {allowed}{why}, got {state!r}")
        return start, n_steps, warmup, state

    # -- the figure, built once; its still parts drawn once per x range ------------------

    def _build_figure(self) -> None:
        with matplotlib.rc_context(STYLE):
            self._build_styled_figure()
        fix_tick_sizes(self.figure)
        describe(
            self.figure,
            "Line plot",
            (
                "each model's free-running prediction after the observed warm-up "
                "points, the true sine dashed, with each model's RMSE in the box"
            ),
        )

    def _build_styled_figure(self) -> None:
        self.figure = Figure(figsize=EXPLORER_FIGSIZE, dpi=DPI)
        FigureCanvasAgg(self.figure)
        rows = math.ceil((2 + len(self.models)) / LEGEND_COLUMNS)
        self.figure.subplots_adjust(
            left=0.13, right=0.97, top=0.90 - 0.065 * rows, bottom=0.13
        )
        ax = self.axes = self.figure.add_subplot()
        # Drawn as in plots.plot_rollout: the predictions below, the truth dashed on top
        # of them so it stays visible where a prediction covers it, the observed warm-up
        # points above both.
        self.prediction_lines = {
            name: ax.plot(
                [],
                [],
                ms=3,
                lw=1,
                label=f"{name} (fed back)",
                zorder=2,
                **series_style(i),
            )[0]
            for i, name in enumerate(self.models)
        }
        (self.truth_line,) = ax.plot(
            [], [], "--", color=TRUTH_COLOR, lw=1.2, label="truth sin(t)", zorder=3
        )
        (self.warmup_points,) = ax.plot(
            [], [], "o", color="black", ms=5, label="warm-up (observed)", zorder=4
        )
        self.summary_text = ax.text(
            0.01,
            0.97,
            "",
            transform=ax.transAxes,
            va="top",
            fontsize=MIN_TEXT_PT,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "0.8", "alpha": 0.9},
        )
        ax.set(
            ylim=Y_LIMITS, ylabel="sin(t)", xlabel="time since the start, τ = t − start"
        )
        ax.grid(alpha=0.3)
        ax.legend(
            handles=[
                self.truth_line,
                self.warmup_points,
                *self.prediction_lines.values(),
            ],
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncols=LEGEND_COLUMNS,
            frameon=False,
            fontsize=MIN_TEXT_PT,
        )
        # by zorder: predictions, truth, warm-up points, summary
        self._dynamic = (
            *self.prediction_lines.values(),
            self.truth_line,
            self.warmup_points,
            self.summary_text,
        )
        self._backgrounds: dict[int, object] = {}

    def _background(self, x_points: int) -> object:
        """The still parts for an x axis of ``x_points`` time steps, drawn the first time
        they are needed."""
        dt = time_step()
        # also for a saved one: the artists need it
        self.axes.set_xlim(-0.5 * dt, (x_points - 0.5) * dt)
        if x_points not in self._backgrounds:
            # draw the still parts without the moving artists
            for artist in self._dynamic:
                artist.set_visible(False)
            self.figure.canvas.draw()
            self._backgrounds[x_points] = self.figure.canvas.copy_from_bbox(
                self.figure.bbox
            )
            for artist in self._dynamic:
                artist.set_visible(True)
        return self._backgrounds[x_points]

    # -- one update: rollouts, new line data, one PNG ------------------------------------

    @property
    def n_steps(self) -> int:
        return int(self.n_steps_slider.value)

    @property
    def warmup(self) -> int:
        return int(self.warmup_slider.value)

    @property
    def state(self) -> str:
        return str(self.state_buttons.value)

    def starting_state(self, name: str) -> str:
        """Where model ``name``'s rollout starts now: "zeros" or "leftover"."""
        return (
            "leftover" if self.state == "leftover" and name in self.leftover else "zeros"
        )

    def set(
        self,
        *,
        start: float | None = None,
        n_steps: int | None = None,
        warmup: int | None = None,
        state: str | None = None,
    ) -> None:
        """Move the given controls, then redraw once."""
        values = self._checked(
            self.start if start is None else start,
            self.n_steps if n_steps is None else n_steps,
            self.warmup if warmup is None else warmup,
            self.state if state is None else state,
        )
        with self._held():
            for control, value in zip(
                (
                    self.start_slider,
                    self.n_steps_slider,
                    self.warmup_slider,
                    self.state_buttons,
                ),
                values,
            ):
                control.value = value
        self.update()

    def update(self) -> None:
        """Recompute every model's rollout for the controls' values and redraw the plot
        and the readout."""
        start, n_steps, warmup = self.start, self.n_steps, self.warmup
        # as far as the sliders reach (220 points with the default maxima), so a maximum
        # raised after construction still finds its truth
        n_available = self.warmup_slider.max + self.n_steps_slider.max
        truth = sine_series([start], n_points=n_available).values  # [1, n_available, 1]
        self.tau = np.arange(n_available) * time_step()  # [n_available]
        target = truth[:, warmup : warmup + n_steps]
        self.predictions, self.rmse = {}, {}
        for name, model in self.models.items():
            hidden = (
                self.leftover[name] if self.starting_state(name) == "leftover" else None
            )
            prediction = rollouts.rollout(
                model,
                truth.to(model.dtype),
                n_steps=n_steps,
                warmup=warmup,
                hidden=hidden,
            )
            self.rmse[name] = rollouts.rmse(prediction.cpu(), target)
            self.predictions[name] = prediction.cpu().reshape(-1)
        values = truth.reshape(-1).numpy()

        x_points = _x_points(warmup + n_steps, n_available)
        background = self._background(x_points)
        self.truth_line.set_data(self.tau[:x_points], values[:x_points])
        self.warmup_points.set_data(self.tau[:warmup], values[:warmup])
        for name, line in self.prediction_lines.items():
            line.set_data(
                self.tau[warmup : warmup + n_steps], self.predictions[name].numpy()
            )
        scores = ", ".join(f"{name} {self.rmse[name]:.4f}" for name in self.models)
        self.summary_text.set_text(
            f"start {start:.2f}, warm-up {warmup}, {_plural(n_steps, 'step')}, "
            f"from {'leftover states' if self.state == 'leftover' else 'zeros'}:\nRMSE "
            f"{scores}"
        )
        self.readout.value = (
            f"RMSE over {n_steps} predicted step{'s' if n_steps > 1 else ''} after "
            f"{warmup} observed point{'s' if warmup > 1 else ''}: "
            + ", ".join(
                f"{name} {self.rmse[name]:.4f} (from {self._state_words(name)})"
                for name in self.models
            )
        )
        self.image.value = self._render_png(background)

    def _state_words(self, name: str) -> str:
        if self.starting_state(name) == "leftover":
            return "its leftover state"
        return "zeros, no leftover state given" if self.state == "leftover" else "zeros"

    def _render_png(self, background: object) -> bytes:
        canvas = self.figure.canvas
        canvas.restore_region(background)
        for artist in self._dynamic:
            self.axes.draw_artist(artist)
        return _png(self.figure)


__all__ = [
    "MAX_MODELS",
    "MAX_POINTS",
    "SLIDER_MAX_STEPS",
    "SLIDER_MAX_WARMUP",
    "STATE_OPTIONS",
    "X_BLOCK",
    "RolloutExplorer",
    "WindowExplorer",
]
