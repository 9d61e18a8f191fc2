"""The checkers of notebook 05, each called with a right answer and with wrong ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch

from rnnlesson.data import draw_starts, sine_series
from rnnlesson.exercises import ex05
from rnnlesson.model import SineRNN
from rnnlesson.pretrained import trained_model
from rnnlesson.rollout import rmse


@pytest.fixture(scope="module")
def model() -> Iterator[SineRNN]:
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the notebooks' set_seed does: a 10-unit RNN trains faster on one thread
    try:
        yield trained_model()
    finally:
        torch.set_num_threads(threads)


@torch.no_grad()
def loop_by_hand(model: SineRNN, start: float, warmup: int, n_steps: int) -> torch.Tensor:
    """The learner's loop: one model call per point, warm-up first, then feed predictions back."""
    observed = sine_series([start], n_points=warmup + n_steps).values
    hidden = None
    for i in range(warmup):
        pred, hidden = model(observed[:, i : i + 1], hidden)
    predictions = [pred]
    for _ in range(n_steps - 1):
        pred, hidden = model(pred, hidden)
        predictions.append(pred)
    return torch.cat(predictions, dim=1)


def test_warmup_loop_right_answer(model: SineRNN, capsys: pytest.CaptureFixture[str]) -> None:
    answer = loop_by_hand(model, ex05.LOOP_START, ex05.LOOP_WARMUP, ex05.LOOP_STEPS)
    assert list(answer.shape) == [1, ex05.LOOP_STEPS, 1]
    assert ex05.check_warmup_loop(model, answer) is True
    assert capsys.readouterr().out.startswith("Correct:")
    assert ex05.check_warmup_loop(model, answer.reshape(-1)) is True, "any shape with 20 numbers is accepted"


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        ("none", "replace None"),
        ("list", "should be a torch.Tensor"),
        ("warmup 4", "off by one"),
        ("warmup 6", "off by one"),
        ("with warm-up outputs", "keep only the 20 predictions"),
        ("too short", "expected 20 predictions"),
        ("teacher forced", "one-step predictions"),
        ("other start", "differ from the rollout"),
    ],
)
def test_warmup_loop_wrong_answers(
    model: SineRNN, capsys: pytest.CaptureFixture[str], wrong: str, hint: str
) -> None:
    start, warmup, n_steps = ex05.LOOP_START, ex05.LOOP_WARMUP, ex05.LOOP_STEPS
    observed = sine_series([start], n_points=warmup + n_steps).values
    answers = {
        "none": None,
        "list": loop_by_hand(model, start, warmup, n_steps).reshape(-1).tolist(),
        "warmup 4": loop_by_hand(model, start, warmup - 1, n_steps),
        "warmup 6": loop_by_hand(model, start, warmup + 1, n_steps),
        "with warm-up outputs": torch.cat(
            [model(observed[:, : warmup - 1])[0].detach(), loop_by_hand(model, start, warmup, n_steps)], dim=1
        ),
        "too short": loop_by_hand(model, start, warmup, n_steps)[:, :10],
        "teacher forced": model(observed)[0].detach()[:, warmup - 1 : warmup - 1 + n_steps],
        "other start": loop_by_hand(model, start + 0.5, warmup, n_steps),
    }
    assert ex05.check_warmup_loop(model, answers[wrong]) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out


@pytest.fixture(scope="module")
def horizon(model: SineRNN) -> int:
    return right_horizon(model)


def right_horizon(model: SineRNN) -> int:
    """First horizon (from 1) with RMSE over the exercise's starts above the threshold, one horizon at a time."""
    starts = draw_starts(ex05.HORIZON_N_STARTS, generator=ex05.HORIZON_STARTS_SEED)
    series = sine_series(starts, n_points=ex05.HORIZON_WARMUP + ex05.HORIZON_MAX_STEPS).values
    predictions = loop_batch(model, series, ex05.HORIZON_WARMUP, ex05.HORIZON_MAX_STEPS)
    for h in range(1, ex05.HORIZON_MAX_STEPS + 1):
        target = series[:, ex05.HORIZON_WARMUP + h - 1 : ex05.HORIZON_WARMUP + h]
        if rmse(predictions[:, h - 1 : h], target) > ex05.HORIZON_THRESHOLD:
            return h
    raise AssertionError("the error never exceeded the threshold")


@torch.no_grad()
def loop_batch(model: SineRNN, series: torch.Tensor, warmup: int, n_steps: int) -> torch.Tensor:
    pred, hidden = model(series[:, :warmup])
    x, predictions = pred[:, -1:], [pred[:, -1:]]
    for _ in range(n_steps - 1):
        x, hidden = model(x, hidden)
        predictions.append(x)
    return torch.cat(predictions, dim=1)


def test_horizon_right_answer(model: SineRNN, horizon: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert 49 < horizon < ex05.HORIZON_MAX_STEPS, "the exercise expects an answer past the training window"
    assert ex05.check_horizon(model, horizon) is True
    assert capsys.readouterr().out.startswith("Correct:")
    assert ex05.check_horizon(model, torch.tensor(horizon)) is True, "a one-element tensor is accepted"


@pytest.mark.parametrize(
    ("offset", "hint"),
    [(-1, "off by one"), (1, "one too far"), (-40, "not that one"), (None, "replace None"), ("text", "as an int")],
)
def test_horizon_wrong_answers(
    model: SineRNN, horizon: int, capsys: pytest.CaptureFixture[str], offset: object, hint: str
) -> None:
    answer = {None: None, "text": str(horizon)}.get(offset, horizon + offset if isinstance(offset, int) else None)
    assert ex05.check_horizon(model, answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out


def test_checkers_refuse_a_model_of_another_kind() -> None:
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        ex05.check_warmup_loop(torch.nn.RNN(1, 10), torch.zeros(20))
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        ex05.check_horizon("model", 10)
