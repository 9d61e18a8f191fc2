"""The one rule behind every comparison over seeds in the series.

One training run settles nothing, so a claim such as "A trains better models than B" compares two
lists of scores, one per seed. The series uses one test for every such claim: the exact two-sided
Mann-Whitney U test (``scipy.stats.mannwhitneyu(method="exact")``). It uses only the ranks, so one
run that diverged to a huge score counts as one bad run, not as a huge mean; and it does not
assume that two configurations' runs pair up by seed (the seed sets the initial weights and the
draw of windows, but two trainings from the same start end in unrelated places).

A claim is worded from its p-value: below ALPHA, "lower" or "higher"; otherwise "no detectable
difference over N seeds". With 5 seeds against 5 the smallest possible p is 2/252 = 0.008, with 8
against 8 it is 0.0002, so a difference the seeds cannot show stays undecided, and the notebook says so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

from scipy.stats import mannwhitneyu

ALPHA = 0.05  # a difference is claimed only below this two-sided p-value
MAX_SEEDS = 200


@dataclass(frozen=True)
class Comparison:
    """Two lists of scores (lower is better) compared by the series' rule.

    p: the exact two-sided Mann-Whitney p-value.  median_a, median_b: each list's median.
    wins: how many of the len(a) * len(b) pairs have a's score below b's (ties count half).
    """

    name_a: str
    name_b: str
    median_a: float
    median_b: float
    p: float
    wins: float
    pairs: int

    @property
    def differs(self) -> bool:
        return self.p < ALPHA

    @property
    def verdict(self) -> str:
        """'lower', 'higher' (a against b) or 'no detectable difference'."""
        if not self.differs:
            return "no detectable difference"
        return "lower" if self.wins > self.pairs / 2 else "higher"

    def __str__(self) -> str:
        if self.differs:
            claim = f"{self.name_a} scores {self.verdict} than {self.name_b}"
        else:
            claim = f"{self.name_a} against {self.name_b}: no detectable difference"
        return (f"{claim} (medians {self.median_a:.3g} and {self.median_b:.3g}, exact Mann-Whitney "
                f"p = {self.p:.2g}, a lower in {self.wins:g} of {self.pairs} pairs)")


def compare(a: Sequence[float], b: Sequence[float], name_a: str = "a", name_b: str = "b") -> Comparison:
    """Compare two lists of per-seed scores (each 2 to MAX_SEEDS finite or +inf numbers; inf is a
    diverged run, ranked worst) with the exact two-sided Mann-Whitney U test."""
    a, b = _scores("a", a), _scores("b", b)
    for name, value in (("name_a", name_a), ("name_b", name_b)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    big = 10.0 * max(abs(v) for v in a + b if math.isfinite(v)) + 1.0 if any(map(math.isfinite, a + b)) else 1.0
    ranked_a = [v if math.isfinite(v) else big for v in a]  # the ranks are all the test reads
    ranked_b = [v if math.isfinite(v) else big for v in b]
    result = mannwhitneyu(ranked_a, ranked_b, alternative="two-sided", method="exact")
    wins = sum(1.0 if x < y else 0.5 if x == y else 0.0 for x in ranked_a for y in ranked_b)
    return Comparison(name_a, name_b, statistics.median(a), statistics.median(b), float(result.pvalue), wins,
                      len(a) * len(b))


def _scores(name: str, values: object) -> list[float]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a list of per-seed scores, got {type(values).__name__}")
    if not 2 <= len(values) <= MAX_SEEDS:
        raise ValueError(f"{name} must hold 2 to {MAX_SEEDS} scores (one per seed), got {len(values)}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, Real) or math.isnan(v) or v == -math.inf:
            raise ValueError(f"{name} must hold numbers (a diverged run may be inf), got {v!r}")
        out.append(float(v))
    return out
