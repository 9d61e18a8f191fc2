"""Prediction: one step at a time with the true inputs (teacher forcing), or free-running,
where each prediction is fed back in as the next input.

Free-running has two phases:
    warm-up  feed ``warmup`` observed points; the output after the last one is prediction 1
    rollout  feed prediction k back in to get prediction k + 1, until ``n_steps`` predictions
"""

from __future__ import annotations

import torch
from torch import Tensor

from rnnlesson._checks import positive_int, series
from rnnlesson.model import SineRNN, check_model


@torch.no_grad()
def one_step(model: SineRNN, x: Tensor, hidden: Tensor | None = None) -> Tensor:
    """Teacher-forced predictions: every step reads the true value.

    x: [batch, seq_len, 1] -> [batch, seq_len, 1], where output[:, k] predicts x[:, k + 1].
    hidden: [num_layers, batch, hidden] or None (zeros).
    """
    check_model(model)
    series("x", x)
    pred, _ = model(x.to(model.device), None if hidden is None else hidden.to(model.device))
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
    series("observed", observed)
    n_steps = positive_int("n_steps", n_steps)
    warmup = positive_int("warmup", warmup)
    if warmup > observed.shape[1]:
        raise ValueError(f"warmup must be <= the number of observed points ({observed.shape[1]}), got {warmup}")

    if hidden is not None:
        hidden = hidden.to(model.device)
    pred, hidden = model(observed[:, :warmup].to(model.device), hidden)
    x = pred[:, -1]  # [batch, 1]: the first prediction
    predictions = [x]
    if n_steps > 1:
        predictions += _feed_back(model, x, hidden, n_steps - 1)
    return torch.stack(predictions, dim=1)


def _feed_back(model: SineRNN, x: Tensor, hidden: Tensor, n_steps: int) -> list[Tensor]:
    """Feed each prediction back in for ``n_steps`` more predictions, with the model's own weights:
    the same numbers as calling the model once per step (to float rounding), without ``nn.RNN``'s
    per-call overhead, which would dominate a 200-step rollout.

    x: [batch, 1] the latest prediction, hidden: [num_layers, batch, hidden].
    """
    rnn = model.rnn
    w_out, b_out = model.linear.weight.t(), model.linear.bias  # [hidden, 1], [1]
    layers = [
        (
            getattr(rnn, f"weight_ih_l{k}").t(),  # [input, hidden]
            getattr(rnn, f"weight_hh_l{k}").t(),  # [hidden, hidden]
            getattr(rnn, f"bias_ih_l{k}") + getattr(rnn, f"bias_hh_l{k}"),  # [hidden]
        )
        for k in range(rnn.num_layers)
    ]
    if len(layers) == 1:
        return _feed_back_one_layer(layers[0], w_out, b_out, hidden[0], n_steps)
    h = list(hidden.unbind(0))  # num_layers tensors [batch, hidden]
    predictions = []
    for _ in range(n_steps):
        below = x
        for k, (w_ih, w_hh, bias) in enumerate(layers):
            # h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh), layer by layer
            h[k] = torch.tanh(torch.addmm(torch.addmm(bias, below, w_ih), h[k], w_hh))
            below = h[k]
        x = torch.addmm(b_out, below, w_out)
        predictions.append(x)
    return predictions


def _feed_back_one_layer(
    layer: tuple[Tensor, Tensor, Tensor], w_out: Tensor, b_out: Tensor, h: Tensor, n_steps: int
) -> list[Tensor]:
    """With one layer, the fed-back input is the head's output, x_t = h_{t-1} W_out^T + b_out, so
    the step folds into one product:  h_t = tanh(h_{t-1} A + c),  A = W_hh^T + W_out^T W_ih^T,
    c = b_out W_ih^T + b_ih + b_hh.  Two operations a step instead of four; the head is applied
    to all the states at once at the end. h: [batch, hidden]."""
    w_ih, w_hh, bias = layer
    a = w_hh + w_out @ w_ih  # [hidden, hidden]
    c = b_out @ w_ih + bias  # [hidden]
    states = []
    for _ in range(n_steps):
        h = torch.tanh(torch.addmm(c, h, a))
        states.append(h)
    return list(torch.addmm(b_out, torch.cat(states), w_out).split(h.shape[0]))


def rmse_by_horizon(predictions: Tensor, targets: Tensor) -> Tensor:
    """Root-mean-square error at each horizon, averaged over the batch.

    predictions, targets: [batch, n_steps, 1] -> [n_steps]
    """
    series("predictions", predictions)
    series("targets", targets)
    if predictions.shape != targets.shape:
        raise ValueError(
            f"predictions and targets must have the same shape, got {list(predictions.shape)} "
            f"and {list(targets.shape)}"
        )
    error = predictions.detach() - targets.detach().to(predictions.device)
    return error.pow(2).mean(dim=(0, 2)).sqrt()


def rmse(predictions: Tensor, targets: Tensor) -> float:
    """One root-mean-square error over every batch entry and step."""
    return float(rmse_by_horizon(predictions, targets).pow(2).mean().sqrt())
