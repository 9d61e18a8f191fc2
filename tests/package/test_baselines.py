"""The floors and baselines that every RNN score is set against
(rnnlesson/baselines.py)."""

import math

import pytest
import torch

from rnnlesson import baselines, data
from rnnlesson.rollout import rmse, rmse_by_horizon


def test_the_one_value_floor_is_0_490_over_the_lessons_49_steps():
    dt = data.time_step()
    by_hand = math.sqrt(0.5 * sum(math.sin(k * dt) ** 2 for k in range(1, 50)) / 49)
    assert baselines.one_value_floor() == pytest.approx(by_hand, rel=1e-12)
    assert round(baselines.one_value_floor(), 3) == 0.490


def test_the_one_value_floor_matches_a_monte_carlo_estimate_made_without_the_formula():
    for n_steps in (1, 10, 49):
        assert baselines.monte_carlo_floor(
            n_steps, n_samples=200_000, seed=3
        ) == pytest.approx(baselines.one_value_floor(n_steps), abs=0.005)


def test_no_prediction_from_one_value_beats_the_floor():
    # sin(phi) cos(k dt) is the best guess; a grid of other multipliers of sin(phi) all do
    # worse
    phi = (
        torch.rand(
            50_000, generator=torch.Generator().manual_seed(0), dtype=torch.float64
        )
        * 2
        * math.pi
    )
    k = torch.arange(1, 50, dtype=torch.float64) * data.time_step()
    future = torch.sin(phi[:, None] + k)
    best = float((future - torch.sin(phi)[:, None] * torch.cos(k)).pow(2).mean().sqrt())
    assert best == pytest.approx(baselines.one_value_floor(), abs=0.003)
    for scale in (0.0, 0.5, 0.9, 1.1):
        assert (
            float(
                (future - scale * torch.sin(phi)[:, None] * torch.cos(k))
                .pow(2)
                .mean()
                .sqrt()
            )
            > best
        )


def test_the_one_step_floor_is_position_0s_error_spread_over_49_positions():
    assert baselines.one_step_floor() == pytest.approx(
        math.sqrt(0.5) * math.sin(data.time_step()) / 7, rel=1e-12
    )
    assert round(baselines.one_step_floor(), 4) == 0.0205
    assert baselines.one_step_floor(1) == pytest.approx(0.143, abs=5e-4)


def test_ar2_fitted_on_the_training_windows_recovers_2cos_dt_and_minus_1():
    a = baselines.fit_ar(baselines.training_windows(seed=0), p=2)
    assert a.shape == (2,) and a.dtype == torch.float64
    assert a[0].item() == pytest.approx(2 * math.cos(data.time_step()), abs=1e-5)
    assert a[1].item() == pytest.approx(-1.0, abs=1e-5)


def test_ar2_rolls_a_sine_out_300_steps_almost_exactly():
    a = baselines.fit_ar(baselines.training_windows(seed=0), p=2)
    s = data.sine_series(data.draw_starts(200, generator=1), n_points=2 + 300).values
    errors = rmse_by_horizon(
        baselines.ar_rollout(a, s, n_steps=300, warmup=2), s[:, 2:].double()
    )
    assert errors.shape == (300,) and errors.max() < 1e-4


def test_ar_rollout_is_the_recurrence_fed_back():
    a = torch.tensor([0.5, -0.25, 0.1], dtype=torch.float64)
    observed = torch.tensor([[[1.0], [2.0], [3.0], [9.0]]])
    pred = baselines.ar_rollout(a, observed, n_steps=2, warmup=3)
    first = 0.5 * 3 - 0.25 * 2 + 0.1 * 1
    second = 0.5 * first - 0.25 * 3 + 0.1 * 2
    assert pred.shape == (1, 2, 1) and pred[0, :, 0].tolist() == pytest.approx(
        [first, second]
    )


def test_ar_one_step_reads_the_true_inputs_with_zeros_before_the_series():
    a = torch.tensor([2.0, -1.0], dtype=torch.float64)
    x = torch.tensor([[[1.0], [3.0], [4.0]]])
    assert baselines.ar_one_step(a, x)[0, :, 0].tolist() == [2.0, 5.0, 5.0]


def test_persistence_repeats_the_last_observed_value():
    window = data.sine_windows([1.0])
    pred = baselines.persistence(window.values, n_steps=49, warmup=1)
    assert pred.shape == (1, 49, 1) and bool((pred == window.values[0, 0, 0]).all())
    assert rmse(pred, window.y) > 0.5


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: baselines.fit_ar(torch.zeros(2, 5, 1), p=5),
            "p must be < the number of points",
        ),
        (lambda: baselines.fit_ar(torch.zeros(2, 5, 1), p=0), "p must be >= 1"),
        (
            lambda: baselines.ar_rollout(
                torch.ones(3), torch.zeros(1, 5, 1), 4, warmup=2
            ),
            "warmup must be >= p = 3",
        ),
        (
            lambda: baselines.ar_rollout([1.0], torch.zeros(1, 5, 1), 4, warmup=2),
            "coefficients must be a 1-D tensor",
        ),
        (lambda: baselines.one_value_floor(0), "n_steps must be >= 1"),
        (lambda: baselines.one_value_floor(49, dt=-1.0), "dt must be"),
        (
            lambda: baselines.persistence(torch.zeros(1, 5, 1), 3, warmup=6),
            r"warmup must be in \[1, 5\]",
        ),
    ],
)
def test_bad_arguments_are_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
