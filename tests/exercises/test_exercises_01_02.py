"""The exercise checkers of notebooks 01 and 02: a right answer passes, wrong answers fail
with a hint."""

import copy

import numpy as np
import pytest
import torch

from rnnlesson.exercises import NotYet, as_shape, ex01, ex02

# --- notebook 01 ------------------------------------------------------------------------


def targets_by_hand(start: float) -> torch.Tensor:
    t = torch.linspace(start, start + 10, 50, dtype=torch.float64)
    return torch.sin(t)[1:].float().reshape(1, 49, 1)


def test_targets_right(capsys):
    assert ex01.check_targets(targets_by_hand) is True
    assert capsys.readouterr().out.startswith("Correct:")


def test_targets_for_one_start_only_are_refused():
    assert ex01.check_targets(lambda start: targets_by_hand(2.5)) is False


def test_targets_inputs_instead_of_targets(capsys):
    def inputs(start):
        return torch.sin(torch.linspace(start, start + 10, 50))[:-1].reshape(1, 49, 1)

    assert ex01.check_targets(inputs) is False
    assert "inputs" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong",
    [
        None,
        targets_by_hand(2.5),  # a tensor, not a function
        lambda start: [0.0] * 49,
        # right values, shape [49]
        lambda start: torch.sin(torch.linspace(start, start + 10, 50))[1:],
        # the whole window
        lambda start: torch.sin(torch.linspace(start, start + 10, 50)).reshape(1, 50, 1),
        # 49 points over the span
        lambda start: torch.sin(torch.linspace(start, start + 10, 49)).reshape(1, 49, 1),
    ],
)
def test_targets_wrong(wrong, capsys):
    assert ex01.check_targets(wrong) is False
    assert capsys.readouterr().out.startswith("Not yet:")


def test_shapes_right():
    assert ex01.check_shapes(lambda b: ((b, 49, 1), (49, b, 1))) is True
    assert ex01.check_shapes(lambda b: ([b, 49, 1], torch.Size([49, b, 1]))) is True


@pytest.mark.parametrize(
    "learner, hint",
    [
        (lambda b: ((49, b, 1), (b, 49, 1)), "swapped"),
        (lambda b: ((b, 50, 1), (50, b, 1)), "first 49"),
        (lambda b: ((b, 49, 1), (b, 1, 49)), "swaps the first two"),
        (lambda b: ("(8, 49, 1)", (49, b, 1)), "tuple of integers"),
        (lambda b: ((float(b), 49, 1), (49, b, 1)), "is a float"),
        (lambda b: ((b, 49, 1), (49, b, True)), "True is a bool"),
        (lambda b: (b, 49, 1), "as a pair"),
        (lambda b: None, "returns None"),
        (lambda b: 1 / 0, "raised ZeroDivisionError"),
        (None, "replace None"),
        (((8, 49, 1), (49, 8, 1)), "pass your function itself"),
    ],
)
def test_shapes_wrong(learner, hint, capsys):
    assert ex01.check_shapes(learner) is False
    assert hint in capsys.readouterr().out


def test_time_step_right():
    assert ex01.check_time_step(lambda n: 10 / (n - 1)) is True
    assert ex01.check_time_step(lambda n: round(10 / (n - 1), 5)) is True


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda n: 10 / n, "gaps"),
        (lambda n: 10 / 49, "50-point window"),
        (lambda n: "0.101", "number"),
        (lambda n: None, "returns None"),
        (None, "replace None"),
        (10 / 99, "pass your function itself"),
    ],
)
def test_time_step_wrong(wrong, hint, capsys):
    assert ex01.check_time_step(wrong) is False
    assert hint in capsys.readouterr().out


# --- notebook 02 ------------------------------------------------------------------------


def test_parameter_count_right():
    # per layer: W_ih (h * input), W_hh (h * h), b_ih and b_hh (h each); Linear: h + 1
    def count_by_hand(h, num_layers):
        first = h * 1 + h * h + h + h
        upper = h * h + h * h + h + h
        return first + (num_layers - 1) * upper + h + 1

    assert count_by_hand(32, 2) == 3265
    assert ex02.check_parameter_count(count_by_hand) is True


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda h, n: n * (h + h * h + 2 * h) + h + 1, "W_ih is hidden * hidden"),
        (lambda h, n: h + h * h + 2 * h + h + 1, "counts one RNN layer"),
        (lambda h, n: 3264, "whatever the sizes"),
        (lambda h, n: 3265.0, "integer"),
        (lambda h, n: None, "returns None"),
        (None, "replace None"),
        (3265, "pass your function itself"),
    ],
)
def test_parameter_count_wrong(wrong, hint, capsys):
    assert ex02.check_parameter_count(wrong) is False
    assert hint in capsys.readouterr().out


def test_hidden_shape_right():
    assert ex02.check_hidden_shape(lambda b, n, h: (n, b, h)) is True
    assert ex02.check_hidden_shape(lambda b, n, h: torch.zeros(n, b, h).shape) is True


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (lambda b, n, h: (b, n, h), "[b, layer, mem_size]"),
        (lambda b, n, h: (n, h, b), "the last two are swapped"),
        (lambda b, n, h: (n, b, h + 1), "one [batch, hidden]"),
        (lambda b, n, h: (float(n), b, h), "is a float"),
        (lambda b, n, h: "(3, 5, 10)", "tuple of integers"),
        (lambda b, n, h: torch.zeros(n, b, h), "got type Tensor"),
        (None, "replace None"),
        ((3, 5, 10), "pass your function itself"),
    ],
)
def test_hidden_shape_wrong(wrong, hint, capsys):
    assert ex02.check_hidden_shape(wrong) is False
    assert hint in capsys.readouterr().out


def two_layer_by_hand(rnn, x):
    """A right answer to exercise 3: the recurrence for every layer, the lower layer's
    state as input."""
    batch, seq_len, _ = x.shape
    h = [torch.zeros(batch, rnn.hidden_size) for _ in range(rnn.num_layers)]
    outs = []
    for t in range(seq_len):
        below = x[:, t]
        for k in range(rnn.num_layers):
            w_ih, w_hh = getattr(rnn, f"weight_ih_l{k}"), getattr(rnn, f"weight_hh_l{k}")
            b_ih, b_hh = getattr(rnn, f"bias_ih_l{k}"), getattr(rnn, f"bias_hh_l{k}")
            h[k] = torch.tanh(below @ w_ih.T + b_ih + h[k] @ w_hh.T + b_hh)
            below = h[k]
        outs.append(below)
    return torch.stack(outs, dim=1), torch.stack(h)


def one_layer_only(rnn, x):
    """Wrong: runs layer 0 and reports it as both layers."""
    h = torch.zeros(x.shape[0], rnn.hidden_size)
    outs = []
    for t in range(x.shape[1]):
        h = torch.tanh(
            x[:, t] @ rnn.weight_ih_l0.T
            + rnn.bias_ih_l0
            + h @ rnn.weight_hh_l0.T
            + rnn.bias_hh_l0
        )
        outs.append(h)
    return torch.stack(outs, dim=1), torch.stack([h, h])


def upper_layer_reads_x(rnn, x):
    """Wrong: layer 1 reads the previous step of layer 0 instead of the current one."""
    batch, seq_len, _ = x.shape
    h0 = torch.zeros(batch, rnn.hidden_size)
    h1 = torch.zeros(batch, rnn.hidden_size)
    outs = []
    for t in range(seq_len):
        h1 = torch.tanh(
            h0 @ rnn.weight_ih_l1.T
            + rnn.bias_ih_l1
            + h1 @ rnn.weight_hh_l1.T
            + rnn.bias_hh_l1
        )
        h0 = torch.tanh(
            x[:, t] @ rnn.weight_ih_l0.T
            + rnn.bias_ih_l0
            + h0 @ rnn.weight_hh_l0.T
            + rnn.bias_hh_l0
        )
        outs.append(h1)
    return torch.stack(outs, dim=1), torch.stack([h0, h1])


def test_two_layer_right(capsys):
    assert ex02.check_two_layer(two_layer_by_hand) is True
    assert capsys.readouterr().out.startswith("Correct:")


LEFT_OUT = [
    f"{kind}_l{layer}"
    for layer in (0, 1)
    for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
]


@pytest.mark.parametrize("left_out", LEFT_OUT)
def test_two_layer_checker_notices_any_one_tensor_left_out(left_out, capsys):
    """The checker's weights leave no tensor idle: the right answer with any one of the
    eight tensors zeroed fails, and the hint names the layer that tensor belongs to."""

    def forgets_one(rnn, x):
        rnn = copy.deepcopy(rnn)
        with torch.no_grad():
            getattr(rnn, left_out).zero_()
        return two_layer_by_hand(rnn, x)

    assert ex02.check_two_layer(forgets_one) is False
    out = capsys.readouterr().out
    if left_out.endswith("l0"):
        assert "layer 0" in out, out
    else:
        assert "layer 0" not in out or "layer 0 is right" in out, out
        assert any(h in out for h in ("out is not", "layer 1", "bias is missing")), out


@pytest.mark.parametrize(
    "wrong, hint",
    [
        (one_layer_only, "out is not"),
        (upper_layer_reads_x, "from the step before"),
        (lambda rnn, x: rnn(x[:, :, 0]), "your function called rnn(x)"),
        (lambda rnn, x: two_layer_by_hand(rnn, x)[0], "tuple (out, hidden)"),
        (lambda rnn, x: None, "returns None"),
        (
            lambda rnn, x: (
                two_layer_by_hand(rnn, x)[0][:, -1],
                two_layer_by_hand(rnn, x)[1],
            ),
            "out should be",
        ),
        (
            lambda rnn, x: (
                two_layer_by_hand(rnn, x)[0],
                two_layer_by_hand(rnn, x)[1].transpose(0, 1),
            ),
            "hidden should be",
        ),
        (
            lambda rnn, x: (
                two_layer_by_hand(rnn, x)[0],
                two_layer_by_hand(rnn, x)[1] * 0,
            ),
            "layer 0's last state",
        ),
        (lambda rnn, x: x[:, :, 0] @ rnn.weight_ih_l1.T, "raised"),
        (42, "pass your function"),
    ],
)
def test_two_layer_wrong(wrong, hint, capsys):
    assert ex02.check_two_layer(wrong) is False
    assert hint in capsys.readouterr().out


def test_two_layer_checker_leaves_global_rng_alone():
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    ex02.check_two_layer(two_layer_by_hand)
    assert torch.equal(torch.rand(3), expected)


def test_the_count_in_exercise_one_follows_the_formula_for_other_sizes():
    from rnnlesson.model import SineRNN, count_parameters

    for hidden, layers in [(1, 1), (10, 1), (7, 3), *ex02.COUNT_CASES]:
        formula = (
            (hidden + hidden * hidden + 2 * hidden)
            + (layers - 1) * (2 * hidden * hidden + 2 * hidden)
            + hidden
            + 1
        )
        assert (
            count_parameters(SineRNN(hidden, layers))
            == formula
            == ex02._count(hidden, layers)
        )


# --- the shape helper both notebooks use ------------------------------------------------


@pytest.mark.parametrize(
    "value", [(3, 5, 10), [3, 5, 10], torch.Size([3, 5, 10]), (np.int64(3), 5, 10)]
)
def test_as_shape_reads_integer_sequences(value):
    shape = as_shape(value)
    assert shape == (3, 5, 10)
    assert all(type(n) is int for n in shape)


@pytest.mark.parametrize(
    "value, hint",
    [
        ((3.0, 5, 10), "3.0 is a float"),
        ((3, 5, np.float32(10)), "is a float32"),
        ((True, 5, 10), "True is a bool"),
        ("(3, 5, 10)", "got type str"),
        (torch.zeros(3, 5, 10), "got type Tensor"),
        (3, "got type int"),
    ],
)
def test_as_shape_refuses_anything_else_with_a_hint(value, hint):
    with pytest.raises(NotYet, match="tuple of integers") as error:
        as_shape(value)
    assert hint in str(error.value)


@pytest.mark.parametrize("shape", [(3.0, 5, 10), (3, 5.0, 10), (True, 5, 10)])
def test_both_notebooks_refuse_the_same_non_integer_shapes(shape, capsys):
    assert ex02.check_hidden_shape(lambda b, n, h: shape) is False
    hidden_hint = capsys.readouterr().out
    assert ex01.check_shapes(lambda b: (shape, (49, b, 1))) is False
    assert capsys.readouterr().out == hidden_hint
