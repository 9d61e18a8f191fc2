"""Checkers for the exercises of notebook 06 (stacking batch and time before the Linear
head).

Each checker calls the learner's function on several cases, prints one line and returns
True or False.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from rnnlesson import stacking
from rnnlesson.exercises import NotYet, as_count, as_values, call_without, checker, report
from rnnlesson.model import seeded_model
from rnnlesson.stacking import row_origin, stack, unstack

ROW_CASES = ((1, 5), (3, 4), (4, 3), (2, 7))  # (batch, seq_len)
UNSTACK_CASES = ((1, 5, 1), (3, 4, 1), (4, 3, 2), (2, 7, 10))  # (batch, seq_len, k)
FORWARD_CASES = ((1, 49), (3, 49), (5, 7), (2, 1))  # (batch, seq_len)


ROW_MISTAKES = {  # a mistake -> (its formula, the hint that names it)
    "layouts swapped": (
        lambda sequence, step, batch, seq_len, batch_first: step * batch + sequence
        if batch_first
        else sequence * seq_len + step,
        "your rows are those of the other layout: in a batch-first stack the step runs "
        "fastest, in a seq-first stack the sequence does.",
    ),
    "batch for seq_len": (
        lambda sequence, step, batch, seq_len, batch_first: sequence * batch + step
        if batch_first
        else step * batch + sequence,
        "in the batch-first stack each sequence takes seq_len rows, not batch rows.",
    ),
    "seq_len for batch": (
        lambda sequence, step, batch, seq_len, batch_first: sequence * seq_len + step
        if batch_first
        else step * seq_len + sequence,
        "in the seq-first stack each step takes batch rows, one per sequence, not "
        "seq_len rows.",
    ),
    "counted from 1": (
        lambda sequence, step, batch, seq_len, batch_first: (
            sequence * seq_len + step if batch_first else step * batch + sequence
        )
        + 1,
        "your rows count from 1: the first row of a tensor is row 0.",
    ),
}


@checker
def check_row_index(row_index: object) -> bool:
    """Exercise 1: ``row_index(sequence, step, batch, seq_len, batch_first)`` -> the
    stacked row that holds that (sequence, step), for both layouts. The checker makes
    ``stacking.row_origin`` (the
    table of rows the exercise asks you to work out) unavailable while it calls the
    function."""
    if not callable(row_index):
        raise NotYet(
            "pass a function row_index(sequence, step, batch, seq_len, batch_first)."
        )
    shortcuts = [
        (
            stacking,
            "row_origin",
            "stacking.row_origin(...), the table this exercise asks you to work out",
        ),
        (stacking, "stack", "stacking.stack(...)"),
    ]
    for batch, seq_len in ROW_CASES:
        for batch_first in (True, False):
            layout = "batch_first" if batch_first else "seq_first"
            for r, (sequence, step) in enumerate(
                row_origin(batch, seq_len, layout).tolist()
            ):
                args = (sequence, step, batch, seq_len, batch_first)
                got, error = call_without(row_index, shortcuts, *args)
                if error:
                    raise NotYet(error)
                if got is not None:
                    try:
                        got = as_count(got, "return the row as an int")
                    except NotYet as hint:
                        raise NotYet(
                            f"with batch={batch}, seq_len={seq_len}, "
                            f"batch_first={batch_first}: {hint}"
                        ) from None
                if got == r:
                    continue
                for formula, hint in ROW_MISTAKES.values():
                    if all(
                        _learner_row(row_index, shortcuts, *case) == formula(*case)
                        for case in _row_cases()
                    ):
                        raise NotYet(hint)
                raise NotYet(
                    f"with batch={batch}, seq_len={seq_len} and "
                    f"batch_first={batch_first}, some rows are wrong. Which index runs "
                    "fastest in each layout?"
                )
    return report(
        True, "your function finds the row of every (sequence, step) in both layouts.", ""
    )


def _row_cases() -> list[tuple[int, int, int, int, bool]]:
    return [
        (sequence, step, batch, seq_len, batch_first)
        for batch, seq_len in ROW_CASES
        for batch_first in (True, False)
        for sequence in range(batch)
        for step in range(seq_len)
    ]


def _learner_row(row_index, shortcuts, *case) -> object:
    got, error = call_without(row_index, shortcuts, *case)
    return None if error else got


UNSTACK_MISTAKES = {
    "plain reshape": "a plain reshape(batch, seq_len, k) reads the rows as if they were "
    "stacked batch first: "
    "reshape to the layout the rows came from, then swap dimensions.",
    "k fixed to 1": "your function fixes the last dimension to 1: the rows can hold k > "
    "1 columns, so use -1 "
    "or rows.shape[1].",
}


@checker
def check_unstack_seq_first(unstack_fn: object) -> bool:
    """Exercise 2: ``unstack_fn(rows, batch, seq_len)`` turns rows stacked from a
    seq-first tensor [seq_len, batch, k] -> [seq_len * batch, k] back into [batch,
    seq_len, k]. The checker makes
    ``stacking.unstack`` unavailable while it calls the function."""
    if not callable(unstack_fn):
        raise NotYet("pass a function unstack_fn(rows, batch, seq_len).")
    shortcuts = [
        (
            stacking,
            "unstack",
            "stacking.unstack(...), the function this exercise asks you to write",
        )
    ]
    generator = torch.Generator().manual_seed(6)
    for batch, seq_len, k in UNSTACK_CASES:
        batch_first = torch.randn(batch, seq_len, k, generator=generator)
        rows = stack(batch_first.transpose(0, 1))  # stacked from the seq-first layout
        got, error = call_without(unstack_fn, shortcuts, rows.clone(), batch, seq_len)
        if error:
            if k > 1 and "shape" in error and "1]" in error:
                raise NotYet(UNSTACK_MISTAKES["k fixed to 1"])
            raise NotYet(f"with batch={batch}, seq_len={seq_len}, k={k}: {error}")
        if not isinstance(got, (Tensor, np.ndarray)):
            raise NotYet(
                f"your function should return a tensor, got {type(got).__name__}."
            )
        got = as_values(got, "your function's result")
        if list(got.shape) == [seq_len, batch, k] and batch != seq_len:
            raise NotYet(
                "your result is still seq first, [seq_len, batch, k] = "
                f"{[seq_len, batch, k]}: swap the first two dimensions."
            )
        if list(got.shape) != [batch, seq_len, k]:
            raise NotYet(f"expected shape {[batch, seq_len, k]}, got {list(got.shape)}.")
        if not torch.equal(got, batch_first.double()):
            if (
                batch > 1
                and seq_len > 1
                and torch.equal(
                    got, unstack(rows, batch, seq_len, "batch_first").double()
                )
            ):
                raise NotYet(UNSTACK_MISTAKES["plain reshape"])
            raise NotYet(
                "the shape is right but the numbers are scrambled. Reshape to the "
                "layout the rows came from, then swap dimensions."
            )
    return report(
        True,
        "your function puts every row back where it came from, for every batch and "
        "length.",
        "",
    )


FORWARD_MISTAKES = {
    "unsqueeze(0)": "that is the original unsqueeze(0): it makes one sequence of all the "
    "rows. Unstack the rows "
    "into [batch, seq_len, 1] instead.",
    "seq-first unstack": "the shape is right but the rows are read in the wrong order: "
    "model.rnn returns out "
    "batch first, so its rows are stacked batch first.",
    "fixed sizes": "Take the sizes from x (x.shape[0], x.shape[1]) instead of fixed "
    "numbers.",
    "linear on hidden": "pred holds the Linear head applied to the hidden state: apply "
    "it to out, the state after "
    "every step.",
}


@checker
def check_fixed_forward(forward_fn: object) -> bool:
    """Exercise 3: ``forward_fn(model, x)`` keeps the original post's stacking but returns
    (pred [batch, seq_len, 1], hidden) equal to ``SineRNN``'s own forward for every batch
    size. The checker makes the model's own forward unavailable while it calls the
    function."""
    if not callable(forward_fn):
        raise NotYet("pass a function forward_fn(model, x).")
    generator = torch.Generator().manual_seed(6)
    model = seeded_model(6)
    shortcuts = [
        (model, "forward", "model(x), the forward this exercise asks you to write")
    ]
    for batch, seq_len in FORWARD_CASES:
        x = torch.randn(batch, seq_len, 1, generator=generator)
        with torch.no_grad():
            want, want_hidden = model(x)
            got, error = call_without(forward_fn, shortcuts, model, x)
        if error and "is invalid for input of size" in error:
            raise NotYet(
                f"with batch={batch}, seq_len={seq_len} your reshape fails: "
                f"{error[error.index(':') + 2 :]}. " + FORWARD_MISTAKES["fixed sizes"]
            )
        if error:
            raise NotYet(f"with batch={batch}, seq_len={seq_len}: {error}")
        if not (
            isinstance(got, (tuple, list))
            and len(got) == 2
            and all(isinstance(g, (Tensor, np.ndarray)) for g in got)
        ):
            raise NotYet(
                "return a tuple (pred, hidden) of two tensors, like the model's forward."
            )
        pred, hidden = as_values(got[0], "pred"), as_values(got[1], "hidden")
        if list(pred.shape) != list(want.shape):
            if batch > 1 and list(pred.shape) == [1, batch * seq_len, 1]:
                raise NotYet(FORWARD_MISTAKES["unsqueeze(0)"])
            raise NotYet(
                f"with batch={batch}, seq_len={seq_len} pred should be "
                f"{list(want.shape)}, got {list(pred.shape)}."
            )
        if list(hidden.shape) != list(want_hidden.shape):
            raise NotYet(
                f"with batch={batch}, seq_len={seq_len} hidden should be [num_layers, "
                f"batch, hidden] = {list(want_hidden.shape)}, got {list(hidden.shape)}."
            )
        if torch.allclose(pred, want.double(), atol=1e-6) and torch.allclose(
            hidden, want_hidden.double(), atol=1e-6
        ):
            continue
        with torch.no_grad():
            out, _ = model.rnn(x)
            rows = model.linear(out.reshape(-1, model.hidden_size))
            seq_first = rows.reshape(seq_len, batch, 1).transpose(0, 1).double()
            on_hidden = (
                model.linear(want_hidden[-1])
                .unsqueeze(1)
                .expand(batch, seq_len, 1)
                .double()
            )
        if batch > 1 and seq_len > 1 and torch.allclose(pred, seq_first, atol=1e-6):
            raise NotYet(FORWARD_MISTAKES["seq-first unstack"])
        if torch.allclose(pred, on_hidden, atol=1e-6):
            raise NotYet(FORWARD_MISTAKES["linear on hidden"])
        if torch.allclose(pred, want.double(), atol=1e-6):
            raise NotYet(
                "pred is right, hidden is not: return the hidden state model.rnn returns."
            )
        raise NotYet(
            f"with batch={batch}, seq_len={seq_len} the shape is right but the numbers "
            "differ."
        )
    return report(
        True, "pred and hidden match the model's own forward for every batch size.", ""
    )
