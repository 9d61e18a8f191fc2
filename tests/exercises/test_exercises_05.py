"""The checkers of notebook 05, each called with a right answer and with wrong ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import torch

from rnnlesson.data import draw_starts, sine_series, sine_windows
from rnnlesson.exercises import ex05
from rnnlesson.model import SineRNN
from rnnlesson.pretrained import original_model, trained_model
from rnnlesson.rollout import rmse


@pytest.fixture(scope="module")
def model() -> Iterator[SineRNN]:
    threads = torch.get_num_threads()
    # as the notebooks' set_seed does: a 10-unit RNN trains faster on one thread
    torch.set_num_threads(1)
    try:
        yield trained_model()
    finally:
        torch.set_num_threads(threads)


@torch.no_grad()
def loop_by_hand(
    model: SineRNN, observed: torch.Tensor, warmup: int = 5, n_steps: int = 20
) -> torch.Tensor:
    """The learner's loop: one model call per point, warm-up first, then feed predictions
    back."""
    hidden = None
    for i in range(warmup):
        pred, hidden = model(observed[:, i : i + 1], hidden)
    predictions = [pred]
    for _ in range(n_steps - 1):
        pred, hidden = model(pred, hidden)
        predictions.append(pred)
    return torch.cat(predictions, dim=1)


def test_warmup_loop_right_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert ex05.check_warmup_loop(loop_by_hand) is True
    assert capsys.readouterr().out.startswith("Correct:")
    assert ex05.check_warmup_loop(lambda m, o: loop_by_hand(m, o).reshape(-1)) is True, (
        "any shape with 20 numbers"
    )


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        ("none", "replace None"),
        ("returns none", "returns None"),
        ("floats", "should be a torch.Tensor"),
        ("with warm-up outputs", "keep only the 20 predictions"),
        ("too short", "expected 20 predictions"),
        ("other start", "the predictions differ from the loop's"),
        ("a value", "pass your function itself"),
    ],
)
def test_warmup_loop_wrong_answers(
    capsys: pytest.CaptureFixture[str], wrong: str, hint: str
) -> None:
    def with_warmup_outputs(model, observed):
        outputs = [model(observed[:, i : i + 1])[0] for i in range(4)]
        return torch.cat(outputs + [loop_by_hand(model, observed)], dim=1)

    answers = {
        "none": None,
        "returns none": lambda m, o: None,
        "floats": lambda m, o: loop_by_hand(m, o).reshape(-1).tolist(),
        "with warm-up outputs": with_warmup_outputs,
        "too short": lambda m, o: loop_by_hand(m, o)[:, :10],
        "other start": lambda m, o: loop_by_hand(
            m, sine_series([0.3], n_points=25).values
        ),
        "a value": torch.zeros(1, 20, 1),
    }
    assert ex05.check_warmup_loop(answers[wrong]) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out


@pytest.fixture(scope="module")
def horizon(model: SineRNN) -> int:
    return right_horizon(model)


def right_horizon(model: SineRNN) -> int:
    """First horizon (from 1) with RMSE over the exercise's starts above the threshold,
    one horizon at a time."""
    starts = draw_starts(ex05.HORIZON_N_STARTS, generator=ex05.HORIZON_STARTS_SEED)
    series = sine_series(
        starts, n_points=ex05.HORIZON_WARMUP + ex05.HORIZON_MAX_STEPS
    ).values
    predictions = loop_batch(model, series, ex05.HORIZON_WARMUP, ex05.HORIZON_MAX_STEPS)
    for h in range(1, ex05.HORIZON_MAX_STEPS + 1):
        target = series[:, ex05.HORIZON_WARMUP + h - 1 : ex05.HORIZON_WARMUP + h]
        if rmse(predictions[:, h - 1 : h], target) > ex05.HORIZON_THRESHOLD:
            return h
    raise AssertionError("the error never exceeded the threshold")


@torch.no_grad()
def loop_batch(
    model: SineRNN, series: torch.Tensor, warmup: int, n_steps: int
) -> torch.Tensor:
    pred, hidden = model(series[:, :warmup])
    x, predictions = pred[:, -1:], [pred[:, -1:]]
    for _ in range(n_steps - 1):
        x, hidden = model(x, hidden)
        predictions.append(x)
    return torch.cat(predictions, dim=1)


def test_horizon_right_answer(
    model: SineRNN, horizon: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 49 < horizon < ex05.HORIZON_MAX_STEPS, (
        "the exercise expects an answer past the training window"
    )
    assert ex05.check_horizon(model, horizon) is True
    assert capsys.readouterr().out.startswith("Correct:")
    assert ex05.check_horizon(model, torch.tensor(horizon)) is True, (
        "a one-element tensor is accepted"
    )


@pytest.mark.parametrize(
    ("offset", "hint"),
    [
        (-1, "counted the horizons from 0"),
        (1, "warm-up of 4"),
        (-40, "not that one"),
        (None, "replace None"),
        ("text", "as an int"),
    ],
)
def test_horizon_wrong_answers(
    model: SineRNN,
    horizon: int,
    capsys: pytest.CaptureFixture[str],
    offset: object,
    hint: str,
) -> None:
    answer = {None: None, "text": str(horizon)}.get(
        offset, horizon + offset if isinstance(offset, int) else None
    )
    assert ex05.check_horizon(model, answer) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out


def test_checkers_refuse_a_model_of_another_kind() -> None:
    with pytest.raises(TypeError, match="model must be a rnnlesson.model.SineRNN"):
        ex05.check_horizon("model", 10)


@torch.no_grad()
def loop_from(
    model: SineRNN,
    observed: torch.Tensor,
    warmup: int,
    n_steps: int,
    hidden: torch.Tensor,
) -> torch.Tensor:
    """Warm-up from ``hidden``, then feed predictions back, one model call per step."""
    pred, hidden = model(observed[:, :warmup], hidden)
    x, predictions = pred[:, -1:], [pred[:, -1:]]
    for _ in range(n_steps - 1):
        x, hidden = model(x, hidden)
        predictions.append(x)
    return torch.cat(predictions, dim=1)


@pytest.fixture(scope="module")
def spread_warmup() -> int:
    """First warm-up whose spread (RMSE between the original model's rollouts from the
    states after two training windows) is below the threshold, computed with step-by-step
    loops."""
    original, _, _ = original_model()
    windows = sine_windows(
        draw_starts(ex05.SPREAD_N_STARTS, generator=ex05.SPREAD_STARTS_SEED)
    )
    states = []
    with torch.no_grad():
        for train_start in ex05.SPREAD_WINDOWS:
            _, after = original(sine_windows([train_start]).x)
            states.append(after.expand(-1, ex05.SPREAD_N_STARTS, -1).contiguous())
    for k in range(1, ex05.SPREAD_MAX_WARMUP + 1):
        first, second = (
            loop_from(original, windows.values, k, 50 - k, h) for h in states
        )
        if rmse(first, second) < ex05.SPREAD_THRESHOLD:
            return k
    raise AssertionError("the spread never fell below the threshold")


@pytest.fixture(scope="module")
def spreads() -> list[float]:
    original, _, _ = original_model()
    windows = sine_windows(
        draw_starts(ex05.SPREAD_N_STARTS, generator=ex05.SPREAD_STARTS_SEED)
    )
    with torch.no_grad():
        states = [
            original(sine_windows([s]).x)[1]
            .expand(-1, ex05.SPREAD_N_STARTS, -1)
            .contiguous()
            for s in ex05.SPREAD_WINDOWS
        ]
    return [
        rmse(*(loop_from(original, windows.values, k, 50 - k, h) for h in states))
        for k in range(1, 13)
    ]


def test_spread_warmup_right_answer(
    spread_warmup: int, spreads: list[float], capsys: pytest.CaptureFixture[str]
) -> None:
    assert 1 < spread_warmup < 10, (
        "the exercise expects an answer between the notebook's warm-ups 1 and 10"
    )
    assert ex05.check_spread_warmup(spreads, spread_warmup) is True
    assert capsys.readouterr().out.startswith("Correct:")
    assert ex05.check_spread_warmup(spreads, torch.tensor(spread_warmup)) is True, (
        "a 0-d tensor is accepted"
    )


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        ("one less", "still above"),
        ("one", "still above"),
        ("ten", "smaller warm-up already"),
        ("zero", "at least 1"),
        ("none", "replace None"),
        ("text", "as an int"),
        ("bool", "as an int"),
    ],
)
def test_spread_warmup_wrong_answers(
    spread_warmup: int,
    spreads: list[float],
    capsys: pytest.CaptureFixture[str],
    wrong: str,
    hint: str,
) -> None:
    answers = {
        "one less": spread_warmup - 1,
        "one": 1,
        "ten": 10,
        "zero": 0,
        "none": None,
        "text": str(spread_warmup),
        "bool": True,
    }
    assert ex05.check_spread_warmup(spreads, answers[wrong]) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ([0.1] * 11, "12 numbers"),
        ({k: 0.1 for k in range(0, 12)}, "keys 1 to 12"),
        ("0.1", "12 numbers"),
        ([0.5] * 12, "your spreads differ"),
    ],
    ids=["eleven", "keys from 0", "text", "made up"],
)
def test_spread_values_wrong(
    capsys: pytest.CaptureFixture[str], answer: object, hint: str
) -> None:
    assert ex05.check_spread_warmup(answer, 9) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out


@pytest.fixture(scope="module")
def explorer_warmups() -> dict[str, int]:
    """The smallest warm-up with the trained model's RMSE below the threshold at the
    Think! question's settings, from zeros and from its state after the window at
    EXPLORER_LEFT_AFTER, computed with
    step-by-step loops rather than the package's rollout."""
    model = trained_model()
    truth = sine_series(
        [ex05.EXPLORER_START], n_points=ex05.EXPLORER_MAX_WARMUP + ex05.EXPLORER_STEPS
    ).values
    with torch.no_grad():
        _, left = model(sine_windows([ex05.EXPLORER_LEFT_AFTER]).x)
        answers = {}
        for state, hidden in (("zeros", None), ("leftover", left)):
            for k in range(1, ex05.EXPLORER_MAX_WARMUP + 1):
                run = loop_from(model, truth, k, ex05.EXPLORER_STEPS, hidden)
                if (
                    rmse(run, truth[:, k : k + ex05.EXPLORER_STEPS])
                    < ex05.EXPLORER_THRESHOLD
                ):
                    answers[state] = k
                    break
    assert set(answers) == {"zeros", "leftover"}, (
        "the RMSE never fell below the threshold"
    )
    return answers


def test_explorer_warmup_right_answer(
    explorer_warmups: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    right = explorer_warmups["leftover"]
    assert right != explorer_warmups["zeros"], (
        "the question should tell the two starting states apart"
    )
    assert ex05.check_explorer_warmup(right) is True
    out = capsys.readouterr().out
    assert (
        out.startswith("Correct:")
        and f"{right - explorer_warmups['zeros']} more than from zeros" in out
    ), out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        ("zeros", "choose 'left over'"),
        ("one", "still above"),
        ("twenty", "smaller warm-up already"),
        ("zero", "runs from 1 to 20"),
        ("too many", "runs from 1 to 20"),
        ("none", "replace None"),
        ("text", "as an int"),
    ],
)
def test_explorer_warmup_wrong_answers(
    explorer_warmups: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    wrong: str,
    hint: str,
) -> None:
    answers = {
        "zeros": explorer_warmups["zeros"],
        "one": 1,
        "twenty": 20,
        "zero": 0,
        "too many": 21,
        "none": None,
        "text": "5",
    }
    assert ex05.check_explorer_warmup(answers[wrong]) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet:") and hint in out, out
