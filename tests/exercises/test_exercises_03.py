import numpy as np
import pytest
import torch

from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.exercises import ex03
from rnnlesson.pretrained import trained_model
from rnnlesson.rollout import one_step, rmse_by_horizon


def test_distinct_windows(capsys):
    assert ex03.check_distinct_windows(
        lambda starts: torch.unique(sine_windows(starts).values, dim=0).shape[0]
    )
    assert "Correct" in capsys.readouterr().out
    assert not ex03.check_distinct_windows(3)
    assert not ex03.check_distinct_windows(lambda starts: 6000)
    assert not ex03.check_distinct_windows(None)
    assert "Not yet" in capsys.readouterr().out


def test_small_model_error():
    torch.manual_seed(3)
    before = torch.random.get_rng_state()
    value = ex03._small_model_error()
    assert torch.equal(torch.random.get_rng_state(), before), (
        "the checker must not reseed the learner's generator"
    )
    assert 0 < value < 0.1
    assert ex03.check_small_model_error(value * 1.05)
    assert not ex03.check_small_model_error(value * 2)
    assert not ex03.check_small_model_error("0.01")
    assert not ex03.check_small_model_error(None)


def test_carried_first_step():
    model = trained_model()
    w = sine_windows(draw_starts(50, generator=13))
    with torch.no_grad():
        _, carried = model(sine_windows(draw_starts(50, generator=14)).x)
    zeros = rmse_by_horizon(one_step(model, w.x), w.y)[0].item()
    carry = rmse_by_horizon(one_step(model, w.x, carried), w.y)[0].item()
    assert carry > 2 * zeros  # what the notebook teaches
    assert ex03.check_carried_first_step(model, zeros, carry)
    assert not ex03.check_carried_first_step(model, carry, zeros)
    assert not ex03.check_carried_first_step(model, zeros, None)
    assert not ex03.check_carried_first_step(model, zeros * 3, carry)


def test_carried_first_step_scores_the_model_it_is_given():
    """The notebook trains its own model live; the checker must score that one, not the
    shipped one."""
    other = trained_model(4)  # its carried-state error differs most from seed 0's
    w = sine_windows(draw_starts(50, generator=13))
    with torch.no_grad():
        _, carried = other(sine_windows(draw_starts(50, generator=14)).x)
    zeros = rmse_by_horizon(one_step(other, w.x), w.y)[0].item()
    carry = rmse_by_horizon(one_step(other, w.x, carried), w.y)[0].item()
    assert ex03.check_carried_first_step(other, zeros, carry)
    assert not ex03.check_carried_first_step(trained_model(0), zeros, carry)


def test_carried_first_step_needs_a_model():
    import pytest

    with pytest.raises(TypeError, match="model"):
        ex03.check_carried_first_step(None, 0.1, 0.2)


# Exercise 4: the batched loop. Each learner loop below is one a learner could write.
def _loop(record="before", clear=True, carry=False, as_tensor=False):
    def train_batched(model, windows, n_steps, lr):
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        losses, hidden = [], None
        for _ in range(n_steps):
            if clear:
                optimizer.zero_grad()
            pred, hidden = model(windows.x, hidden if carry else None)
            hidden = hidden.detach()
            loss = torch.nn.functional.mse_loss(pred, windows.y)
            loss.backward()
            optimizer.step()
            if record == "before":
                losses.append(loss if as_tensor else loss.item())
            else:
                losses.append(
                    torch.nn.functional.mse_loss(model(windows.x)[0], windows.y).item()
                )
        return losses

    return train_batched


@pytest.mark.parametrize(
    "loop",
    [_loop(), _loop(as_tensor=True), lambda *a: np.array(_loop()(*a))],
    ids=["floats", "tensors", "numpy array"],
)
def test_batched_loop_accepts_the_loop_train_runs(loop, capsys):
    assert ex03.check_batched_loop(loop)
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize(
    "answer, hint",
    [
        (None, "replace None"),
        (3, "give a function"),
        (_loop(clear=False), "pile up"),
        (_loop(record="after"), "shifted by one step"),
        (_loop(carry=True), "zero hidden state"),
        (
            lambda model, windows, n_steps, lr: [0.5] * n_steps,
            "one backward pass per step",
        ),
        (
            lambda model, windows, n_steps, lr: _loop()(model, windows, n_steps - 1, lr),
            "one loss per step",
        ),
        (lambda model, windows, n_steps, lr: "losses", "list of numbers"),
        (lambda model, windows, n_steps, lr: [float("nan")] * n_steps, "list of numbers"),
        (lambda model, windows, n_steps, lr: 1 / 0, "raised ZeroDivisionError"),
    ],
    ids=[
        "none",
        "not a function",
        "no zero_grad",
        "recorded after the step",
        "carried state",
        "constant",
        "one step short",
        "a string",
        "nan",
        "raises",
    ],
)
def test_batched_loop_says_what_is_wrong(answer, hint, capsys):
    assert not ex03.check_batched_loop(answer)
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out, out


def test_batched_loop_compares_with_train_for_the_checkers_seed():
    # a loop that trains on seed 0's windows instead of the ones it is given is wrong
    def seed0_loop(model, windows, n_steps, lr):
        return _loop()(model, sine_windows(draw_starts(64, generator=0)), n_steps, lr)

    assert ex03.LOOP_SEED != 0 and not ex03.check_batched_loop(seed0_loop)
