"""Checkers for the exercises of notebook 02 (the model).

Each checker prints one line for the learner and returns True or False.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor, nn

from rnnlesson import model
from rnnlesson.exercises import (
    judge_cases,
    learner_function,
    NO_ANSWER,
    NotYet,
    as_count,
    as_shape,
    as_values,
    call_each,
    call_without,
    checker,
    report,
)
from rnnlesson.model import SineRNN

# exercise 1: (hidden_size, num_layers) the learner's count_by_hand is called with, none
# in the notebook
COUNT_CASES = ((6, 3), (17, 2), (20, 1))
# exercise 2: (batch, num_layers, hidden_size) the learner's hidden_shape is called with,
# none in the notebook
HIDDEN_CASES = ((2, 4, 7), (9, 2, 3), (12, 1, 6))


def _count(hidden_size: int, num_layers: int, mistake: str | None = None) -> int:
    """The parameters of SineRNN(hidden_size, num_layers), right or with a mistake of
    COUNT_MISTAKES."""
    h = hidden_size
    # W_ih of layer 0 reads x, one value
    first_input = h * h if mistake == "hidden input" else h * 1
    upper_input = h * 1 if mistake == "x into every layer" else h * h
    w_hh = 0 if mistake == "no W_hh" else h * h
    biases = h if mistake == "one bias" else 2 * h
    layers = 1 if mistake == "one layer" else num_layers
    head = 0 if mistake == "no head" else h + 1
    return (
        first_input + w_hh + biases + (layers - 1) * (upper_input + w_hh + biases) + head
    )


COUNT_MISTAKES = {  # a mistake the checker simulates -> the hint that names it
    "x into every layer": "layers above the first read the hidden state of the layer "
    "below, not x: their W_ih "
    "is hidden * hidden.",
    "one layer": "that counts one RNN layer: use num_layers.",
    "no head": "the Linear head is missing: it has weights and a bias too.",
    "one bias": "each layer has two bias vectors, b_ih and b_hh: you counted one.",
    "no W_hh": "each layer has a recurrent matrix W_hh (hidden * hidden): you left it "
    "out.",
    "hidden input": "layer 0 reads x, one value per step: its W_ih is hidden * 1.",
}

# exercise 1: what builds the model, or counts a module, instead of the learner
COUNT_SHORTCUTS = [
    (model, "SineRNN", "SineRNN(...)"),
    (model, "seeded_model", "seeded_model(...)"),
    (model, "count_parameters", "count_parameters"),
    (nn, "RNN", "nn.RNN(...)"),
    (nn, "Linear", "nn.Linear(...)"),
    (nn.Module, "parameters", "a module's .parameters()"),
]


@checker
def check_parameter_count(count_by_hand: object) -> bool:
    """Exercise 1: ``count_by_hand(hidden_size, num_layers)`` returns the number of
    parameters of SineRNN(hidden_size, num_layers) as an integer (a Python int, a numpy
    integer or a 0-d integer tensor).
    The checker calls it with sizes the notebook never uses, with the model's classes and
    the counting functions made unavailable."""
    learner_function(
        count_by_hand, "pass your function itself, count_by_hand(hidden_size, num_layers)"
    )
    answers = [
        as_count(got, "your function should return the count as an integer")
        for _, got in call_each(
            count_by_hand,
            COUNT_SHORTCUTS,
            ("hidden_size", "num_layers"),
            COUNT_CASES,
            "return the count.",
        )
    ]
    judge_cases(
        COUNT_CASES,
        answers,
        _count,
        COUNT_MISTAKES,
        "your function returns the same count whatever the sizes: work it out from "
        "hidden_size and num_layers.",
        lambda hidden_size,
        num_layers: f"with hidden_size={hidden_size}, num_layers={num_layers} the "
        "count differs: add W_ih, W_hh, b_ih and b_hh for each layer, then the Linear "
        "head's weights "
        "and bias.",
    )
    cases = ", ".join(f"({h}, {n})" for h, n in COUNT_CASES)
    return report(
        True, f"your count matches SineRNN's at (hidden_size, num_layers) = {cases}.", ""
    )


def _hidden_shape(
    batch: int, num_layers: int, hidden_size: int, mistake: str | None = None
) -> tuple[int, ...]:
    """The hidden state's shape, right or with a mistake of HIDDEN_MISTAKES."""
    return {
        "batch first": (batch, num_layers, hidden_size),
        "one layer": (batch, hidden_size),
        "last two swapped": (num_layers, hidden_size, batch),
        "out's shape": (batch, 49, hidden_size),
    }.get(mistake, (num_layers, batch, hidden_size))


HIDDEN_MISTAKES = {
    "batch first": "that is the original post's [b, layer, mem_size]; batch_first does "
    "not apply to the hidden "
    "state.",
    "one layer": "that is one layer's state: the hidden state holds one such matrix per "
    "layer, stacked in a first "
    "dimension.",
    "last two swapped": "the last two are swapped: each layer's state is [batch, "
    "hidden], a row per window.",
    "out's shape": "that is out's shape, the state after every step: the hidden state "
    "keeps only the last step, "
    "of every layer.",
}

# exercise 2: what runs a model, or makes its state, instead of the learner
HIDDEN_SHORTCUTS = [
    (model, "SineRNN", "SineRNN(...)"),
    (model, "seeded_model", "seeded_model(...)"),
    (nn, "RNN", "nn.RNN(...)"),
    (nn.RNN, "forward", "an nn.RNN's forward"),
    (SineRNN, "forward", "a SineRNN's forward"),
    (SineRNN, "initial_hidden", "SineRNN.initial_hidden"),
]


@checker
def check_hidden_shape(hidden_shape: object) -> bool:
    """Exercise 2: ``hidden_shape(batch, num_layers, hidden_size)`` returns the hidden
    state's shape for a batch of ``batch`` windows, as a tuple (or list, or torch.Size) of
    ints. The checker calls it with
    sizes the notebook never uses, with the model and nn.RNN made unavailable."""
    learner_function(
        hidden_shape,
        "pass your function itself, hidden_shape(batch, num_layers, hidden_size)",
    )
    answers = []
    for _, got in call_each(
        hidden_shape,
        HIDDEN_SHORTCUTS,
        ("batch", "num_layers", "hidden_size"),
        HIDDEN_CASES,
        "return the shape.",
    ):
        answers.append(as_shape(got))
    judge_cases(
        HIDDEN_CASES,
        answers,
        _hidden_shape,
        HIDDEN_MISTAKES,
        "your function returns the same shape whatever the sizes: build it from batch, "
        "num_layers and hidden_size.",
        lambda batch,
        num_layers,
        hidden_size: f"with batch={batch}, num_layers={num_layers}, "
        f"hidden_size={hidden_size} the shape differs: the hidden state holds one "
        "[batch, hidden] "
        "matrix per layer.",
    )
    return report(
        True,
        "[num_layers, batch, hidden], even with batch_first=True (checked at "
        f"{len(HIDDEN_CASES)} sizes the notebook never uses).",
        "",
    )


def _exercise_rnn() -> tuple[nn.RNN, Tensor]:
    """A two-layer nn.RNN with fixed weights and an input [3, 7, 1], without touching
    torch's global RNG."""
    generator = torch.Generator().manual_seed(2)
    with torch.random.fork_rng(devices=[]):
        rnn = nn.RNN(input_size=1, hidden_size=5, num_layers=2, batch_first=True)
    with torch.no_grad():
        for p in rnn.parameters():
            p.copy_(torch.rand(p.shape, generator=generator) - 0.5)
    x = torch.randn(3, 7, 1, generator=generator)
    return rnn, x


TWO_LAYER_MISTAKES = {  # a mistake the checker simulates -> the hint that names it
    "layer 0 as out": "out holds layer 0's states: out is the top layer's (layer 1's) "
    "state after every step.",
    "previous state": "layer 1 read layer 0's state from the step before: it reads layer "
    "0's new state, "
    "computed at the same step.",
    "no memory in layer 1": "layer 1 does not carry its own state from step to step: it "
    "reads its own previous "
    "state too, through weight_hh_l1.",
    "one bias": "a bias is missing: each layer adds both b_ih and b_hh.",
    "layers swapped in hidden": "hidden lists the layers in the wrong order: layer 0's "
    "last state comes first.",
    "first step in hidden": "hidden holds the states after the first step: it holds "
    "every layer's state after the "
    "last step.",
}


def _two_layer(
    rnn: nn.RNN, x: Tensor, mistake: str | None = None
) -> tuple[Tensor, Tensor]:
    """Two layers by hand, right (``mistake=None``) or with one of TWO_LAYER_MISTAKES, in
    float64.

    x: [batch, seq_len, 1]. Returns (out [batch, seq_len, hidden], hidden [2, batch,
    hidden])."""
    if mistake is not None and mistake not in TWO_LAYER_MISTAKES:
        raise ValueError(
            f"mistake must be None or one of {sorted(TWO_LAYER_MISTAKES)}, got "
            f"{mistake!r}"
        )
    weights = [
        [
            getattr(rnn, f"{name}_l{k}").detach().double()
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        ]
        for k in range(2)
    ]
    x = x.double()
    h = [torch.zeros(x.shape[0], rnn.hidden_size, dtype=torch.float64) for _ in range(2)]
    tops, bottoms, firsts = [], [], None
    for t in range(x.shape[1]):
        below, before = x[:, t], h[0]
        for k, (w_ih, w_hh, b_ih, b_hh) in enumerate(weights):
            if k == 1 and mistake == "previous state":
                below = before
            own = (
                torch.zeros_like(h[k])
                if (k == 1 and mistake == "no memory in layer 1")
                else h[k]
            )
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
    """Exercise 3: ``rnn_by_hand(rnn, x) -> (out, hidden)`` must match a two-layer
    ``nn.RNN``, computed by hand: the checker makes ``rnn``'s own forward unavailable
    while it runs.

    x: [batch, seq_len, 1]; out: [batch, seq_len, hidden] (the top layer at every step);
    hidden: [num_layers, batch, hidden] (every layer at the last step).
    """
    if not callable(rnn_by_hand):
        raise NotYet("pass your function itself, e.g. check_two_layer(rnn_by_hand).")
    rnn, x = _exercise_rnn()
    with torch.no_grad():
        want_out, want_hidden = rnn(x)
        got, error = call_without(
            rnn_by_hand, [(rnn, "forward", "rnn(x), nn.RNN's own forward")], rnn, x
        )
    if error:
        raise NotYet(error)
    if got is None:
        raise NotYet(
            "your function returns None: fill it in so it returns (out, hidden)."
        )
    if not (
        isinstance(got, (tuple, list))
        and len(got) == 2
        and all(isinstance(g, (Tensor, np.ndarray)) for g in got)
    ):
        raise NotYet("return a tuple (out, hidden) of two tensors.")
    out, hidden = as_values(got[0], "out"), as_values(got[1], "hidden")
    want_out, want_hidden = want_out.double(), want_hidden.double()
    if out.shape != want_out.shape:
        raise NotYet(
            f"out should be [batch, seq_len, hidden] = {list(want_out.shape)}, got "
            f"{list(out.shape)}."
        )
    if hidden.shape != want_hidden.shape:
        raise NotYet(
            f"hidden should be [num_layers, batch, hidden] = {list(want_hidden.shape)}, "
            f"got {list(hidden.shape)}."
        )
    if torch.allclose(out, want_out, atol=1e-5) and torch.allclose(
        hidden, want_hidden, atol=1e-5
    ):
        return report(
            True,
            "out and hidden match a two-layer nn.RNN with the same weights "
            "(within 1e-5).",
            "",
        )
    for mistake, hint in TWO_LAYER_MISTAKES.items():
        mistaken_out, mistaken_hidden = _two_layer(rnn, x, mistake)
        if torch.allclose(out, mistaken_out, atol=1e-5) and torch.allclose(
            hidden, mistaken_hidden, atol=1e-5
        ):
            raise NotYet(hint)
    if not torch.allclose(hidden[0], want_hidden[0], atol=1e-5):
        raise NotYet(
            "layer 0's last state differs: layer 0 reads x_t and its own previous state, "
            "from zeros."
        )
    if not torch.allclose(out, want_out, atol=1e-5):
        raise NotYet(
            "layer 0 is right, out is not: out is layer 1's state after every step."
        )
    raise NotYet(
        "out is right, hidden is not: hidden stacks each layer's state after the last "
        "step, layer 0 first."
    )
