"""A "Correct" proves the skill, and a hint names the mistake that was made.

For every exercise: each shortcut (the package function the exercise asks the learner to
write, the module's own forward, a number an earlier cell prints) gets "Not yet" with a
hint that names the shortcut; each legitimate variant (a loop or a comprehension, float64
inside, torch.stack or torch.cat) gets "Correct"; and each simulated mistake gets its own
hint, which names that mistake and no other. The learners' functions below are written as
a learner would write them, not with the checkers' own simulations.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
from torch import nn

from rnnlesson import data, gradients, stacking
from rnnlesson import model as model_module
from rnnlesson.data import draw_starts, sine_series, sine_windows
from rnnlesson.exercises import ex01, ex02, ex03, ex04, ex05, ex06
from rnnlesson.model import SineRNN, count_parameters
from rnnlesson.pretrained import original_model, trained_model
from rnnlesson.rollout import one_step, rmse, rmse_by_horizon, rollout
from rnnlesson.training import train

mse = nn.functional.mse_loss
SMALL = SineRNN(hidden_size=4)  # a model a learner has built in an earlier cell


def verdict(capsys, ok: bool) -> str:
    out = capsys.readouterr().out
    assert out.count("\n") == 1, out
    assert out.startswith("Correct: " if ok else "Not yet: "), out
    return out


def names_only(out: str, hint: str, hints: dict | list) -> None:
    """The printed hint is ``hint``, and none of the other hints of the same exercise."""
    assert hint in out, out
    for other in hints.values() if isinstance(hints, dict) else hints:
        other = other[1] if isinstance(other, tuple) else other
        if other != hint:
            assert other not in out, (other, out)


# ---- 01 exercise 1: targets by hand ----------------------------------------------------


def targets_loop(start):
    dt = 10 / 49
    values = [math.sin(start + i * dt) for i in range(1, 50)]
    return torch.tensor(values).reshape(1, 49, 1)


TARGET_RIGHT = {
    "linspace": lambda s: torch.sin(torch.linspace(s, s + 10, 50))[1:].reshape(1, 49, 1),
    "a loop of math.sin": targets_loop,
    "float64 inside": lambda s: torch.sin(
        torch.linspace(s, s + 10, 50, dtype=torch.float64)
    )[1:].reshape(1, -1, 1),
    "numpy": lambda s: np.sin(np.linspace(s, s + 10, 50))[1:].reshape(1, 49, 1),
}
TARGET_MISTAKES = {
    "inputs": lambda s: torch.sin(torch.linspace(s, s + 10, 50))[:-1].reshape(1, 49, 1),
    "49 points": lambda s: torch.sin(torch.linspace(s, s + 10, 49))[1:].reshape(1, -1, 1),
    "end at 10": lambda s: torch.sin(torch.linspace(s, 10, 50))[1:].reshape(1, 49, 1),
    "start ignored": lambda s: torch.sin(torch.linspace(0, 10, 50))[1:].reshape(1, 49, 1),
}


@pytest.mark.parametrize("variant", TARGET_RIGHT)
def test_targets_by_hand_in_any_legitimate_way_is_correct(capsys, variant):
    assert ex01.check_targets(TARGET_RIGHT[variant])
    verdict(capsys, True)


@pytest.mark.parametrize("shortcut", ["sine_windows", "sine_series"])
def test_targets_from_rnnlesson_data_is_not_yet(capsys, shortcut):
    learner = {
        "sine_windows": lambda s: data.sine_windows([s]).y,
        "sine_series": lambda s: data.sine_series([s], n_points=50).y,
    }[shortcut]
    assert not ex01.check_targets(learner)
    assert f"your function called rnnlesson.data.{shortcut}" in verdict(capsys, False)
    assert data.sine_windows([0.0]).y.shape == (1, 49, 1), (
        "the shortcut is put back afterwards"
    )


@pytest.mark.parametrize("mistake", TARGET_MISTAKES)
def test_each_targets_mistake_gets_its_own_hint(capsys, mistake):
    assert set(TARGET_MISTAKES) == set(ex01.TARGET_MISTAKES)
    assert not ex01.check_targets(TARGET_MISTAKES[mistake])
    names_only(
        verdict(capsys, False), ex01.TARGET_MISTAKES[mistake], ex01.TARGET_MISTAKES
    )


def test_targets_copied_for_one_start_is_not_yet(capsys):
    copied = torch.sin(torch.linspace(2.5, 12.5, 50))[1:].reshape(1, 49, 1)
    assert not ex01.check_targets(lambda s: copied)
    assert "with start=" in verdict(capsys, False)


# ---- 01 exercises 2 and 3, 02 exercises 1 and 2: a function, called on sizes no cell use


def shapes_loop(batch):
    shapes = []
    for layout in ("batch first", "seq first"):
        first, second = (batch, 49) if layout == "batch first" else (49, batch)
        shapes.append([first, second, 1])
    return shapes


def count_loop(hidden_size, num_layers):
    total = 0
    for layer in range(num_layers):
        inputs = 1 if layer == 0 else hidden_size
        total += inputs * hidden_size + hidden_size * hidden_size + 2 * hidden_size
    return total + hidden_size + 1


def count_formula(hidden_size, num_layers):
    h = hidden_size
    return (h + h * h + 2 * h) + (num_layers - 1) * (2 * h * h + 2 * h) + h + 1


# shapes written out, counted with torch.Size.numel
def count_by_shapes(hidden_size, num_layers):
    shapes = [
        (hidden_size, 1),
        (hidden_size, hidden_size),
        (hidden_size,),
        (hidden_size,),
    ]
    shapes += [
        (hidden_size, hidden_size),
        (hidden_size, hidden_size),
        (hidden_size,),
        (hidden_size,),
    ] * (num_layers - 1)
    return sum(torch.Size(s).numel() for s in shapes + [(1, hidden_size), (1,)])


METHOD_RIGHT = {
    "shapes as tuples": (ex01.check_shapes, lambda b: ((b, 49, 1), (49, b, 1))),
    "shapes in a loop, as lists": (ex01.check_shapes, shapes_loop),
    "shapes of zeros, transposed": (
        ex01.check_shapes,
        lambda b: (
            torch.zeros(b, 49, 1).shape,
            torch.zeros(b, 49, 1).transpose(0, 1).shape,
        ),
    ),
    "shapes from N_POINTS": (
        ex01.check_shapes,
        lambda b: ((b, data.N_POINTS - 1, 1), (data.N_POINTS - 1, b, 1)),
    ),
    "time step in plain Python": (ex01.check_time_step, lambda n: 10 / (n - 1)),
    "time step from data.SPAN": (ex01.check_time_step, lambda n: data.SPAN / (n - 1)),
    "time step as a float64 tensor": (
        ex01.check_time_step,
        lambda n: torch.tensor(10.0, dtype=torch.float64) / (n - 1),
    ),
    "time step as a numpy float32": (
        ex01.check_time_step,
        lambda n: np.float32(10) / np.float32(n - 1),
    ),
    "count in a loop": (ex02.check_parameter_count, count_loop),
    "count by the formula": (ex02.check_parameter_count, count_formula),
    "count from written-out shapes": (ex02.check_parameter_count, count_by_shapes),
    "count as a numpy int": (
        ex02.check_parameter_count,
        lambda h, n: np.int64(count_formula(h, n)),
    ),
    "count with math.prod": (
        ex02.check_parameter_count,
        lambda h, n: math.prod((h, 1)) + n * (h * h + 2 * h) + (n - 1) * h * h + h + 1,
    ),
    "hidden shape as a tuple": (ex02.check_hidden_shape, lambda b, n, h: (n, b, h)),
    "hidden shape of zeros": (
        ex02.check_hidden_shape,
        lambda b, n, h: torch.zeros(n, b, h).shape,
    ),
    "hidden shape as a list": (ex02.check_hidden_shape, lambda b, n, h: [n, b, h]),
}


@pytest.mark.parametrize("variant", METHOD_RIGHT)
def test_the_sizes_exercises_in_any_legitimate_way_are_correct(capsys, variant):
    check, learner = METHOD_RIGHT[variant]
    assert check(learner)
    verdict(capsys, True)


METHOD_SHORTCUTS = [
    (
        ex01.check_shapes,
        lambda b: (
            tuple(data.sine_windows(draw_starts(b)).x.shape),
            tuple(data.sine_windows(draw_starts(b)).x.transpose(0, 1).shape),
        ),
        "rnnlesson.data.sine_windows",
    ),
    (
        ex01.check_shapes,
        lambda b: (tuple(sine_series(draw_starts(b), 50).x.shape),) * 2,
        "rnnlesson.data.sine_series",
    ),
    (
        ex01.check_time_step,
        lambda n: data.time_step(n_points=n),
        "rnnlesson.data.time_step",
    ),
    (
        ex01.check_time_step,
        lambda n: float(torch.linspace(0, 10, n).diff()[0]),
        "torch.linspace",
    ),
    (
        ex01.check_time_step,
        lambda n: float(np.diff(np.linspace(0, 10, n))[0]),
        "numpy.linspace",
    ),
    (
        ex01.check_time_step,
        lambda n: 10 / (len(data.sine_windows([0.0], n_points=n).values[0]) - 1),
        "rnnlesson.data.sine_windows",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_parameters(SineRNN(h, n)),
        "SineRNN(...)",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_parameters(model_module.seeded_model(0, h, n)),
        "seeded_model",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: sum(p.numel() for p in nn.RNN(1, h, n).parameters()) + h + 1,
        "nn.RNN(...)",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_formula(h, n)
        - (h + 1)
        + sum(p.numel() for p in nn.Linear(h, 1).parameters()),
        "nn.Linear(...)",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: sum(p.numel() for p in SMALL.parameters()),
        "a module's .parameters()",
    ),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: SineRNN(h, n)(torch.zeros(b, 49, 1))[1].shape,
        "SineRNN(...)",
    ),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: nn.RNN(1, h, n)(torch.zeros(49, b, 1))[1].shape,
        "nn.RNN(...)",
    ),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: SMALL.initial_hidden(b).shape,
        "SineRNN.initial_hidden",
    ),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: SMALL.rnn(torch.zeros(b, 49, 1))[1].shape,
        "an nn.RNN's forward",
    ),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: SMALL(torch.zeros(b, 49, 1))[1].shape,
        "a SineRNN's forward",
    ),
]


@pytest.mark.parametrize(
    ("check", "learner", "called"),
    METHOD_SHORTCUTS,
    ids=[f"{c.__name__}:{n}" for c, _, n in METHOD_SHORTCUTS],
)
def test_the_sizes_exercises_by_the_package_or_pytorch_are_not_yet(
    capsys, check, learner, called
):
    assert not check(learner)
    out = verdict(capsys, False)
    assert "asks you to compute it yourself" in out and called in out, out


def test_the_shortcuts_are_back_after_the_checker_ran(capsys):
    for check, learner, _ in METHOD_SHORTCUTS:
        check(learner)
    capsys.readouterr()
    assert (
        data.time_step(100) == 10 / 99
        and torch.linspace(0, 1, 3)[1] == 0.5
        and np.linspace(0, 1, 3)[1] == 0.5
    )
    assert count_parameters(SineRNN(32, 2)) == 3265 and "parameters" in vars(nn.Module)
    assert "forward" in vars(nn.RNN) and SMALL.initial_hidden(2).shape == (1, 2, 4)
    assert "forward" not in vars(SMALL) and "forward" not in vars(SMALL.rnn)


NUMBER_MISTAKES = [
    (ex01.check_shapes, lambda b: ((49, b, 1), (b, 49, 1)), "the two are swapped"),
    (
        ex01.check_shapes,
        lambda b: ((b, 50, 1), (50, b, 1)),
        "the input holds only the first 49",
    ),
    (
        ex01.check_shapes,
        lambda b: ((b, 49, 1), (b, 1, 49)),
        "the feature dimension stays last",
    ),
    (ex01.check_shapes, lambda b: ((b, 49), (49, b)), "keep the feature dimension"),
    (
        ex01.check_shapes,
        lambda b: ((8, 49, 1), (49, 8, 1)),
        "your shapes do not change with batch",
    ),
    (
        ex01.check_time_step,
        lambda n: 10 / n,
        "you divided the span by the number of points",
    ),
    (
        ex01.check_time_step,
        lambda n: 10 / 49,
        "the time step of the lesson's 50-point window",
    ),
    (ex01.check_time_step, lambda n: 1 / (n - 1), "a span of 10 time units, not 1"),
    (ex01.check_time_step, lambda n: 10 // (n - 1), "// rounds down to a whole number"),
    (ex01.check_time_step, lambda n: 10 / 99, "the same time step whatever n_points"),
    (
        ex02.check_parameter_count,
        lambda h, n: n * (h + h * h + 2 * h) + h + 1,
        "their W_ih is hidden * hidden",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_formula(h, 1),
        "that counts one RNN layer",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_formula(h, n) - h - 1,
        "the Linear head is missing",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_formula(h, n) - n * h,
        "you counted one",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_formula(h, n) - n * h * h,
        "you left it out",
    ),
    (
        ex02.check_parameter_count,
        lambda h, n: count_formula(h, n) + h * h - h,
        "layer 0 reads x, one value",
    ),
    (ex02.check_parameter_count, lambda h, n: 3265, "the same count whatever the sizes"),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: (b, n, h),
        "the original post's [b, layer, mem_size]",
    ),
    (ex02.check_hidden_shape, lambda b, n, h: (b, h), "that is one layer's state"),
    (ex02.check_hidden_shape, lambda b, n, h: (n, h, b), "the last two are swapped"),
    (ex02.check_hidden_shape, lambda b, n, h: (b, 49, h), "that is out's shape"),
    (
        ex02.check_hidden_shape,
        lambda b, n, h: (3, 5, 10),
        "the same shape whatever the sizes",
    ),
]


@pytest.mark.parametrize(
    ("check", "answer", "hint"),
    NUMBER_MISTAKES,
    ids=[f"{i}:{m[2][:30]}" for i, m in enumerate(NUMBER_MISTAKES)],
)
def test_each_number_mistake_gets_its_own_hint(capsys, check, answer, hint):
    assert not check(answer)
    out = verdict(capsys, False)
    same_checker = [h for c, _, h in NUMBER_MISTAKES if c is check]
    names_only(out, hint, same_checker)


@pytest.mark.parametrize(
    "check",
    [
        ex01.check_shapes,
        ex01.check_time_step,
        ex02.check_parameter_count,
        ex02.check_hidden_shape,
    ],
)
def test_the_value_typed_for_the_notebooks_case_is_no_longer_an_answer(capsys, check):
    value = {
        ex01.check_shapes: ((8, 49, 1), (49, 8, 1)),
        ex01.check_time_step: 10 / 99,
        ex02.check_parameter_count: 3265,
        ex02.check_hidden_shape: (3, 5, 10),
    }[check]
    assert not check(value)
    assert "pass your function itself" in verdict(capsys, False)


def test_no_hint_of_a_number_exercise_gives_its_value(capsys):
    for check, answer, _ in NUMBER_MISTAKES:
        check(answer)
    out = capsys.readouterr().out
    for value in (
        "3265",
        "0.1010",
        "(3, 5, 10)",
        "(8, 49, 1)",
        "(49, 8, 1)",
        "/ 99",
        "/ (n_points - 1)",
    ):
        assert value not in out, (value, out)


# ---- 02 exercise 3: two layers by hand -------------------------------------------------


def _weights(rnn, k, dtype=torch.float32):
    return [
        getattr(rnn, f"{name}_l{k}").detach().to(dtype)
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    ]


def two_layers(rnn, x, *, dtype=torch.float32, join="stack", mistake=None):
    """A learner's two layers by hand, right or with one mistake."""
    x = x.to(dtype)
    layers = [_weights(rnn, k, dtype) for k in range(2)]
    h = [torch.zeros(x.shape[0], rnn.hidden_size, dtype=dtype) for _ in range(2)]
    tops, bottoms, first = [], [], None
    for t in range(x.shape[1]):
        below, previous = x[:, t], h[0]
        for k, (w_ih, w_hh, b_ih, b_hh) in enumerate(layers):
            if k == 1 and mistake == "previous state":
                below = previous
            own = (
                torch.zeros_like(h[k])
                if (k == 1 and mistake == "no memory in layer 1")
                else h[k]
            )
            bias = b_ih if mistake == "one bias" else b_ih + b_hh
            h[k] = torch.tanh(below @ w_ih.T + own @ w_hh.T + bias)
            below = h[k]
        tops.append(h[1])
        bottoms.append(h[0])
        first = first if first is not None else [s.clone() for s in h]
    states = bottoms if mistake == "layer 0 as out" else tops
    last = first if mistake == "first step in hidden" else h
    last = last[::-1] if mistake == "layers swapped in hidden" else last
    if join == "cat":
        return torch.cat([s.unsqueeze(1) for s in states], dim=1), torch.cat(
            [s.unsqueeze(0) for s in last]
        )
    return torch.stack(states, dim=1), torch.stack(last)


def two_layers_comprehension(rnn, x):
    w = [_weights(rnn, k) for k in range(2)]
    h = [torch.zeros(x.shape[0], rnn.hidden_size) for _ in range(2)]
    out = []
    for t in range(x.shape[1]):
        h[0] = torch.tanh(x[:, t] @ w[0][0].T + h[0] @ w[0][1].T + w[0][2] + w[0][3])
        h[1] = torch.tanh(h[0] @ w[1][0].T + h[1] @ w[1][1].T + w[1][2] + w[1][3])
        out.append(h[1])
    return torch.stack([o for o in out], dim=1), torch.stack([s for s in h])


TWO_LAYER_RIGHT = {
    "a loop over layers, torch.stack": two_layers,
    "torch.cat": lambda rnn, x: two_layers(rnn, x, join="cat"),
    "float64 inside": lambda rnn, x: two_layers(rnn, x, dtype=torch.float64),
    "layers written out, comprehensions": two_layers_comprehension,
}


@pytest.mark.parametrize("variant", TWO_LAYER_RIGHT)
def test_two_layers_in_any_legitimate_way_is_correct(capsys, variant):
    assert ex02.check_two_layer(TWO_LAYER_RIGHT[variant])
    verdict(capsys, True)


@pytest.mark.parametrize(
    "shortcut",
    [
        lambda rnn, x: rnn(x),
        lambda rnn, x: rnn.forward(x),
        lambda rnn, x: tuple(t.double() for t in rnn(x)),
    ],
    ids=["rnn(x)", "rnn.forward(x)", "rnn(x) in float64"],
)
def test_two_layers_by_nn_rnn_is_not_yet(capsys, shortcut):
    assert not ex02.check_two_layer(shortcut)
    assert "your function called rnn(x)" in verdict(capsys, False)


@pytest.mark.parametrize("mistake", list(ex02.TWO_LAYER_MISTAKES))
def test_each_two_layer_mistake_gets_its_own_hint(capsys, mistake):
    assert not ex02.check_two_layer(lambda rnn, x: two_layers(rnn, x, mistake=mistake))
    names_only(
        verdict(capsys, False), ex02.TWO_LAYER_MISTAKES[mistake], ex02.TWO_LAYER_MISTAKES
    )


def test_the_seen_two_layer_mistake_names_layer_0_as_out(capsys):
    """Layer 0's states as out with a correct layer 1: the hint names that, not "layer 1
    differs"."""
    assert not ex02.check_two_layer(
        lambda rnn, x: two_layers(rnn, x, mistake="layer 0 as out")
    )
    out = verdict(capsys, False)
    assert "out holds layer 0's states" in out and "layer 1 differs" not in out


# ---- 03 exercise 1: distinct windows ---------------------------------------------------

COUNT_RIGHT = {
    "torch.unique over rows": lambda starts: torch.unique(
        sine_windows(starts).values, dim=0
    ).shape[0],
    "a set of starts": lambda starts: len(set(starts.tolist())),
    "a loop over windows": lambda starts: len(
        {tuple(w.reshape(-1).tolist()) for w in sine_windows(starts).values}
    ),
}


@pytest.mark.parametrize("variant", COUNT_RIGHT)
def test_counting_windows_in_any_legitimate_way_is_correct(capsys, variant):
    assert ex03.check_distinct_windows(COUNT_RIGHT[variant])
    verdict(capsys, True)


@pytest.mark.parametrize(
    ("learner", "hint"),
    [
        (lambda starts: 3, "your count differs"),  # the number notebook 01 prints
        (lambda starts: len(starts), "counts the draws"),
        (
            lambda starts: torch.unique(sine_windows(starts).values).numel(),
            "counts distinct numbers",
        ),
    ],
    ids=["the printed 3", "draws", "numbers"],
)
def test_each_count_mistake_gets_its_own_hint(capsys, learner, hint):
    assert not ex03.check_distinct_windows(learner)
    names_only(
        verdict(capsys, False),
        hint,
        ["your count differs", "counts the draws", "counts distinct numbers"],
    )


def test_the_number_printed_before_is_not_an_answer(capsys):
    assert not ex03.check_distinct_windows(3)
    assert "give a function" in verdict(capsys, False)


# ---- 03 exercise 2: a smaller model ----------------------------------------------------


@pytest.fixture(scope="module")
def small_errors() -> dict[str, float]:
    return ex03._small_model_errors()


@pytest.mark.parametrize("mistake", list(ex03.SMALL_MISTAKES))
def test_each_small_model_mistake_gets_its_own_hint(capsys, small_errors, mistake):
    assert not ex03.check_small_model_error(small_errors[mistake])
    names_only(verdict(capsys, False), ex03.SMALL_MISTAKES[mistake], ex03.SMALL_MISTAKES)


def test_the_small_model_recipe_without_its_seed_hears_the_recipe(capsys, small_errors):
    assert not ex03.check_small_model_error(small_errors["right"] * 1.5)
    out = verdict(capsys, False)
    assert "torch.manual_seed(0)" in out and all(
        h not in out for h in ex03.SMALL_MISTAKES.values()
    )


def test_the_small_model_mistakes_are_far_from_the_answer(small_errors):
    right = small_errors["right"]
    assert all(
        abs(v - right) > 0.2 * right for k, v in small_errors.items() if k != "right"
    ), small_errors


# ---- 03 exercise 3: the first position -------------------------------------------------

MODEL = trained_model()


def first_position(
    model, n_scored=50, scored_seed=13, n_carried=50, carried_seed=14, position=0
):
    scored = sine_windows(draw_starts(n_scored, generator=scored_seed))
    with torch.no_grad():
        _, state = model(sine_windows(draw_starts(n_carried, generator=carried_seed)).x)
    by_position = [
        rmse_by_horizon(one_step(model, scored.x, h), scored.y) for h in (None, state)
    ]
    if position is None:
        return [rmse(one_step(model, scored.x, h), scored.y) for h in (None, state)]
    return [e[position].item() for e in by_position]


def test_the_first_position_done_right_is_correct(capsys):
    assert ex03.check_carried_first_step(MODEL, *first_position(MODEL))
    verdict(capsys, True)
    assert ex03.check_carried_first_step(
        MODEL, *(torch.tensor(v, dtype=torch.float64) for v in first_position(MODEL))
    )
    verdict(capsys, True)


FIRST_MISTAKES = {
    "section 4's numbers, copied": (
        lambda: [0.148, 0.770],
        "those are section 4's windows",
    ),
    "section 4's windows": (
        lambda: first_position(MODEL, 200, 7, 200, 8),
        "those are section 4's windows",
    ),
    "swapped": (lambda: first_position(MODEL)[::-1], "the two numbers are swapped"),
    "all 49 positions": (
        lambda: first_position(MODEL, position=None),
        "over all 49 positions",
    ),
    "second position": (
        lambda: first_position(MODEL, position=1),
        "the second position's errors",
    ),
    "the original model": (
        lambda: first_position(original_model()[0]),
        "the original model's errors",
    ),
}


@pytest.mark.parametrize("mistake", FIRST_MISTAKES)
def test_each_first_position_mistake_gets_its_own_hint(capsys, mistake):
    answer, hint = FIRST_MISTAKES[mistake]
    assert not ex03.check_carried_first_step(MODEL, *answer())
    names_only(verdict(capsys, False), hint, [h for _, h in FIRST_MISTAKES.values()])


def test_the_first_position_of_an_overwritten_model_says_so(capsys):
    """The trap of `model = SineRNN(hidden_size=4)` in exercise 2, which would overwrite
    the 10-unit model."""
    from rnnlesson.model import SineRNN

    assert not ex03.check_carried_first_step(SineRNN(hidden_size=4), 0.15, 0.77)
    assert "did exercise 2 overwrite it" in verdict(capsys, False)


# ---- 03 exercise 4: the batched loop ---------------------------------------------------


def batched(mistake=None, *, use_sgd=False, as_float64=False):
    def train_batched(model, windows, n_steps, lr):
        make = (
            (lambda: torch.optim.SGD(model.parameters(), lr=lr))
            if mistake == "SGD"
            else (
                lambda: torch.optim.Adam(
                    model.parameters(), lr=1e-3 if mistake == "lr ignored" else lr
                )
            )
        )
        optimizer, hidden, losses = make(), None, []
        step = 0
        while step < n_steps:
            if mistake == "optimizer in the loop":
                optimizer = make()
            if mistake != "no zero_grad":
                optimizer.zero_grad()
            pred, hidden = model(
                windows.x, hidden if mistake == "state carried" else None
            )
            hidden = hidden.detach()
            loss = mse(pred, windows.y)
            loss.backward()
            optimizer.step()
            losses.append(
                torch.tensor(loss.item(), dtype=torch.float64)
                if as_float64
                else loss.item()
            )
            step += 1
        return losses

    return train_batched


def test_the_batched_loop_written_another_way_is_correct(capsys):
    assert ex03.check_batched_loop(batched(as_float64=True))
    verdict(capsys, True)


@pytest.mark.parametrize("mistake", list(ex03.LOOP_MISTAKES))
def test_each_batched_loop_mistake_gets_its_own_hint(capsys, mistake):
    assert not ex03.check_batched_loop(batched(mistake))
    names_only(verdict(capsys, False), ex03.LOOP_MISTAKES[mistake], ex03.LOOP_MISTAKES)


def test_the_batched_loop_by_train_is_not_yet(capsys):
    def by_train(model, windows, n_steps, lr):
        return train(model, seed=3, method="adam", n_iterations=n_steps, lr=lr).losses

    assert not ex03.check_batched_loop(by_train)
    assert "your function called train(...)" in verdict(capsys, False)


def test_the_batched_loop_with_two_backwards_per_step_is_not_yet(capsys):
    def twice(model, windows, n_steps, lr):
        optimizer, losses = torch.optim.Adam(model.parameters(), lr=lr), []
        for _ in range(n_steps):
            optimizer.zero_grad()
            loss = mse(model(windows.x)[0], windows.y)
            (loss / 2).backward(retain_graph=True)
            (loss / 2).backward()
            optimizer.step()
            losses.append(loss.item())
        return losses

    assert not ex03.check_batched_loop(twice)
    assert "one backward pass per step" in verdict(capsys, False)


# ---- 04 --------------------------------------------------------------------------------

# the parameters as the model names them, not as the checker lists them
NAMES = [name for name, _ in SineRNN().named_parameters()]


def grads_loop(frozen, optimized, set_to_none):
    states = {}
    for name in NAMES:
        if name in frozen:
            states[name] = "None"
        elif name not in optimized:
            states[name] = "nonzero"
        elif set_to_none:
            states[name] = "None"
        else:
            states[name] = "zero"
    return states


def grads_comprehension(frozen, optimized, set_to_none):
    cleared = None if set_to_none else "ZERO"  # Python's None and upper case count too
    return {
        name: None if name in frozen else cleared if name in optimized else "NonZero"
        for name in NAMES
    }


def grads_pairs(frozen, optimized, set_to_none):
    # the names read from a model
    names = [name for name, _ in SineRNN().named_parameters()]
    return [
        (
            name,
            "none"
            if name in frozen or (name in optimized and set_to_none)
            else " zero "
            if name in optimized
            else "nonzero",
        )
        for name in names
    ]


SURVIVORS_RIGHT = {
    "a loop": grads_loop,
    "a comprehension, None and upper case": grads_comprehension,
    "a list of pairs, names from a model": grads_pairs,
}


@pytest.mark.parametrize("variant", SURVIVORS_RIGHT)
def test_survivors_worked_out_in_any_legitimate_way_is_correct(capsys, variant):
    assert ex04.check_survivors(SURVIVORS_RIGHT[variant])
    verdict(capsys, True)


def run_the_code(
    frozen, optimized, set_to_none, *, measure="grad_states", clear="optimizer"
):
    """What a learner who runs the exercise's code instead of working it out would
    write."""
    model = SineRNN()
    for name, p in model.named_parameters():
        p.requires_grad_(name not in frozen)
    params = [p for name, p in model.named_parameters() if name in optimized]
    optimizer = torch.optim.SGD(params, lr=0.01)
    windows = sine_windows([0.0, 1.0])
    loss = mse(model(windows.x)[0], windows.y)
    if measure == "autograd.grad":
        wanted = [p for p in model.parameters() if p.requires_grad]
        for p, g in zip(wanted, torch.autograd.grad(loss, wanted)):
            p.grad = g
    elif measure == "autograd.backward":
        torch.autograd.backward(loss)
    elif measure == "gradients set by hand":
        for p in model.parameters():
            p.grad = torch.ones_like(p) if p.requires_grad else None
    else:
        loss.backward()
    if clear == "model":
        model.zero_grad(set_to_none=set_to_none)
    elif clear == "by hand":
        for p in params:
            if p.grad is not None:
                p.grad = None if set_to_none else torch.zeros_like(p)
    else:
        optimizer.zero_grad(set_to_none=set_to_none)
    if measure == "by hand":
        return {
            name: "None" if p.grad is None else "nonzero" if p.grad.any() else "zero"
            for name, p in model.named_parameters()
        }
    return gradients.grad_states(model)


ORIGINALS = {
    (owner, attribute): getattr(owner, attribute)
    for owner, attribute, _ in ex04.SURVIVOR_SHORTCUTS
}
# how the learner's function measures instead of reasoning -> what the hint names
SURVIVOR_SHORTCUTS = {
    "backward() and grad_states": ({}, "backward()"),
    "torch.autograd.grad": ({"measure": "autograd.grad"}, "torch.autograd.grad"),
    "torch.autograd.backward": (
        {"measure": "autograd.backward"},
        "torch.autograd.backward",
    ),
    "optimizer.zero_grad on gradients set by hand": (
        {"measure": "gradients set by hand"},
        "an optimizer's zero_grad()",
    ),
    "model.zero_grad on gradients set by hand": (
        {"measure": "gradients set by hand", "clear": "model"},
        "a module's zero_grad()",
    ),
    "grad_states on gradients set and cleared by hand": (
        {"measure": "gradients set by hand", "clear": "by hand"},
        "grad_states",
    ),
}


@pytest.mark.parametrize("shortcut", SURVIVOR_SHORTCUTS)
def test_survivors_measured_by_running_the_code_is_not_yet(capsys, shortcut):
    how, called = SURVIVOR_SHORTCUTS[shortcut]
    assert not ex04.check_survivors(lambda *case: run_the_code(*case, **how))
    out = verdict(capsys, False)
    assert (
        "this exercise asks you to work it out from the rules, without running the "
        f"code, but your function called {called}." in out
    ), out
    assert [getattr(owner, attribute) for owner, attribute in ORIGINALS] == list(
        ORIGINALS.values()
    ), "the shortcuts are put back afterwards"


def test_survivors_from_the_checkers_own_rule_is_not_yet(capsys):
    assert not ex04.check_survivors(lambda *case: ex04._by_rule(*case))
    assert "your function called the checker's own rule." in verdict(capsys, False)


def grads_mistaken(frozen, optimized, set_to_none, mistake):
    """grads_loop with one mistake a learner makes, written as a learner would write
    it."""
    states = {}
    for name in NAMES:
        if name in frozen and mistake == "frozen made zero":
            states[name] = "zero" if name in optimized and not set_to_none else "None"
        elif name in frozen and mistake == "frozen gradient zero":
            states[name] = "None" if name in optimized and set_to_none else "zero"
        elif name in frozen and mistake != "frozen ignored":
            states[name] = "None"
        elif name not in optimized and mistake != "optimizer ignored":
            states[name] = "nonzero"
        elif mistake == "set_to_none ignored":
            states[name] = "zero"
        elif mistake == "set_to_none ignored, None":
            states[name] = "None"
        elif mistake == "set_to_none reversed":
            states[name] = "zero" if set_to_none else "None"
        else:
            states[name] = "None" if set_to_none else "zero"
    return states


@pytest.mark.parametrize(
    "mistake", [*ex04.SURVIVOR_MISTAKES, "set_to_none ignored, None"]
)
def test_each_survivors_mistake_gets_its_own_hint(capsys, mistake):
    assert not ex04.check_survivors(lambda *case: grads_mistaken(*case, mistake))
    hint = ex04.SURVIVOR_MISTAKES[mistake.removesuffix(", None")]
    names_only(verdict(capsys, False), hint, ex04.SURVIVOR_MISTAKES)


def test_a_survivors_mistake_the_checker_does_not_simulate_gets_the_questions_to_ask(
    capsys,
):
    # the optimizer's parameters survive, the others are cleared
    def swapped(frozen, optimized, set_to_none):
        return {
            name: "None" if name in frozen else "nonzero" if name in optimized else "zero"
            for name in NAMES
        }

    assert not ex04.check_survivors(swapped)
    out = verdict(capsys, False)
    assert "states are wrong (" in out and "did backward() give it a .grad" in out, out
    for hint in ex04.SURVIVOR_MISTAKES.values():
        assert hint not in out


def accumulate(model, x, y, n_micro, *, how="chunk", mistake=None):
    if mistake != "no clearing":
        model.zero_grad()
    size = x.shape[0] // n_micro
    parts = (
        [(x[i : i + size], y[i : i + size]) for i in range(0, x.shape[0], size)]
        if how == "slices"
        else list(zip(x.chunk(n_micro), y.chunk(n_micro)))
    )
    if mistake == "one full-batch backward":
        model.zero_grad()
        mse(model(x)[0], y).backward()
        return
    if mistake == "losses summed, one backward":
        sum(mse(model(a)[0], b) / n_micro for a, b in parts).backward()
        return
    for a, b in parts:
        if mistake == "clearing inside":
            model.zero_grad()
        loss = mse(
            model(a.double() if how == "float64" else a)[0],
            b.double() if how == "float64" else b,
        )
        scale = {"unscaled": 1, "scaled twice": n_micro * n_micro}.get(mistake, n_micro)
        (loss / scale).backward()


@pytest.mark.parametrize("how", ["chunk", "slices"])
def test_accumulating_in_any_legitimate_way_is_correct(capsys, how):
    assert ex04.check_accumulate(lambda *a: accumulate(*a, how=how))
    verdict(capsys, True)


ACCUMULATE_MISTAKES = {
    "one full-batch backward": "backward pass(es) over the whole batch",
    "losses summed, one backward": "backward pass(es) over the whole batch",
    "no clearing": "the old gradients are still in .grad",
    "clearing inside": "only the last micro-batch's gradient is left",
    "unscaled": "times too big",
    "scaled twice": "times too small",
}


@pytest.mark.parametrize("mistake", ACCUMULATE_MISTAKES)
def test_each_accumulate_mistake_gets_its_own_hint(capsys, mistake):
    assert not ex04.check_accumulate(lambda *a: accumulate(*a, mistake=mistake))
    names_only(verdict(capsys, False), ACCUMULATE_MISTAKES[mistake], ACCUMULATE_MISTAKES)


@pytest.mark.parametrize(
    ("scales", "hint"),
    [
        ((0.5, 0.5), "equal factors"),
        ((1 / 40, 1 / 24), "undoes its mean"),
        ((24 / 64, 40 / 64), "swapped"),
        ((40, 24), "back into sums"),
    ],
    ids=["equal", "one over size", "swapped", "sizes"],
)
def test_each_scales_mistake_gets_its_own_hint(capsys, scales, hint):
    assert not ex04.check_scales(scales)
    names_only(
        verdict(capsys, False),
        hint,
        ["equal factors", "undoes its mean", "swapped", "back into sums"],
    )


# ---- 05 exercise 1: the warm-up loop ---------------------------------------------------


def warmup_loop(model, observed, *, mistake=None, join="cat", warmup=5):
    """A learner's warm-up loop, right or with one mistake."""
    if mistake == "warm-up 4":
        warmup = 4
    if mistake == "warm-up 6":
        warmup = 6
    if mistake == "ignores observed":
        observed = sine_series([2.0], n_points=25).values
    hidden, predictions = None, []
    with torch.no_grad():
        for i in range(warmup):
            pred, new_hidden = model(observed[:, i : i + 1], hidden)
            hidden = None if mistake == "state not carried" else new_hidden
        for k in range(20):
            predictions.append(pred)
            step_in = (
                observed[:, warmup + k : warmup + k + 1]
                if mistake == "teacher forced"
                else pred
            )
            if mistake == "teacher forced" and step_in.shape[1] == 0:
                break
            pred, new_hidden = model(step_in, hidden)
            hidden = None if mistake == "state not carried" else new_hidden
    if mistake == "teacher forced" and len(predictions) < 20:
        predictions.append(pred)
    if join == "stack":
        return torch.stack([p.reshape(1) for p in predictions[:20]], dim=1)
    return torch.cat(predictions[:20], dim=1)


def warmup_loop_in_one_call(model, observed):
    pred, hidden = model(observed[:, :5])
    pred, predictions = pred[:, -1:], []
    for _ in range(20):
        predictions.append(pred)
        pred, hidden = model(pred, hidden)
    return torch.cat(predictions, dim=1)


@pytest.mark.parametrize(
    "variant",
    [
        lambda m, o: warmup_loop(m, o),
        lambda m, o: warmup_loop(m, o, join="stack"),
        lambda m, o: warmup_loop(m, o).double().numpy(),
        lambda m, o: warmup_loop(m, o).reshape(20),
    ],
    ids=["torch.cat", "torch.stack", "numpy float64", "shape [20]"],
)
def test_the_warmup_loop_in_any_legitimate_way_is_correct(capsys, variant):
    assert ex05.check_warmup_loop(variant)
    verdict(capsys, True)


@pytest.mark.parametrize(
    "shortcut",
    [
        lambda m, o: rollout(m, o, n_steps=20, warmup=5),
        lambda m, o: __import__("rnnlesson.rollout", fromlist=["rollout"]).rollout(
            m, o, n_steps=20, warmup=5
        ),
    ],
    ids=["rollout", "rnnlesson.rollout.rollout"],
)
def test_the_warmup_loop_by_rollout_is_not_yet(capsys, shortcut):
    assert not ex05.check_warmup_loop(shortcut)
    assert "your function called rollout(...)" in verdict(capsys, False)
    assert rollout(MODEL, sine_series([0.0], n_points=5).values, n_steps=2).shape == (
        1,
        2,
        1,
    ), "put back"


def test_the_warmup_loop_in_one_call_is_not_yet(capsys):
    assert not ex05.check_warmup_loop(warmup_loop_in_one_call)
    assert "one at a time" in verdict(capsys, False)


@pytest.mark.parametrize("mistake", list(ex05.LOOP_MISTAKES))
def test_each_warmup_loop_mistake_gets_its_own_hint(capsys, mistake):
    assert not ex05.check_warmup_loop(lambda m, o: warmup_loop(m, o, mistake=mistake))
    names_only(verdict(capsys, False), ex05.LOOP_MISTAKES[mistake], ex05.LOOP_MISTAKES)


def test_the_warmup_loop_returning_a_list_is_not_yet(capsys):
    assert not ex05.check_warmup_loop(
        lambda m, o: list(warmup_loop(m, o).split(1, dim=1))
    )
    assert "join them into one" in verdict(capsys, False)


# ---- 05 exercise 2: how far ahead? -----------------------------------------------------


def horizon(model, warmup=5, shift=0, counted_from=1):
    series = sine_series(draw_starts(200, generator=0), n_points=warmup + 301).values
    errors = rmse_by_horizon(
        rollout(model, series, n_steps=300, warmup=warmup),
        series[:, warmup + shift : warmup + shift + 300],
    )
    return int(torch.nonzero(errors > 0.1)[0]) + counted_from


HORIZON_MISTAKES = {
    "counted from 0": lambda: horizon(MODEL, counted_from=0),
    "warm-up 4": lambda: horizon(MODEL, warmup=4),
    "warm-up 6": lambda: horizon(MODEL, warmup=6),
    "misaligned truth": lambda: horizon(MODEL, shift=-1),
}


def test_the_horizon_is_correct_and_its_mistakes_are_distinct(capsys):
    assert ex05.check_horizon(MODEL, horizon(MODEL))
    verdict(capsys, True)
    answers = [horizon(MODEL)] + [f() for f in HORIZON_MISTAKES.values()]
    assert len(set(answers)) == len(answers), answers


@pytest.mark.parametrize("mistake", HORIZON_MISTAKES)
def test_each_horizon_mistake_gets_its_own_hint_without_the_answer(capsys, mistake):
    assert not ex05.check_horizon(MODEL, HORIZON_MISTAKES[mistake]())
    out = verdict(capsys, False)
    names_only(out, ex05.HORIZON_MISTAKES[mistake], ex05.HORIZON_MISTAKES)
    assert (
        str(horizon(MODEL)) not in out
        and "off by one" not in out
        and "one too far" not in out
    )


# ---- 05 exercise 3: when does the starting state stop mattering? -----------------------

ORIGINAL = original_model()[0]


def spreads(
    n_steps=lambda k: 50 - k, against_truth=False, as_dict=True, dtype=torch.float32
):
    windows = sine_windows(draw_starts(200, generator=1))
    model = ORIGINAL if dtype == torch.float32 else original_model()[0].to(dtype)
    values = windows.values.to(dtype)
    with torch.no_grad():
        after = {s: model(sine_windows([s]).x.to(dtype))[1] for s in (0, 2)}
    found = {}
    for k in range(1, 13):
        run_0, run_2 = (
            rollout(
                model,
                values,
                n_steps=n_steps(k),
                warmup=k,
                hidden=after[s].repeat(1, 200, 1),
            )
            for s in (0, 2)
        )
        found[k] = rmse(run_0, values[:, k : k + n_steps(k)] if against_truth else run_2)
    return found if as_dict else [found[k] for k in range(1, 13)]


def test_the_spreads_in_any_legitimate_form_are_correct(capsys):
    for answer in (
        spreads(),
        spreads(as_dict=False),
        torch.tensor(spreads(as_dict=False)),
        spreads(dtype=torch.float64),
    ):
        assert ex05.check_spread_warmup(answer, 9)
        verdict(capsys, True)


SPREAD_MISTAKES = {
    # the issue's shortcut: it also answers 9
    "fixed 40 steps": lambda: spreads(n_steps=lambda k: 40),
    "fixed 49 steps": lambda: spreads(n_steps=lambda k: 49),
    "49 - k steps": lambda: spreads(n_steps=lambda k: 49 - k),
    "against the truth": lambda: spreads(against_truth=True),
}


@pytest.mark.parametrize("mistake", SPREAD_MISTAKES)
def test_each_spread_mistake_gets_its_own_hint(capsys, mistake):
    found = SPREAD_MISTAKES[mistake]()
    answer = min((k for k, s in found.items() if s < 0.02), default=12)
    assert not ex05.check_spread_warmup(found, answer)
    names_only(
        verdict(capsys, False), ex05.SPREAD_MISTAKES[mistake], ex05.SPREAD_MISTAKES
    )


def test_the_issues_shortcut_of_40_steps_would_have_answered_right():
    found = SPREAD_MISTAKES["fixed 40 steps"]()
    assert min(k for k, s in found.items() if s < 0.02) == 9


def test_the_warmup_alone_is_no_longer_an_answer(capsys):
    assert not ex05.check_spread_warmup(None, 9)
    assert "replace None" in verdict(capsys, False)


# ---- 06 --------------------------------------------------------------------------------


def row_index(sequence, step, batch, seq_len, batch_first):
    return sequence * seq_len + step if batch_first else step * batch + sequence


def row_index_by_loop(sequence, step, batch, seq_len, batch_first):
    row = 0
    for outer in range(batch if batch_first else seq_len):
        for inner in range(seq_len if batch_first else batch):
            if (outer, inner) == ((sequence, step) if batch_first else (step, sequence)):
                return row
            row += 1
    return -1


@pytest.mark.parametrize(
    "learner", [row_index, row_index_by_loop], ids=["formula", "a loop"]
)
def test_the_row_index_in_any_legitimate_way_is_correct(capsys, learner):
    assert ex06.check_row_index(learner)
    verdict(capsys, True)


def test_the_row_index_by_row_origin_is_not_yet(capsys):
    def by_table(sequence, step, batch, seq_len, batch_first):
        table = stacking.row_origin(
            batch, seq_len, "batch_first" if batch_first else "seq_first"
        ).tolist()
        return table.index([sequence, step])

    assert not ex06.check_row_index(by_table)
    assert "your function called stacking.row_origin" in verdict(capsys, False)


@pytest.mark.parametrize("mistake", list(ex06.ROW_MISTAKES))
def test_each_row_mistake_gets_its_own_hint_without_the_row(capsys, mistake):
    formula, hint = ex06.ROW_MISTAKES[mistake]
    learner = {
        "layouts swapped": lambda s, t, b, n, bf: row_index(s, t, b, n, not bf)
        if b != n
        else t * b + s
        if bf
        else s * n + t,
        "batch for seq_len": lambda s, t, b, n, bf: s * b + t if bf else t * b + s,
        "seq_len for batch": lambda s, t, b, n, bf: s * n + t if bf else t * n + s,
        "counted from 1": lambda s, t, b, n, bf: row_index(s, t, b, n, bf) + 1,
    }[mistake]
    assert not ex06.check_row_index(learner)
    out = verdict(capsys, False)
    names_only(out, hint, [h for _, h in ex06.ROW_MISTAKES.values()])
    assert (
        not re.search(r"sequence \d+ step \d+", out) and "your function gave" not in out
    )


UNSTACK_RIGHT = {
    "reshape then transpose": lambda rows, b, n: rows.reshape(n, b, -1).transpose(0, 1),
    "view then permute": lambda rows, b, n: rows.view(n, b, rows.shape[1]).permute(
        1, 0, 2
    ),
    "torch.stack of slices": lambda rows, b, n: torch.stack(
        [rows[i::b] for i in range(b)]
    ),
}


@pytest.mark.parametrize("variant", UNSTACK_RIGHT)
def test_unstacking_in_any_legitimate_way_is_correct(capsys, variant):
    assert ex06.check_unstack_seq_first(UNSTACK_RIGHT[variant])
    verdict(capsys, True)


@pytest.mark.parametrize(
    ("learner", "hint"),
    [
        (
            lambda rows, b, n: stacking.unstack(rows, b, n, "seq_first"),
            "your function called stacking.unstack",
        ),
        (
            lambda rows, b, n: rows.reshape(b, n, -1),
            ex06.UNSTACK_MISTAKES["plain reshape"],
        ),
        (
            lambda rows, b, n: rows.reshape(n, b, 1).transpose(0, 1),
            ex06.UNSTACK_MISTAKES["k fixed to 1"],
        ),
        (lambda rows, b, n: rows.reshape(n, b, -1), "still seq first"),
    ],
    ids=["stacking.unstack", "plain reshape", "k fixed to 1", "no transpose"],
)
def test_each_unstack_shortcut_and_mistake_gets_its_own_hint(capsys, learner, hint):
    assert not ex06.check_unstack_seq_first(learner)
    names_only(
        verdict(capsys, False),
        hint,
        list(ex06.UNSTACK_MISTAKES.values()) + ["still seq first"],
    )


def fixed_forward(model, x, *, join="reshape", dtype=torch.float32):
    out, hidden = model.rnn(x)
    rows = model.linear(out.reshape(-1, model.hidden_size))
    if join == "unstack":
        return stacking.unstack(rows, x.shape[0], x.shape[1], "batch_first"), hidden
    return rows.reshape(x.shape[0], x.shape[1], 1).to(dtype), hidden.to(dtype)


@pytest.mark.parametrize("variant", ["reshape", "unstack", "float64"])
def test_the_fixed_forward_in_any_legitimate_way_is_correct(capsys, variant):
    learner = {
        "reshape": fixed_forward,
        "unstack": lambda m, x: fixed_forward(m, x, join="unstack"),
        "float64": lambda m, x: fixed_forward(m, x, dtype=torch.float64),
    }[variant]
    assert ex06.check_fixed_forward(learner)
    verdict(capsys, True)


@pytest.mark.parametrize(
    "shortcut",
    [lambda m, x: m(x), lambda m, x: m.forward(x)],
    ids=["model(x)", "model.forward(x)"],
)
def test_the_fixed_forward_by_the_models_forward_is_not_yet(capsys, shortcut):
    assert not ex06.check_fixed_forward(shortcut)
    assert "your function called model(x)" in verdict(capsys, False)


def _unsqueezed(m, x):
    out, hidden = m.rnn(x)
    return m.linear(out.reshape(-1, m.hidden_size)).unsqueeze(0), hidden


def _seq_first(m, x):
    out, hidden = m.rnn(x)
    return m.linear(out.reshape(-1, m.hidden_size)).reshape(
        x.shape[1], x.shape[0], 1
    ).transpose(0, 1), hidden


def _on_hidden(m, x):
    out, hidden = m.rnn(x)
    return m.linear(hidden[-1]).unsqueeze(1).expand(x.shape[0], x.shape[1], 1), hidden


def _fixed_sizes(m, x):
    out, hidden = m.rnn(x)
    return m.linear(out.reshape(-1, m.hidden_size)).reshape(x.shape[0], 49, 1), hidden


@pytest.mark.parametrize(
    ("learner", "mistake"),
    [
        (_unsqueezed, "unsqueeze(0)"),
        (_seq_first, "seq-first unstack"),
        (_on_hidden, "linear on hidden"),
        (_fixed_sizes, "fixed sizes"),
    ],
)
def test_each_fixed_forward_mistake_gets_its_own_hint(capsys, learner, mistake):
    assert not ex06.check_fixed_forward(learner)
    names_only(
        verdict(capsys, False), ex06.FORWARD_MISTAKES[mistake], ex06.FORWARD_MISTAKES
    )


# ---- the shortcuts are put back, whatever the learner's function does ------------------


def test_every_shortcut_is_put_back_after_the_check():
    from rnnlesson import rollout as rollouts
    from rnnlesson import training

    def shortcuts():
        return (
            data.sine_windows,
            data.sine_series,
            data.time_step,
            rollouts.rollout,
            training.train,
            stacking.row_origin,
            stacking.unstack,
        )

    before = shortcuts()
    ex01.check_targets(lambda s: 1 / 0)
    ex05.check_warmup_loop(lambda m, o: 1 / 0)
    ex06.check_row_index(lambda *a: 1 / 0)
    ex06.check_unstack_seq_first(lambda *a: 1 / 0)
    ex03.check_batched_loop(lambda *a: 1 / 0)
    assert before == shortcuts()
    assert "forward" not in vars(MODEL)
