"""Prediction: one step at a time with the true inputs (teacher forcing), or free-running,
where each prediction is fed back in as the next input.

Free-running has two phases:
    warm-up  feed ``warmup`` observed points; the output after the last one is prediction
             1
    rollout  feed prediction k back in to get prediction k + 1, until ``n_steps``
             predictions
"""

from __future__ import annotations

import torch
from torch import Tensor

from rnnlesson._checks import MAX_STEPS, bounded_product, int_in_range, sequence_tensor
from rnnlesson.model import SineRNN, check_model


@torch.no_grad()
def one_step(model: SineRNN, x: Tensor, hidden: Tensor | None = None) -> Tensor:
    """Teacher-forced predictions: every step reads the true value.

    x: [batch, seq_len, 1] -> [batch, seq_len, 1], where output[:, k] predicts x[:, k +
    1]. hidden: [num_layers, batch, hidden] or None (zeros).
    """
    check_model(model)
    sequence_tensor("x", x)
    model.check_placement(
        "x", x.to(model.device)
    )  # its dtype: one_step moves x to the model's device itself
    hidden = None if hidden is None else model.as_hidden(hidden, batch=x.shape[0])
    pred, _ = model.unchecked_forward(x.to(model.device), hidden)
    return pred


@torch.no_grad()
def rollout(
    model: SineRNN,
    observed: Tensor,
    n_steps: int,
    warmup: int = 1,
    hidden: Tensor | None = None,
) -> Tensor:
    """Free-running prediction after a warm-up.

    observed: [batch, n_observed, 1], with n_observed >= warmup; only the first ``warmup``
              points are read.
    hidden:   [num_layers, batch, hidden] to start from, or None (zeros).
    Returns   [batch, n_steps, 1]: prediction k stands for time index ``warmup + k``.
    """
    check_model(model)
    sequence_tensor("observed", observed)
    # its dtype, as in one_step
    model.check_placement("observed", observed.to(model.device))
    n_steps = int_in_range("n_steps", n_steps, maximum=MAX_STEPS)
    warmup = int_in_range("warmup", warmup)
    bounded_product({"batch": observed.shape[0], "n_steps": n_steps}, what="predictions")
    if warmup > observed.shape[1]:
        raise ValueError(
            f"warmup must be <= the number of observed points ({observed.shape[1]}), got "
            f"{warmup}"
        )

    hidden = None if hidden is None else model.as_hidden(hidden, batch=observed.shape[0])
    pred, hidden = model.unchecked_forward(observed[:, :warmup].to(model.device), hidden)
    x = pred[:, -1]  # [batch, 1]: the first prediction
    predictions = [x]
    if n_steps > 1:
        predictions += _feed_back(model, x, hidden, n_steps - 1)
    return torch.stack(predictions, dim=1)


def _feed_back(model: SineRNN, x: Tensor, hidden: Tensor, n_steps: int) -> list[Tensor]:
    """Feed each prediction back in for ``n_steps`` more predictions, with the model's own
    weights and the operations ``nn.RNN`` and ``nn.Linear`` use, in their order, so the
    numbers are those of
    calling the model once per step, without the per-call overhead that would dominate a
    200-step
    rollout. Per layer:  h_t = tanh((x_t W_ih^T + b_ih) + (h_{t-1} W_hh^T + b_hh)).

    x: [batch, 1] the latest prediction, hidden: [num_layers, batch, hidden].
    """
    rnn = model.rnn
    layers = [
        tuple(
            getattr(rnn, f"{name}_l{k}")
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        )
        for k in range(rnn.num_layers)
    ]
    layers = [(w_ih.t(), w_hh.t(), b_ih, b_hh) for w_ih, w_hh, b_ih, b_hh in layers]
    w_out, b_out = model.linear.weight.t(), model.linear.bias  # [hidden, 1], [1]
    h = list(hidden.unbind(0))  # num_layers tensors [batch, hidden]
    predictions = []
    for _ in range(n_steps):
        below = x
        for k, (w_ih, w_hh, b_ih, b_hh) in enumerate(layers):
            h[k] = (
                torch.addmm(b_ih, below, w_ih).add_(torch.addmm(b_hh, h[k], w_hh)).tanh_()
            )
            below = h[k]
        x = torch.addmm(b_out, below, w_out)
        predictions.append(x)
    return predictions


def rmse_by_horizon(predictions: Tensor, targets: Tensor) -> Tensor:
    """Root-mean-square error at each horizon, averaged over the batch.

    predictions, targets: [batch, n_steps, 1] -> [n_steps]
    """
    sequence_tensor("predictions", predictions)
    sequence_tensor("targets", targets)
    if predictions.shape != targets.shape:
        raise ValueError(
            "predictions and targets must have the same shape, got "
            f"{list(predictions.shape)} and {list(targets.shape)}"
        )
    error = predictions.detach() - targets.detach().to(predictions.device)
    return error.pow(2).mean(dim=(0, 2)).sqrt()


def rmse(predictions: Tensor, targets: Tensor) -> float:
    """One root-mean-square error over every batch entry and step."""
    return float(rmse_by_horizon(predictions, targets).pow(2).mean().sqrt())


def fit_sine(t: Tensor, values: Tensor) -> tuple[Tensor, Tensor]:
    """Fit ``a sin(t) + b cos(t)`` to each row by least squares, and return it as ``A
    sin(t + phi)``.

    t:      [batch, n]      the times of the values
    values: [batch, n, 1]   e.g. a stretch of a rollout
    Returns (amplitude A [batch], phase phi [batch] in radians, in (-pi, pi]); for sin(t)
    itself A = 1 and phi = 0, and a negative phi lags behind it. Uses a = A cos(phi), b =
    A sin(phi).
    """
    sequence_tensor("values", values)
    if (
        not isinstance(t, Tensor)
        or t.dim() != 2
        or tuple(t.shape) != tuple(values.shape[:2])
    ):
        got = list(t.shape) if isinstance(t, Tensor) else type(t).__name__
        raise ValueError(
            f"t must be a tensor shaped [batch, n] = {list(values.shape[:2])}, got {got}"
        )
    if values.shape[1] < 2:
        raise ValueError(
            "values needs at least 2 points per row to fit a and b, got "
            f"{values.shape[1]}"
        )
    t = t.to(values.device, values.dtype)
    basis = torch.stack([torch.sin(t), torch.cos(t)], dim=-1)  # [batch, n, 2]
    a, b = torch.linalg.lstsq(basis, values).solution[..., 0].unbind(-1)  # [batch] each
    return torch.sqrt(a**2 + b**2), torch.atan2(b, a)
