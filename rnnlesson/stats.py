"""The one rule behind every comparison over seeds in the series.

One training run settles nothing, so a claim such as "A trains better models than B"
compares two lists of scores, one per seed. The series uses one test for every such claim:
the exact two-sided Mann-Whitney U test (``scipy.stats.mannwhitneyu(method="exact")``). It
uses only the ranks, so one run that diverged to a huge score counts as one bad run, not
as a huge mean; and it does not assume that two configurations' runs pair up by seed (the
seed sets the initial weights and the draw of windows, but two trainings from the same
start end in unrelated places).

Where two lists do pair up, because one seed gives both the same data and nothing else is
trained (an RNN and a least-squares AR(p) fitted on the same windows, rnnlesson.signals),
the rule is the paired one, ``compare_paired``: the exact two-sided Wilcoxon signed-rank
test on the per-seed differences (``scipy.stats.wilcoxon(method="exact")``), again ranks
only. Its smallest possible p is 2 / 2**n for n seeds: 0.0625 for 5 (never below ALPHA),
0.031 for 6, 0.0078 for 8.

A claim is worded from its p-value: below ALPHA, "lower" or "higher"; otherwise "no
detectable difference over N seeds". With 5 seeds against 5 the smallest possible p is
2/252 = 0.008, with 8 against 8 it is 0.0002, so a difference the seeds cannot show stays
undecided, and the notebook says so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

from scipy.stats import mannwhitneyu, rankdata, wilcoxon

ALPHA = 0.05  # a difference is claimed only below this two-sided p-value
MAX_SEEDS = 200


class _Verdict:
    """What both comparisons say from their p-value and which side their test found
    lower."""

    p: float

    def a_lower(self) -> bool:
        raise NotImplementedError

    @property
    def differs(self) -> bool:
        return self.p < ALPHA

    @property
    def verdict(self) -> str:
        """'lower', 'higher' (a against b) or 'no detectable difference'."""
        if not self.differs:
            return "no detectable difference"
        return "lower" if self.a_lower() else "higher"


@dataclass(frozen=True)
class Comparison(_Verdict):
    """Two lists of scores (lower is better) compared by the series' rule.

    p: the exact two-sided Mann-Whitney p-value.  median_a, median_b: each list's median.
    wins: how many of the len(a) * len(b) pairs have a's score below b's (ties count
    half).
    """

    name_a: str
    name_b: str
    median_a: float
    median_b: float
    p: float
    wins: float
    pairs: int

    def a_lower(self) -> bool:
        return self.wins > self.pairs / 2

    def __str__(self) -> str:
        if self.differs:
            claim = f"{self.name_a} scores {self.verdict} than {self.name_b}"
        else:
            claim = f"{self.name_a} against {self.name_b}: no detectable difference"
        return (
            f"{claim} (medians {self.median_a:.3g} and {self.median_b:.3g}, exact "
            f"Mann-Whitney p = {self.p:.2g}, a lower in {self.wins:g} of {self.pairs} "
            "pairs)"
        )


def compare(
    a: Sequence[float], b: Sequence[float], name_a: str = "a", name_b: str = "b"
) -> Comparison:
    """Compare two lists of per-seed scores (each 2 to MAX_SEEDS finite or +inf numbers;
    inf is a diverged run, ranked worst) with the exact two-sided Mann-Whitney U test."""
    a, b = _scores("a", a), _scores("b", b)
    for name, value in (("name_a", name_a), ("name_b", name_b)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    big = (
        10.0 * max(abs(v) for v in a + b if math.isfinite(v)) + 1.0
        if any(map(math.isfinite, a + b))
        else 1.0
    )
    # the ranks are all the test reads
    ranked_a = [v if math.isfinite(v) else big for v in a]
    ranked_b = [v if math.isfinite(v) else big for v in b]
    result = mannwhitneyu(ranked_a, ranked_b, alternative="two-sided", method="exact")
    wins = sum(
        1.0 if x < y else 0.5 if x == y else 0.0 for x in ranked_a for y in ranked_b
    )
    return Comparison(
        name_a,
        name_b,
        statistics.median(a),
        statistics.median(b),
        float(result.pvalue),
        wins,
        len(a) * len(b),
    )


@dataclass(frozen=True)
class PairedComparison(_Verdict):
    """Two lists of scores (lower is better) whose i-th entries share seed i, compared by
    the paired rule. p: the exact two-sided Wilcoxon signed-rank p-value (1 when every
    pair ties).
    wins: pairs with a below b. rank_lower, rank_higher: the sums of the signed ranks of
    |a - b| over the pairs where a is lower and where it is higher (ties between pairs
    share their rank)."""

    name_a: str
    name_b: str
    median_a: float
    median_b: float
    p: float
    wins: int
    n: int
    rank_lower: float
    rank_higher: float

    def a_lower(self) -> bool:
        return self.rank_lower > self.rank_higher

    def __str__(self) -> str:
        if self.differs:
            claim = f"{self.name_a} scores {self.verdict} than {self.name_b}"
        else:
            claim = f"{self.name_a} against {self.name_b}: no detectable difference"
        return (
            f"{claim} (medians {self.median_a:.3g} and {self.median_b:.3g}, exact "
            f"Wilcoxon signed-rank p = {self.p:.2g}, a lower for {self.wins} of "
            f"{self.n} seeds)"
        )


def compare_paired(
    a: Sequence[float], b: Sequence[float], name_a: str = "a", name_b: str = "b"
) -> PairedComparison:
    """Compare two lists of per-seed scores that pair up by position (the same length, 2
    to MAX_SEEDS finite or +inf numbers; inf is a diverged run, ranked worst) with the
    exact two-sided
    Wilcoxon signed-rank test. Pairs that tie are dropped, as Wilcoxon did."""
    a, b = _scores("a", a), _scores("b", b)
    if len(a) != len(b):
        raise ValueError(
            f"a and b must hold one score per seed each, the same seeds: got {len(a)} "
            f"and {len(b)}"
        )
    for name, value in (("name_a", name_a), ("name_b", name_b)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    finite = [abs(v) for v in a + b if math.isfinite(v)]
    big = 10.0 * max(finite) + 1.0 if finite else 1.0
    differences = [
        (x if math.isfinite(x) else big) - (y if math.isfinite(y) else big)
        for x, y in zip(a, b)
    ]
    nonzero = [d for d in differences if d != 0]
    ranks = rankdata([abs(d) for d in nonzero]) if nonzero else []
    lower = float(sum(r for r, d in zip(ranks, nonzero) if d < 0))
    higher = float(sum(r for r, d in zip(ranks, nonzero) if d > 0))
    p = float(wilcoxon(nonzero, method="exact").pvalue) if nonzero else 1.0
    return PairedComparison(
        name_a,
        name_b,
        statistics.median(a),
        statistics.median(b),
        p,
        sum(d < 0 for d in differences),
        len(a),
        lower,
        higher,
    )


def _scores(name: str, values: object) -> list[float]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(
            f"{name} must be a list of per-seed scores, got {type(values).__name__}"
        )
    if not 2 <= len(values) <= MAX_SEEDS:
        raise ValueError(
            f"{name} must hold 2 to {MAX_SEEDS} scores (one per seed), got {len(values)}"
        )
    out = []
    for v in values:
        if (
            isinstance(v, bool)
            or not isinstance(v, Real)
            or math.isnan(v)
            or v == -math.inf
        ):
            raise ValueError(
                f"{name} must hold numbers (a diverged run may be inf), got {v!r}"
            )
        out.append(float(v))
    return out
