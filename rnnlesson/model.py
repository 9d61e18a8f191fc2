"""The model: an ``nn.RNN`` that reads one value per step, and a Linear head that turns
each hidden state into a prediction of the next value.

Shapes, with ``batch_first=True``:
    x        [batch, seq_len, 1]          one feature per step
    out      [batch, seq_len, hidden]     the top layer's hidden state at every step
    pred     [batch, seq_len, 1]          Linear acts on the last dimension, row by row
    hidden   [num_layers, batch, hidden]  batch_first does NOT apply to the hidden state
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from rnnlesson._checks import (
    MAX_HIDDEN,
    MAX_LAYERS,
    MAX_WINDOWS,
    all_finite,
    bounded_product,
    generator_seed,
    not_meta,
    int_in_range,
    sequence_tensor,
)

HIDDEN_SIZE = 10


class SineRNN(nn.Module):
    """``nn.RNN(1, hidden_size, num_layers, batch_first=True)`` followed by
    ``nn.Linear(hidden_size, 1)``."""

    def __init__(self, hidden_size: int = HIDDEN_SIZE, num_layers: int = 1) -> None:
        super().__init__()
        self.hidden_size = int_in_range("hidden_size", hidden_size, maximum=MAX_HIDDEN)
        self.num_layers = int_in_range("num_layers", num_layers, maximum=MAX_LAYERS)
        bounded_product(
            {"num_layers": self.num_layers, "hidden_size**2": self.hidden_size**2},
            what="recurrent weights",
        )
        self.rnn = nn.RNN(
            input_size=1,
            hidden_size=self.hidden_size,
            num_layers=self.num_layers,
            batch_first=True,
        )
        self.linear = nn.Linear(self.hidden_size, 1)

    def forward(self, x: Tensor, hidden: Tensor | None = None) -> tuple[Tensor, Tensor]:
        """x: [batch, seq_len, 1], hidden: [num_layers, batch, hidden] or None (zeros).

        Returns (pred [batch, seq_len, 1], hidden [num_layers, batch, hidden]).
        """
        self.check_input("x", x)
        if hidden is not None:
            self.check_hidden(hidden, batch=x.shape[0])
        return self.unchecked_forward(x, hidden)

    def unchecked_forward(
        self, x: Tensor, hidden: Tensor | None = None
    ) -> tuple[Tensor, Tensor]:
        """``forward`` without its checks, for the package's own callers that checked x
        and hidden already (``rollout`` checks them once per rollout, not once per
        call)."""
        out, hidden = self.rnn(x, hidden)
        return self.linear(out), hidden

    def check_input(self, name: str, x: Tensor) -> None:
        """Raise a clear error unless ``x`` is a finite float tensor [batch, seq_len, 1]
        of the model's dtype and device; the device is checked before any value is
        read."""
        sequence_tensor(name, x, values=False)
        self.check_placement(name, x)
        all_finite(name, x)

    def initial_hidden(self, batch: int = 1) -> Tensor:
        """Zeros shaped [num_layers, batch, hidden], on the model's device, in its
        dtype."""
        batch = int_in_range("batch", batch, maximum=MAX_WINDOWS)
        bounded_product(
            {
                "num_layers": self.num_layers,
                "batch": batch,
                "hidden_size": self.hidden_size,
            }
        )
        return torch.zeros(
            self.num_layers, batch, self.hidden_size, device=self.device, dtype=self.dtype
        )

    def as_hidden(self, hidden: object, batch: int, name: str = "hidden") -> Tensor:
        """``hidden`` checked as ``check_hidden`` does and moved to the model's device,
        where it may come from another one: [num_layers, batch, hidden]."""
        if isinstance(hidden, Tensor):
            # before .to(), which would fail obscurely on a meta tensor
            not_meta(name, hidden)
            hidden = hidden.to(self.device)
        self.check_hidden(hidden, batch=batch, name=name)
        return hidden

    def check_hidden(self, hidden: Tensor, batch: int, name: str = "hidden") -> None:
        """Raise a clear error unless ``hidden`` is [num_layers, batch, hidden], of the
        model's dtype and device, and finite. Its type, device and dtype are checked
        before anything reads its values."""
        batch = int_in_range("batch", batch, maximum=MAX_WINDOWS)
        expected = [self.num_layers, batch, self.hidden_size]
        if not isinstance(hidden, Tensor):
            raise TypeError(
                f"{name} must be a torch.Tensor shaped {expected}, got "
                f"{type(hidden).__name__}"
            )
        not_meta(name, hidden)
        if list(hidden.shape) != expected:
            raise ValueError(
                f"{name} must be shaped [num_layers, batch, hidden] = {expected}, got "
                f"{list(hidden.shape)} (the hidden state keeps num_layers first even "
                "with batch_first=True)"
            )
        self.check_placement(name, hidden)
        if not bool(torch.isfinite(hidden).all()):
            raise ValueError(f"{name} contains NaN or infinite values")

    def check_placement(self, name: str, tensor: Tensor) -> None:
        """Raise a clear error, naming ``name``, unless ``tensor`` has the model's dtype
        and device."""
        weight = self.linear.weight
        if tensor.dtype != weight.dtype:
            raise TypeError(
                f"{name} must have the model's dtype {weight.dtype}, got {tensor.dtype}"
                f" (convert it with {name}.to({weight.dtype}))"
            )
        if tensor.device != weight.device:
            raise ValueError(
                f"{name} is on {tensor.device} but the model is on {weight.device}"
                f" (move it with {name}.to(model.device))"
            )

    @property
    def device(self) -> torch.device:
        return self.linear.weight.device

    @property
    def dtype(self) -> torch.dtype:
        """float32 unless the model was converted, e.g. with ``model.double()``; inputs
        must match it."""
        return self.linear.weight.dtype


def check_model(model: object, name: str = "model") -> SineRNN:
    """Return ``model`` if it is a SineRNN with weights (not on the meta device), else
    raise."""
    if not isinstance(model, SineRNN):
        raise TypeError(
            f"{name} must be a rnnlesson.model.SineRNN, got {type(model).__name__}"
        )
    if model.linear.weight.device.type == "meta":
        raise ValueError(
            f"{name} is on the meta device: it has no weights (build it on the CPU or "
            "GPU)"
        )
    with torch.no_grad():
        bad = [
            key
            for key, p in model.named_parameters()
            if not bool(torch.isfinite(p).all())
        ]
    if bad:
        raise ValueError(
            f"{name} has NaN or infinite weights in {', '.join(bad)} (a diverged "
            "training run leaves such a model: train it again, e.g. with a smaller "
            "learning rate)"
        )
    return model


def seeded_model(
    seed: int = 0, hidden_size: int = HIDDEN_SIZE, num_layers: int = 1
) -> SineRNN:
    """A SineRNN with the weights ``torch.manual_seed(seed); SineRNN(...)`` would give,
    made without touching the caller's random numbers."""
    seed = generator_seed("seed", seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return SineRNN(hidden_size=hidden_size, num_layers=num_layers)


def count_parameters(model: nn.Module) -> int:
    """The number of trainable numbers in ``model``."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """None or "cpu" -> CPU; "cuda" -> the GPU, with a clear error when there is none;
    "auto" -> the GPU when one is available, else the CPU."""
    if device is None:
        return torch.device("cpu")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(
            f"device must be None, 'auto', 'cpu' or 'cuda[:N]', got {device!r}"
        ) from error
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            "device='cuda' was asked for, but torch.cuda.is_available() is False; use "
            "'cpu' or 'auto'"
        )
    if device.type not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device.type!r}")
    return device
