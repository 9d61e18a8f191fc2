import math

import pytest
import torch

from rnnlesson.data import N_POINTS, draw_starts, sine_series, sine_windows, time_step


def test_window_shapes_and_shift():
    w = sine_windows([0.0, 1.5, 3.0])
    assert w.t.shape == (3, N_POINTS)
    assert w.values.shape == (3, N_POINTS, 1)
    assert w.x.shape == w.y.shape == (3, N_POINTS - 1, 1)
    # each target is the next input
    assert torch.equal(w.y[:, :-1], w.x[:, 1:])
    assert torch.allclose(w.values[..., 0], torch.sin(w.t.double()).float(), atol=1e-6)


def test_window_covers_start_to_start_plus_span():
    w = sine_windows(2.0, n_points=11, span=5.0)
    assert w.t[0, 0].item() == pytest.approx(2.0)
    assert w.t[0, -1].item() == pytest.approx(7.0)
    assert time_step(11, 5.0) == pytest.approx(0.5)


def test_series_extends_window_with_same_step():
    w = sine_windows([0.7])
    s = sine_series([0.7], n_points=250)
    assert s.values.shape == (1, 250, 1)
    assert torch.allclose(s.values[:, :N_POINTS], w.values, atol=1e-6)
    assert (s.t[0, 1] - s.t[0, 0]).item() == pytest.approx(time_step(), rel=1e-5)


def test_original_scheme_gives_exactly_three_distinct_windows():
    starts = draw_starts(1000, scheme="original", generator=0)
    assert set(starts.tolist()) == {0.0, 1.0, 2.0}
    distinct = torch.unique(sine_windows(starts).values, dim=0)
    assert distinct.shape[0] == 3


def test_period_scheme_covers_a_full_period():
    starts = draw_starts(2000, generator=1)
    assert starts.min() >= 0 and starts.max() < 2 * math.pi
    counts = torch.histc(starts, bins=8, min=0, max=2 * math.pi)
    assert counts.min() > 150, counts  # about 250 each for a uniform draw


def test_draws_repeat_for_a_seed():
    assert torch.equal(draw_starts(5, generator=3), draw_starts(5, generator=3))
    assert not torch.equal(draw_starts(5, generator=3), draw_starts(5, generator=4))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: sine_windows([0.0], n_points=1), "n_points must be >= 2"),
        (lambda: sine_windows([0.0], n_points=0), "n_points must be >= 2"),
        (lambda: sine_windows([0.0], span=0), "span must be > 0"),
        (lambda: sine_windows([float("nan")]), "starts contains NaN"),
        (lambda: sine_windows([]), "at least one start"),
        (lambda: sine_series([0.0], n_points=5, dt=-1), "dt must be > 0"),
        (lambda: draw_starts(0), "n must be >= 1"),
        (
            lambda: draw_starts(3, scheme="weekly"),
            "scheme must be 'period' or 'original'",
        ),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_integer_n_points_is_a_type_error():
    with pytest.raises(TypeError, match="n_points must be an integer"):
        sine_windows([0.0], n_points=10.5)


@pytest.mark.parametrize(
    "generator, error, match",
    [
        (True, TypeError, "generator must be a torch.Generator"),
        ("x", TypeError, "generator must be a torch.Generator"),
        (-1, ValueError, "generator must be >= 0"),
        (2**70, ValueError, r"generator must be in \[0, "),
    ],
)
def test_bad_generator(generator, error, match):
    with pytest.raises(error, match=match):
        draw_starts(3, generator=generator)


def test_numpy_integer_seed_works():
    import numpy as np

    assert torch.equal(draw_starts(4, generator=np.int64(3)), draw_starts(4, generator=3))


@pytest.mark.parametrize(
    "starts, error, match",
    [
        ("a", TypeError, "starts must be a number or a sequence of numbers"),
        (None, TypeError, "starts must"),
        ([1 + 2j], TypeError, "starts must hold real numbers"),
        ([[0.0, 1.0]], ValueError, "starts must be a number or a 1-D sequence"),
    ],
)
def test_bad_starts(starts, error, match):
    with pytest.raises(error, match=match):
        sine_windows(starts)


def test_bad_time_step_and_series_arguments():
    with pytest.raises(ValueError, match="n_points must be >= 2"):
        time_step(1)
    with pytest.raises(ValueError, match="n_points must be >= 2"):
        sine_series([0.0], n_points=1)


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: sine_windows([0.0], n_points=10**9),
            r"n_points must be in \[2, 100000\], got 1000000000",
        ),
        (
            lambda: sine_series([0.0], n_points=10**9),
            r"n_points must be in \[2, 100000\]",
        ),
        (lambda: draw_starts(10**10), r"n must be in \[1, 1000000\], got 10000000000"),
    ],
)
def test_sizes_are_bounded(call, match):
    with pytest.raises(ValueError, match=match):
        call()
