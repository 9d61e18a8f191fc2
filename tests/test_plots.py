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


def all_text_sizes(fig):
    from matplotlib.text import Text

    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]


def boxes(fig):
    from matplotlib.patches import FancyBboxPatch

    return [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)]


def test_plot_unrolled_is_drawn_from_the_model_sizes():
    default = plots.plot_unrolled(hidden_size=10, num_layers=1, n_steps=4)
    deep = plots.plot_unrolled(hidden_size=3, num_layers=2, n_steps=4)
    # inputs, one row of hidden states per layer, predictions, and an h_0 per layer
    assert len(boxes(default)) == 4 * (1 + 2) + 1
    assert len(boxes(deep)) == 4 * (2 + 2) + 2
    texts = [t.get_text() for t in deep.axes[0].texts]
    assert texts.count("h_1\n[batch, 3]") == 2 and "x_4\n[batch, 1]" in texts and "pred_4\n[batch, 1]" in texts
    assert any("= [2, batch, 3]" in t for t in texts), "the final hidden state's shape follows the sizes"
    assert not any("[batch, 10]" in t for t in texts)
    assert "num_layers=2" in deep.axes[0].get_title()
    assert min(all_text_sizes(deep)) >= 8


@pytest.mark.parametrize("kwargs, match", [
    ({"hidden_size": 0}, "hidden_size must be >= 1"),
    ({"hidden_size": 3, "num_layers": 7}, r"num_layers must be in \[1, 6\]"),
    ({"hidden_size": 3, "n_steps": 9}, r"n_steps must be in \[1, 8\]"),
])
def test_plot_unrolled_refuses_sizes_it_cannot_draw(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_unrolled(**kwargs)


def test_plot_hidden_states_one_heatmap_per_model():
    w = sine_windows([0.0])
    states = {"a": torch.zeros(49, 10), "b": torch.linspace(-1, 1, 49 * 4).reshape(49, 4)}
    fig = plots.plot_hidden_states(w.x[0], states)
    top, *maps = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(maps) == 2 and len(top.lines) == 1 and len(top.lines[0].get_xdata()) == 49
    for ax, (name, state) in zip(maps, states.items()):
        (image,) = ax.images
        assert image.get_array().shape == (state.shape[1], 49)  # a row per unit, a column per step
        assert image.get_clim() == (-1, 1) and name in ax.get_title() and ax.get_ylabel() == "hidden unit"
    assert maps[-1].get_xlabel().startswith("step t")
    assert min(all_text_sizes(fig)) >= 8


def test_plot_hidden_states_checks_shapes():
    with pytest.raises(ValueError, match=r"states\['a'\] must be a tensor shaped \[seq_len, hidden\] = \[49, hidden\]"):
        plots.plot_hidden_states(torch.zeros(49), {"a": torch.zeros(48, 10)})
    with pytest.raises(ValueError, match="at least one"):
        plots.plot_hidden_states(torch.zeros(49), {})


def test_plot_ablation_one_dot_per_seed_and_a_median_per_configuration():
    scores = {"a/b": [0.1, 0.3, 0.2], "c/d": torch.tensor([0.05, 0.07, 1.2])}
    fig = plots.plot_ablation(scores, reference={"train()": 0.014})
    ax = fig.axes[0]
    assert labelled(ax) and ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a/b", "c/d"]
    dots_a, median_a, dots_c, median_c, reference = ax.lines
    assert sorted(dots_a.get_ydata()) == [0.1, 0.2, 0.3] and list(median_a.get_ydata()) == [0.2, 0.2]
    assert list(dots_c.get_ydata()) == pytest.approx([0.05, 0.07, 1.2]) and median_c.get_ydata()[0] == pytest.approx(0.07)
    assert all(-0.5 < x < 0.5 for x in dots_a.get_xdata()) and all(0.5 < x < 1.5 for x in dots_c.get_xdata())
    assert list(reference.get_ydata()) == [0.014, 0.014]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["one seed", "median", "train()"]
    assert min(all_text_sizes(fig)) >= 8
    with pytest.raises(ValueError, match="at least one configuration"):
        plots.plot_ablation({})
    with pytest.raises(ValueError, match=r"scores\['a'\] must hold positive finite numbers"):
        plots.plot_ablation({"a": [0.1, float("inf")]})
