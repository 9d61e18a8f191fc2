"""Checkers for the exercises at the end of each notebook: ``exNN`` belongs to notebook NN.

Every checker prints one line for the learner and returns True or False, so tests can call it.
"""

from __future__ import annotations

NO_ANSWER = "replace None with your answer, then run the cell again."


def report(ok: bool, success: str, hint: str) -> bool:
    """Print a verdict for the learner and return ``ok``."""
    print(("Correct: " + success) if ok else ("Not yet: " + hint))
    return ok
