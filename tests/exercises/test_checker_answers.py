"""The one rule for the exercise checkers, tested on every checker: any answer a learner
can type gets "Correct" only when it is right in value and shape, and otherwise one "Not
yet" line,
never a traceback. Right answers count in any numeric type. A table of garbage, odd-type
and wrong-shape answers goes through every checker; Hypothesis looks for shape holes."""

from __future__ import annotations

import functools
import importlib

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from rnnlesson.data import sine_series, sine_windows
from rnnlesson.exercises import ex01, ex02, ex03, ex04, ex05, ex06
from rnnlesson.pretrained import trained_model
from rnnlesson.rollout import rmse_by_horizon, one_step, rollout
from rnnlesson.data import draw_starts

MODEL = trained_model()
SPREADS = ex05._spread_by_warmup()[: ex05.SPREAD_ASKED].tolist()
META = torch.zeros(1, 49, 1, device="meta")

# Every place a learner's answer goes: (label, checker with the answer in that place).
SLOTS = {
    "ex01.check_targets": ex01.check_targets,
    # the exercises that take a function: the answer is what the learner's function
    # returns for the checker's first case, the other cases answered right
    "ex01.check_shapes(batch_first)": lambda a: ex01.check_shapes(
        lambda b: (a if b == ex01.SHAPE_BATCHES[0] else (b, 49, 1), (49, b, 1))
    ),
    "ex01.check_shapes(seq_first)": lambda a: ex01.check_shapes(
        lambda b: ((b, 49, 1), a if b == ex01.SHAPE_BATCHES[0] else (49, b, 1))
    ),
    "ex01.check_time_step": lambda a: ex01.check_time_step(
        lambda n: a if n == 100 else 10 / (n - 1)
    ),
    "ex02.check_parameter_count": lambda a: ex02.check_parameter_count(
        lambda h, n: a if (h, n) == ex02.COUNT_CASES[0] else ex02._count(h, n)
    ),
    "ex02.check_hidden_shape": lambda a: ex02.check_hidden_shape(
        lambda b, n, h: a if (b, n, h) == ex02.HIDDEN_CASES[0] else (n, b, h)
    ),
    "ex02.check_two_layer": ex02.check_two_layer,
    "ex03.check_distinct_windows": ex03.check_distinct_windows,
    "ex03.check_small_model_error": ex03.check_small_model_error,
    "ex03.check_carried_first_step(zeros)": lambda a: ex03.check_carried_first_step(
        MODEL, a, 0.01
    ),
    "ex03.check_carried_first_step(carried)": lambda a: ex03.check_carried_first_step(
        MODEL, 0.01, a
    ),
    "ex03.check_batched_loop": ex03.check_batched_loop,
    "ex04.check_survivors": ex04.check_survivors,
    "ex04.check_survivors(returns)": lambda a: ex04.check_survivors(lambda *case: a),
    "ex04.check_accumulate": ex04.check_accumulate,
    "ex04.check_scales": ex04.check_scales,
    "ex05.check_warmup_loop": ex05.check_warmup_loop,
    "ex05.check_horizon": lambda a: ex05.check_horizon(MODEL, a),
    "ex05.check_spread_warmup(spreads)": lambda a: ex05.check_spread_warmup(a, 9),
    "ex05.check_spread_warmup(warmup)": lambda a: ex05.check_spread_warmup(SPREADS, a),
    "ex05.check_explorer_warmup": ex05.check_explorer_warmup,
    "ex01.check_think_post_starts": ex01.check_think_post_starts,
    "ex01.check_think_count_changes": ex01.check_think_count_changes,
    "ex01.check_think_two_points(inputs)": lambda a: ex01.check_think_two_points(a, 1),
    "ex01.check_think_two_points(targets)": lambda a: ex01.check_think_two_points(1, a),
    "ex05.check_think_largest_error": ex05.check_think_largest_error,
    "ex05.check_think_leftover(original)": lambda a: ex05.check_think_leftover(a, "hurt"),
    "ex05.check_think_leftover(trained)": lambda a: ex05.check_think_leftover(
        "depend", a
    ),
    "ex05.check_think_second_point": ex05.check_think_second_point,
    "ex05.check_think_on_truth": ex05.check_think_on_truth,
    "ex05.check_think_step_49": ex05.check_think_step_49,
    "ex06.check_row_index": ex06.check_row_index,
    "ex06.check_unstack_seq_first": ex06.check_unstack_seq_first,
    "ex06.check_fixed_forward": ex06.check_fixed_forward,
}


def raises(*args):
    raise RuntimeError("boom")


class Weird:
    """An object that refuses every comparison and conversion."""

    def __eq__(self, other):
        raise TypeError("no comparing")

    __ne__ = __lt__ = __gt__ = __le__ = __ge__ = __eq__

    def __float__(self):
        raise TypeError("no float")

    def __bool__(self):
        raise TypeError("no truth")

    def __len__(self):
        raise TypeError("no len")


def double_everything(*args):
    """A learner's function that turns the model and its inputs to float64 and returns
    them."""
    out = tuple(
        a.double() if isinstance(a, (torch.Tensor, nn.Module)) else a for a in args
    )
    for a in out:
        if isinstance(a, nn.Module):
            a.zero_grad()
            nn.functional.mse_loss(a(out[1])[0], out[2].double()).backward()
    return out


# Answers no checker should accept: garbage, odd types, numbers of every awkward kind,
# wrong shapes, and functions that return such things or raise.
GARBAGE = [
    None,
    "",
    "abc",
    "0.101",
    b"x",
    [],
    [None],
    {},
    {"a": 1},
    (),
    (1, 2, 3),
    set(),
    object(),
    Weird(),
    Ellipsis,
    True,
    False,
    0,
    -1,
    10**400,
    -(10**400),
    2**64,
    2.5,
    -0.0,
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    1j,
    np.float32("nan"),
    np.bool_(True),
    np.int64(-5),
    np.array([1, 2]),
    np.array([]),
    np.array("x"),
    np.array([[1.0]]),
    np.zeros((1, 49, 1), dtype=np.complex64),
    torch.tensor([3, 3]),
    torch.tensor(True),
    torch.zeros(()),
    torch.zeros(0),
    torch.zeros(3, device="meta"),
    torch.zeros((), device="meta"),
    META,
    torch.ones(2, dtype=torch.complex64),
    torch.zeros(1, 49, 1),
    torch.zeros(1, 49, 1, dtype=torch.float64),
    torch.zeros(1, 49, 1, dtype=torch.int64),
    torch.full((1, 20, 1), float("nan")),
    torch.zeros(3).to_sparse(),
    torch.zeros(1, 49, 1, requires_grad=True),
    lambda *a: None,
    raises,
    lambda: 1,
    lambda *a: "abc",
    lambda *a: 10**400,
    lambda *a: Weird(),
    lambda *a: np.array([1, 2]),
    lambda *a: torch.zeros(1, device="meta"),
    lambda *a: (META, META),
    lambda *a: (torch.zeros(3), torch.zeros(3)),
    lambda *a: (torch.zeros(3, device="meta"),) * 2,
    lambda *a: (np.zeros(3), "x"),
    lambda *a: float("nan"),
    lambda *a: (torch.full((1, 1), float("nan")),) * 2,
    double_everything,
]


def verdict(capsys, check, answer) -> tuple[bool, str]:
    ok = check(answer)
    out = capsys.readouterr().out
    assert isinstance(ok, bool)
    assert out.count("\n") == 1 and out.startswith("Correct: " if ok else "Not yet: "), (
        out
    )
    return ok, out


TABLE = [(slot, i) for slot in SLOTS for i in range(len(GARBAGE))]


@pytest.mark.parametrize("slot", SLOTS)
def test_garbage_gets_not_yet_and_never_a_traceback(capsys, slot):
    """Every garbage answer through one checker (one test per checker: 66 answers each,
    and a test per answer would spend more time in pytest than in the checkers)."""
    accepted = []
    for answer in GARBAGE:
        ok, out = verdict(capsys, SLOTS[slot], answer)
        if ok:
            accepted.append(f"{answer!r}: {out}")
    assert not accepted, f"{slot} accepted:\n" + "\n".join(accepted)


# ---- right answers, in every reasonable numeric type -----------------------------------

TARGETS = torch.sin(torch.linspace(2.5, 12.5, 50, dtype=torch.float64))[1:].reshape(
    1, 49, 1
)
DT = 10 / 99
# SineRNN(6, 3)'s parameters: the first case ex02.check_parameter_count asks for
COUNT_FIRST = 229
SCALES = (40 / 64, 24 / 64)


def numeric_forms(value: float | int, integer: bool = False) -> list:
    """``value`` as a Python number, numpy scalars, 0-d arrays and 0-d tensors of several
    dtypes."""
    dtypes = (
        [(np.int64, torch.int64), (np.int32, torch.int32)]
        if integer
        else [(np.float64, torch.float64), (np.float32, torch.float32)]
    )
    forms = [value]
    for np_dtype, torch_dtype in dtypes:
        forms += [
            np_dtype(value),
            np.array(value, dtype=np_dtype),
            torch.tensor(value, dtype=torch_dtype),
        ]
    return forms


def two_layer_by_hand(rnn, x):
    h = [torch.zeros(x.shape[0], rnn.hidden_size) for _ in range(2)]
    states = []
    for t in range(x.shape[1]):
        below = x[:, t]
        for k in range(2):
            w_ih, w_hh = getattr(rnn, f"weight_ih_l{k}"), getattr(rnn, f"weight_hh_l{k}")
            b_ih, b_hh = getattr(rnn, f"bias_ih_l{k}"), getattr(rnn, f"bias_hh_l{k}")
            h[k] = torch.tanh(below @ w_ih.T + b_ih + h[k] @ w_hh.T + b_hh)
            below = h[k]
        states.append(h[1])
    return torch.stack(states, dim=1), torch.stack(h)


def targets(start):
    return torch.sin(torch.linspace(start, start + 10, 50, dtype=torch.float64))[
        1:
    ].reshape(1, 49, 1)


def count_windows(starts):
    return torch.unique(sine_windows(starts).values, dim=0).shape[0]


def warmup_loop(model, observed):
    hidden = None
    with torch.no_grad():
        for i in range(5):
            pred, hidden = model(observed[:, i : i + 1], hidden)
        predictions = [pred]
        for _ in range(19):
            pred, hidden = model(pred, hidden)
            predictions.append(pred)
    return torch.cat(predictions, dim=1)


def fixed_forward(model, x):
    out, hidden = model.rnn(x)
    rows = model.linear(out.reshape(-1, model.hidden_size))
    return rows.reshape(x.shape[0], x.shape[1], 1), hidden


def row_index(sequence, step, batch, seq_len, batch_first):
    return sequence * seq_len + step if batch_first else step * batch + sequence


def unstack_seq_first(rows, batch, seq_len):
    return rows.reshape(seq_len, batch, -1).transpose(0, 1)


def accumulate(model, x, y, n_micro):
    model.zero_grad()
    for x_part, y_part in zip(x.chunk(n_micro), y.chunk(n_micro)):
        (nn.functional.mse_loss(model(x_part)[0], y_part) / n_micro).backward()


def train_batched(model, windows, n_steps, lr):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(n_steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(windows.x)[0], windows.y)
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
    return losses


def explorer_warmup() -> int:
    """The Think! question's answer found as a learner finds it: by moving the explorer's
    controls."""
    from rnnlesson.pretrained import trained_model
    from rnnlesson.widgets import RolloutExplorer

    model = trained_model()
    with torch.no_grad():
        _, left = model(sine_windows([ex05.EXPLORER_LEFT_AFTER]).x)
    explorer = RolloutExplorer(
        {"trained": model},
        leftover={"trained": left},
        start=ex05.EXPLORER_START,
        n_steps=ex05.EXPLORER_STEPS,
        state="leftover",
    )
    for k in range(1, ex05.EXPLORER_MAX_WARMUP + 1):
        explorer.warmup_slider.value = k
        if explorer.rmse["trained"] < ex05.EXPLORER_THRESHOLD:
            return k
    raise AssertionError("the trained model's RMSE never fell below the threshold")


@functools.cache
def notebook_answers() -> dict[str, object]:
    starts = draw_starts(ex05.HORIZON_N_STARTS, generator=ex05.HORIZON_STARTS_SEED)
    series = sine_series(
        starts, n_points=ex05.HORIZON_WARMUP + ex05.HORIZON_MAX_STEPS
    ).values
    errors = rmse_by_horizon(
        rollout(
            MODEL, series, n_steps=ex05.HORIZON_MAX_STEPS, warmup=ex05.HORIZON_WARMUP
        ),
        series[:, ex05.HORIZON_WARMUP :],
    )
    w = sine_windows(draw_starts(200, generator=7))
    with torch.no_grad():
        _, carried = MODEL(sine_windows(draw_starts(200, generator=8)).x)
    observed = sine_series([ex05.LOOP_START], n_points=25).values
    return {
        "horizon": int(torch.nonzero(errors > ex05.HORIZON_THRESHOLD)[0]) + 1,
        "zeros": rmse_by_horizon(one_step(MODEL, w.x), w.y)[0].item(),
        "carried": rmse_by_horizon(one_step(MODEL, w.x, carried), w.y)[0].item(),
        "loop": rollout(MODEL, observed, n_steps=20, warmup=5),
        "small": ex03._small_model_error(),
        "spread": 9,
        "zeros_13": ex03._first_step_errors(
            MODEL, ex03.FIRST_WINDOWS, ex03.FIRST_CARRIED
        )[0],
        "carried_13": ex03._first_step_errors(
            MODEL, ex03.FIRST_WINDOWS, ex03.FIRST_CARRIED
        )[1],
        "explorer": explorer_warmup(),
    }


def right_answers() -> list[tuple[str, object]]:
    a = notebook_answers()
    return (
        [
            ("ex01.check_targets", f)
            for f in (
                targets,
                lambda s: targets(s).float(),
                lambda s: targets(s).numpy(),
                lambda s: targets(s).float().numpy(),
                lambda s: targets(s).clone().requires_grad_(True),
            )
        ]
        + [("ex01.check_time_step", v) for v in numeric_forms(DT)]
        + [
            ("ex01.check_shapes(batch_first)", s)
            for s in (
                (3, 49, 1),
                [3, 49, 1],
                torch.Size([3, 49, 1]),
                (np.int64(3), 49, 1),
            )
        ]
        + [
            ("ex02.check_parameter_count", v)
            for v in numeric_forms(COUNT_FIRST, integer=True)
        ]
        + [
            ("ex02.check_hidden_shape", s)
            for s in ((4, 2, 7), [4, 2, 7], torch.Size([4, 2, 7]))
        ]
        + [
            ("ex02.check_two_layer", f)
            for f in (
                two_layer_by_hand,
                lambda r, x: tuple(t.double() for t in two_layer_by_hand(r, x)),
                lambda r, x: tuple(t.detach().numpy() for t in two_layer_by_hand(r, x)),
            )
        ]
        + [
            (
                "ex03.check_distinct_windows",
                lambda s, i=i: numeric_forms(count_windows(s), integer=True)[i],
            )
            for i in range(len(numeric_forms(3, integer=True)))
        ]
        + [("ex03.check_small_model_error", v) for v in numeric_forms(a["small"])]
        + [
            ("ex03.check_carried_first_step", (z, c))
            for z, c in zip(numeric_forms(a["zeros_13"]), numeric_forms(a["carried_13"]))
        ]
        + [
            ("ex03.check_batched_loop", f)
            for f in (
                train_batched,
                lambda *args: [v.item() for v in train_batched(*args)],
                lambda *args: torch.stack(train_batched(*args)),
                lambda *args: torch.stack(train_batched(*args)).double(),
                lambda *args: np.array([v.item() for v in train_batched(*args)]),
                lambda *args: tuple(np.float32(v.item()) for v in train_batched(*args)),
            )
        ]
        + [("ex04.check_accumulate", accumulate)]
        + [
            ("ex04.check_scales", s)
            for s in (
                SCALES,
                list(SCALES),
                tuple(np.float32(v) for v in SCALES),
                np.array(SCALES),
                np.array(SCALES, dtype=np.float32),
                torch.tensor(SCALES),
                torch.tensor(SCALES, dtype=torch.float64),
                (torch.tensor(SCALES[0]), np.float64(SCALES[1])),
            )
        ]
        + [
            ("ex05.check_warmup_loop", f)
            for f in (
                warmup_loop,
                lambda m, o: warmup_loop(m, o).double(),
                lambda m, o: warmup_loop(m, o).numpy(),
                lambda m, o: warmup_loop(m, o).reshape(-1),
                lambda m, o: warmup_loop(m, o).reshape(1, 20),
                lambda m, o: warmup_loop(m, o).reshape(20, 1),
            )
        ]
        + [("ex05.check_horizon", v) for v in numeric_forms(a["horizon"], integer=True)]
        + [
            ("ex05.check_spread_warmup", (SPREADS, v))
            for v in numeric_forms(a["spread"], integer=True)
        ]
        + [
            ("ex05.check_spread_warmup", (v, 9))
            for v in (
                SPREADS,
                tuple(SPREADS),
                {k + 1: v for k, v in enumerate(SPREADS)},
                np.array(SPREADS),
                torch.tensor(SPREADS),
                [np.float32(v) for v in SPREADS],
            )
        ]
        + [
            ("ex01.check_think_post_starts", v)
            for v in (
                [0, 1, 2, 2 * np.pi],
                (0.0, 1.0, 2.0, 6.2832),
                [np.float32(2 * np.pi), 2, 1, 0],
            )
        ]
        + [("ex01.check_think_count_changes", v) for v in ("no", " No ")]
        + [
            ("ex01.check_think_two_points(inputs)", v)
            for v in numeric_forms(1, integer=True)
        ]
        + [
            ("ex05.check_think_largest_error", "zero crossings"),
            ("ex05.check_think_second_point", "no"),
            ("ex05.check_think_on_truth", "NO"),
            ("ex05.check_think_step_49", "no"),
            ("ex05.check_think_leftover(original)", "depend"),
        ]
        + [
            ("ex05.check_explorer_warmup", v)
            for v in numeric_forms(a["explorer"], integer=True)
        ]
        + [
            ("ex06.check_row_index", f)
            for f in (
                row_index,
                lambda *args: np.int64(row_index(*args)),
                lambda *args: torch.tensor(row_index(*args)),
            )
        ]
        + [
            ("ex06.check_unstack_seq_first", f)
            for f in (
                unstack_seq_first,
                lambda *args: unstack_seq_first(*args).double(),
                lambda *args: unstack_seq_first(*args).numpy(),
            )
        ]
        + [
            ("ex06.check_fixed_forward", f)
            for f in (
                fixed_forward,
                lambda m, x: tuple(t.double() for t in fixed_forward(m, x)),
            )
        ]
    )


def run_slot(slot: str, answer: object) -> bool:
    if slot == "ex03.check_carried_first_step":
        return ex03.check_carried_first_step(MODEL, *answer)
    if slot == "ex05.check_spread_warmup":
        return ex05.check_spread_warmup(*answer)
    return SLOTS[slot](answer)


def test_a_right_answer_in_any_numeric_type_is_correct(capsys):
    refused = []
    for slot, answer in right_answers():
        ok = run_slot(slot, answer)
        out = capsys.readouterr().out
        if not (ok is True and out.startswith("Correct: ")):
            refused.append(f"{slot} refused {answer!r}: {out}")
    assert not refused, "\n".join(refused)


# ---- right values in the wrong shape ---------------------------------------------------


class Later:
    """An answer made when a test needs it, not when the tests are collected (it may train
    a model)."""

    def __init__(self, make):
        self.make = make


def wrong_shapes() -> list[tuple[str, object, str]]:
    return [
        ("ex01.check_targets", lambda s: targets(s).reshape(49), "should be shaped"),
        (
            "ex01.check_targets",
            lambda s: targets(s).reshape(1, 1, 49, 1),
            "should be shaped",
        ),
        (
            "ex01.check_targets",
            lambda s: targets(s).reshape(49, 1, 1),
            "should be shaped",
        ),
        ("ex01.check_time_step", torch.tensor([DT]), "one number"),
        ("ex01.check_time_step", np.array([[DT]]), "one number"),
        ("ex02.check_parameter_count", torch.tensor([COUNT_FIRST]), "one number"),
        (
            "ex03.check_distinct_windows",
            lambda s: np.array([count_windows(s)]),
            "one number",
        ),
        (
            "ex05.check_horizon",
            Later(lambda: torch.tensor([notebook_answers()["horizon"]])),
            "one number",
        ),
        (
            "ex05.check_spread_warmup(warmup)",
            Later(lambda: torch.tensor([[notebook_answers()["spread"]]])),
            "one number",
        ),
        ("ex04.check_scales", torch.tensor([SCALES]), "give 2 numbers"),
        (
            "ex05.check_warmup_loop",
            lambda m, o: warmup_loop(m, o).reshape(4, 5),
            "along one dimension",
        ),
        (
            "ex05.check_warmup_loop",
            lambda m, o: warmup_loop(m, o).reshape(2, 10, 1),
            "along one dimension",
        ),
        (
            "ex02.check_two_layer",
            lambda r, x: (two_layer_by_hand(r, x)[0], two_layer_by_hand(r, x)[1][-1]),
            "hidden should be",
        ),
        (
            "ex02.check_two_layer",
            lambda r, x: (
                two_layer_by_hand(r, x)[0].transpose(0, 1),
                two_layer_by_hand(r, x)[1],
            ),
            "out should be",
        ),
        (
            "ex06.check_fixed_forward",
            lambda m, xb: (fixed_forward(m, xb)[0], fixed_forward(m, xb)[1][0]),
            "hidden should be",
        ),  # the case
        (
            "ex06.check_fixed_forward",
            lambda m, xb: (fixed_forward(m, xb)[0], fixed_forward(m, xb)[1].unsqueeze(0)),
            "hidden should be",
        ),
        (
            "ex06.check_fixed_forward",
            lambda m, xb: (fixed_forward(m, xb)[0].squeeze(-1), fixed_forward(m, xb)[1]),
            "pred should be",
        ),
        (
            "ex06.check_unstack_seq_first",
            lambda *args: unstack_seq_first(*args).unsqueeze(0),
            "expected shape",
        ),
        (
            "ex06.check_row_index",
            lambda *args: torch.tensor([row_index(*args)]),
            "one number",
        ),
        (
            "ex03.check_batched_loop",
            lambda *args: torch.stack(train_batched(*args)).reshape(1, -1),
            "list of numbers",
        ),
        (
            "ex03.check_batched_loop",
            lambda *args: [v.reshape(1) for v in train_batched(*args)],
            "list of numbers",
        ),
    ]


WRONG_SHAPES = wrong_shapes()


@pytest.mark.parametrize(
    "slot, answer, hint",
    WRONG_SHAPES,
    ids=[f"{slot}-{i}-{hint}" for i, (slot, _, hint) in enumerate(WRONG_SHAPES)],
)
def test_right_values_in_a_wrong_shape_are_not_yet(capsys, slot, answer, hint):
    ok = run_slot(slot, answer.make() if isinstance(answer, Later) else answer)
    out = capsys.readouterr().out
    assert ok is False and out.startswith("Not yet: ") and hint in out, f"{slot}: {out}"


# ---- Hypothesis: shape holes -----------------------------------------------------------

SHAPE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def reshaped(tensor: torch.Tensor, data: st.DataObject) -> torch.Tensor:
    """``tensor`` in a shape Hypothesis picks: one of its own, with size-1 dimensions
    added or removed, flattened, or its dimensions permuted."""
    how = data.draw(
        st.sampled_from(["same", "flatten", "unsqueeze", "squeeze", "permute"])
    )
    if how == "flatten":
        return tensor.reshape(-1)
    if how == "unsqueeze":
        return tensor.unsqueeze(data.draw(st.integers(0, tensor.dim())))
    if how == "squeeze":
        return tensor.squeeze()
    if how == "permute":
        return tensor.permute(*data.draw(st.permutations(range(tensor.dim()))))
    return tensor


@pytest.mark.parametrize(
    "check",
    [ex06.check_fixed_forward, ex02.check_two_layer],
    ids=["fixed_forward (the model's shapes)", "two_layer (nn.RNN's shapes)"],
)
@SHAPE_SETTINGS
@given(data=st.data())
def test_an_output_and_hidden_pair_is_correct_only_in_its_own_shapes(capsys, check, data):
    """The learner's function returns (output, hidden), each reshaped as Hypothesis picks:
    the checker says Correct exactly when both kept their shapes (and so their values)."""
    seen = []

    def learner(module, x):
        pair = (
            fixed_forward if check is ex06.check_fixed_forward else two_layer_by_hand
        )(module, x)
        got = reshaped(pair[0], data), reshaped(pair[1], data)
        seen.append(
            all(g.shape == p.shape and torch.equal(g, p) for g, p in zip(got, pair))
        )
        return got

    ok = check(learner)
    capsys.readouterr()
    assert ok == all(seen), seen


@SHAPE_SETTINGS
@given(data=st.data())
def test_targets_are_correct_only_shaped_1_49_1(capsys, data):
    seen = []

    def learner(start):
        right = targets(start)
        answer = reshaped(right, data)
        seen.append(list(answer.shape) == [1, 49, 1] and torch.equal(answer, right))
        return answer

    ok = ex01.check_targets(learner)
    capsys.readouterr()
    assert ok == all(seen), seen


@SHAPE_SETTINGS
@given(data=st.data())
def test_unstack_is_correct_only_shaped_batch_seq_len_k(capsys, data):
    seen = []

    def unstack_fn(rows, batch, seq_len):
        right = unstack_seq_first(rows, batch, seq_len)
        got = reshaped(right, data)
        seen.append(got.shape == right.shape and torch.equal(got, right))
        return got

    ok = ex06.check_unstack_seq_first(unstack_fn)
    capsys.readouterr()
    assert ok == all(seen), seen


@SHAPE_SETTINGS
@given(
    shape=st.lists(st.integers(1, 20), min_size=1, max_size=4).filter(
        lambda s: int(np.prod(s)) == 20
    )
    | st.permutations([1, 20, 1]).map(list)
    | st.permutations([1, 1, 20, 1]).map(list)
    | st.sampled_from([[4, 5], [2, 10, 1]])
)
def test_warmup_loop_is_correct_only_with_the_20_predictions_along_one_dimension(
    capsys, shape
):
    ok = ex05.check_warmup_loop(lambda m, o: warmup_loop(m, o).reshape(shape))
    capsys.readouterr()
    assert ok == (sorted(shape)[-1] == 20)


@SHAPE_SETTINGS
@given(
    dims=st.lists(st.just(1), max_size=3),
    dtype=st.sampled_from([torch.float32, torch.float64]),
)
def test_a_scalar_answer_is_correct_only_as_one_number(capsys, dims, dtype):
    answer = torch.full(dims, DT, dtype=dtype)
    ok = SLOTS["ex01.check_time_step"](answer)
    capsys.readouterr()
    assert ok == (dims == [])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    answer=st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.complex_numbers(),
        st.text(max_size=5),
        st.binary(max_size=5),
        st.lists(st.one_of(st.integers(), st.floats(), st.none()), max_size=4).map(tuple),
        st.lists(st.floats(width=32), max_size=4).map(torch.tensor),
        st.lists(st.integers(-(2**63), 2**63 - 1), max_size=3).map(np.array),
        st.dictionaries(
            st.text(max_size=3),
            st.one_of(st.none(), st.text(max_size=3), st.integers()),
            max_size=3,
        ),
    ),
    slot=st.sampled_from(
        [s for s in SLOTS if "accumulate" not in s and "two_layer" not in s]
    ),
)
def test_any_value_gets_one_line_and_no_traceback(capsys, answer, slot):
    ok, out = verdict(capsys, SLOTS[slot], answer)
    if ok:  # only a right answer: a number equal to the right one
        assert slot in (
            "ex04.check_scales",
            "ex01.check_shapes(batch_first)",
            "ex01.check_shapes(seq_first)",
            "ex02.check_hidden_shape",
            "ex01.check_time_step",
            "ex02.check_parameter_count",
            "ex05.check_horizon",
            "ex05.check_spread_warmup(warmup)",
            "ex05.check_explorer_warmup",
            "ex03.check_small_model_error",
            "ex01.check_think_count_changes",
            "ex01.check_think_two_points(inputs)",
            "ex01.check_think_two_points(targets)",
            "ex05.check_think_largest_error",
            "ex05.check_think_leftover(original)",
            "ex05.check_think_leftover(trained)",
            "ex05.check_think_second_point",
            "ex05.check_think_on_truth",
            "ex05.check_think_step_49",
            "ex01.check_think_post_starts",
        ), (slot, answer)


# ---- answers stay private --------------------------------------------------------------


def test_no_public_helper_returns_an_answer():
    for module, name in [
        (ex03, "small_model_error"),
        (ex05, "spread_by_warmup"),
        (ex05, "horizon_errors"),
        (ex05, "explorer_errors"),
        (ex04, "survivors_scenario"),
    ]:
        assert not hasattr(module, name), (
            f"{module.__name__}.{name} would give the answer away"
        )
    public = [
        n
        for m in (ex01, ex02, ex03, ex04, ex05, ex06)
        for n in vars(m)
        if callable(getattr(m, n))
        and not n.startswith("_")
        and getattr(getattr(m, n), "__module__", "") == m.__name__
    ]
    assert all(n.startswith("check_") for n in public), public


@pytest.mark.parametrize(
    ("checker", "answer", "guesses", "also_shown"),
    [
        (
            lambda g: ex05.check_spread_warmup(SPREADS, g),
            "spread",
            range(1, ex05.SPREAD_MAX_WARMUP + 3),
            {ex05.SPREAD_THRESHOLD, 1},
        ),
        (
            ex05.check_explorer_warmup,
            "explorer",
            range(0, ex05.EXPLORER_MAX_WARMUP + 2),
            {ex05.EXPLORER_THRESHOLD, 1, ex05.EXPLORER_MAX_WARMUP},
        ),
    ],
    ids=["spread", "explorer"],
)
def test_guessing_a_warm_up_never_shows_the_measured_curve(
    capsys, checker, answer, guesses, also_shown
):
    """A wrong guess hears which side it is on, never a spread or an RMSE that would give
    the answer away: its message holds only the guess, the threshold and the allowed
    range."""
    import re

    right = notebook_answers()[answer]
    for guess in guesses:
        ok = checker(guess)
        out = capsys.readouterr().out
        assert ok == (guess == right)
        if not ok:
            assert set(re.findall(r"\d+(?:\.\d+)?", out)) <= {str(guess)} | {
                str(v) for v in also_shown
            }, out


def test_notebook_06_success_messages_do_not_spell_out_the_solution(capsys):
    assert ex06.check_row_index(row_index) and ex06.check_unstack_seq_first(
        unstack_seq_first
    )
    assert ex06.check_fixed_forward(fixed_forward)
    out = capsys.readouterr().out
    for formula in ("*", "+", "reshape", "transpose", "seq_len, batch"):
        assert formula not in out, out


def test_raise_notyet_is_the_one_way_a_checker_says_not_yet():
    """Every "Not yet" comes from a raised NotYet, which the checker decorator prints: no
    checker prints a verdict of False by hand (report(False, ...) is called by the
    decorator alone)."""
    import ast
    import inspect

    import rnnlesson.exercises as exercises

    by_hand = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef) else function
            if (
                isinstance(child, ast.Call)
                and ast.unparse(child.func) == "report"
                and child.args
                and ast.unparse(child.args[0]) != "True"
            ):
                by_hand.append(f"{module.__name__}.{function}")
            visit(child, inner)

    for module in [
        exercises,
        *(importlib.import_module(f"rnnlesson.exercises.ex0{n}") for n in range(1, 7)),
    ]:
        visit(ast.parse(inspect.getsource(module)), "")
    # inside checker: the decorator's wrapper
    assert by_hand == ["rnnlesson.exercises.run"], by_hand
