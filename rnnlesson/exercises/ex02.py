"""Checkers for the exercises of notebook 02 (the model).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from rnnlesson.exercises import NO_ANSWER, as_count, as_shape, as_values, call_learner, checker, report
from rnnlesson._checks import positive_int
from rnnlesson.model import SineRNN, count_parameters

COUNT_HIDDEN, COUNT_LAYERS = 32, 2  # exercise 1: SineRNN(hidden_size=32, num_layers=2)
SHAPE_BATCH, SHAPE_LAYERS, SHAPE_HIDDEN = 5, 3, 10  # exercise 2: batch 5, 3 layers, 10 hidden units


@checker
def check_parameter_count(n: object, hidden_size: int = COUNT_HIDDEN, num_layers: int = COUNT_LAYERS) -> bool:
    """Exercise 1: the number of parameters of SineRNN(hidden_size, num_layers), as an integer
    (a Python int, a numpy integer or a 0-d integer tensor)."""
    right = count_parameters(SineRNN(hidden_size=hidden_size, num_layers=num_layers))
    if n is None:
        return report(False, "", NO_ANSWER)
    n = as_count(n, "give the count as an integer")
    if n == right:
        return report(True, f"SineRNN(hidden_size={hidden_size}, num_layers={num_layers}) has {right} parameters.", "")
    h = hidden_size
    layer_one = h * 1 + h * h + 2 * h
    upper_as_first = layer_one * num_layers + h + 1
    if n == upper_as_first:
        return report(
            False,
            "",
            "layers above the first read the hidden state of the layer below, not x: their W_ih is hidden * hidden.",
        )
    if n == layer_one + h + 1:
        return report(False, "", f"that is one layer; the model has {num_layers}.")
    return report(False, "", "add W_ih, W_hh, b_ih and b_hh for each layer, then the Linear head's weights and bias.")


@checker
def check_hidden_shape(
    shape: object, batch: int = SHAPE_BATCH, num_layers: int = SHAPE_LAYERS, hidden_size: int = SHAPE_HIDDEN
) -> bool:
    """Exercise 2: the hidden state's shape for a batch of ``batch`` and ``num_layers`` layers,
    as a tuple (or list, or torch.Size) of ints."""
    batch, num_layers, hidden_size = (positive_int(name, value) for name, value in
                                      (("batch", batch), ("num_layers", num_layers), ("hidden_size", hidden_size)))
    if shape is None:
        return report(False, "", NO_ANSWER)
    try:
        shape = as_shape(shape)
    except ValueError as error:
        return report(False, "", str(error))
    right = (num_layers, batch, hidden_size)
    if shape == right:
        return report(True, f"[num_layers, batch, hidden] = {list(right)}, even with batch_first=True.", "")
    if shape == (batch, num_layers, hidden_size):
        return report(
            False, "", "that is the original post's [b, layer, mem_size]; batch_first does not apply to the hidden state."
        )
    return report(False, "", "the hidden state holds one [batch, hidden] matrix per layer.")


def _exercise_rnn() -> tuple[nn.RNN, Tensor]:
    """A two-layer nn.RNN with fixed weights and an input [3, 7, 1], without touching torch's global RNG."""
    generator = torch.Generator().manual_seed(2)
    with torch.random.fork_rng(devices=[]):
        rnn = nn.RNN(input_size=1, hidden_size=5, num_layers=2, batch_first=True)
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(torch.rand(p.shape, generator=generator) - 0.5)
    x = torch.randn(3, 7, 1, generator=generator)
    return rnn, x


@checker
def check_two_layer(rnn_by_hand: object) -> bool:
    """Exercise 3: ``rnn_by_hand(rnn, x) -> (out, hidden)`` must match a two-layer ``nn.RNN``.

    x: [batch, seq_len, 1]; out: [batch, seq_len, hidden] (the top layer at every step);
    hidden: [num_layers, batch, hidden] (every layer at the last step).
    """
    if not callable(rnn_by_hand):
        return report(False, "", "pass your function itself, e.g. check_two_layer(rnn_by_hand).")
    rnn, x = _exercise_rnn()
    with torch.no_grad():
        want_out, want_hidden = rnn(x)
        got, error = call_learner(rnn_by_hand, rnn, x)
    if error:
        return report(False, "", error)
    if got is None:
        return report(False, "", "your function returns None: fill it in so it returns (out, hidden).")
    if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(g, (Tensor, np.ndarray)) for g in got)):
        return report(False, "", "return a tuple (out, hidden) of two tensors.")
    out, hidden = as_values(got[0], "out"), as_values(got[1], "hidden")
    want_out, want_hidden = want_out.double(), want_hidden.double()
    if out.shape != want_out.shape:
        return report(False, "", f"out should be [batch, seq_len, hidden] = {list(want_out.shape)}, got {list(out.shape)}.")
    if hidden.shape != want_hidden.shape:
        return report(
            False, "", f"hidden should be [num_layers, batch, hidden] = {list(want_hidden.shape)}, got {list(hidden.shape)}."
        )
    if not torch.allclose(hidden[0], want_hidden[0], atol=1e-5):
        return report(False, "", "layer 0 differs: it reads x_t and its own previous state.")
    if not torch.allclose(out, want_out, atol=1e-5) or not torch.allclose(hidden, want_hidden, atol=1e-5):
        return report(False, "", "layer 1 differs: it reads layer 0's new state at the same step, and its own previous state.")
    return report(True, "out and hidden match a two-layer nn.RNN with the same weights (within 1e-5).", "")

