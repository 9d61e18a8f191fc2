"""Stacking batch and time before the Linear head, and taking the rows apart again.

The original post's forward flattens the RNN output ``[batch, seq_len, hidden]`` into rows
``[batch * seq_len, hidden]``, applies the Linear head and adds a leading 1. This module
keeps that forward (``original_forward``) so the lesson can show where it goes wrong, and
gives the helpers to stack and unstack in either layout:

    batch_first  out is [batch, seq_len, hidden]; stacked row r is (sequence r // seq_len,
                 step r % seq_len)
    seq_first    out is [seq_len, batch, hidden]; stacked row r is (sequence r % batch,
                 step r // batch)
"""

from __future__ import annotations

from typing import Literal

import torch
from torch import Tensor

from rnnlesson._checks import (
    MAX_STEPS,
    MAX_WINDOWS,
    bounded_product,
    choice,
    int_in_range,
)
from rnnlesson.model import SineRNN, check_model

Layout = Literal["batch_first", "seq_first"]
LAYOUTS = ("batch_first", "seq_first")


def _layout(layout: object) -> str:
    return choice("layout", layout, LAYOUTS)


def original_forward(
    model: SineRNN, x: Tensor, hidden: Tensor | None = None
) -> tuple[Tensor, Tensor]:
    """The original post's forward, kept as written: correct for batch 1 only.

    x: [batch, seq_len, 1], hidden: [num_layers, batch, hidden] or None (zeros).
    Returns (pred [1, batch * seq_len, 1], hidden [num_layers, batch, hidden]). For batch
    > 1 the sequences sit one after another along dimension 1 instead of in their own
    batch entries.
    """
    check_model(model)
    model.check_input("x", x)
    if hidden is not None:
        model.check_hidden(hidden, batch=x.shape[0])
    out, hidden = model.rnn(x, hidden)  # [batch, seq_len, hidden]
    rows = out.reshape(-1, model.hidden_size)  # [batch * seq_len, hidden]
    pred = model.linear(rows)  # [batch * seq_len, 1]
    return pred.unsqueeze(0), hidden  # [1, batch * seq_len, 1]


def stack(out: Tensor) -> Tensor:
    """Merge the first two dimensions into rows: [d0, d1, k] -> [d0 * d1, k].

    d0, d1 are (batch, seq_len) for a batch-first tensor and (seq_len, batch) for a
    seq-first one; the rows come out in that order, the second dimension running fastest.
    """
    if not isinstance(out, Tensor):
        raise TypeError(
            f"out must be a torch.Tensor shaped [d0, d1, k], got {type(out).__name__}"
        )
    if out.dim() != 3:
        raise ValueError(
            f"out must have 3 dimensions [d0, d1, k], got shape {list(out.shape)}"
        )
    if out.numel() == 0:
        raise ValueError(
            "out must hold at least one number in each dimension, got shape "
            f"{list(out.shape)}"
        )
    return out.reshape(-1, out.shape[-1])


def unstack(
    rows: Tensor, batch: int, seq_len: int, layout: Layout = "batch_first"
) -> Tensor:
    """Undo ``stack``: rows [batch * seq_len, k] -> [batch, seq_len, k], batch first.

    layout names how the rows were stacked: "batch_first" (from [batch, seq_len, k]) or
    "seq_first" (from [seq_len, batch, k]). The wrong layout raises nothing, it only
    scrambles.
    """
    batch = int_in_range("batch", batch, maximum=MAX_WINDOWS)
    seq_len = int_in_range("seq_len", seq_len, maximum=MAX_STEPS)
    layout = _layout(layout)
    if not isinstance(rows, Tensor):
        raise TypeError(
            "rows must be a torch.Tensor shaped [batch * seq_len, k], got "
            f"{type(rows).__name__}"
        )
    if rows.dim() != 2 or rows.shape[0] != batch * seq_len:
        raise ValueError(
            f"rows must be shaped [batch * seq_len, k] = [{batch * seq_len}, k], got "
            f"{list(rows.shape)}"
        )
    if layout == "batch_first":
        return rows.reshape(batch, seq_len, -1)
    return rows.reshape(seq_len, batch, -1).transpose(0, 1)


def row_origin(batch: int, seq_len: int, layout: Layout = "batch_first") -> Tensor:
    """Where each stacked row comes from: [batch * seq_len, 2] int64, row r = (sequence,
    step)."""
    batch = int_in_range("batch", batch, maximum=MAX_WINDOWS)
    seq_len = int_in_range("seq_len", seq_len, maximum=MAX_STEPS)
    layout = _layout(layout)
    bounded_product({"batch": batch, "seq_len": seq_len}, what="rows")
    sequence = torch.arange(batch)[:, None].expand(batch, seq_len)  # [batch, seq_len]
    step = torch.arange(seq_len)[None, :].expand(batch, seq_len)
    pairs = torch.stack([sequence, step], dim=-1)  # [batch, seq_len, 2], batch first
    if layout == "seq_first":
        pairs = pairs.transpose(0, 1)  # [seq_len, batch, 2]
    return pairs.reshape(-1, 2)
