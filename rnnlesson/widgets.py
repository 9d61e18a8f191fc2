"""The rollout explorer: sliders for ``start``, ``n_steps`` and ``warmup`` that redraw one plot of
the truth, the warm-up points the model read, and its free-running prediction, with the RMSE.

How a slider update stays cheap (about 15-30 ms on a small CPU; see benchmarks/explorer.py):
    * the model is only run (``rollout.rollout``), never trained;
    * the figure is built once with fixed axes; an update sets the data of four artists;
    * the still parts (axes, ticks, labels, legend) are drawn once into a saved background;
      an update pastes that background and draws only the four artists on top (blitting);
    * the pixels go to the browser as one PNG in an ``ipywidgets.Image``, swapped in place;
    * the sliders send their value when released (``continuous_update=False``), so dragging
      builds no backlog of redraws in the kernel.

The explorer starts every rollout from a zero hidden state, as the lesson recommends.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image as PILImage

from rnnlesson import rollout as rollouts
from rnnlesson._checks import finite_float, positive_int
from rnnlesson.data import PERIOD, sine_series, time_step
from rnnlesson.model import SineRNN, check_model
from rnnlesson.plots import FIGSIZE, TRUTH_COLOR

MAX_STEPS = 200  # the n_steps slider runs 1..MAX_STEPS
MAX_WARMUP = 20  # the warmup slider runs 1..MAX_WARMUP
DPI = 100
Y_LIMITS = (-1.6, 1.6)


def _check_settings(start: object, n_steps: object, warmup: object) -> tuple[float, int, int]:
    start = finite_float("start", start)
    if not 0.0 <= start <= PERIOD:
        raise ValueError(f"start must be in [0, 2*pi] = [0, {PERIOD:.4f}], got {start}")
    n_steps = positive_int("n_steps", n_steps)
    if n_steps > MAX_STEPS:
        raise ValueError(f"n_steps must be in [1, {MAX_STEPS}], got {n_steps}")
    warmup = positive_int("warmup", warmup)
    if warmup > MAX_WARMUP:
        raise ValueError(f"warmup must be in [1, {MAX_WARMUP}], got {warmup}")
    return start, n_steps, warmup


class RolloutExplorer:
    """Sliders and one plot for exploring free-running prediction.

    model:    a SineRNN (trained, or not: the explorer only runs it)
    start:    phase of the true series sin(t) = sin(start + tau), in [0, 2*pi]
    n_steps:  number of predictions fed back, in [1, MAX_STEPS]
    warmup:   number of observed points read before predicting, in [1, MAX_WARMUP]

    The plot's x axis is the time since the start, tau = t - start, fixed from 0 to the longest
    warm-up plus rollout; its y axis is sin(t), as in ``plots.plot_rollout``. Prediction k
    (k = 0 .. n_steps-1) is drawn at time index warmup + k.

    Read from Python after any change: ``rmse`` (float), ``prediction`` ([n_steps] tensor),
    the artists ``truth_line``, ``warmup_points``, ``prediction_line``, ``summary_text``, the widgets
    ``start_slider``, ``n_steps_slider``, ``warmup_slider``, ``readout`` and ``image`` (PNG).
    Show it by ending a notebook cell with the explorer (or ``explorer.widget``).
    """

    def __init__(self, model: SineRNN, *, start: float = 0.0, n_steps: int = 49, warmup: int = 1) -> None:
        check_model(model)
        start, n_steps, warmup = _check_settings(start, n_steps, warmup)
        self.model = model
        self.tau = np.arange(MAX_WARMUP + MAX_STEPS) * time_step()  # [MAX_WARMUP + MAX_STEPS]

        slider_style = {"description_width": "70px"}
        slider_layout = widgets.Layout(width="520px")
        self.start_slider = widgets.FloatSlider(
            value=start, min=0.0, max=PERIOD, step=0.01, readout_format=".2f", description="start",
            continuous_update=False, style=slider_style, layout=slider_layout,
        )
        self.n_steps_slider = widgets.IntSlider(
            value=n_steps, min=1, max=MAX_STEPS, description="n_steps",
            continuous_update=False, style=slider_style, layout=slider_layout,
        )
        self.warmup_slider = widgets.IntSlider(
            value=warmup, min=1, max=MAX_WARMUP, description="warmup",
            continuous_update=False, style=slider_style, layout=slider_layout,
        )
        self.readout = widgets.Label()
        width, height = int(FIGSIZE[0] * DPI), int(FIGSIZE[1] * DPI)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", height=f"{height}px"))
        for name, slider in [("start", self.start_slider), ("n-steps", self.n_steps_slider),
                             ("warmup", self.warmup_slider)]:
            slider.add_class(f"rnnlesson-{name}")
        self.readout.add_class("rnnlesson-readout")
        self.image.add_class("rnnlesson-plot")
        self.widget = widgets.VBox(
            [self.start_slider, self.n_steps_slider, self.warmup_slider, self.readout, self.image]
        )

        self._build_figure()
        self.update()
        for slider in (self.start_slider, self.n_steps_slider, self.warmup_slider):
            slider.observe(self._on_slider, names="value")

    # -- the figure, built once --------------------------------------------------------------

    def _build_figure(self) -> None:
        self.figure = Figure(figsize=FIGSIZE, dpi=DPI)
        FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.14)
        ax = self.axes = self.figure.add_subplot()
        # Drawn as in plots.plot_rollout: the prediction below, the truth dashed on top of it so it
        # stays visible where the prediction covers it, the observed warm-up points above both.
        (self.prediction_line,) = ax.plot([], [], ".-", color="C1", ms=3, lw=1, label="rollout (fed back)", zorder=2)
        (self.truth_line,) = ax.plot([], [], "--", color=TRUTH_COLOR, lw=1.2, label="truth sin(t)", zorder=3)
        (self.warmup_points,) = ax.plot([], [], "o", color="black", ms=5, label="warm-up (observed)", zorder=4)
        self.summary_text = ax.text(
            0.01, 0.96, "", transform=ax.transAxes, va="top", fontsize="small", zorder=5,
            bbox={"facecolor": "white", "edgecolor": "0.8", "alpha": 0.9},
        )
        ax.set(xlim=(0.0, self.tau[-1]), ylim=Y_LIMITS, ylabel="sin(t)",
               xlabel="time since the start, τ = t − start")
        ax.grid(alpha=0.3)
        ax.legend(
            handles=[self.truth_line, self.warmup_points, self.prediction_line],
            loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3, frameon=False, fontsize="small",
        )
        self._dynamic = (self.prediction_line, self.truth_line, self.warmup_points, self.summary_text)  # by zorder
        for artist in self._dynamic:  # draw the still parts once, without the moving artists
            artist.set_visible(False)
        self.figure.canvas.draw()
        self._background = self.figure.canvas.copy_from_bbox(self.figure.bbox)
        for artist in self._dynamic:
            artist.set_visible(True)

    # -- one update: rollout, new line data, one PNG ------------------------------------------

    @property
    def start(self) -> float:
        return float(self.start_slider.value)

    @property
    def n_steps(self) -> int:
        return int(self.n_steps_slider.value)

    @property
    def warmup(self) -> int:
        return int(self.warmup_slider.value)

    def _on_slider(self, change: dict) -> None:
        self.update()

    def update(self) -> None:
        """Recompute the rollout for the sliders' values and redraw the plot and the readout."""
        start, n_steps, warmup = self.start, self.n_steps, self.warmup
        truth = sine_series([start], n_points=MAX_WARMUP + MAX_STEPS).values  # [1, 220, 1]
        prediction = rollouts.rollout(self.model, truth.to(self.model.dtype), n_steps=n_steps, warmup=warmup)
        self.rmse = rollouts.rmse(prediction.cpu(), truth[:, warmup : warmup + n_steps])
        self.prediction = prediction.cpu().reshape(-1)
        values = truth.reshape(-1).numpy()

        self.truth_line.set_data(self.tau, values)
        self.warmup_points.set_data(self.tau[:warmup], values[:warmup])
        self.prediction_line.set_data(self.tau[warmup : warmup + n_steps], self.prediction.numpy())
        self.summary_text.set_text(
            f"start {start:.2f}, warm-up {warmup}, {n_steps} steps: RMSE {self.rmse:.4f}"
        )
        self.readout.value = (
            f"RMSE {self.rmse:.4f} over {n_steps} predicted steps "
            f"after {warmup} observed point{'s' if warmup > 1 else ''}"
        )
        self.image.value = self._render_png()

    def _render_png(self) -> bytes:
        canvas = self.figure.canvas
        canvas.restore_region(self._background)
        for artist in self._dynamic:
            self.axes.draw_artist(artist)
        buffer = io.BytesIO()
        PILImage.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).save(
            buffer, format="png", compress_level=1
        )
        return buffer.getvalue()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


__all__ = ["MAX_STEPS", "MAX_WARMUP", "RolloutExplorer"]
