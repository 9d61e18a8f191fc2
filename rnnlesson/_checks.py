"""Argument checks shared by the package: clear errors before torch fails obscurely."""

from __future__ import annotations

import math
import os
from numbers import Integral, Real
from pathlib import Path

import torch
from torch import Tensor


# Upper bounds on sizes, far above anything the lessons use, so that a slip such as 10**9
# fails at once with the argument's name instead of hanging or running torch's allocator
# out of memory.
MAX_STEPS = 100_000  # points in a window or series, predictions in a rollout
MAX_WINDOWS = 1_000_000  # starts drawn at once
MAX_HIDDEN = 4096  # hidden units of a SineRNN
MAX_LAYERS = 64  # layers of a SineRNN
MAX_ITERATIONS = 100_000  # optimizer steps of one training run
MAX_SEED = 2**64 - 1  # torch.Generator.manual_seed takes seeds in [0, 2**64)
# |start| and span of a window: times stay finite and float32 times stay finer than a step
MAX_TIME = 100_000.0
# numbers in one tensor the package makes from sizes it is given (160 MB as float64)
MAX_ELEMENTS = 20_000_000


def int_in_range(
    name: str, value: object, minimum: int = 1, maximum: int | None = None
) -> int:
    """Return ``value`` as an int, or raise if it is not an integer in [minimum,
    maximum]."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be an integer >= {minimum}, got {value!r} "
            f"({type(value).__name__})"
        )
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be in [{minimum}, {maximum}], got {value}")
    return int(value)


def bounded_product(
    sizes: dict[str, int], maximum: int = MAX_ELEMENTS, what: str = "numbers"
) -> int:
    """Return the product of ``sizes`` (already checked one by one), or raise if it is
    above ``maximum``: sizes that pass alone can still ask for more memory together than a
    laptop has."""
    total = math.prod(sizes.values())
    if total > maximum:
        names = " * ".join(sizes)
        values = " * ".join(str(v) for v in sizes.values())
        raise ValueError(
            f"{names} must be at most {maximum:,} {what}, got {values} = {total:,}"
        )
    return total


def choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of the strings ``allowed``, or raise naming them; a
    list or other unhashable value gets the same message, not a TypeError from a dict
    lookup."""
    if isinstance(value, str) and value in allowed:
        return value
    if len(allowed) <= 2:
        names = " or ".join(map(repr, allowed))
    else:
        names = "one of " + ", ".join(map(repr, allowed))
    error = ValueError if isinstance(value, str) else TypeError
    raise error(f"{name} must be {names}, got {value!r}")


def finite_float(
    name: str, value: object, minimum: float | None = None, strictly: bool = False
) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number in
    range."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} ({type(value).__name__})"
        )
    try:
        value = float(value)
    except OverflowError:  # an int too large for a float, such as 10**400
        raise ValueError(
            f"{name} must be finite, got an integer of {len(str(abs(int(value))))} digits"
        ) from None
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if minimum is not None and (value <= minimum if strictly else value < minimum):
        relation = ">" if strictly else ">="
        raise ValueError(f"{name} must be {relation} {minimum}, got {value}")
    return value


def in_jupyter() -> bool:
    """True inside a Jupyter kernel, where widgets and inline figures can be shown."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def not_meta(name: str, x: Tensor) -> Tensor:
    """Raise if ``x`` is a meta tensor (a shape without values), before anything reads its
    values."""
    if x.device.type == "meta":
        raise ValueError(
            f"{name} is a meta tensor: it has a shape but no values (create it on the "
            "CPU or GPU)"
        )
    return x


def sequence_tensor(name: str, x: object, values: bool = True) -> Tensor:
    """Check that ``x`` is a finite float tensor shaped ``[batch, seq_len, 1]``; with
    values=False, everything but its values, so that a caller can check the device first
    (``all_finite`` then)."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor shaped [batch, seq_len, 1], got "
            f"{type(x).__name__}"
        )
    if x.dim() != 3:
        raise ValueError(
            f"{name} must have 3 dimensions [batch, seq_len, 1], got {x.dim()} with "
            f"shape {list(x.shape)}"
            + (
                " (add the batch and feature dimensions: x.reshape(1, -1, 1))"
                if x.dim() == 1
                else ""
            )
        )
    if x.shape[-1] != 1:
        raise ValueError(
            f"{name} must have feature size 1 in its last dimension, got shape "
            f"{list(x.shape)}"
        )
    if x.shape[0] < 1 or x.shape[1] < 1:
        raise ValueError(
            f"{name} needs batch >= 1 and seq_len >= 1, got shape {list(x.shape)}"
        )
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor, got dtype {x.dtype}")
    not_meta(name, x)
    return all_finite(name, x) if values else x


def all_finite(name: str, x: Tensor) -> Tensor:
    """Raise if ``x`` holds NaN or infinite values."""
    if not bool(torch.isfinite(x).all()):
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def file_path(name: str, value: object) -> Path:
    """Return ``value`` as a Path to a file, or raise if it is not a str or os.PathLike
    naming one."""
    if isinstance(value, (bytes, bytearray)) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(
            f"{name} must be a file path (a str or pathlib.Path), got "
            f"{type(value).__name__}"
        )
    path = Path(value)
    if str(value) == "" or path.name in ("", ".", ".."):
        raise ValueError(f"{name} must name a file, got {str(value)!r}")
    if path.is_dir():
        raise ValueError(f"{name} must name a file, but {path} is a folder")
    return path


def generator_seed(name: str, value: object) -> int:
    """Return ``value`` as a seed for torch.Generator.manual_seed: an integer in [0, 2**64
    - 1]."""
    value = int_in_range(name, value, minimum=0)
    if value > MAX_SEED:
        raise ValueError(
            f"{name} must be in [0, 2**64 - 1], the seeds torch's generator takes, got "
            f"{value}"
        )
    return value
