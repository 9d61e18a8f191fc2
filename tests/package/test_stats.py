"""The series' one rule for comparisons over seeds (rnnlesson/stats.py)."""

import math

import pytest

from rnnlesson import stats


def test_separated_lists_differ_and_the_verdict_names_the_direction():
    c = stats.compare(
        [0.01, 0.02, 0.03, 0.04, 0.05], [0.1, 0.2, 0.3, 0.4, 0.5], "batched", "loop"
    )
    assert c.p == pytest.approx(2 / 252) and c.differs and c.verdict == "lower"
    assert c.wins == 25 and c.pairs == 25
    assert str(c).startswith("batched scores lower than loop") and "p = 0.0079" in str(c)
    assert (
        stats.compare([0.1, 0.2, 0.3, 0.4, 0.5], [0.01, 0.02, 0.03, 0.04, 0.05]).verdict
        == "higher"
    )


def test_interleaved_lists_show_no_detectable_difference():
    c = stats.compare([0.1, 0.3, 0.5, 0.7], [0.2, 0.4, 0.6, 0.8])
    assert not c.differs and c.verdict == "no detectable difference" and c.p > 0.5
    assert "no detectable difference" in str(c)


def test_the_issue_s_numbers_reproduce():
    # notebook 05's final scores for adam/original/zeros against adam/period/zeros (the
    # issue's p = 0.16)
    a = [0.1314, 0.0578, 0.0882, 0.0445, 0.00466, 0.0539, 0.6533, 0.3006]
    b = [0.00467, 0.0113, 0.00442, 0.3507, 0.2310, 0.00532, 0.00791, 0.0204]
    assert stats.compare(a, b).p == pytest.approx(0.16, abs=0.005)


def test_a_diverged_run_ranks_worst():
    c = stats.compare([0.1, 0.2, math.inf], [0.3, 0.4, 0.5])
    assert c.wins == 6 and c.median_a == 0.2


@pytest.mark.parametrize(
    "a, match",
    [
        ([0.1], "2 to 200 scores"),
        ("abc", "list of per-seed scores"),
        ([0.1, float("nan")], "must hold numbers"),
        ([0.1, True], "must hold numbers"),
    ],
)
def test_bad_scores_are_named(a, match):
    with pytest.raises((TypeError, ValueError), match=match):
        stats.compare(a, [0.1, 0.2])
