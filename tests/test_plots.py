import pytest
import torch
from matplotlib.figure import Figure

from rnnlesson import plots
from rnnlesson.data import sine_series, sine_windows


def labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None


def test_plot_windows():
    fig = plots.plot_windows(sine_windows([0.0, 1.0, 2.0, 3.0]), n_show=2)
    assert isinstance(fig, Figure) and tuple(fig.get_size_inches()) == plots.FIGSIZE
    ax = fig.axes[0]
    assert labelled(ax)
    assert len(ax.lines) == 4  # inputs and targets of two windows
    x_line, y_line = ax.lines[0], ax.lines[1]
    assert list(x_line.get_xdata()[1:]) == list(y_line.get_xdata()[:-1])  # targets shifted by one step


def test_plot_losses_log_scale_per_history():
    fig = plots.plot_losses({"a": [1.0, 0.1], "b": torch.tensor([2.0, 1.0, 0.5])})
    assert [ax.get_yscale() for ax in fig.axes] == ["log", "log"]
    assert all(labelled(ax) for ax in fig.axes)
    assert list(fig.axes[1].lines[0].get_ydata()) == [2.0, 1.0, 0.5]
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_losses({})
    with pytest.raises(ValueError, match="'a' is empty"):
        plots.plot_losses({"a": []})


def test_plot_rollout_places_predictions_after_warmup():
    s = sine_series([0.0], n_points=30)
    fig = plots.plot_rollout(s.t[0], s.values[0], {"rollout": torch.zeros(20)}, warmup=4)
    ax = fig.axes[0]
    assert labelled(ax)
    truth, warm, pred = ax.lines
    assert len(warm.get_xdata()) == 4
    assert pred.get_xdata()[0] == pytest.approx(s.t[0, 4].item())
    with pytest.raises(ValueError, match="has 40 steps"):
        plots.plot_rollout(s.t[0], s.values[0], {"rollout": torch.zeros(40)}, warmup=4)
    with pytest.raises(ValueError, match="warmup must be >= 1"):
        plots.plot_rollout(s.t[0], s.values[0], {}, warmup=0)


def test_plot_error_by_horizon():
    fig = plots.plot_error_by_horizon({"k=1": torch.ones(5), "k=5": torch.zeros(5)})
    ax = fig.axes[0]
    assert labelled(ax) and len(ax.lines) == 2
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4, 5]


def test_plot_error_by_warmup():
    fig = plots.plot_error_by_warmup([1, 2, 5], {"ours": [0.5, 0.03, 0.01], "other": torch.tensor([0.3, 0.3, 0.3])})
    ax = fig.axes[0]
    assert labelled(ax) and ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 5]
    assert list(ax.lines[0].get_ydata()) == [0.5, 0.03, 0.01]
    with pytest.raises(ValueError, match="has 2 values for 3 warm-ups"):
        plots.plot_error_by_warmup([1, 2, 5], {"ours": [0.5, 0.03]})
    with pytest.raises(ValueError, match="warmup must be >= 1"):
        plots.plot_error_by_warmup([0, 1], {"ours": [0.5, 0.03]})
    with pytest.raises(ValueError, match="at least one entry"):
        plots.plot_error_by_warmup([], {})
