import pytest
import torch

from rnnlesson.data import sine_windows
from rnnlesson.model import (
    SineRNN,
    check_model,
    count_parameters,
    pick_device,
    seeded_model,
)


def test_shapes_for_several_batch_sizes(model):
    for batch in (1, 3, 8):
        x = torch.randn(batch, 49, 1)
        pred, hidden = model(x)
        assert pred.shape == (batch, 49, 1)
        # [num_layers, batch, hidden] despite batch_first
        assert hidden.shape == (1, batch, 10)


def test_hidden_layout_with_two_layers():
    model = SineRNN(hidden_size=4, num_layers=2)
    _, hidden = model(torch.randn(3, 7, 1))
    assert hidden.shape == (2, 3, 4)


def test_batch_of_three_equals_each_sequence_alone(model):
    x = sine_windows([0.0, 1.0, 4.0]).x
    together, hidden = model(x)
    for i in range(3):
        alone, hidden_alone = model(x[i : i + 1])
        torch.testing.assert_close(together[i : i + 1], alone, rtol=0, atol=1e-6)
        torch.testing.assert_close(hidden[:, i : i + 1], hidden_alone, rtol=0, atol=1e-6)


def test_hand_written_recurrence_matches_nn_rnn(model):
    x = sine_windows([0.3]).x  # [1, 49, 1]
    rnn = model.rnn
    h = torch.zeros(1, 10)
    outs = []
    for t in range(x.shape[1]):
        h = torch.tanh(
            x[:, t] @ rnn.weight_ih_l0.T
            + rnn.bias_ih_l0
            + h @ rnn.weight_hh_l0.T
            + rnn.bias_hh_l0
        )
        outs.append(h)
    by_hand = torch.stack(outs, dim=1)
    out, last = rnn(x)
    assert (by_hand - out).abs().max().item() < 1e-6
    assert (h - last[0]).abs().max().item() < 1e-6


def test_parameter_count_formula():
    for hidden, layers in [(10, 1), (32, 2)]:
        model = SineRNN(hidden_size=hidden, num_layers=layers)
        first = hidden * 1 + hidden * hidden + 2 * hidden
        rest = (layers - 1) * (hidden * hidden + hidden * hidden + 2 * hidden)
        assert count_parameters(model) == first + rest + hidden + 1


def test_sequence_length_is_free(model):
    for seq_len in (1, 49, 200):
        assert model(torch.zeros(2, seq_len, 1))[0].shape == (2, seq_len, 1)


def test_initial_hidden(model):
    h = model.initial_hidden(5)
    assert h.shape == (1, 5, 10) and not h.any()


@pytest.mark.parametrize(
    "x, error, match",
    [
        (torch.zeros(49, 1), ValueError, "3 dimensions"),
        (torch.zeros(49), ValueError, "reshape"),
        (torch.zeros(2, 49, 3), ValueError, "feature size 1"),
        (torch.zeros(0, 49, 1), ValueError, "batch >= 1"),
        (torch.full((1, 5, 1), float("nan")), ValueError, "NaN"),
        (torch.zeros(1, 5, 1, dtype=torch.int64), TypeError, "floating-point"),
        ([[0.0]], TypeError, "torch.Tensor"),
    ],
)
def test_bad_input(model, x, error, match):
    with pytest.raises(error, match=match):
        model(x)


def test_hidden_in_the_blog_comment_layout_is_rejected():
    model = SineRNN(num_layers=2)
    x = torch.zeros(3, 5, 1)
    with pytest.raises(ValueError, match=r"\[num_layers, batch, hidden\] = \[2, 3, 10\]"):
        model(x, torch.zeros(3, 2, 10))  # [b, layer, mem_size]


def test_nan_hidden_is_rejected(model):
    with pytest.raises(ValueError, match="hidden contains NaN"):
        model(torch.zeros(1, 2, 1), torch.full((1, 1, 10), float("nan")))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"hidden_size": 0}, "hidden_size must be >= 1"),
        ({"num_layers": 0}, "num_layers must be >= 1"),
    ],
)
def test_bad_sizes(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SineRNN(**kwargs)


def test_pick_device():
    assert pick_device(None).type == "cpu"
    assert pick_device("cpu").type == "cpu"
    assert pick_device("auto").type == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(ValueError, match="device must be"):
        pick_device("banana")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="torch.cuda.is_available"):
            pick_device("cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_runs_on_cuda():
    model = SineRNN().to(pick_device("cuda"))
    pred, hidden = model(sine_windows([0.0]).x.cuda())
    assert pred.is_cuda and hidden.is_cuda


def test_seeded_model_matches_manual_seed_and_leaves_the_generator_alone():
    torch.manual_seed(7)
    expected = SineRNN(hidden_size=4)
    torch.manual_seed(11)
    before = torch.random.get_rng_state()
    got = seeded_model(7, hidden_size=4)
    assert torch.equal(torch.random.get_rng_state(), before)
    for p, q in zip(expected.parameters(), got.parameters()):
        assert torch.equal(p, q)


def test_check_model_and_count_parameters_reject_other_objects():
    with pytest.raises(
        TypeError, match="model must be a rnnlesson.model.SineRNN, got Linear"
    ):
        check_model(torch.nn.Linear(1, 1))
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        count_parameters("model")


def test_pick_device_refuses_other_device_types():
    with pytest.raises(ValueError, match="device must be 'cpu' or 'cuda', got 'meta'"):
        pick_device("meta")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"hidden_size": 10**7}, r"hidden_size must be in \[1, 4096\], got 10000000"),
        ({"num_layers": 10**6}, r"num_layers must be in \[1, 64\], got 1000000"),
    ],
)
def test_model_sizes_are_bounded(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SineRNN(**kwargs)
