"""The explorers, driven from Python: every control changes what is plotted and shown, and
what is shown is what the package computes."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest
import torch
from PIL import Image

from rnnlesson import plots
from rnnlesson.data import PERIOD, draw_starts, sine_series, sine_windows, time_step
from rnnlesson.model import SineRNN, seeded_model
from rnnlesson.rollout import rollout
from rnnlesson.widgets import (
    MAX_MODELS,
    MAX_POINTS,
    SLIDER_MAX_STEPS,
    SLIDER_MAX_WARMUP,
    X_BLOCK,
    RolloutExplorer,
    WindowExplorer,
)


@pytest.fixture
def explorer(model: SineRNN) -> RolloutExplorer:
    return RolloutExplorer(model, start=0.5, n_steps=49, warmup=1)


@pytest.fixture
def other() -> SineRNN:
    return seeded_model(1)


@pytest.fixture
def left(model: SineRNN) -> torch.Tensor:
    with torch.no_grad():
        # [1, 1, 10]: the state after another window
        return model(sine_windows([2.0]).x)[1]


@pytest.fixture
def pair(model: SineRNN, other: SineRNN, left: torch.Tensor) -> RolloutExplorer:
    """Two models; only "first" has a leftover state."""
    return RolloutExplorer(
        {"first": model, "second": other}, leftover={"first": left}, start=1.0
    )


def plotted(line) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(line.get_xdata(), dtype=float), np.asarray(
        line.get_ydata(), dtype=float
    )


def shown_rmse(text: str, name: str = "rollout") -> float:
    match = re.search(rf"{re.escape(name)} (\d+\.\d{{4}})", text)
    assert match, f"no '{name} x.xxxx' in {text!r}"
    return float(match.group(1))


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def truth_for(start: float) -> torch.Tensor:
    return sine_series([start], n_points=SLIDER_MAX_WARMUP + SLIDER_MAX_STEPS).values


# -- the rollout explorer, one model -----------------------------------------------------


def test_controls_cover_the_required_ranges_and_update_on_release(
    explorer: RolloutExplorer,
) -> None:
    assert (explorer.start_slider.min, explorer.start_slider.max) == (
        0.0,
        pytest.approx(2 * math.pi),
    )
    assert (explorer.n_steps_slider.min, explorer.n_steps_slider.max) == (
        1,
        SLIDER_MAX_STEPS,
    )
    assert (explorer.warmup_slider.min, explorer.warmup_slider.max) == (
        1,
        SLIDER_MAX_WARMUP,
    )
    assert SLIDER_MAX_STEPS >= 200 and SLIDER_MAX_WARMUP >= 20
    for slider in (
        explorer.start_slider,
        explorer.n_steps_slider,
        explorer.warmup_slider,
    ):
        assert slider.continuous_update is False
    assert (
        explorer.image.format == "png"
        and explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    )
    assert {
        explorer.start_slider,
        explorer.n_steps_slider,
        explorer.warmup_slider,
        explorer.readout,
        explorer.image,
    } <= set(explorer.widget.children)
    # without leftover states there is nothing to choose: the state control is off and not
    # shown
    assert (
        explorer.state_buttons.disabled
        and explorer.state_buttons not in explorer.widget.children
    )


def test_plot_shows_the_rollout_of_the_model(
    explorer: RolloutExplorer, model: SineRNN
) -> None:
    expected = rollout(model, truth_for(0.5), n_steps=49, warmup=1).reshape(-1).numpy()
    x, y = plotted(explorer.prediction_lines["rollout"])
    np.testing.assert_allclose(y, expected, atol=1e-6)
    np.testing.assert_allclose(x, np.arange(1, 50) * time_step(), atol=1e-9)


def test_longer_rollout_plots_more_predicted_points(explorer: RolloutExplorer) -> None:
    before_png, before_rmse = explorer.image.value, explorer.rmse["rollout"]
    explorer.n_steps_slider.value = 150
    x, y = plotted(explorer.prediction_lines["rollout"])
    assert len(x) == len(y) == 150
    assert x[-1] == pytest.approx(150 * time_step())
    assert explorer.rmse["rollout"] != before_rmse
    assert explorer.image.value != before_png
    explorer.n_steps_slider.value = 3
    assert len(plotted(explorer.prediction_lines["rollout"])[0]) == 3


def test_warmup_moves_the_first_predicted_index(explorer: RolloutExplorer) -> None:
    explorer.warmup_slider.value = 7
    truth_x, truth_y = plotted(explorer.truth_line)
    warm_x, warm_y = plotted(explorer.warmup_points)
    x, _ = plotted(explorer.prediction_lines["rollout"])
    np.testing.assert_allclose(warm_x, truth_x[:7])
    np.testing.assert_allclose(warm_y, truth_y[:7])
    assert x[0] == pytest.approx(truth_x[7]), "prediction 0 stands for time index warmup"
    assert len(x) == 49, "the warm-up does not change the number of predictions"
    assert "after 7 observed points" in explorer.readout.value


def test_start_moves_the_truth_curve(explorer: RolloutExplorer) -> None:
    _, before = plotted(explorer.truth_line)
    before_prediction = explorer.predictions["rollout"].clone()
    explorer.start_slider.value = 3.0
    x, y = plotted(explorer.truth_line)
    np.testing.assert_allclose(y, np.sin(3.0 + x), atol=1e-5)
    assert np.abs(y - before).max() > 0.5
    assert not torch.equal(explorer.predictions["rollout"], before_prediction)
    assert "start 3.00" in explorer.summary_text.get_text()


@pytest.mark.parametrize(
    ("start", "n_steps", "warmup"),
    [(0.5, 49, 1), (2.0, 200, 5), (6.2, 1, 20), (0.0, 17, 3)],
)
def test_shown_rmse_is_the_rmse_of_the_plotted_lines(
    explorer: RolloutExplorer, start: float, n_steps: int, warmup: int
) -> None:
    explorer.start_slider.value = start
    explorer.n_steps_slider.value = n_steps
    explorer.warmup_slider.value = warmup
    truth_x, truth_y = plotted(explorer.truth_line)
    x, y = plotted(explorer.prediction_lines["rollout"])
    index = np.searchsorted(truth_x, x)
    np.testing.assert_allclose(truth_x[index], x)
    expected = float(np.sqrt(np.mean((y - truth_y[index]) ** 2)))
    assert explorer.rmse["rollout"] == pytest.approx(expected, rel=1e-5)
    assert shown_rmse(explorer.readout.value) == pytest.approx(expected, abs=5e-5)
    assert shown_rmse(explorer.summary_text.get_text()) == pytest.approx(
        expected, abs=5e-5
    )


def test_labels_and_drawing_order_match_the_other_rollout_plots(
    explorer: RolloutExplorer,
) -> None:
    line = explorer.prediction_lines["rollout"]
    assert explorer.axes.get_ylabel() == "sin(t)"
    assert "τ = t − start" in explorer.axes.get_xlabel()
    assert explorer.truth_line.get_linestyle() == "--", (
        "the truth is dashed, as in plots.plot_rollout"
    )
    assert explorer.truth_line.get_zorder() > line.get_zorder(), "truth drawn on top"
    assert explorer.warmup_points.get_zorder() > explorer.truth_line.get_zorder()
    labels = [text.get_text() for text in explorer.axes.get_legend().get_texts()]
    assert labels == ["truth sin(t)", "warm-up (observed)", "rollout (fed back)"]


# -- the x range -------------------------------------------------------------------------


def shown_points(explorer: RolloutExplorer) -> float:
    """How many time steps the x axis spans."""
    low, high = explorer.axes.get_xlim()
    return (high - low) / time_step()


def test_x_range_follows_the_warmup_plus_the_rollout_in_whole_blocks(
    explorer: RolloutExplorer,
) -> None:
    assert shown_points(explorer) == pytest.approx(50), (
        "the default 1 + 49 points fill the plot"
    )
    for warmup, n_steps in [(1, 49), (3, 60), (20, 200), (1, 1), (10, 40), (5, 21)]:
        explorer.set(warmup=warmup, n_steps=n_steps)
        span = shown_points(explorer)
        needed = warmup + n_steps
        assert needed <= span, (warmup, n_steps, span)
        assert span == pytest.approx(
            min(
                X_BLOCK * math.ceil(needed / X_BLOCK),
                SLIDER_MAX_WARMUP + SLIDER_MAX_STEPS,
            )
        )
        last_x = plotted(explorer.prediction_lines["rollout"])[0][-1]
        assert explorer.axes.get_xlim()[0] < 0 < last_x < explorer.axes.get_xlim()[1], (
            "every point is inside"
        )


def test_x_range_does_not_move_within_a_block_or_with_start(
    explorer: RolloutExplorer,
) -> None:
    explorer.set(warmup=1, n_steps=30)
    xlim = explorer.axes.get_xlim()
    for value in (31, 40, 49):  # 1 + n_steps stays within the second block
        explorer.n_steps_slider.value = value
        assert explorer.axes.get_xlim() == xlim
    for start in (0.0, 2.5, PERIOD):
        explorer.start_slider.value = start
        assert explorer.axes.get_xlim() == xlim
    explorer.n_steps_slider.value = 50  # 51 points: the third block
    assert explorer.axes.get_xlim() != xlim


def test_png_equals_a_full_redraw_of_the_figure(explorer: RolloutExplorer) -> None:
    # Showing the figure inline first (cropped, at another dpi) must not spoil the saved
    # backgrounds, and a background saved for another x range must not be reused for this
    # one.
    explorer.figure.savefig(
        io.BytesIO(), format="png", bbox_inches="tight", dpi=2 * explorer.figure.dpi
    )
    for n_steps in (120, 49, 120):
        explorer.set(start=4.2, warmup=6, n_steps=n_steps)
        buffer = io.BytesIO()
        explorer.figure.savefig(buffer, format="png", dpi=explorer.figure.dpi)
        blitted, full = pixels(explorer.image.value), pixels(buffer.getvalue())
        assert blitted.shape == full.shape
        differing = int((np.abs(blitted - full).max(axis=-1) > 2).sum())
        # Only where a line crosses an axes spine may the drawing order differ (a few
        # pixels).
        assert differing <= 50, (
            f"{differing} pixels differ from a full redraw of the figure ({n_steps} "
            "steps)"
        )


def test_updates_reuse_one_figure_and_never_train(
    explorer: RolloutExplorer, model: SineRNN
) -> None:
    figure, n_artists = explorer.figure, len(explorer.axes.get_children())
    weights = [p.detach().clone() for p in model.parameters()]
    for value in (1.0, 2.0, 3.0):
        explorer.start_slider.value = value
    explorer.n_steps_slider.value = 80
    assert explorer.figure is figure
    assert len(explorer.axes.get_children()) == n_artists
    assert all(torch.equal(w, p) for w, p in zip(weights, model.parameters()))
    assert all(p.grad is None for p in model.parameters())


def test_set_moves_several_controls_with_one_redraw(explorer: RolloutExplorer) -> None:
    images = []
    explorer.image.observe(lambda change: images.append(change["new"]), names="value")
    explorer.set(start=2.0, n_steps=100, warmup=4)
    assert (explorer.start, explorer.n_steps, explorer.warmup) == (2.0, 100, 4)
    assert len(images) == 1, "one redraw for three controls"
    assert len(plotted(explorer.prediction_lines["rollout"])[0]) == 100
    explorer.set(warmup=5)  # the others stay
    assert (explorer.start, explorer.n_steps, explorer.warmup) == (2.0, 100, 5)
    with pytest.raises(ValueError, match=r"n_steps must be in \[1, 200\]"):
        explorer.set(n_steps=SLIDER_MAX_STEPS + 1)
    assert explorer.n_steps == 100, "a refused set moves nothing"


# -- the rollout explorer, several models and a starting state ---------------------------


def test_each_model_gets_its_own_line_colour_and_rmse(
    pair: RolloutExplorer, model: SineRNN, other: SineRNN
) -> None:
    lines = pair.prediction_lines
    assert list(lines) == ["first", "second"]
    assert lines["first"].get_color() != lines["second"].get_color()
    labels = [text.get_text() for text in pair.axes.get_legend().get_texts()]
    assert labels == [
        "truth sin(t)",
        "warm-up (observed)",
        "first (fed back)",
        "second (fed back)",
    ]
    truth = truth_for(1.0)
    for name, net in (("first", model), ("second", other)):
        expected = rollout(net, truth, n_steps=49, warmup=1)
        np.testing.assert_allclose(
            plotted(lines[name])[1], expected.reshape(-1).numpy(), atol=1e-6
        )
        assert shown_rmse(pair.readout.value, name) == pytest.approx(
            pair.rmse[name], abs=5e-5
        )
        assert shown_rmse(pair.summary_text.get_text(), name) == pytest.approx(
            pair.rmse[name], abs=5e-5
        )
    assert pair.rmse["first"] != pair.rmse["second"]


def test_the_state_control_starts_listed_models_from_their_leftover_state(
    pair: RolloutExplorer, model: SineRNN, other: SineRNN, left: torch.Tensor
) -> None:
    assert pair.state_buttons in pair.widget.children and not pair.state_buttons.disabled
    assert [value for _, value in pair.state_buttons.options] == ["zeros", "leftover"]
    before = {name: p.clone() for name, p in pair.predictions.items()}
    png = pair.image.value
    pair.state_buttons.value = "leftover"
    truth = truth_for(1.0)
    expected = rollout(model, truth, n_steps=49, warmup=1, hidden=left).reshape(-1)
    torch.testing.assert_close(pair.predictions["first"], expected)
    assert not torch.equal(pair.predictions["first"], before["first"])
    assert torch.equal(pair.predictions["second"], before["second"]), (
        "a model without a leftover state starts from zeros"
    )
    assert (
        "first" in pair.readout.value
        and "(from its leftover state)" in pair.readout.value
    )
    assert (
        "second" in pair.readout.value
        and "(from zeros, no leftover state given)" in pair.readout.value
    )
    assert "from leftover states" in pair.summary_text.get_text()
    assert pair.image.value != png
    pair.state_buttons.value = "zeros"
    assert torch.equal(pair.predictions["first"], before["first"])


def test_leftover_states_are_copied_not_kept(model: SineRNN, left: torch.Tensor) -> None:
    explorer = RolloutExplorer({"m": model}, leftover={"m": left}, state="leftover")
    shown = explorer.predictions["m"].clone()
    # the caller's tensor changes later: the explorer keeps what it was given
    left.zero_()
    explorer.update()
    assert torch.equal(explorer.predictions["m"], shown)


def test_a_starting_state_needs_leftover_states(model: SineRNN) -> None:
    explorer = RolloutExplorer({"m": model})
    with pytest.raises(
        ValueError, match=r"state must be one of \['zeros'\] \(give leftover states"
    ):
        explorer.set(state="leftover")
    with pytest.raises(ValueError, match="state must be one of"):
        RolloutExplorer({"m": model}, state="leftover")


@pytest.mark.parametrize(
    ("models", "leftover", "error", "message"),
    [
        ({}, None, ValueError, rf"models must hold 1 to {MAX_MODELS} models, got 0"),
        (
            {f"m{i}": None for i in range(MAX_MODELS + 1)},
            None,
            ValueError,
            "models must hold 1 to",
        ),
        ([1, 2], None, TypeError, "models must be a SineRNN or a dict"),
        ({"": "model"}, None, TypeError, "models' names must be non-empty strings"),
        ({3: "model"}, None, TypeError, "models' names must be non-empty strings"),
        (
            {"m": torch.nn.RNN(1, 10)},
            None,
            TypeError,
            r"models\['m'\] must be a rnnlesson.model.SineRNN",
        ),
        (
            {"m": "model"},
            {"other": torch.zeros(1, 1, 10)},
            ValueError,
            "leftover names a model that is not shown: 'other'",
        ),
        (
            {"m": "model"},
            {"m": torch.zeros(1, 2, 10)},
            ValueError,
            r"leftover\['m'\] must be shaped .*\[1, 1, 10\]",
        ),
        (
            {"m": "model"},
            {"m": [0.0] * 10},
            TypeError,
            r"leftover\['m'\] must be a torch.Tensor",
        ),
        (
            {"m": "model"},
            {"m": torch.full((1, 1, 10), float("nan"))},
            ValueError,
            r"leftover\['m'\]",
        ),
        ({"m": "model"}, ["m"], TypeError, "leftover must be a dict"),
    ],
)
def test_bad_models_and_leftover_states_get_clear_errors(
    model: SineRNN, models: object, leftover: object, error: type, message: str
) -> None:
    if isinstance(models, dict):
        models = {
            name: model if value == "model" else value for name, value in models.items()
        }
    with pytest.raises(error, match=message):
        RolloutExplorer(models, leftover=leftover)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"start": -0.1}, ValueError, r"start must be in \[0, 2\*pi\]"),
        ({"start": PERIOD + 0.01}, ValueError, r"start must be in \[0, 2\*pi\]"),
        ({"start": float("nan")}, ValueError, "start must be finite"),
        ({"start": "1"}, TypeError, "start must be a real number"),
        ({"n_steps": 0}, ValueError, "n_steps must be >= 1"),
        (
            {"n_steps": SLIDER_MAX_STEPS + 1},
            ValueError,
            rf"n_steps must be in \[1, {SLIDER_MAX_STEPS}\]",
        ),
        ({"n_steps": 2.5}, TypeError, "n_steps must be an integer"),
        ({"warmup": 0}, ValueError, "warmup must be >= 1"),
        (
            {"warmup": SLIDER_MAX_WARMUP + 1},
            ValueError,
            rf"warmup must be in \[1, {SLIDER_MAX_WARMUP}\]",
        ),
        ({"state": "left over"}, ValueError, "state must be one of"),
    ],
)
def test_bad_arguments_get_clear_errors(
    model: SineRNN, kwargs: dict, error: type, message: str
) -> None:
    with pytest.raises(error, match=message):
        RolloutExplorer(model, **kwargs)


def test_model_must_be_a_sine_rnn() -> None:
    with pytest.raises(TypeError, match="models must be a SineRNN or a dict"):
        RolloutExplorer(torch.nn.RNN(1, 10))


def test_displaying_the_explorer_shows_its_widget(
    explorer: RolloutExplorer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import IPython.display

    shown = []
    monkeypatch.setattr(
        IPython.display, "display", lambda *objects: shown.extend(objects)
    )
    explorer._ipython_display_()
    assert shown == [explorer.widget]


# -- the window explorer (notebook 01) ---------------------------------------------------


@pytest.fixture
def window_explorer() -> WindowExplorer:
    return WindowExplorer(start=0.5, n_points=50)


def test_window_explorer_sliders(window_explorer: WindowExplorer) -> None:
    assert (window_explorer.start_slider.min, window_explorer.start_slider.max) == (
        0.0,
        pytest.approx(PERIOD),
    )
    assert (window_explorer.n_points_slider.min, window_explorer.n_points_slider.max) == (
        2,
        MAX_POINTS,
    )
    for slider in (window_explorer.start_slider, window_explorer.n_points_slider):
        assert (
            slider.continuous_update is False
            and slider in window_explorer.widget.children
        )
    assert window_explorer.image.value[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("start", "n_points"), [(0.5, 50), (2.0, 12), (6.0, 100), (0.0, 2)]
)
def test_window_explorer_draws_what_plot_windows_draws(
    window_explorer: WindowExplorer, start: float, n_points: int
) -> None:
    window_explorer.set(start=start, n_points=n_points)
    reference = plots.plot_windows(
        sine_windows([start], n_points=n_points), n_show=1
    ).axes[0]
    shown = window_explorer.axes
    assert len(shown.lines) == len(reference.lines) == 2
    for ours, theirs in zip(shown.lines, reference.lines):
        np.testing.assert_array_equal(ours.get_xdata(), theirs.get_xdata())
        np.testing.assert_array_equal(ours.get_ydata(), theirs.get_ydata())
        assert (ours.get_marker(), ours.get_color(), ours.get_label()) == (
            theirs.get_marker(),
            theirs.get_color(),
            theirs.get_label(),
        )
    inputs, targets = (np.asarray(line.get_ydata()) for line in shown.lines)
    assert len(inputs) == len(targets) == n_points - 1
    # the targets are the inputs shifted by one
    np.testing.assert_array_equal(targets[:-1], inputs[1:])


def test_window_explorer_readout(window_explorer: WindowExplorer) -> None:
    assert window_explorer.readout.value == (
        "start 0.50: 49 inputs x and 49 targets y, dt = 0.2041. The post's starts 0, 1, "
        "2 give 3 distinct windows of 50 points; this window is not one of them."
    )
    png = window_explorer.image.value
    window_explorer.n_points_slider.value = 100
    assert window_explorer.dt == pytest.approx(10 / 99)
    assert "99 inputs x and 99 targets y, dt = 0.1010" in window_explorer.readout.value
    assert window_explorer.image.value != png


@pytest.mark.parametrize("n_points", [2, 3, 50, MAX_POINTS])
def test_the_post_gives_three_distinct_windows_whatever_the_number_of_points(
    window_explorer: WindowExplorer, n_points: int
) -> None:
    window_explorer.n_points_slider.value = n_points
    expected = torch.unique(
        sine_windows(
            draw_starts(1000, scheme="original", generator=0), n_points=n_points
        ).values,
        dim=0,
    ).shape[0]
    assert window_explorer.n_distinct == expected == 3
    assert (
        f"give 3 distinct windows of {n_points} points" in window_explorer.readout.value
    )


@pytest.mark.parametrize(
    ("start", "is_original"),
    [
        (0.0, True),
        (1.0, True),
        (2.0, True),
        (PERIOD, True),
        (0.5, False),
        (1.01, False),
        (3.0, False),
    ],
)
def test_the_readout_says_whether_the_window_is_one_of_the_posts(
    window_explorer: WindowExplorer, start: float, is_original: bool
) -> None:
    window_explorer.start_slider.value = start
    assert window_explorer.is_original is is_original
    assert window_explorer.readout.value.endswith(
        "one of them." if is_original else "not one of them."
    )


def test_window_explorer_keeps_its_axes_fixed(window_explorer: WindowExplorer) -> None:
    limits = (window_explorer.axes.get_xlim(), window_explorer.axes.get_ylim())
    for start, n_points in [(6.2, 100), (0.0, 2), (3.3, 17)]:
        window_explorer.set(start=start, n_points=n_points)
        assert (
            window_explorer.axes.get_xlim(),
            window_explorer.axes.get_ylim(),
        ) == limits
        assert (
            window_explorer.axes.get_title()
            == f"start = {start:.2f}: {n_points} points, dt = {10 / (n_points - 1):.4f}"
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"start": -0.1}, ValueError, r"start must be in \[0, 2\*pi\]"),
        ({"start": "0"}, TypeError, "start must be a real number"),
        ({"n_points": 1}, ValueError, "n_points must be >= 2"),
        (
            {"n_points": MAX_POINTS + 1},
            ValueError,
            rf"n_points must be in \[2, {MAX_POINTS}\]",
        ),
        ({"n_points": 5.5}, TypeError, "n_points must be an integer"),
    ],
)
def test_window_explorer_bad_arguments(kwargs: dict, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        WindowExplorer(**kwargs)
    with pytest.raises(error, match=message):
        WindowExplorer().set(**kwargs)


def test_the_window_readout_labels_2pi_and_counts_in_the_singular():
    """The slider's last position (2π) and the one before it (6.28) read alike, and their
    windows differ (the one at 2π is the post's window at 0); one input is "1 input", not
    "1 inputs"."""
    at_2pi, at_628 = (
        WindowExplorer(start=PERIOD, n_points=2),
        WindowExplorer(start=6.28, n_points=2),
    )
    assert at_2pi.readout.value.startswith("start 6.28 (2π): 1 input x and 1 target y,")
    assert at_628.readout.value.startswith("start 6.28: 1 input x and 1 target y,")
    assert at_2pi.is_original and not at_628.is_original
    assert WindowExplorer(start=0.5).readout.value.startswith(
        "start 0.50: 49 inputs x and 49 targets y,"
    )


def test_the_rollout_box_says_1_step():
    explorer = RolloutExplorer(seeded_model(0), n_steps=1)
    assert ", 1 step, " in explorer.summary_text.get_text()
    explorer.set(n_steps=2)
    assert ", 2 steps, " in explorer.summary_text.get_text()
