"""The rollout explorer, driven from Python: every slider changes what is plotted and shown."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest
import torch
from PIL import Image

from rnnlesson.data import PERIOD, sine_series, time_step
from rnnlesson.model import SineRNN
from rnnlesson.rollout import rollout
from rnnlesson.widgets import MAX_STEPS, MAX_WARMUP, RolloutExplorer


@pytest.fixture
def model() -> SineRNN:
    torch.manual_seed(0)
    return SineRNN()


@pytest.fixture
def explorer(model: SineRNN) -> RolloutExplorer:
    return RolloutExplorer(model, start=0.5, n_steps=49, warmup=1)


def plotted(line) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)


def shown_rmse(text: str) -> float:
    match = re.search(r"RMSE (\d+\.\d{4})", text)
    assert match, f"no 'RMSE x.xxxx' in {text!r}"
    return float(match.group(1))


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def test_sliders_cover_the_required_ranges_and_update_on_release(explorer: RolloutExplorer) -> None:
    assert (explorer.start_slider.min, explorer.start_slider.max) == (0.0, pytest.approx(2 * math.pi))
    assert (explorer.n_steps_slider.min, explorer.n_steps_slider.max) == (1, MAX_STEPS)
    assert (explorer.warmup_slider.min, explorer.warmup_slider.max) == (1, MAX_WARMUP)
    assert MAX_STEPS >= 200 and MAX_WARMUP >= 20
    for slider in (explorer.start_slider, explorer.n_steps_slider, explorer.warmup_slider):
        assert slider.continuous_update is False
    assert explorer.image.format == "png" and explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert {explorer.start_slider, explorer.n_steps_slider, explorer.warmup_slider, explorer.readout,
            explorer.image} <= set(explorer.widget.children)


def test_plot_shows_the_rollout_of_the_model(explorer: RolloutExplorer, model: SineRNN) -> None:
    observed = sine_series([0.5], n_points=MAX_WARMUP + MAX_STEPS).values
    expected = rollout(model, observed, n_steps=49, warmup=1).reshape(-1).numpy()
    x, y = plotted(explorer.prediction_line)
    np.testing.assert_allclose(y, expected, atol=1e-6)
    np.testing.assert_allclose(x, np.arange(1, 50) * time_step(), atol=1e-9)


def test_longer_rollout_plots_more_predicted_points(explorer: RolloutExplorer) -> None:
    before_png, before_rmse = explorer.image.value, explorer.rmse
    explorer.n_steps_slider.value = 150
    x, y = plotted(explorer.prediction_line)
    assert len(x) == len(y) == 150
    assert x[-1] == pytest.approx(150 * time_step())
    assert explorer.rmse != before_rmse
    assert explorer.image.value != before_png
    explorer.n_steps_slider.value = 3
    assert len(plotted(explorer.prediction_line)[0]) == 3


def test_warmup_moves_the_first_predicted_index(explorer: RolloutExplorer) -> None:
    truth_x, truth_y = plotted(explorer.truth_line)
    explorer.warmup_slider.value = 7
    warm_x, warm_y = plotted(explorer.warmup_points)
    x, _ = plotted(explorer.prediction_line)
    np.testing.assert_allclose(warm_x, truth_x[:7])
    np.testing.assert_allclose(warm_y, truth_y[:7])
    assert x[0] == pytest.approx(truth_x[7]), "prediction 0 stands for time index warmup"
    assert len(x) == 49, "the warm-up does not change the number of predictions"
    assert "after 7 observed points" in explorer.readout.value


def test_start_moves_the_truth_curve(explorer: RolloutExplorer) -> None:
    _, before = plotted(explorer.truth_line)
    before_prediction = explorer.prediction.clone()
    explorer.start_slider.value = 3.0
    x, y = plotted(explorer.truth_line)
    np.testing.assert_allclose(y, np.sin(3.0 + x), atol=1e-5)
    assert np.abs(y - before).max() > 0.5
    assert not torch.equal(explorer.prediction, before_prediction)
    assert "start 3.00" in explorer.summary_text.get_text()


@pytest.mark.parametrize(("start", "n_steps", "warmup"), [(0.5, 49, 1), (2.0, 200, 5), (6.2, 1, 20), (0.0, 17, 3)])
def test_shown_rmse_is_the_rmse_of_the_plotted_lines(
    explorer: RolloutExplorer, start: float, n_steps: int, warmup: int
) -> None:
    explorer.start_slider.value = start
    explorer.n_steps_slider.value = n_steps
    explorer.warmup_slider.value = warmup
    truth_x, truth_y = plotted(explorer.truth_line)
    x, y = plotted(explorer.prediction_line)
    index = np.searchsorted(truth_x, x)
    np.testing.assert_allclose(truth_x[index], x)
    expected = float(np.sqrt(np.mean((y - truth_y[index]) ** 2)))
    assert explorer.rmse == pytest.approx(expected, rel=1e-5)
    assert shown_rmse(explorer.readout.value) == pytest.approx(expected, abs=5e-5)
    assert shown_rmse(explorer.summary_text.get_text()) == pytest.approx(expected, abs=5e-5)


def test_labels_and_drawing_order_match_the_other_rollout_plots(explorer: RolloutExplorer) -> None:
    assert explorer.axes.get_ylabel() == "sin(t)"
    assert "τ = t − start" in explorer.axes.get_xlabel()
    assert explorer.truth_line.get_linestyle() == "--", "the truth is dashed, as in plots.plot_rollout"
    assert explorer.truth_line.get_zorder() > explorer.prediction_line.get_zorder(), "truth drawn on top"
    assert explorer.warmup_points.get_zorder() > explorer.truth_line.get_zorder()
    labels = [text.get_text() for text in explorer.axes.get_legend().get_texts()]
    assert labels == ["truth sin(t)", "warm-up (observed)", "rollout (fed back)"]
    xlim = explorer.axes.get_xlim()
    explorer.n_steps_slider.value = 5
    explorer.warmup_slider.value = 2
    assert explorer.axes.get_xlim() == xlim, "the x range stays fixed whatever the sliders say"


def test_png_equals_a_full_redraw_of_the_figure(explorer: RolloutExplorer) -> None:
    # Showing the figure inline first (cropped, at another dpi) must not spoil the saved background.
    explorer.figure.savefig(io.BytesIO(), format="png", bbox_inches="tight", dpi=2 * explorer.figure.dpi)
    explorer.start_slider.value = 4.2
    explorer.warmup_slider.value = 6
    buffer = io.BytesIO()
    explorer.figure.savefig(buffer, format="png", dpi=explorer.figure.dpi)
    blitted, full = pixels(explorer.image.value), pixels(buffer.getvalue())
    assert blitted.shape == full.shape
    differing = int((np.abs(blitted - full).max(axis=-1) > 2).sum())
    # Only where a line crosses an axes spine may the drawing order differ (a few pixels).
    assert differing <= 50, f"{differing} pixels differ from a full redraw of the figure"


def test_updates_reuse_one_figure_and_never_train(explorer: RolloutExplorer, model: SineRNN) -> None:
    figure, n_artists = explorer.figure, len(explorer.axes.get_children())
    weights = [p.detach().clone() for p in model.parameters()]
    for value in (1.0, 2.0, 3.0):
        explorer.start_slider.value = value
    explorer.n_steps_slider.value = 80
    assert explorer.figure is figure
    assert len(explorer.axes.get_children()) == n_artists
    assert all(torch.equal(w, p) for w, p in zip(weights, model.parameters()))
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"start": -0.1}, ValueError, r"start must be in \[0, 2\*pi\]"),
        ({"start": PERIOD + 0.01}, ValueError, r"start must be in \[0, 2\*pi\]"),
        ({"start": float("nan")}, ValueError, "start must be finite"),
        ({"start": "1"}, TypeError, "start must be a real number"),
        ({"n_steps": 0}, ValueError, "n_steps must be >= 1"),
        ({"n_steps": MAX_STEPS + 1}, ValueError, rf"n_steps must be in \[1, {MAX_STEPS}\]"),
        ({"n_steps": 2.5}, TypeError, "n_steps must be an integer"),
        ({"warmup": 0}, ValueError, "warmup must be >= 1"),
        ({"warmup": MAX_WARMUP + 1}, ValueError, rf"warmup must be in \[1, {MAX_WARMUP}\]"),
    ],
)
def test_bad_arguments_get_clear_errors(model: SineRNN, kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        RolloutExplorer(model, **kwargs)


def test_model_must_be_a_sine_rnn() -> None:
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        RolloutExplorer(torch.nn.RNN(1, 10))


def test_displaying_the_explorer_shows_its_widget(explorer: RolloutExplorer, monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    explorer._ipython_display_()
    assert shown == [explorer.widget]
