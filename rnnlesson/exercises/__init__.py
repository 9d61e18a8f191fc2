"""Checkers for the exercises at the end of each notebook: ``exNN`` belongs to notebook NN.

Every checker prints one line for the learner and returns True or False, so tests can call it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from numbers import Integral

NO_ANSWER = "replace None with your answer, then run the cell again."


def report(ok: bool, success: str, hint: str) -> bool:
    """Print a verdict for the learner and return ``ok``."""
    print(("Correct: " + success) if ok else ("Not yet: " + hint))
    return ok


def call_learner(fn: Callable, *args: object) -> tuple[object, str]:
    """Run the learner's function: (result, "") or (None, a one-line message about what it raised),
    so a checker can report the mistake instead of showing a traceback."""
    try:
        return fn(*args), ""
    except Exception as error:  # the learner's code may raise anything; tell them what
        return None, f"your function raised {type(error).__name__}: {error}"


def as_shape(value: object) -> tuple[int, ...]:
    """A shape written by the learner (a tuple, list or torch.Size of integers) as a tuple of ints.

    Raises ValueError with a one-line hint for the learner otherwise: a string, a tensor, a number,
    or entries that are not integers (``3.0`` or ``True`` are refused, as torch refuses them in a shape).
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValueError(f"give the shape as a tuple of integers, e.g. (2, 3, 4) (got type {type(value).__name__}).")
    for entry in value:
        if isinstance(entry, bool) or not isinstance(entry, Integral):
            raise ValueError(
                f"a shape holds whole numbers of type int, but {entry!r} is a {type(entry).__name__}:"
                " give the shape as a tuple of integers, e.g. (2, 3, 4)."
            )
    return tuple(int(entry) for entry in value)
