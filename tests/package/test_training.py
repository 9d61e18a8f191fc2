import re

import pytest
import torch

from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.model import SineRNN
from rnnlesson.rollout import one_step, rmse
from rnnlesson.pretrained import fit
from rnnlesson.training import TrainingDiverged, train, train_original


def fresh(seed=0, **kwargs):
    torch.manual_seed(seed)
    return SineRNN(**kwargs)


def test_same_seed_gives_bit_identical_losses():
    a = train(fresh(), seed=0, n_iterations=2)
    b = train(fresh(), seed=0, n_iterations=2)
    assert a.losses == b.losses
    c = train(fresh(), seed=1, n_iterations=2)
    assert c.losses != a.losses  # another seed draws other windows


def test_lbfgs_training_learns_the_sine():
    model = fresh()
    before = rmse(one_step(model, sine_windows([1.0, 4.0]).x), sine_windows([1.0, 4.0]).y)
    result = train(model, seed=0, n_iterations=3)
    assert result.final_loss < result.losses[0] / 20
    w = sine_windows([1.0, 4.0])
    after = one_step(model, w.x)
    assert rmse(after[:, 4:], w.y[:, 4:]) < 0.05 < before
    assert not model.training  # left in eval mode


def test_adam_method_records_one_loss_per_step():
    result = train(fresh(), seed=0, method="adam", n_iterations=30, lr=0.02)
    assert len(result.losses) == 30
    assert result.final_loss < result.losses[0]


def test_training_works_for_other_sizes():
    model = fresh(hidden_size=4, num_layers=2)
    result = train(model, seed=0, n_sequences=8, n_iterations=2)
    assert result.final_loss < result.losses[0] / 2
    assert model(sine_windows([0.0]).x)[0].shape == (1, 49, 1)


def test_training_refuses_other_models():
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        train(torch.nn.RNN(1, 10))
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        train_original(torch.nn.RNN(1, 10), n_iterations=1)


def test_original_loop_carries_a_detached_hidden_state(capsys):
    result = train_original(fresh(), seed=0, n_iterations=120, log_every=50)
    assert len(result.losses) == 120
    assert result.hidden.shape == (1, 1, 10) and not result.hidden.requires_grad
    assert result.hidden.abs().sum() > 0
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in printed] == [
        "iteration     0",
        "iteration    50",
        "iteration   100",
    ]
    again = train_original(fresh(), seed=0, n_iterations=120)
    assert again.losses == result.losses


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n_sequences": 0}, ValueError, "n_sequences must be >= 1, got 0"),
        ({"n_iterations": 0}, ValueError, "n_iterations must be >= 1, got 0"),
        ({"method": "sgd"}, ValueError, "method must be 'lbfgs' or 'adam'"),
        ({"lr": 0.0}, ValueError, "lr must be > 0"),
        ({"lr": float("nan")}, ValueError, "lr must be finite"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": 1.5}, TypeError, "seed must be an integer"),
    ],
)
def test_bad_training_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        train(fresh(), **kwargs)


def test_bad_original_arguments():
    with pytest.raises(ValueError, match="n_iterations must be >= 1"):
        train_original(fresh(), n_iterations=0)
    with pytest.raises(ValueError, match="log_every must be >= 1"):
        train_original(fresh(), n_iterations=5, log_every=0)
    with pytest.raises(ValueError, match="lr must be > 0"):
        train_original(fresh(), n_iterations=5, lr=-0.1)


def test_training_works_with_gradients_switched_off():
    with torch.no_grad():
        adam = train(fresh(), seed=0, method="adam", n_iterations=5)
        original = train_original(fresh(), seed=0, n_iterations=5)
    assert adam.final_loss < adam.losses[0]
    assert len(original.losses) == 5


@pytest.mark.parametrize(
    "run, where",
    [
        (lambda: train(SineRNN(), method="adam", lr=1e6), "adam, lr=1e+06"),
        (lambda: train(SineRNN(), lr=1e20, n_iterations=3), "lbfgs, lr=1e+20"),
        (
            lambda: train_original(SineRNN(), lr=1e6, n_iterations=300),
            "the original loop's Adam, lr=1e+06",
        ),
    ],
)
def test_diverging_training_stops_and_names_the_learning_rate(run, where):
    torch.manual_seed(0)
    with pytest.raises(
        TrainingDiverged,
        match=r"the loss (grew from|became) .*\("
        + re.escape(where)
        + r"\)\. The learning rate is most likely too large",
    ):
        run()


def test_lbfgs_line_search_far_off_trials_do_not_count_as_diverged():
    """At lr=1e6 the strong-Wolfe line search tries weights whose loss reaches 1e12, then
    keeps the best point it found: the kept weights train on (the check judges them, not
    the last trial)."""
    torch.manual_seed(0)
    model = SineRNN()
    result = train(model, lr=1e6, n_iterations=3)
    assert max(result.losses) > 1e6 * result.losses[0], (
        "the line search no longer tries far-off weights"
    )
    windows = sine_windows(draw_starts(64, generator=0))
    with torch.no_grad():
        kept = torch.nn.functional.mse_loss(model(windows.x)[0], windows.y).item()
    assert all(bool(torch.isfinite(p).all()) for p in model.parameters())
    assert kept < 0.1 * result.losses[0]


def test_a_trained_model_trained_again_does_not_count_as_diverged():
    # final loss about 4e-4: a rise to 100 times that is still no divergence
    model, _ = fit(0)
    result = train(model, method="adam", n_iterations=20, seed=3)
    assert result.final_loss < 1.0


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: train(SineRNN(), n_iterations=10**9),
            r"n_iterations must be in \[1, 100000\], got 1000000000",
        ),
        (
            lambda: train(SineRNN(), n_sequences=10**9),
            r"n_sequences must be in \[1, 1000000\]",
        ),
        (
            lambda: train_original(SineRNN(), n_iterations=10**9),
            r"n_iterations must be in \[1, 100000\]",
        ),
    ],
)
def test_training_sizes_are_bounded(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def _loop_by_hand(model, windows, carry):
    """The post's loop written out, carrying the state or starting every window from
    zeros."""
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    hidden, losses = model.initial_hidden(batch=1), []
    for i in range(len(windows)):
        pred, hidden = model(windows.x[i : i + 1], hidden if carry else None)
        hidden = hidden.detach()
        loss = torch.nn.functional.mse_loss(pred, windows.y[i : i + 1])
        model.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("scheme", ["original", "period"])
@pytest.mark.parametrize("carry", [True, False])
def test_original_loop_with_one_choice_changed(scheme, carry):
    steps = []
    result = train_original(
        fresh(),
        seed=4,
        n_iterations=30,
        scheme=scheme,
        carry_hidden=carry,
        callback=steps.append,
    )
    windows = sine_windows(draw_starts(30, scheme=scheme, generator=4))
    assert result.losses == _loop_by_hand(fresh(), windows, carry)
    assert steps == list(range(1, 31))
    if scheme == "period":  # the post's loop never sees a start outside 0, 1, 2
        assert not set(windows.t[:, 0].tolist()) <= {0.0, 1.0, 2.0}


def test_loop_choices_make_a_difference():
    carried = train_original(fresh(), seed=0, n_iterations=20).losses
    zeros = train_original(fresh(), seed=0, n_iterations=20, carry_hidden=False).losses
    period = train_original(fresh(), seed=0, n_iterations=20, scheme="period").losses
    # the first window starts from zeros either way
    assert carried[0] == zeros[0] and carried[1:] != zeros[1:]
    assert carried != period


def test_batched_training_on_the_posts_starts():
    steps = []
    model = fresh()
    windows = sine_windows(draw_starts(64, scheme="original", generator=2))
    first = torch.nn.functional.mse_loss(model(windows.x)[0], windows.y).item()
    result = train(
        model,
        seed=2,
        method="adam",
        n_iterations=5,
        scheme="original",
        callback=steps.append,
    )
    assert result.losses[0] == pytest.approx(first, rel=1e-6) and steps == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: train_original(fresh(), n_iterations=5, carry_hidden="no"),
            TypeError,
            "carry_hidden must be True or False",
        ),
        (
            lambda: train_original(fresh(), n_iterations=5, callback=3),
            TypeError,
            "callback must be a function",
        ),
        (
            lambda: train(fresh(), n_iterations=1, callback="print"),
            TypeError,
            "callback must be a function",
        ),
        (
            lambda: train_original(fresh(), n_iterations=5, scheme="uniform"),
            ValueError,
            "scheme must be 'period' or 'original'",
        ),
        (
            lambda: train(fresh(), n_iterations=1, scheme="uniform"),
            ValueError,
            "scheme must be 'period' or 'original'",
        ),
    ],
)
def test_bad_choices_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
