"""Checkers for the exercises of notebook 06 (stacking batch and time before the Linear head).

Each checker calls the learner's function on several cases, prints one line and returns True or False.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from rnnlesson.exercises import NotYet, as_count, as_values, call_learner, checker, report
from rnnlesson.model import seeded_model
from rnnlesson.stacking import row_origin, stack, unstack

ROW_CASES = ((1, 5), (3, 4), (4, 3), (2, 7))  # (batch, seq_len)
UNSTACK_CASES = ((1, 5, 1), (3, 4, 1), (4, 3, 2), (2, 7, 10))  # (batch, seq_len, k)
FORWARD_CASES = ((1, 49), (3, 49), (5, 7), (2, 1))  # (batch, seq_len)


@checker
def check_row_index(row_index: object) -> bool:
    """Exercise 1: ``row_index(sequence, step, batch, seq_len, batch_first)`` -> the stacked row that
    holds that (sequence, step), for both layouts."""
    if not callable(row_index):
        return report(False, "", "pass a function row_index(sequence, step, batch, seq_len, batch_first).")
    for batch, seq_len in ROW_CASES:
        for batch_first in (True, False):
            layout = "batch_first" if batch_first else "seq_first"
            for r, (sequence, step) in enumerate(row_origin(batch, seq_len, layout).tolist()):
                got, error = call_learner(row_index, sequence, step, batch, seq_len, batch_first)
                if error:
                    return report(False, "", error)
                if got is not None:
                    try:
                        got = as_count(got, "return the row as an int")
                    except NotYet as hint:
                        raise NotYet(f"with batch={batch}, seq_len={seq_len}, batch_first={batch_first}: {hint}") from None
                if got != r:
                    return report(
                        False,
                        "",
                        f"with batch={batch}, seq_len={seq_len}, batch_first={batch_first}, sequence {sequence} "
                        f"step {step} is row {r}, your function gave {got!r}. Which index runs fastest "
                        "in each layout?",
                    )
    return report(True, "your function finds the row of every (sequence, step) in both layouts.", "")


@checker
def check_unstack_seq_first(unstack_fn: object) -> bool:
    """Exercise 2: ``unstack_fn(rows, batch, seq_len)`` turns rows stacked from a seq-first tensor
    [seq_len, batch, k] -> [seq_len * batch, k] back into [batch, seq_len, k]."""
    if not callable(unstack_fn):
        return report(False, "", "pass a function unstack_fn(rows, batch, seq_len).")
    generator = torch.Generator().manual_seed(6)
    for batch, seq_len, k in UNSTACK_CASES:
        batch_first = torch.randn(batch, seq_len, k, generator=generator)
        rows = stack(batch_first.transpose(0, 1))  # stacked from the seq-first layout
        got, error = call_learner(unstack_fn, rows.clone(), batch, seq_len)
        if error:
            return report(False, "", error)
        if not isinstance(got, (Tensor, np.ndarray)):
            return report(False, "", f"your function should return a tensor, got {type(got).__name__}.")
        got = as_values(got, "your function's result")
        if list(got.shape) != [batch, seq_len, k]:
            return report(False, "", f"expected shape {[batch, seq_len, k]}, got {list(got.shape)}.")
        if not torch.equal(got, batch_first.double()):
            hint = "the shape is right but the numbers are scrambled"
            if batch > 1 and seq_len > 1 and torch.equal(got, unstack(rows, batch, seq_len, "batch_first").double()):
                hint += ": a plain reshape(batch, seq_len, k) reads the rows as if they were stacked batch first"
            return report(False, "", hint + ". Reshape to the layout the rows came from, then swap dimensions.")
    return report(True, "your function puts every row back where it came from, for every batch and length.", "")


@checker
def check_fixed_forward(forward_fn: object) -> bool:
    """Exercise 3: ``forward_fn(model, x)`` keeps the original post's stacking but returns
    (pred [batch, seq_len, 1], hidden) equal to ``SineRNN``'s own forward for every batch size."""
    if not callable(forward_fn):
        return report(False, "", "pass a function forward_fn(model, x).")
    generator = torch.Generator().manual_seed(6)
    model = seeded_model(6)
    for batch, seq_len in FORWARD_CASES:
        x = torch.randn(batch, seq_len, 1, generator=generator)
        with torch.no_grad():
            want, want_hidden = model(x)
            got, error = call_learner(forward_fn, model, x)
        if error:
            return report(False, "", error)
        if not (isinstance(got, (tuple, list)) and len(got) == 2 and all(isinstance(g, (Tensor, np.ndarray)) for g in got)):
            return report(False, "", "return a tuple (pred, hidden) of two tensors, like the model's forward.")
        pred, hidden = as_values(got[0], "pred"), as_values(got[1], "hidden")
        if list(pred.shape) != list(want.shape):
            hint = f"with batch={batch}, seq_len={seq_len} pred should be {list(want.shape)}, got {list(pred.shape)}."
            if batch > 1 and list(pred.shape) == [1, batch * seq_len, 1]:
                hint += " That is the original unsqueeze(0): unstack the rows into [batch, seq_len, 1] instead."
            return report(False, "", hint)
        if list(hidden.shape) != list(want_hidden.shape):
            return report(False, "", f"with batch={batch}, seq_len={seq_len} hidden should be [num_layers, batch, hidden] "
                          f"= {list(want_hidden.shape)}, got {list(hidden.shape)}.")
        if not torch.allclose(pred, want.double(), atol=1e-6) or not torch.allclose(hidden, want_hidden.double(), atol=1e-6):
            return report(False, "", f"with batch={batch}, seq_len={seq_len} the shape is right but the numbers differ.")
    return report(True, "pred and hidden match the model's own forward for every batch size.", "")

