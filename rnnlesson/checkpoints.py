"""Saving and loading a trained ``SineRNN``, safely.

A checkpoint is a ``torch.save``d dict: the format, the architecture (``hidden_size``,
``num_layers``, ``dtype``), the weights, any extra tensors (``hidden=``, ``losses=``) and
a SHA-256 digest of all of them. Loading checks, in this order, before a model is built:
that torch can read the file (with ``weights_only=True``, which refuses to run code stored
in it), the header's types and bounds, the weights' names and shapes, the digest (so a
damaged file fails instead of loading other numbers), and that every weight is finite.
Every error names the file.

Saving writes ``.<name>.<pid>.rnnlesson-partial`` next to the target and renames it over
the target, so a crash never leaves a half-written checkpoint under the real name; a
partial file left by a process that was killed is removed by the next save into that
folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import warnings
import zipfile
from pathlib import Path

import torch
from torch import Tensor

from rnnlesson._checks import MAX_HIDDEN, MAX_LAYERS, file_path
from rnnlesson.model import SineRNN, check_model, pick_device

FORMAT = "rnnlesson-checkpoint/2"
# without a digest: refused, see load_checkpoint
OLD_FORMATS = ("rnnlesson-checkpoint/1",)
DTYPES = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
}
PARTIAL = ".rnnlesson-partial"  # the suffix of a checkpoint being written
HEADER = ("format", "hidden_size", "num_layers", "dtype", "state_dict", "extra", "sha256")


class CheckpointError(ValueError):
    """A file that is not a usable checkpoint: unreadable, from elsewhere, malformed or
    damaged."""


def weight_shapes(hidden_size: int, num_layers: int) -> dict[str, tuple[int, ...]]:
    """The state_dict of SineRNN(hidden_size, num_layers): name -> shape, without building
    it."""
    shapes: dict[str, tuple[int, ...]] = {}
    for k in range(num_layers):
        below = 1 if k == 0 else hidden_size
        shapes |= {
            f"rnn.weight_ih_l{k}": (hidden_size, below),
            f"rnn.weight_hh_l{k}": (hidden_size, hidden_size),
            f"rnn.bias_ih_l{k}": (hidden_size,),
            f"rnn.bias_hh_l{k}": (hidden_size,),
        }
    return shapes | {"linear.weight": (1, hidden_size), "linear.bias": (1,)}


def digest(
    hidden_size: int,
    num_layers: int,
    dtype: str,
    state_dict: dict[str, Tensor],
    extra: dict[str, Tensor],
) -> str:
    """SHA-256 over the architecture and every tensor's name, dtype, shape and bytes, in a
    fixed order."""
    sha = hashlib.sha256(f"{FORMAT}|{hidden_size}|{num_layers}|{dtype}".encode())
    for section, tensors in (("state_dict", state_dict), ("extra", extra)):
        for name in sorted(tensors):
            tensor = tensors[name].detach().cpu().contiguous()
            sha.update(f"|{section}|{name}|{tensor.dtype}|{list(tensor.shape)}|".encode())
            sha.update(
                tensor.reshape(-1).view(torch.uint8).numpy().tobytes()
                if tensor.numel()
                else b""
            )
    return sha.hexdigest()


def save_checkpoint(path: str | os.PathLike, model: SineRNN, **extra: Tensor) -> Path:
    """Write the model's architecture, weights and dtype, any extra tensors (e.g.
    ``hidden=``) and their digest to ``path``. Refuses weights that are NaN or infinite,
    or of mixed dtypes."""
    path = file_path("path", path)
    check_model(model)
    state_dict = {k: v.detach() for k, v in model.state_dict().items()}
    dtypes = {v.dtype for v in state_dict.values()}
    if any(v.device.type == "meta" for v in state_dict.values()):
        raise ValueError("model is on the meta device: it has no weights to save")
    if len(dtypes) != 1 or next(iter(dtypes)) not in DTYPES.values():
        raise TypeError(
            f"model's weights must share one float dtype ({', '.join(DTYPES)}), got "
            f"{sorted(map(str, dtypes))}"
        )
    for name, value in extra.items():
        if not isinstance(value, Tensor):
            raise TypeError(
                f"extra value {name!r} must be a torch.Tensor, got {type(value).__name__}"
            )
        if value.device.type == "meta" or value.layout != torch.strided:
            raise ValueError(
                f"extra value {name!r} must be a dense tensor with values, got a "
                f"{value.device.type} tensor with layout {value.layout}"
            )
    dtype = str(next(iter(dtypes))).removeprefix("torch.")
    state_dict = {k: v.cpu() for k, v in state_dict.items()}
    extra = {k: v.detach().cpu() for k, v in extra.items()}
    payload = {
        "format": FORMAT,
        "hidden_size": model.hidden_size,
        "num_layers": model.num_layers,
        "dtype": dtype,
        "state_dict": state_dict,
        "extra": extra,
        "sha256": digest(model.hidden_size, model.num_layers, dtype, state_dict, extra),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}.", suffix=PARTIAL, dir=path.parent
    )
    try:
        umask = os.umask(0)
        os.umask(umask)
        # mkstemp makes the file private; give it the usual mode
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as f:
            torch.save(payload, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _remove_stale_partials(path: Path) -> None:
    """Remove ``.<name>.<pid>.*.rnnlesson-partial`` files next to ``path`` whose process
    has ended."""
    for partial in path.parent.glob(f".{path.name}.*{PARTIAL}"):
        pid = partial.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            partial.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        # someone else's process, or a number the system cannot check: leave its file
        # alone
        return True
    return True


def load_checkpoint(
    path: str | os.PathLike, device: str | torch.device = "cpu"
) -> tuple[SineRNN, dict[str, Tensor]]:
    """Rebuild the saved model (in eval mode, in its saved dtype) and return it with the
    saved extra tensors. Raises FileNotFoundError for a missing file and CheckpointError
    (a ValueError) naming
    the file for one that is unreadable, malformed or damaged."""
    path = file_path("path", path)
    device = pick_device(device)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {path}")
    try:
        # a damaged file can make torch warn before it fails; the error says it all
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            payload = torch.load(path, map_location="cpu", weights_only=True)
    except (
        RuntimeError,
        EOFError,
        pickle.UnpicklingError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
        OSError,
        zipfile.BadZipFile,
        UnicodeDecodeError,
        OverflowError,
        MemoryError,
    ) as error:
        raise CheckpointError(
            f"{path} is not a readable checkpoint (damaged, truncated, or not saved by "
            f"torch.save?): {type(error).__name__}: {error}"
        ) from error
    header = _check_header(path, payload)
    # the random initial weights are overwritten: leave the caller's RNG alone
    with torch.random.fork_rng(devices=[]):
        model = SineRNN(
            hidden_size=header["hidden_size"], num_layers=header["num_layers"]
        )
    model = model.to(DTYPES[header["dtype"]])
    model.load_state_dict(header["state_dict"])
    model.to(device).eval()
    return model, {k: v.to(device) for k, v in header["extra"].items()}


def _check_header(path: Path, payload: object) -> dict:
    """Check everything in a loaded payload before a model is built from it; return it."""

    def fail(what: str) -> CheckpointError:
        return CheckpointError(f"{path} is not a usable rnnlesson checkpoint: {what}")

    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("format"), str)
        or not payload["format"].startswith("rnnlesson-checkpoint/")
    ):
        raise CheckpointError(
            f"{path} is not an rnnlesson checkpoint (expected format {FORMAT!r})"
        )
    if payload["format"] in OLD_FORMATS:
        raise CheckpointError(
            f"{path} was saved in the older format {payload['format']!r}, which has no "
            "digest to check it against; load it with the rnnlesson that saved it and "
            "save it again"
        )
    if payload["format"] != FORMAT:
        raise fail(f"format {payload['format']!r} is not {FORMAT!r}")
    missing = [key for key in HEADER if key not in payload]
    if missing or len(payload) != len(HEADER):
        raise fail(
            f"expected the keys {', '.join(HEADER)}; missing {missing or 'none'}, "
            f"unexpected {sorted(set(map(str, payload)) - set(HEADER)) or 'none'}"
        )
    for key, top in (("hidden_size", MAX_HIDDEN), ("num_layers", MAX_LAYERS)):
        value = payload[key]
        if type(value) is not int or not 1 <= value <= top:
            raise fail(f"{key} must be an int in [1, {top}], got {value!r}")
    if payload["dtype"] not in DTYPES:
        raise fail(f"dtype must be one of {', '.join(DTYPES)}, got {payload['dtype']!r}")
    dtype = DTYPES[payload["dtype"]]
    for section in ("state_dict", "extra"):
        tensors = payload[section]
        if not isinstance(tensors, dict) or not all(
            isinstance(k, str) and isinstance(v, Tensor) for k, v in tensors.items()
        ):
            raise fail(f"{section} must map names to tensors")
    shapes = weight_shapes(payload["hidden_size"], payload["num_layers"])
    state_dict = payload["state_dict"]
    if state_dict.keys() != shapes.keys():
        raise fail(
            f"its weights {sorted(state_dict)} are not those of "
            f"SineRNN(hidden_size={payload['hidden_size']}, "
            f"num_layers={payload['num_layers']})"
        )
    for name, shape in shapes.items():
        if tuple(state_dict[name].shape) != shape or state_dict[name].dtype != dtype:
            raise fail(
                f"{name} is {state_dict[name].dtype} shaped "
                f"{list(state_dict[name].shape)}, expected {dtype} shaped {list(shape)} "
                f"for SineRNN(hidden_size={payload['hidden_size']}, "
                f"num_layers={payload['num_layers']})"
            )
    try:
        expected = digest(
            payload["hidden_size"],
            payload["num_layers"],
            payload["dtype"],
            state_dict,
            payload["extra"],
        )
    except (RuntimeError, TypeError, ValueError) as error:
        raise fail(
            f"its tensors could not be read ({type(error).__name__}: {error})"
        ) from error
    if payload["sha256"] != expected:
        raise fail(
            "its weights or extra tensors do not match the digest stored with them: the "
            "file is damaged (copy it again, or save the model again)"
        )
    bad = [
        name
        for name, tensor in state_dict.items()
        if not bool(torch.isfinite(tensor).all())
    ]
    if bad:
        raise fail(f"the weights {', '.join(bad)} hold NaN or infinite values")
    return payload
