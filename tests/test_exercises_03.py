import torch

from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.exercises import ex03
from rnnlesson.pretrained import trained_model
from rnnlesson.rollout import one_step, rmse_by_horizon


def test_distinct_windows(capsys):
    assert ex03.check_distinct_windows(3)
    assert "Correct" in capsys.readouterr().out
    assert not ex03.check_distinct_windows(6000)
    assert not ex03.check_distinct_windows(None)
    assert "Not yet" in capsys.readouterr().out


def test_small_model_error():
    torch.manual_seed(3)
    before = torch.random.get_rng_state()
    value = ex03._small_model_error()
    assert torch.equal(torch.random.get_rng_state(), before), "the checker must not reseed the learner's generator"
    assert 0 < value < 0.1
    assert ex03.check_small_model_error(value * 1.05)
    assert not ex03.check_small_model_error(value * 2)
    assert not ex03.check_small_model_error("0.01")
    assert not ex03.check_small_model_error(None)


def test_carried_first_step():
    model = trained_model()
    w = sine_windows(draw_starts(200, generator=7))
    with torch.no_grad():
        _, carried = model(sine_windows(draw_starts(200, generator=8)).x)
    zeros = rmse_by_horizon(one_step(model, w.x), w.y)[0].item()
    carry = rmse_by_horizon(one_step(model, w.x, carried), w.y)[0].item()
    assert carry > 2 * zeros  # what the notebook teaches
    assert ex03.check_carried_first_step(model, zeros, carry)
    assert not ex03.check_carried_first_step(model, carry, zeros)
    assert not ex03.check_carried_first_step(model, zeros, None)
    assert not ex03.check_carried_first_step(model, zeros * 3, carry)


def test_carried_first_step_scores_the_model_it_is_given():
    """The notebook trains its own model live; the checker must score that one, not the shipped one."""
    other = trained_model(4)  # its carried-state error differs most from seed 0's
    w = sine_windows(draw_starts(200, generator=7))
    with torch.no_grad():
        _, carried = other(sine_windows(draw_starts(200, generator=8)).x)
    zeros = rmse_by_horizon(one_step(other, w.x), w.y)[0].item()
    carry = rmse_by_horizon(one_step(other, w.x, carried), w.y)[0].item()
    assert ex03.check_carried_first_step(other, zeros, carry)
    assert not ex03.check_carried_first_step(trained_model(0), zeros, carry)


def test_carried_first_step_needs_a_model():
    import pytest

    with pytest.raises(TypeError, match="model"):
        ex03.check_carried_first_step(None, 0.1, 0.2)
