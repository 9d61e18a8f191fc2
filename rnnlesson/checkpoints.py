"""Saving and loading a trained ``SineRNN``, safely.

Saving writes a temporary file next to the target and renames it over the target, so a crash
never leaves a half-written checkpoint under the real name. Loading uses
``torch.load(..., weights_only=True)``, which refuses to run code stored in the file.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

import torch
from torch import Tensor

from rnnlesson.model import SineRNN, check_model, pick_device

FORMAT = "rnnlesson-checkpoint/1"


def save_checkpoint(path: str | os.PathLike, model: SineRNN, **extra: Tensor) -> Path:
    """Write the model's architecture, weights and any extra tensors (e.g. ``hidden=``) to ``path``."""
    check_model(model)
    for name, value in extra.items():
        if not isinstance(value, Tensor):
            raise TypeError(f"extra value {name!r} must be a torch.Tensor, got {type(value).__name__}")
    path = Path(path)
    payload = {
        "format": FORMAT,
        "hidden_size": model.hidden_size,
        "num_layers": model.num_layers,
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "extra": {k: v.detach().cpu() for k, v in extra.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual mode
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(path: str | os.PathLike, device: str | torch.device = "cpu") -> tuple[SineRNN, dict[str, Tensor]]:
    """Rebuild the saved model (in eval mode) and return it with the saved extra tensors."""
    path = Path(path)
    device = pick_device(device)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {path}")
    try:
        payload = torch.load(path, map_location=device, weights_only=True)
    except (RuntimeError, EOFError, pickle.UnpicklingError, ValueError) as error:
        raise ValueError(f"{path} is not a readable checkpoint (truncated or not saved by torch.save?): {error}") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ValueError(f"{path} is not an rnnlesson checkpoint (expected format {FORMAT!r})")
    with torch.random.fork_rng(devices=[]):  # the random initial weights are overwritten: leave the caller's RNG alone
        model = SineRNN(hidden_size=payload["hidden_size"], num_layers=payload["num_layers"]).to(device)
    try:
        model.load_state_dict(payload["state_dict"])
    except RuntimeError as error:
        raise ValueError(f"{path} does not match SineRNN(hidden_size={payload['hidden_size']}, "
                         f"num_layers={payload['num_layers']}): {error}") from error
    model.eval()
    return model, dict(payload["extra"])
