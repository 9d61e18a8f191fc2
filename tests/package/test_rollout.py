import pytest
import torch

from rnnlesson.data import sine_series, sine_windows
from rnnlesson.model import SineRNN
from rnnlesson.rollout import fit_sine, one_step, rmse, rmse_by_horizon, rollout


@pytest.fixture
def model():
    torch.manual_seed(1)
    return SineRNN()


def step_by_step(model, observed, n_steps, warmup, hidden=None):
    """The plain loop: read the warm-up, then call the model once per fed-back
    prediction."""
    with torch.no_grad():
        pred, hidden = model(observed[:, :warmup], hidden)
        x = pred[:, -1:]
        out = [x]
        for _ in range(n_steps - 1):
            x, hidden = model(x, hidden)
            out.append(x)
    return torch.cat(out, dim=1)


@pytest.mark.parametrize("n_steps", [1, 2, 49, 200])
def test_rollout_returns_n_steps(model, n_steps):
    out = rollout(model, sine_windows([0.0, 2.0]).values, n_steps=n_steps, warmup=3)
    assert out.shape == (2, n_steps, 1)


@pytest.mark.parametrize("num_layers", [1, 2])
def test_rollout_equals_calling_the_model_step_by_step(num_layers):
    torch.manual_seed(2)
    model = SineRNN(num_layers=num_layers)
    observed = sine_windows([0.5, 3.0, 5.5]).values
    hidden = torch.randn(num_layers, 3, 10) * 0.5
    for warmup in (1, 5):
        fast = rollout(model, observed, n_steps=60, warmup=warmup, hidden=hidden)
        slow = step_by_step(model, observed, 60, warmup, hidden)
        # the same operations in the same order: equal to the last bit on the CPU kernels
        # seen so far; the tolerance only leaves room for another kernel's summation order
        assert (fast - slow).abs().max().item() < 1e-6


def test_rollout_reads_only_the_warmup_points(model):
    observed = sine_windows([1.0]).values
    changed = observed.clone()
    changed[:, 5:] = 7.0  # points after the warm-up must not matter
    assert torch.equal(
        rollout(model, observed, 20, warmup=5), rollout(model, changed, 20, warmup=5)
    )
    changed[:, 4] = 7.0
    assert not torch.equal(
        rollout(model, observed, 20, warmup=5), rollout(model, changed, 20, warmup=5)
    )


def test_one_step_matches_forward_without_grad(model):
    x = sine_windows([0.2]).x
    pred = one_step(model, x)
    assert pred.shape == x.shape and not pred.requires_grad
    assert torch.equal(pred, model(x)[0].detach())


def test_rollout_does_not_track_gradients(model):
    assert not rollout(model, sine_windows([0.0]).values, 10).requires_grad


def test_rmse_by_horizon():
    pred = torch.zeros(2, 3, 1)
    target = torch.tensor([[1.0, 2.0, 0.0], [1.0, 0.0, 0.0]]).unsqueeze(-1)
    by_horizon = rmse_by_horizon(pred, target)
    torch.testing.assert_close(by_horizon, torch.tensor([1.0, 2**0.5, 0.0]))
    assert rmse(pred, target) == pytest.approx((6 / 6) ** 0.5)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_steps": 0}, ValueError, "n_steps must be >= 1, got 0"),
        ({"n_steps": 5, "warmup": 0}, ValueError, "warmup must be >= 1, got 0"),
        (
            {"n_steps": 5, "warmup": 51},
            ValueError,
            r"warmup must be <= the number of observed points \(50\), got 51",
        ),
        ({"n_steps": 2.5}, TypeError, "n_steps must be an integer"),
    ],
)
def test_bad_rollout_arguments(model, kwargs, error, match):
    with pytest.raises(error, match=match):
        rollout(model, sine_windows([0.0]).values, **kwargs)


def test_bad_observed(model):
    with pytest.raises(ValueError, match="observed must have 3 dimensions"):
        rollout(model, torch.zeros(50), n_steps=3)
    with pytest.raises(ValueError, match="observed contains NaN"):
        rollout(model, torch.full((1, 5, 1), float("nan")), n_steps=3)


def test_bad_hidden_for_rollout(model):
    with pytest.raises(ValueError, match="hidden must be shaped"):
        rollout(
            model,
            sine_windows([0.0, 1.0]).values,
            n_steps=3,
            hidden=torch.zeros(1, 1, 10),
        )


def test_rmse_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        rmse(torch.zeros(1, 3, 1), torch.zeros(1, 4, 1))


def test_long_rollout_runs_on_series(model):
    series = sine_series([0.0], n_points=250)
    out = rollout(model, series.values, n_steps=245, warmup=5)
    assert out.shape == (1, 245, 1)
    assert rmse_by_horizon(out, series.values[:, 5:]).shape == (245,)


def test_rmse_of_tensors_that_track_gradients_is_quiet(recwarn):
    pred = torch.zeros(1, 3, 1, requires_grad=True)
    value = rmse(pred, torch.ones(1, 3, 1))
    assert value == pytest.approx(1.0)
    assert not rmse_by_horizon(pred, torch.ones(1, 3, 1)).requires_grad
    assert len(recwarn) == 0, [str(w.message) for w in recwarn]


def test_one_step_bad_input(model):
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        one_step(model, [[0.0]])
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        one_step(torch.nn.RNN(1, 10), sine_windows([0.0]).x)
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        rollout(torch.nn.RNN(1, 10), sine_windows([0.0]).values, n_steps=3)


def test_float64_input_gets_a_clear_error(model):
    with pytest.raises(
        TypeError, match=r"x must have the model's dtype torch.float32, got torch.float64"
    ):
        one_step(model, sine_windows([0.0]).x.double())
    with pytest.raises(TypeError, match="hidden must have the model's dtype"):
        rollout(
            model,
            sine_windows([0.0]).values,
            n_steps=3,
            hidden=torch.zeros(1, 1, 10, dtype=torch.float64),
        )


def test_fit_sine_recovers_amplitude_and_phase():
    t = torch.linspace(0, 7, 31).repeat(3, 1)
    truth = [(1.0, 0.0), (0.9, 0.3), (1.2, -2.5)]
    values = torch.stack(
        [a * torch.sin(t[i] + phi) for i, (a, phi) in enumerate(truth)]
    ).unsqueeze(-1)
    amplitude, phase = fit_sine(t, values)
    assert amplitude.shape == phase.shape == (3,)
    torch.testing.assert_close(
        amplitude, torch.tensor([a for a, _ in truth]), atol=1e-5, rtol=0
    )
    torch.testing.assert_close(
        phase, torch.tensor([p for _, p in truth]), atol=1e-5, rtol=0
    )


@pytest.mark.parametrize(
    "t, values, match",
    [
        (
            torch.zeros(2, 5),
            torch.zeros(2, 4, 1),
            r"t must be a tensor shaped \[batch, n\] = \[2, 4\]",
        ),
        ([0.0, 1.0], torch.zeros(1, 2, 1), "t must be a tensor"),
        (torch.zeros(1, 1), torch.zeros(1, 1, 1), "at least 2 points"),
        (torch.zeros(1, 3), torch.zeros(1, 3), "values must have 3 dimensions"),
    ],
)
def test_fit_sine_refuses_bad_shapes(t, values, match):
    with pytest.raises(ValueError, match=match):
        fit_sine(t, values)


def test_rollout_length_is_bounded():
    with pytest.raises(
        ValueError, match=r"n_steps must be in \[1, 100000\], got 1000000000"
    ):
        rollout(SineRNN(), sine_windows([0.0]).values, n_steps=10**9)
