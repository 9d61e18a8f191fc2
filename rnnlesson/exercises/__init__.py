"""Checkers for the exercises at the end of each notebook: ``exNN`` belongs to notebook
NN.

Every checker prints one line for the learner and returns True or False, so tests can call
it. One rule for every checker: any answer a learner can type gets "Correct" only when it
is right in value and shape, and otherwise "Not yet" with a hint, never a traceback. A
right answer counts in any numeric type: Python numbers, numpy scalars and arrays, tensors
of any float or int dtype. The helpers below read an answer or raise ``NotYet`` with the
hint; ``@checker`` prints it.
"""

from __future__ import annotations

import contextlib
import functools
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from numbers import Integral

import numpy as np
import torch
from torch import Tensor

NO_ANSWER = "replace None with your answer, then run the cell again."


def report(ok: bool, success: str, hint: str) -> bool:
    """Print a verdict for the learner and return ``ok``."""
    if not isinstance(ok, (bool, np.bool_)):
        raise TypeError(f"ok must be True or False, got {ok!r} ({type(ok).__name__})")
    for name, text in (("success", success), ("hint", hint)):
        if not isinstance(text, str):
            raise TypeError(f"{name} must be a str, got {type(text).__name__}")
    print(("Correct: " + success) if ok else ("Not yet: " + hint))
    return ok


class NotYet(Exception):
    """An answer that is not right yet; the message is the hint the learner sees. It is
    the one way a checker says "Not yet": it raises NotYet, and ``checker`` prints the
    hint and returns False."""


def checker(check: Callable[..., bool]) -> Callable[..., bool]:
    """Print "Not yet: <hint>" and return False when ``check`` raises NotYet."""

    @functools.wraps(check)
    def run(*args: object, **kwargs: object) -> bool:
        try:
            return check(*args, **kwargs)
        except NotYet as hint:
            return report(False, "", str(hint))

    return run


def learner_function(fn: object, ask: str) -> Callable:
    """The learner's function, or NotYet: the placeholder None gets NO_ANSWER, anything
    not callable gets ``ask`` and what it is instead (ask: e.g. "pass your function
    itself, f(x)")."""
    if fn is None:
        raise NotYet(NO_ANSWER)
    if not callable(fn):
        raise NotYet(f"{ask}, not a {type(fn).__name__}.")
    return fn


def judge_cases(
    cases: Sequence[tuple],
    answers: Sequence,
    expected: Callable,
    mistakes: dict[str, str],
    constant_hint: str,
    case_hint: Callable[..., str],
    same: Callable = operator.eq,
) -> None:
    """Raise NotYet at the first case whose answer is not ``expected(*case)``: with the
    hint of the simulated mistake that gives that answer (``expected(*case, mistake)``),
    else ``constant_hint``
    when every answer is the same, else ``case_hint(*case)``. Returns when every answer is
    right."""
    for case, got in zip(cases, answers):
        if same(got, expected(*case)):
            continue
        for mistake, hint in mistakes.items():
            if same(got, expected(*case, mistake)):
                raise NotYet(hint)
        if len(set(answers)) == 1:
            raise NotYet(constant_hint)
        raise NotYet(case_hint(*case))


def call_learner(fn: Callable, *args: object) -> tuple[object, str]:
    """Run the learner's function: (result, "") or (None, a one-line message about what it
    raised), so a checker can report the mistake instead of showing a traceback."""
    try:
        return fn(*args), ""
    except Exception as error:  # the learner's code may raise anything; tell them what
        return None, f"your function raised {type(error).__name__}: {error}"


def as_shape(value: object) -> tuple[int, ...]:
    """A shape written by the learner (a tuple, list or torch.Size of integers) as a tuple
    of ints.

    Raises NotYet, as every reader of an answer does, with a one-line hint for the learner
    otherwise: a string, a tensor, a number, or entries that are not integers (``3.0`` or
    ``True`` are refused, as torch refuses them in a shape).
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise NotYet(
            "give the shape as a tuple of integers, e.g. (2, 3, 4) (got type "
            f"{type(value).__name__})."
        )
    for entry in value:
        if isinstance(entry, bool) or not isinstance(entry, Integral):
            raise NotYet(
                f"a shape holds whole numbers of type int, but {entry!r} is a "
                f"{type(entry).__name__}: give the shape as a tuple of integers, e.g. "
                "(2, 3, 4)."
            )
    return tuple(int(entry) for entry in value)


def as_values(value: object, what: str, shaped: str = "") -> Tensor:
    """A tensor or numpy array of real numbers, as a float64 CPU tensor of the same shape.

    Raises NotYet for anything else: another type, a meta tensor (it holds no values),
    complex or boolean entries. what: how the hint names the answer, e.g. "y" or "pred";
    shaped: the shape the hint asks for, e.g. "[1, 49, 1]".
    """
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind not in "iuf":
            raise NotYet(
                f"{what} should hold real numbers, got a numpy {type(value).__name__} of "
                f"dtype {value.dtype}."
            )
        return torch.from_numpy(np.array(value, dtype=np.float64))
    if not isinstance(value, Tensor):
        raise NotYet(
            f"{what} should be a torch.Tensor{' shaped ' + shaped if shaped else ''}, "
            f"got {type(value).__name__}."
        )
    if value.device.type == "meta":
        raise NotYet(
            f"{what} is a meta tensor, which has a shape but no values: compute it on "
            "the CPU."
        )
    if (
        value.is_complex()
        or value.dtype == torch.bool
        or not (value.is_floating_point() or _is_int(value))
    ):
        raise NotYet(
            f"{what} should hold real numbers (a float or int dtype), got dtype "
            f"{value.dtype}."
        )
    try:
        if value.layout != torch.strided:
            value = value.to_dense()
        return value.detach().to("cpu", torch.float64)
    # an unusual tensor (quantized, nested, a subclass): say what went wrong
    except Exception as error:
        raise NotYet(
            f"{what} could not be read as numbers ({type(error).__name__}: {error})."
        ) from error


_INT_DTYPES = {torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64}


def _is_int(tensor: Tensor) -> bool:
    return tensor.dtype in _INT_DTYPES or str(tensor.dtype) in (
        "torch.uint16",
        "torch.uint32",
        "torch.uint64",
    )


def as_number(value: object, ask: str) -> float:
    """One finite real number in any numeric type (int, float, numpy scalar, 0-d tensor or
    array).

    ask: the request the hint starts with, e.g. "give the time step as a number".
    """
    if isinstance(value, (Tensor, np.ndarray)):
        if value.ndim != 0:
            raise NotYet(
                f"{ask}; got a {type(value).__name__} shaped {list(value.shape)} (use "
                ".item() for one number)."
            )
        value = as_values(value, "your number").item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise NotYet(f"{ask}, got {type(value).__name__}.")
    try:
        number = float(value)
    except OverflowError:
        raise NotYet(
            f"{ask}; a number of {len(str(abs(int(value))))} digits is too large to be "
            "the answer."
        ) from None
    if not math.isfinite(number):
        raise NotYet(f"{ask}; got {number}, which is not a finite number.")
    return number


def as_count(value: object, ask: str) -> int:
    """A whole number in any integer type (int, numpy integer, 0-d integer tensor or
    array).

    Floats are refused, even 3.0: a count is an int. ask: as for ``as_number``.
    """
    if isinstance(value, (Tensor, np.ndarray)):
        if value.ndim != 0:
            raise NotYet(
                f"{ask}; got a {type(value).__name__} shaped {list(value.shape)} (use "
                ".item() for one number)."
            )
        integer = (
            _is_int(value) if isinstance(value, Tensor) else value.dtype.kind in "iu"
        )
        if not integer:
            raise NotYet(f"{ask}, got a {type(value).__name__} of dtype {value.dtype}.")
        if isinstance(value, Tensor):
            # refuses a meta tensor: it has no value to read
            as_values(value, "your number")
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise NotYet(f"{ask}, got {type(value).__name__}.")
    return int(value)


# ---- shortcuts: what an exercise asks the learner to do themselves ---------------------


class Shortcut(Exception):
    """Raised in place of a function the exercise asks the learner to write themselves;
    the message says how the learner's code reached it, e.g. "rnn(x)"."""


@contextlib.contextmanager
def unavailable(fn: Callable, shortcuts: Sequence[tuple[object, str, str]]):
    """While the block runs, each ``owner.attribute`` in ``shortcuts`` (owner, attribute,
    how the hint names the call) raises ``Shortcut`` when called, and so does every name
    in ``fn``'s globals bound
    to the same object (a learner's ``from rnnlesson.rollout import rollout``). An
    attribute of an ``nn.Module`` instance (its ``forward``) is shadowed on that instance
    only. Everything is put back afterwards, also when the block raises."""
    undo: list[Callable[[], None]] = []
    names = getattr(fn, "__globals__", {})
    try:
        for owner, attribute, called in shortcuts:
            original = getattr(owner, attribute)

            def refuse(*args: object, _called: str = called, **kwargs: object) -> None:
                raise Shortcut(_called)

            if isinstance(owner, torch.nn.Module):
                object.__setattr__(owner, attribute, refuse)
                undo.append(
                    lambda owner=owner, attribute=attribute: object.__delattr__(
                        owner, attribute
                    )
                )
            # inherited: shadow, then remove
            elif isinstance(owner, type) and attribute not in vars(owner):
                setattr(owner, attribute, refuse)
                undo.append(
                    lambda owner=owner, attribute=attribute: delattr(owner, attribute)
                )
            else:
                setattr(owner, attribute, refuse)
                undo.append(
                    lambda owner=owner, attribute=attribute, original=original: setattr(
                        owner, attribute, original
                    )
                )
            for name, value in list(names.items()):
                if value is original:
                    names[name] = refuse
                    undo.append(
                        lambda name=name, value=value: names.__setitem__(name, value)
                    )
        yield
    finally:
        for step in reversed(undo):
            step()


def call_without(
    fn: Callable,
    shortcuts: Sequence[tuple[object, str, str]],
    *args: object,
    ask: str = "compute it yourself",
) -> tuple[object, str]:
    """``call_learner`` with ``shortcuts`` made unavailable: a call to one of them gets a
    hint that names it instead of a result ("this exercise asks you to <ask>, but your
    function called ...")."""
    with unavailable(fn, shortcuts):
        try:
            return fn(*args), ""
        except Shortcut as called:
            return (
                None,
                f"this exercise asks you to {ask}, but your function called {called}.",
            )
        # the learner's code may raise anything; tell them what
        except Exception as error:
            return None, f"your function raised {type(error).__name__}: {error}"


def call_each(
    fn: Callable,
    shortcuts: Sequence[tuple[object, str, str]],
    names: Sequence[str],
    cases: Iterable[tuple[object, ...]],
    returns: str,
    ask: str = "compute it yourself",
) -> Iterator[tuple[tuple[object, ...], object]]:
    """Call the learner's ``fn`` on each case (a tuple of arguments) in turn, with
    ``shortcuts`` made unavailable, and yield (case, result), so that a checker judges
    each result before the next call
    or gathers them all first. Raises NotYet, for ``@checker`` to print, when the function
    raises or calls a shortcut ("with <name>=<value>, ...: <what happened>"; names: how
    the hint names the arguments) and when it returns None ("your function returns None:
    <returns>")."""
    for case in cases:
        got, error = call_without(fn, shortcuts, *case, ask=ask)
        if error:
            raise NotYet(
                "with "
                f"{', '.join(f'{name}={value}' for name, value in zip(names, case))}: "
                f"{error}"
            )
        if got is None:
            raise NotYet(f"your function returns None: {returns}")
        yield case, got


# ---- Think! questions with a definite answer -------------------------------------------


def as_choice(value: object, options: Sequence[str], what: str) -> str:
    """One of ``options`` (a string, compared without case or surrounding spaces); raises
    NotYet with the options otherwise (a bool too: the answer is a word, so that True
    cannot pass by chance)."""
    if not isinstance(value, str):
        raise NotYet(
            f"answer {what} with one of {', '.join(repr(o) for o in options)}, got "
            f"{type(value).__name__}."
        )
    choice = value.strip().lower()
    if choice not in options:
        raise NotYet(
            f"answer {what} with one of {', '.join(repr(o) for o in options)}, got "
            f"{value!r}."
        )
    return choice


@checker
def choice_verdict(
    answer: object, options: Sequence[str], what: str, right: str, success: str, hint: str
) -> bool:
    """A Think! question answered by one of ``options``: "Correct: success" for ``right``,
    "Not yet: hint" for any other option, and for None or anything that is not one of them
    the hint that says so."""
    if answer is None:
        raise NotYet(NO_ANSWER)
    if as_choice(answer, options, what) == right:
        return report(True, success, "")
    raise NotYet(hint)
