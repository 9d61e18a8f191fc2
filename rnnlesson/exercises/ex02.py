"""Checkers for the exercises of notebook 02 (the model).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from rnnlesson.exercises import NO_ANSWER, as_count, as_shape, as_values, call_without, checker, report
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
    layer_one, upper = h * 1 + h * h + 2 * h, h * h + h * h + 2 * h  # W_ih, W_hh, b_ih, b_hh
    head = h + 1
    mistakes = {
        layer_one * num_layers + head: "layers above the first read the hidden state of the layer below, not x: "
                                       "their W_ih is hidden * hidden.",
        layer_one + head: f"that counts one RNN layer; the model has {num_layers}.",
        layer_one + upper * (num_layers - 1): "the Linear head is missing: it has weights and a bias too.",
        layer_one + upper * (num_layers - 1) + head - h * num_layers: "each layer has two bias vectors, b_ih and "
                                                                      "b_hh: you counted one.",
        layer_one + upper * (num_layers - 1) + head - h * h * num_layers: "each layer has a recurrent matrix W_hh "
                                                                          "(hidden * hidden): you left it out.",
    }
    if n in mistakes:
        return report(False, "", mistakes[n])
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
    mistakes = {
        (batch, num_layers, hidden_size): "that is the original post's [b, layer, mem_size]; batch_first does not "
                                          "apply to the hidden state.",
        (batch, hidden_size): "that is one layer's state: the hidden state holds one such matrix per layer, "
                              "stacked in a first dimension.",
        (num_layers, hidden_size, batch): "the last two are swapped: each layer's state is [batch, hidden], "
                                          "a row per window.",
        (batch, 49, hidden_size): "that is out's shape, the state after every step: the hidden state keeps "
                                  "only the last step, of every layer.",
    }
    if shape in mistakes:
        return report(False, "", mistakes[shape])
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


TWO_LAYER_MISTAKES = {  # a mistake the checker simulates -> the hint that names it
    "layer 0 as out": "out holds layer 0's states: out is the top layer's (layer 1's) state after every step.",
    "previous state": "layer 1 read layer 0's state from the step before: it reads layer 0's new state, "
                      "computed at the same step.",
    "no memory in layer 1": "layer 1 does not carry its own state from step to step: it reads its own previous "
                            "state too, through weight_hh_l1.",
    "one bias": "a bias is missing: each layer adds both b_ih and b_hh.",
    "layers swapped in hidden": "hidden lists the layers in the wrong order: layer 0's last state comes first.",
    "first step in hidden": "hidden holds the states after the first step: it holds every layer's state after the "
                            "last step.",
}


def _two_layer(rnn: nn.RNN, x: Tensor, mistake: str | None = None) -> tuple[Tensor, Tensor]:
    """Two layers by hand, right (``mistake=None``) or with one of TWO_LAYER_MISTAKES, in float64.

    x: [batch, seq_len, 1]. Returns (out [batch, seq_len, hidden], hidden [2, batch, hidden])."""
    if mistake is not None and mistake not in TWO_LAYER_MISTAKES:
        raise ValueError(f"mistake must be None or one of {sorted(TWO_LAYER_MISTAKES)}, got {mistake!r}")
    weights = [[getattr(rnn, f"{name}_l{k}").detach().double() for name in ("weight_ih", "weight_hh", "bias_ih",
                                                                          "bias_hh")] for k in range(2)]
    x = x.double()
    h = [torch.zeros(x.shape[0], rnn.hidden_size, dtype=torch.float64) for _ in range(2)]
    tops, bottoms, firsts = [], [], None
    for t in range(x.shape[1]):
        below, before = x[:, t], h[0]
        for k, (w_ih, w_hh, b_ih, b_hh) in enumerate(weights):
            if k == 1 and mistake == "previous state":
                below = before
            own = torch.zeros_like(h[k]) if (k == 1 and mistake == "no memory in layer 1") else h[k]
            bias = b_ih if mistake == "one bias" else b_ih + b_hh
            h[k] = torch.tanh(below @ w_ih.T + own @ w_hh.T + bias)
            below = h[k]
        tops.append(h[1])
        bottoms.append(h[0])
        firsts = firsts if firsts is not None else torch.stack(h)
    out = torch.stack(bottoms if mistake == "layer 0 as out" else tops, dim=1)
    hidden = torch.stack(h[::-1] if mistake == "layers swapped in hidden" else h)
    return out, (firsts if mistake == "first step in hidden" else hidden)


@checker
def check_two_layer(rnn_by_hand: object) -> bool:
    """Exercise 3: ``rnn_by_hand(rnn, x) -> (out, hidden)`` must match a two-layer ``nn.RNN``,
    computed by hand: the checker makes ``rnn``'s own forward unavailable while it runs.

    x: [batch, seq_len, 1]; out: [batch, seq_len, hidden] (the top layer at every step);
    hidden: [num_layers, batch, hidden] (every layer at the last step).
    """
    if not callable(rnn_by_hand):
        return report(False, "", "pass your function itself, e.g. check_two_layer(rnn_by_hand).")
    rnn, x = _exercise_rnn()
    with torch.no_grad():
        want_out, want_hidden = rnn(x)
        got, error = call_without(rnn_by_hand, [(rnn, "forward", "rnn(x), nn.RNN's own forward")], rnn, x)
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
    if torch.allclose(out, want_out, atol=1e-5) and torch.allclose(hidden, want_hidden, atol=1e-5):
        return report(True, "out and hidden match a two-layer nn.RNN with the same weights (within 1e-5).", "")
    for mistake, hint in TWO_LAYER_MISTAKES.items():
        mistaken_out, mistaken_hidden = _two_layer(rnn, x, mistake)
        if torch.allclose(out, mistaken_out, atol=1e-5) and torch.allclose(hidden, mistaken_hidden, atol=1e-5):
            return report(False, "", hint)
    if not torch.allclose(hidden[0], want_hidden[0], atol=1e-5):
        return report(False, "", "layer 0's last state differs: layer 0 reads x_t and its own previous state, "
                      "from zeros.")
    if not torch.allclose(out, want_out, atol=1e-5):
        return report(False, "", "layer 0 is right, out is not: out is layer 1's state after every step.")
    return report(False, "", "out is right, hidden is not: hidden stacks each layer's state after the last step, "
                  "layer 0 first.")
