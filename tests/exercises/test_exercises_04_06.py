"""Checkers of notebooks 04 (zero_grad) and 06 (batch stacking): right answers pass, wrong
ones fail."""

import pytest
import torch
from torch import nn

from rnnlesson import gradients
from rnnlesson.exercises import NO_ANSWER, ex04, ex06
from rnnlesson.model import SineRNN
from rnnlesson.stacking import original_forward

# ---- notebook 04: the grad-state helpers -----------------------------------------------


def test_grad_state_tells_none_zero_and_nonzero_apart():
    p = nn.Parameter(torch.ones(3))
    assert gradients.grad_state(p) == "None"
    (2 * p).sum().backward()
    assert gradients.grad_state(p) == "nonzero"
    p.grad.zero_()
    assert gradients.grad_state(p) == "zero"
    with pytest.raises(TypeError, match="parameter must be a torch.Tensor"):
        gradients.grad_state(3.0)


def test_grad_states_prefixes_names_of_several_modules():
    a, b = nn.Linear(1, 1), nn.Linear(1, 1)
    a(torch.ones(1, 1)).sum().backward()
    assert gradients.grad_states({"a": a, "b": b}) == {
        "a.weight": "nonzero",
        "a.bias": "nonzero",
        "b.weight": "None",
        "b.bias": "None",
    }
    with pytest.raises(TypeError, match="modules must be"):
        gradients.grad_states([a])


def test_format_grad_table_has_a_row_per_parameter_and_a_column_per_snapshot():
    table = gradients.format_grad_table(
        {"before": {"w": "nonzero", "b": "zero"}, "after": {"w": "None"}}
    )
    lines = table.splitlines()
    assert lines[0].split() == ["parameter", "before", "after"]
    assert lines[1].split() == ["w", "nonzero", "None"]
    assert lines[2].split() == ["b", "zero", "-"]
    with pytest.raises(ValueError, match="columns must be a non-empty mapping"):
        gradients.format_grad_table({})


# ---- notebook 04: the checkers ---------------------------------------------------------


def survivors_right(frozen, optimized, set_to_none):
    return {
        name: "None"
        if name in frozen
        else "nonzero"
        if name not in optimized
        else ("None" if set_to_none else "zero")
        for name in ex04.PARAMETERS
    }


def test_the_exercises_parameter_names_are_sine_rnns():
    assert ex04.PARAMETERS == tuple(name for name, _ in SineRNN().named_parameters())


@pytest.mark.parametrize("case", ex04.SURVIVOR_CASES)
def test_the_rule_the_checker_simulates_is_what_the_code_does(case):
    """The checker's truth is the code run for real; its simulated mistakes start from the
    rule, which must agree with it on every case it asks."""
    assert (
        ex04._survivors_scenario(*case) == ex04._by_rule(*case) == survivors_right(*case)
    )


def test_each_survivors_case_tells_every_simulated_mistake_apart():
    mistakes = [None, *ex04.SURVIVOR_MISTAKES, "set_to_none ignored, None"]
    answers = [
        tuple(tuple(ex04._by_rule(*case, m).items()) for case in ex04.SURVIVOR_CASES)
        for m in mistakes
    ]
    assert len(set(answers)) == len(mistakes)


def test_no_survivors_case_is_one_the_notebook_or_the_hidden_test_uses():
    from course import grading

    every = ex04.PARAMETERS
    seen = [
        (ex04.RNN_PARAMETERS, every, False),
        ((), every, True),
        ((), every, False),
        (("linear.bias",), ex04.RNN_PARAMETERS, True),
    ]
    hidden = grading.HIDDEN_TESTS["check_survivors"]
    namespace = {}
    exec(hidden[hidden.index("cases = ") : hidden.index("for frozen")], namespace)
    assert len(namespace["cases"]) == 3
    for case in ex04.SURVIVOR_CASES:
        assert case not in seen and case not in namespace["cases"]
    assert not set(namespace["cases"]) & set(seen)


@pytest.mark.parametrize(
    "returned,hint",
    [
        (lambda case: ["None"] * 6, "return a dict like"),
        (lambda case: "None", "return a dict like"),
        (
            lambda case: {**survivors_right(*case), "linear.bias": 0},
            "write each parameter name and each state",
        ),
        (
            lambda case: {**survivors_right(*case), "linear.bias": "gone"},
            "use only 'None', 'zero' or 'nonzero'",
        ),
        (
            lambda case: {**survivors_right(*case), "linear.bias": "?"},
            "use only 'None', 'zero' or 'nonzero'",
        ),
        (lambda case: {"linear.weight": "zero"}, "missing rnn.weight_ih_l0"),
        (
            lambda case: {**survivors_right(*case), "linear.gain": "zero"},
            "'linear.gain' is not a parameter",
        ),
        (
            lambda case: {name: "zero" for name in ex04.PARAMETERS},
            "the same states whatever",
        ),
    ],
)
def test_check_survivors_refuses_results_it_cannot_read(returned, hint, capsys):
    assert not ex04.check_survivors(lambda *case: returned(case))
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out, out


@pytest.mark.parametrize(
    "answer,hint",
    [
        (None, NO_ANSWER),
        ({"linear.bias": "zero"}, "pass your function itself"),
        (lambda *case: None, "your function returns None"),
    ],
)
def test_check_survivors_asks_for_a_function(answer, hint, capsys):
    assert not ex04.check_survivors(answer)
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out, out


def accumulate_right(model, x, y, n_micro):
    model.zero_grad()
    for x_part, y_part in zip(x.chunk(n_micro), y.chunk(n_micro)):
        (nn.functional.mse_loss(model(x_part)[0], y_part) / n_micro).backward()


def accumulate_unscaled(model, x, y, n_micro):
    model.zero_grad()
    for x_part, y_part in zip(x.chunk(n_micro), y.chunk(n_micro)):
        nn.functional.mse_loss(model(x_part)[0], y_part).backward()


def accumulate_without_clearing(model, x, y, n_micro):
    for x_part, y_part in zip(x.chunk(n_micro), y.chunk(n_micro)):
        (nn.functional.mse_loss(model(x_part)[0], y_part) / n_micro).backward()


def accumulate_clearing_every_time(model, x, y, n_micro):
    for x_part, y_part in zip(x.chunk(n_micro), y.chunk(n_micro)):
        model.zero_grad()
        (nn.functional.mse_loss(model(x_part)[0], y_part) / n_micro).backward()


def accumulate_and_step(model, x, y, n_micro):
    accumulate_right(model, x, y, n_micro)
    torch.optim.SGD(model.parameters(), lr=0.1).step()


def accumulate_raising(model, x, y, n_micro):
    raise RuntimeError("boom")


def test_check_accumulate_accepts_the_right_answer(capsys):
    assert ex04.check_accumulate(accumulate_right)
    assert capsys.readouterr().out.startswith("Correct")


@pytest.mark.parametrize(
    "answer,hint",
    [
        (accumulate_unscaled, "2 times too big"),
        (accumulate_without_clearing, "old gradients are still in .grad"),
        (accumulate_clearing_every_time, "only the last micro-batch"),
        (accumulate_and_step, "the parameters changed"),
        (accumulate_raising, "RuntimeError: boom"),
        (lambda model, x, y, n_micro: None, "computed nothing"),
        ("not a function", "pass a function"),
    ],
)
def test_check_accumulate_rejects_wrong_answers(answer, hint, capsys):
    assert not ex04.check_accumulate(answer)
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and hint in out


def test_check_scales(capsys):
    assert ex04.check_scales((40 / 64, 24 / 64))
    assert ex04.check_scales([0.625, 0.375])
    assert capsys.readouterr().out.startswith("Correct")
    wrong_answers = [
        ((0.5, 0.5), "equal factors"),
        ((0.375, 0.625), "swapped"),
        ((0.6, 0.4), "a mean over"),
        ((1.0,), "give 2 numbers"),
        ((None, None), NO_ANSWER),  # the template, left unanswered
        ((0.625, None), NO_ANSWER),
        (None, NO_ANSWER),
        (("5/8", "3/8"), "each factor should be a number"),
    ]
    for wrong, hint in wrong_answers:
        assert not ex04.check_scales(wrong)
        assert hint in capsys.readouterr().out


def test_the_right_scales_really_reproduce_the_full_batch_gradient():
    """The claim behind exercise 3, checked with gradients rather than arithmetic."""
    torch.manual_seed(0)
    model = SineRNN()
    x, y = torch.randn(64, 6, 1), torch.randn(64, 6, 1)
    nn.functional.mse_loss(model(x)[0], y).backward()
    full = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    for part, scale in zip((slice(0, 40), slice(40, 64)), (40 / 64, 24 / 64)):
        (scale * nn.functional.mse_loss(model(x[part])[0], y[part])).backward()
    assert all(
        torch.allclose(p.grad, f, atol=1e-6) for p, f in zip(model.parameters(), full)
    )


# ---- notebook 06 -----------------------------------------------------------------------


def row_index_right(sequence, step, batch, seq_len, batch_first):
    return sequence * seq_len + step if batch_first else step * batch + sequence


def test_check_row_index(capsys):
    assert ex06.check_row_index(row_index_right)
    assert ex06.check_row_index(
        lambda s, t, b, n, bf: torch.tensor(row_index_right(s, t, b, n, bf))
    )
    assert capsys.readouterr().out.startswith("Correct")
    wrong_answers = [
        # batch-first formula for both
        (lambda s, t, b, n, bf: s * n + t, "batch_first=False"),
        # seq-first formula for both
        (lambda s, t, b, n, bf: t * b + s, "batch_first=True"),
        # sizes swapped
        (lambda s, t, b, n, bf: s * b + t if bf else t * n + s, "batch_first=False"),
        (lambda s, t, b: 0, "raised TypeError"),
        (3, "pass a function"),
    ]
    for wrong, hint in wrong_answers:
        assert not ex06.check_row_index(wrong)
        out = capsys.readouterr().out
        assert out.startswith("Not yet") and hint in out


def test_check_unstack_seq_first(capsys):
    assert ex06.check_unstack_seq_first(
        lambda rows, b, n: rows.reshape(n, b, -1).transpose(0, 1)
    )
    assert capsys.readouterr().out.startswith("Correct")
    wrong_answers = [
        (lambda rows, b, n: rows.reshape(b, n, -1), "a plain reshape(batch, seq_len, k)"),
        (lambda rows, b, n: rows.reshape(n, b, -1), "still seq first"),
        (lambda rows, b, n: rows.reshape(n, b, -1).transpose(0, 1).flip(1), "scrambled"),
        (lambda rows, b, n: rows.tolist(), "should return a tensor"),
    ]
    for wrong, hint in wrong_answers:
        assert not ex06.check_unstack_seq_first(wrong)
        out = capsys.readouterr().out
        assert out.startswith("Not yet") and hint in out


def fixed_forward(model, x):
    out, hidden = model.rnn(x)
    rows = model.linear(out.reshape(-1, model.hidden_size))
    return rows.reshape(x.shape[0], x.shape[1], 1), hidden


def test_check_fixed_forward(capsys):
    assert ex06.check_fixed_forward(fixed_forward)
    assert capsys.readouterr().out.startswith("Correct")

    def seq_first_reading(model, x):  # the right shape, the rows read in the wrong order
        out, hidden = model.rnn(x)
        rows = model.linear(out.reshape(-1, model.hidden_size))
        return rows.reshape(x.shape[1], x.shape[0], 1).transpose(0, 1), hidden

    wrong_answers = [
        (original_forward, "that is the original unsqueeze(0)"),
        (seq_first_reading, "read in the wrong order"),
        (lambda model, x: fixed_forward(model, x)[0], "return a tuple (pred, hidden)"),
        (
            lambda model, x: (fixed_forward(model, x)[0] + 1, fixed_forward(model, x)[1]),
            "the numbers differ",
        ),
        (None, "pass a function"),
    ]
    for wrong, hint in wrong_answers:
        assert not ex06.check_fixed_forward(wrong)
        out = capsys.readouterr().out
        assert out.startswith("Not yet") and hint in out
