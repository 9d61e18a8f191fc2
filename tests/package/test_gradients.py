import numpy as np
import pytest
import torch
from matplotlib.text import Text

from rnnlesson.gradients import STATES, grad_norms, grad_states
from rnnlesson.plots import plot_grad_norms, plot_grad_states
from rnnlesson.model import SineRNN


def test_grad_norms_before_and_after_backward():
    torch.manual_seed(0)
    model = SineRNN(hidden_size=3)
    assert set(grad_norms(model).values()) == {0.0}
    model(torch.ones(2, 5, 1))[0].sum().backward()
    norms = grad_norms(model)
    assert norms["linear.weight"] == pytest.approx(model.linear.weight.grad.norm().item())
    with pytest.raises(TypeError, match="module must be an nn.Module"):
        grad_norms("model")


def test_plot_grad_norms_draws_each_call_relative_to_the_first():
    history = {
        "kept": [{"w": 2.0, "b": 0.5}, {"w": 4.0, "b": 1.0}, {"w": 6.0, "b": 1.5}],
        "cleared": [{"w": 2.0, "b": 0.5}] * 3,
    }
    fig = plot_grad_norms(history)
    kept, cleared = fig.axes
    assert kept.get_title() == "kept" and cleared.get_title() == "cleared"
    heights = [round(bar.get_height(), 6) for bar in kept.patches]
    assert heights == [1, 1, 2, 2, 3, 3]  # call by call, for w and b
    assert {bar.get_height() for bar in cleared.patches} == {1.0}
    assert [t.get_text() for t in kept.get_xticklabels()] == ["w", "b"]
    (legend,) = fig.legends  # one legend for both panels, below them
    assert len(legend.get_texts()) == 3
    assert min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()) >= 8
    with pytest.raises(ValueError, match="no gradient after the first call"):
        plot_grad_norms({"x": [{"w": 0.0}]})
    with pytest.raises(ValueError, match="non-empty"):
        plot_grad_norms({"x": []})


def test_plot_grad_states_draws_the_table():
    model = SineRNN(hidden_size=2)
    columns = {"fresh": grad_states(model)}
    model(torch.ones(1, 3, 1))[0].sum().backward()
    columns["after backward"] = grad_states(model)
    model.zero_grad(set_to_none=False)
    columns["zero_grad(set_to_none=False)"] = grad_states(model)
    fig = plot_grad_states(columns, title="three snapshots")
    (ax,) = fig.axes
    codes = ax.images[0].get_array()
    assert codes.shape == (6, 3)
    assert list(np.unique(codes[:, 0])) == [STATES.index("None")]
    assert list(np.unique(codes[:, 1])) == [STATES.index("nonzero")]
    assert list(np.unique(codes[:, 2])) == [STATES.index("zero")]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        name for name, _ in model.named_parameters()
    ]
    assert len(ax.texts) == 18 and ax.get_title() == "three snapshots"
    (legend,) = fig.legends  # below the table
    assert len(legend.get_texts()) == 3
    assert min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()) >= 8
    with pytest.raises(ValueError, match="non-empty mapping"):
        plot_grad_states({})
