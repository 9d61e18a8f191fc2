"""rnnlesson.stacking: the original forward, stacking and unstacking in both layouts, the
row-order figure."""

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from rnnlesson.plots import plot_row_order
from rnnlesson.stacking import original_forward, row_origin, stack, unstack


def test_original_forward_matches_the_model_for_batch_one(model):
    x = torch.randn(1, 49, 1)
    pred, hidden = original_forward(model, x)
    want, want_hidden = model(x)
    assert pred.shape == (1, 49, 1)
    assert torch.equal(pred, want)
    assert torch.equal(hidden, want_hidden)


def test_original_forward_lays_three_sequences_end_to_end(model):
    x = torch.randn(3, 49, 1)
    pred, hidden = original_forward(model, x)
    want, _ = model(x)
    assert pred.shape == (1, 3 * 49, 1)
    assert hidden.shape == (1, 3, 10)
    # sequence i occupies rows i*49 .. i*49+48 of dimension 1
    assert torch.allclose(pred[0].reshape(3, 49, 1), want, atol=1e-6)


def test_original_forward_rejects_bad_input(model):
    with pytest.raises(ValueError, match="x must have 3 dimensions"):
        original_forward(model, torch.zeros(49))
    with pytest.raises(ValueError, match="hidden must be shaped"):
        original_forward(model, torch.zeros(3, 5, 1), torch.zeros(1, 1, 10))
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        original_forward(nn.Linear(1, 1), torch.zeros(1, 5, 1))


def test_linear_on_stacked_rows_equals_linear_on_three_dimensions(model):
    out = torch.randn(3, 7, 10)
    assert torch.equal(unstack(model.linear(stack(out)), 3, 7), model.linear(out))


@pytest.mark.parametrize("batch,seq_len,k", [(1, 1, 1), (1, 6, 2), (3, 4, 1), (4, 3, 5)])
def test_unstack_inverts_stack_in_both_layouts(batch, seq_len, k):
    x = torch.randn(batch, seq_len, k)
    assert torch.equal(unstack(stack(x), batch, seq_len, "batch_first"), x)
    assert torch.equal(unstack(stack(x.transpose(0, 1)), batch, seq_len, "seq_first"), x)


def test_unstacking_with_the_wrong_layout_scrambles_without_error():
    x = torch.arange(12.0).reshape(3, 4, 1)
    wrong = unstack(stack(x.transpose(0, 1)), 3, 4, "batch_first")
    assert wrong.shape == x.shape
    assert not torch.equal(wrong, x)
    # steps 0 and 1 of all three sequences
    assert wrong[0, :, 0].tolist() == [0.0, 4.0, 8.0, 1.0]


def test_unstack_and_stack_reject_bad_input():
    with pytest.raises(
        ValueError, match=r"rows must be shaped \[batch \* seq_len, k\] = \[12, k\]"
    ):
        unstack(torch.zeros(10, 1), 3, 4)
    with pytest.raises(ValueError, match="layout must be"):
        unstack(torch.zeros(12, 1), 3, 4, "time_major")
    with pytest.raises(ValueError, match="batch must be >= 1"):
        unstack(torch.zeros(0, 1), 0, 4)
    with pytest.raises(TypeError, match="rows must be a torch.Tensor"):
        unstack([[0.0]], 1, 1)
    with pytest.raises(ValueError, match="out must have 3 dimensions"):
        stack(torch.zeros(4, 1))


def test_row_origin_names_sequence_and_step_of_every_row():
    assert row_origin(2, 3, "batch_first").tolist() == [
        [0, 0],
        [0, 1],
        [0, 2],
        [1, 0],
        [1, 1],
        [1, 2],
    ]
    assert row_origin(2, 3, "seq_first").tolist() == [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
        [0, 2],
        [1, 2],
    ]


@pytest.mark.parametrize("layout", ["batch_first", "seq_first"])
def test_row_origin_agrees_with_stack(layout):
    batch, seq_len = 3, 5
    sequence = torch.arange(batch)[:, None, None].expand(batch, seq_len, 1)
    step = torch.arange(seq_len)[None, :, None].expand(batch, seq_len, 1)
    labels = torch.cat([sequence, step], dim=-1)  # [batch, seq_len, 2]
    if layout == "seq_first":
        labels = labels.transpose(0, 1)
    assert torch.equal(stack(labels), row_origin(batch, seq_len, layout))


def test_plot_row_order_draws_one_labelled_strip_per_layout():
    fig = plot_row_order(3, 4)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == [
        "batch_first",
        "seq_first",
    ]
    assert [len(ax.texts) for ax in fig.axes] == [12, 12]
    # stacked row 1 comes from sequence 1, step 0
    assert fig.axes[1].texts[1].get_text() == "1\ns1 t0"
    with pytest.raises(ValueError, match="batch \\* seq_len must be <= 40"):
        plot_row_order(10, 10)
