import pytest
import torch
from matplotlib.figure import Figure

from rnnlesson import plots
from rnnlesson.data import sine_series, sine_windows


def labelled(ax):
    return ax.get_title() and ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None


def test_plot_windows_one_row_per_window():
    fig = plots.plot_windows(sine_windows([0.0, 1.0, 2.0, 3.0]), n_show=2)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    top, bottom = fig.axes
    assert top.get_title() and top.get_ylabel() == "sin(t)" and top.get_legend() is not None
    assert bottom.get_xlabel() == "time t"  # the rows share one time label, at the bottom
    for ax, start in zip(fig.axes, [0.0, 1.0]):
        x_line, y_line = ax.lines  # inputs and targets of one window
        assert x_line.get_xdata()[0] == pytest.approx(start)
        assert list(x_line.get_xdata()[1:]) == list(y_line.get_xdata()[:-1])  # targets shifted by one step
        assert "start = " in ax.get_title()
    assert len(plots.plot_windows(sine_windows([0.0]), n_show=3).axes) == 1  # never more rows than windows
    with pytest.raises(ValueError, match="n_show must be >= 1"):
        plots.plot_windows(sine_windows([0.0]), n_show=0)


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
    assert truth.get_zorder() > pred.get_zorder()  # the truth stays visible over a prediction
    no_marks = plots.plot_rollout(s.t[0], s.values[0], {"one-step": torch.zeros(29)}, warmup=1, show_warmup=False)
    assert [line.get_label() for line in no_marks.axes[0].lines] == ["truth", "one-step"]
    with pytest.raises(ValueError, match="has 40 steps"):
        plots.plot_rollout(s.t[0], s.values[0], {"rollout": torch.zeros(40)}, warmup=4)
    with pytest.raises(ValueError, match="warmup must be >= 1"):
        plots.plot_rollout(s.t[0], s.values[0], {}, warmup=0)


def test_plot_error_by_horizon():
    fig = plots.plot_error_by_horizon({"k=1": torch.ones(5), "k=5": torch.full((5,), 0.5)})
    ax = fig.axes[0]
    assert labelled(ax) and len(ax.lines) == 2 and ax.get_yscale() == "log"
    assert list(ax.lines[0].get_xdata()) == [1, 2, 3, 4, 5]
    assert list(ax.lines[1].get_ydata()) == [0.5] * 5
    fig = plots.plot_error_by_horizon({"a": torch.ones(60)}, title="T", xlabel="position", mark=49, mark_label="49")
    ax = fig.axes[0]
    assert (ax.get_title(), ax.get_xlabel()) == ("T", "position")
    assert list(ax.lines[-1].get_xdata()) == [49, 49] and ax.lines[-1].get_label() == "49"
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_error_by_horizon({})


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
