"""The signal search (rnnlesson/signals.py), train(windows=...) and the paired rule
(rnnlesson/stats.py)."""

import itertools
import math

import pytest
import torch

from rnnlesson import baselines, data, signals, stats
from rnnlesson.model import seeded_model
from rnnlesson.training import train

TABLE = signals.shipped()
STARTS = data.draw_starts(16, generator=3)


@pytest.mark.parametrize("signal", signals.SIGNALS)
def test_each_signal_gives_windows_on_the_lessons_grid_within_minus_1_and_1(signal):
    w = signals.signal_windows(signal, STARTS, generator=0)
    assert w.t.shape == (16, 50) and w.values.shape == w.clean.shape == (16, 50, 1)
    assert w.values.dtype == w.clean.dtype == torch.float32
    assert w.t[0, 1] - w.t[0, 0] == pytest.approx(data.time_step(), rel=1e-5)
    assert float(w.clean.abs().max()) <= 1.0 + 1e-6 and float(w.clean.abs().max()) > 0.9
    assert w.x.shape == w.y.shape == (16, 49, 1)


def test_the_noisy_sine_reads_noise_of_0_1_around_the_clean_sine():
    w = signals.signal_windows(
        "noisy sine", data.draw_starts(500, generator=0), generator=0
    )
    assert torch.allclose(
        w.clean, data.sine_windows(data.draw_starts(500, generator=0)).values
    )
    noise = (w.values - w.clean).double()
    assert (
        float(noise.std()) == pytest.approx(signals.NOISE, rel=0.02)
        and abs(float(noise.mean())) < 0.002
    )
    clean = signals.signal_windows("noisy sine", STARTS, noise=0.0)
    assert torch.equal(clean.values, clean.clean)


def test_the_noise_comes_from_the_generator_and_training_windows_follow_train_s_draw():
    a, b = (
        signals.training_windows("noisy sine", seed=4),
        signals.training_windows("noisy sine", seed=4),
    )
    assert torch.equal(a.values, b.values)
    # the sine windows train(seed=4) fits
    assert torch.equal(a.clean, baselines.training_windows(seed=4))
    assert not torch.equal(
        a.values, signals.training_windows("noisy sine", seed=5).values
    )


def test_tanh_3_sin_t_is_scaled_to_peaks_of_1():
    w = signals.signal_windows("tanh(3 sin t)", [math.pi / 2 - 1.0])
    # the grid point nearest the peak
    assert float(w.clean.max()) == pytest.approx(1.0, abs=1e-4)
    t = w.t.double()
    assert torch.allclose(
        w.clean[..., 0].double(), torch.tanh(3 * torch.sin(t)) / math.tanh(3), atol=1e-6
    )


def test_the_van_der_pol_limit_cycle_has_its_known_period_and_amplitude():
    period, amplitude, origin = signals.limit_cycle(1.0)
    assert period == pytest.approx(6.6633, abs=1e-3) and amplitude == pytest.approx(
        2.0086, abs=1e-3
    )
    # the tabulated mu = 2 period
    assert signals.limit_cycle(2.0)[0] == pytest.approx(7.6299, abs=1e-3)
    assert origin[0] == 0 and origin[1] > 0  # the upward zero crossing


def test_the_van_der_pol_windows_repeat_after_one_period_and_start_rising_at_phase_0():
    period = signals.limit_cycle(1.0)[0]
    dt = period / 32
    # two periods, 32 samples each
    x = signals.van_der_pol(torch.tensor([0.0]), 65, dt)[0]
    assert x[0] == 0 and x[1] > 0
    assert torch.allclose(x[:33], x[32:], atol=1e-6)
    assert float(x.abs().max()) == pytest.approx(1.0, abs=0.01)
    # a start of 2 pi is one period on: the same window as 0
    same = signals.van_der_pol(torch.tensor([0.0, 2 * math.pi]), 20, data.time_step())
    assert torch.allclose(same[0], same[1], atol=1e-6)


def test_with_mu_0_the_oscillator_is_harmonic_and_conserves_energy():
    # x'' = -x: RK4 must keep x^2 + v^2 and give sin over one 10-unit window
    x = signals.van_der_pol(torch.tensor([0.0, 1.0]), 50, data.time_step(), mu=0.0)
    t = torch.tensor([0.0, 1.0], dtype=torch.float64)[:, None] + torch.linspace(
        0, 10, 50, dtype=torch.float64
    )
    assert torch.allclose(x, torch.sin(t), atol=1e-7)
    state = signals._rk4(
        torch.tensor([[0.0, 2.0]], dtype=torch.float64),
        torch.tensor([0.01], dtype=torch.float64),
        10_000,
        0.0,
    )
    assert float(state.pow(2).sum()) == pytest.approx(4.0, rel=1e-9)


def test_fewer_substeps_agree_so_the_integration_is_converged():
    fine = signals.van_der_pol(STARTS.double(), 50, data.time_step())
    old = signals.SUBSTEPS
    try:
        signals.SUBSTEPS = 5
        coarse = signals.van_der_pol(STARTS.double(), 50, data.time_step())
    finally:
        signals.SUBSTEPS = old
    assert float((fine - coarse).abs().max()) < 1e-5


def test_train_fits_the_windows_it_is_given():
    w = signals.training_windows("tanh(3 sin t)", seed=0, n_sequences=8)
    model = seeded_model(0)
    result = train(model, windows=w, n_iterations=2)
    with torch.no_grad():
        first = torch.nn.functional.mse_loss(seeded_model(0)(w.x)[0], w.y).item()
    assert (
        result.losses[0] == pytest.approx(first, rel=1e-5) and result.final_loss < first
    )


def test_the_best_ar_is_chosen_on_the_validation_windows():
    w = signals.training_windows("van der pol", seed=0)
    validation = signals.scored_windows("van der pol", "validation")
    p, a = signals.best_ar(w, validation)
    assert 1 <= p <= signals.MAX_P and a.shape == (p,)
    score = signals.score_ar(a, validation)
    others = [
        signals.score_ar(baselines.fit_ar(w.values, q), validation)
        for q in range(1, signals.MAX_P + 1)
    ]
    finite = [s for s in others if math.isfinite(s)]
    # the p with the lowest validation score
    assert p == 1 + others.index(min(finite)), (p, others)
    # the same fit, up to rounding in lstsq
    assert score == pytest.approx(min(finite), rel=1e-9)


def test_validation_and_test_windows_are_held_out():
    train_starts = {
        round(float(s), 5)
        for seed in signals.SEEDS
        for s in data.draw_starts(64, generator=seed)
    }
    for part in ("validation", "test"):
        starts = signals.scored_windows("noisy sine", part).t[:, 0]
        assert len(starts) == signals.N_SCORED and not train_starts & {
            round(float(s), 5) for s in starts
        }


def test_the_shipped_table_holds_every_signal_for_at_least_five_seeds():
    # 6: the least for p < 0.05
    assert list(TABLE) == list(signals.SIGNALS) and len(signals.SEEDS) >= 6
    for signal, by_seed in TABLE.items():
        assert sorted(by_seed) == list(signals.SEEDS), signal
        for row in by_seed.values():
            assert set(row) == {
                "rnn",
                "ar",
                "p",
                "rnn_validation",
                "ar_validation",
                "loss",
            }
            assert 1 <= row["p"] <= signals.MAX_P and 0 < row["ar"] < 2 and row["rnn"] > 0


def test_the_shipped_ar_scores_reproduce_exactly_enough():
    # the AR side is least squares, no optimiser: it reproduces on any machine
    for signal in signals.SIGNALS:
        for seed in (0, 5):
            w = signals.training_windows(signal, seed)
            p, a = signals.best_ar(w, signals.scored_windows(signal, "validation"))
            assert p == TABLE[signal][seed]["p"]
            assert signals.score_ar(
                a, signals.scored_windows(signal, "test")
            ) == pytest.approx(TABLE[signal][seed]["ar"], rel=1e-6)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: signals.signal_windows("square", [0.0]), "signal must be one of"),
        (
            lambda: signals.signal_windows("noisy sine", [0.0], noise=-0.1),
            "noise must be >= 0",
        ),
        (
            lambda: signals.signal_windows("noisy sine", [0.0], noise=2.0),
            r"noise must be in \[0, 1\]",
        ),
        (
            lambda: signals.signal_windows("van der pol", [0.0], mu=9.0),
            r"mu must be in \[0, 5\]",
        ),
        (
            lambda: signals.signal_windows("van der pol", [0.0], mu=float("nan")),
            "mu must be finite",
        ),
        (
            lambda: signals.signal_windows("van der pol", [7.0]),
            r"starts must be phases in \[0, 2\*pi\]",
        ),
        (
            lambda: signals.signal_windows("van der pol", []),
            "starts must hold at least one",
        ),
        (
            lambda: signals.signal_windows("noisy sine", [0.0], n_points=1),
            "n_points must be >= 2",
        ),
        (
            lambda: signals.signal_windows("noisy sine", [0.0], span=0.0),
            "span must be > 0",
        ),
        (
            lambda: signals.signal_windows("noisy sine", [0.0], generator="x"),
            "generator must be",
        ),
        (lambda: signals.training_windows("noisy sine", seed=-1), "seed must be >= 0"),
        (
            lambda: signals.scored_windows("noisy sine", "train"),
            "part must be 'validation' or 'test'",
        ),
        (lambda: signals.run("noisy sine", seed=2.5), "seed must be an integer"),
        (
            lambda: signals.score_rnn(seeded_model(0), data.sine_windows([0.0])),
            "windows must be a SignalWindows",
        ),
        (
            lambda: signals.score_rnn(
                seeded_model(0), signals.signal_windows("noisy sine", [0.0], n_points=20)
            ),
            "windows must hold at least 50 points",
        ),
        (
            lambda: signals.SignalWindows(
                t=torch.zeros(1, 5),
                values=torch.zeros(1, 5, 1),
                clean=torch.zeros(1, 4, 1),
            ),
            "clean must be a float tensor shaped like values",
        ),
        (lambda: train(seeded_model(0), windows="abc"), "windows must be a SineWindows"),
        (
            lambda: train(
                seeded_model(0),
                method="adam",
                fresh_windows=True,
                windows=data.sine_windows([0.0]),
            ),
            "cannot be used with fresh_windows=True",
        ),
    ],
)
def test_bad_arguments_are_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# ---- the paired rule -------------------------------------------------------------------
def sign_flip_p(differences):
    """The exact two-sided signed-rank p by brute force: every one of the 2**n sign
    patterns."""
    ranks = {d: r for r, d in enumerate(sorted(differences, key=abs), start=1)}
    observed = sum(ranks[d] for d in differences if d > 0)
    total = sum(ranks.values())
    extreme = min(observed, total - observed)
    count = sum(
        1
        for signs in itertools.product((0, 1), repeat=len(differences))
        if min(s := sum(r for r, on in zip(ranks.values(), signs) if on), total - s)
        <= extreme
    )
    return count / 2 ** len(differences)


def test_the_paired_p_value_is_the_exact_sign_flip_enumeration():
    generator = torch.Generator().manual_seed(0)
    for n in (5, 6, 8, 10):
        for _ in range(5):
            a = torch.rand(n, generator=generator).tolist()
            b = (torch.rand(n, generator=generator) * 0.5 + 0.2).tolist()
            got = stats.compare_paired(a, b)
            assert got.p == pytest.approx(
                sign_flip_p([x - y for x, y in zip(a, b)]), rel=1e-9
            ), (a, b)


def test_the_paired_rule_needs_six_seeds_and_names_the_direction():
    a, b = (
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8],
        [0.15, 0.3, 0.35, 0.5, 0.6, 0.65, 0.8, 0.81],
    )
    c = stats.compare_paired(a, b, "rnn", "ar")
    assert c.p == pytest.approx(2 / 2**8) and c.verdict == "lower" and c.wins == 8
    assert str(c).startswith(
        "rnn scores lower than ar"
    ) and "Wilcoxon signed-rank p = 0.0078" in str(c)
    assert stats.compare_paired(b, a).verdict == "higher"
    # 5 seeds can never show it
    assert stats.compare_paired(a[:5], b[:5]).p == pytest.approx(0.0625)
    assert stats.compare_paired(a[:6], b[:6]).p == pytest.approx(2 / 64)


def test_the_paired_rule_drops_ties_and_ranks_a_diverged_run_worst():
    c = stats.compare_paired([0.1, 0.2, math.inf, 0.4], [0.1, 0.3, 0.5, 0.6])
    assert c.wins == 2 and c.rank_higher == 3  # the inf pair has the largest |difference|
    assert stats.compare_paired([0.1, 0.2], [0.1, 0.2]).p == 1.0


@pytest.mark.parametrize(
    "a, b, match",
    [
        ([0.1, 0.2], [0.1, 0.2, 0.3], "the same seeds"),
        ([0.1], [0.2], "2 to 200 scores"),
        ([0.1, math.nan], [0.1, 0.2], "numbers"),
    ],
)
def test_bad_paired_scores_are_named(a, b, match):
    with pytest.raises((TypeError, ValueError), match=match):
        stats.compare_paired(a, b)


@pytest.mark.retrain
def test_seed_3_of_the_van_der_pol_oscillator_retrains_to_the_table():
    got = signals.run("van der pol", 3)
    shipped = TABLE["van der pol"][3]
    assert got["p"] == shipped["p"] and got["ar"] == pytest.approx(
        shipped["ar"], rel=1e-6
    )
    # a quality: L-BFGS need not repeat bits
    assert got["rnn"] == pytest.approx(shipped["rnn"], abs=0.01)
