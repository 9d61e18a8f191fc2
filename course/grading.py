"""What nbgrader runs to grade each exercise (course/nbgrader.py puts it into the test
cells).

Two parts, each in one place:

- ``fresh_checkers_code``: the visible part of every test cell. It imports the notebook's
  checker module afresh from the package's files, with every module of
  ``rnnlesson.exercises`` re-read, so a learner's cell that redefines ``exNN.check_*``,
  rebinds ``exNN`` or patches ``rnnlesson.exercises`` (its ``report``, its helpers)
  changes nothing the test cell calls. The learner's own modules are put back afterwards.
  The package's other modules (the model, the data, the rollout) are shared with the
  learner's cells, so that a checker recognises the learner's ``SineRNN`` as one. Its
  limits: the code runs in the learner's kernel, as nbgrader's autograding does; a learner
  who patches those other modules, Python's import machinery, torch or builtins is not
  defended against.
- ``HIDDEN_TESTS``: one hidden test per exercise, keyed by its checker's name, written
  against the names the learner defines in today's notebooks. A test that takes a function
  calls it on inputs that no visible cell and no checker uses and compares with a result
  computed here; a test of a value recomputes that value its own way (a rollout written
  out step by step, the recipe retrained), without the checker's code, so a value that
  only looks plausible scores 0. Each runs inside a function, so its own imports and names
  do not leak into the learner's namespace; it reads the learner's names from the
  notebook's globals.

When the checkers change (they may take functions instead of values), adapt this table;
the generator itself is driven by the cells' tags and by which cells call a ``check_*``
checker.
"""

from __future__ import annotations

FRESH = "_fresh_checkers"


def fresh_checkers_code(module: str) -> str:
    """Code that defines ``_fresh_checkers()``: the module ``module`` (e.g.
    "rnnlesson.exercises.ex01") imported afresh from its file, every rnnlesson.exercises
    module re-read, the learner's put back after."""
    return f'''def {FRESH}(name="{module}"):
    import importlib, sys
    ours = lambda key: key.split(".")[:2] == ["rnnlesson", "exercises"]
    learners = {{key: sys.modules.pop(key) for key in list(sys.modules) if ours(key)}}
    try:
        return importlib.import_module(name)
    finally:
        for key in [k for k in sys.modules if ours(k)]:
            del sys.modules[key]
        sys.modules.update(learners)
'''


HIDDEN_TESTS: dict[str, str] = {
    # -- 01 the data ---------------------------------------------------------------------
    "check_targets": """
import torch

for start in (0.7, 5.9):  # starts no visible cell and no checker uses
    times = torch.linspace(start, start + 10, 50, dtype=torch.float64)
    expected = torch.sin(times)[1:].reshape(1, 49, 1)
    got = torch.as_tensor(targets_by_hand(start))
    assert tuple(got.shape) == (1, 49, 1)
    assert torch.allclose(got.double(), expected, atol=1e-5)
""",
    "check_think_post_starts": """
import math

want = [0.0, 1.0, 2.0, round(2 * math.pi, 3)]
assert sorted(round(float(s), 3) for s in post_starts) == want
""",
    "check_think_count_changes": """
assert str(count_changes).strip().lower() == "no"
""",
    "check_think_two_points": """
assert (int(n_inputs), int(n_targets)) == (1, 1)
""",
    "check_shapes": """
for batch in (5, 17):  # batch sizes no visible cell and no checker uses
    batch_first, seq_first = input_shapes(batch)
    assert tuple(batch_first) == (batch, 49, 1) and tuple(seq_first) == (49, batch, 1)
    assert all(type(n) is int for n in (*batch_first, *seq_first))
""",
    "check_time_step": """
for n_points in (26, 1001):  # windows no visible cell and no checker uses
    assert abs(float(time_step_by_hand(n_points)) - 10 / (n_points - 1)) < 1e-9
""",
    # -- 02 the model --------------------------------------------------------------------
    "check_parameter_count": """
from torch import nn

# sizes no visible cell and no checker uses
for hidden_size, num_layers in ((9, 2), (4, 4)):
    rnn, head = nn.RNN(1, hidden_size, num_layers=num_layers), nn.Linear(hidden_size, 1)
    want = sum(p.numel() for m in (rnn, head) for p in m.parameters())
    n = count_by_hand(hidden_size, num_layers)
    assert int(n) == n == want, (hidden_size, num_layers, n, want)
""",
    "check_hidden_shape": """
# sizes no visible cell and no checker uses
for batch, num_layers, hidden_size in ((6, 2, 11), (1, 5, 4)):
    assert tuple(hidden_shape(batch, num_layers, hidden_size)) == (
        num_layers,
        batch,
        hidden_size,
    )
""",
    "check_two_layer": """
import torch
from torch import nn
torch_state = torch.random.get_rng_state()
torch.manual_seed(1234)
rnn = nn.RNN(1, 6, num_layers=2, batch_first=True)       # a size no visible cell uses
x = torch.randn(3, 11, 1)
torch.random.set_rng_state(torch_state)
with torch.no_grad():
    want_out, want_hidden = rnn(x)
    out, hidden = two_layer_by_hand(rnn, x)
assert tuple(out.shape) == (3, 11, 6) and tuple(hidden.shape) == (2, 3, 6)
assert torch.allclose(out.double(), want_out.double(), atol=1e-5)
assert torch.allclose(hidden.double(), want_hidden.double(), atol=1e-5)
""",
    # -- 03 training ---------------------------------------------------------------------
    "check_distinct_windows": """
import torch
from rnnlesson.data import draw_starts, sine_windows

for starts in (
    draw_starts(500, scheme="original", generator=77),
    torch.tensor([0.3, 0.3, 1.9]),
    # start sets no visible cell and no checker uses
    draw_starts(40, generator=78),
):
    assert (
        int(count_windows(starts.clone()))
        == torch.unique(sine_windows(starts).values, dim=0).shape[0]
    )
""",
    "check_small_model_error": """
import torch
from rnnlesson.data import sine_windows
from rnnlesson.model import seeded_model
from rnnlesson.training import train

again = seeded_model(0, hidden_size=4)  # the recipe, retrained here:
# torch.manual_seed(0), SineRNN(4), train
train(again, seed=0)
windows = sine_windows([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
with torch.no_grad():
    pred, _ = again(windows.x)
want = float(((pred[:, 4:] - windows.y[:, 4:]) ** 2).mean().sqrt())
assert abs(float(small_error) - want) <= 0.1 * want, (small_error, want)
""",
    "check_carried_first_step": """
import torch
from rnnlesson.data import draw_starts, sine_windows

# the exercise's windows and, below, the
scored = sine_windows(draw_starts(50, generator=13))
# windows whose last state is carried in
carried_from = sine_windows(draw_starts(50, generator=14))
with torch.no_grad():
    _, carried = model(carried_from.x.to(model.dtype))
    firsts = [
        model(scored.x.to(model.dtype), hidden)[0][:, 0] for hidden in (None, carried)
    ]
want = [
    float(((first - scored.y[:, 0].to(first.dtype)) ** 2).mean().sqrt())
    for first in firsts
]
got = [float(zeros_error), float(carried_error)]
assert all(abs(g - w) <= 0.01 * w for g, w in zip(got, want)), (got, want)
""",
    "check_batched_loop": """
import copy
import torch
from torch.nn.functional import mse_loss
from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.model import seeded_model

# 16 windows, 7 steps: no checker uses these
windows = sine_windows(draw_starts(16, generator=11))
model = seeded_model(11, hidden_size=5)
reference = copy.deepcopy(model)
optimizer = torch.optim.Adam(reference.parameters(), lr=0.02)
want = []
for _ in range(7):
    optimizer.zero_grad()
    loss = mse_loss(reference(windows.x)[0], windows.y)
    loss.backward()
    optimizer.step()
    want.append(loss.item())
got = [float(v) for v in train_batched(model, windows, 7, 0.02)]
assert len(got) == 7 and all(abs(g - w) < 1e-5 for g, w in zip(got, want)), (got, want)
""",
    # -- 04 zero_grad --------------------------------------------------------------------
    "check_survivors": """
import torch
from torch import nn
from rnnlesson.data import sine_windows
from rnnlesson.model import seeded_model

cases = (
    (
        ("rnn.weight_ih_l0", "rnn.bias_hh_l0"),
        ("rnn.bias_hh_l0", "rnn.bias_ih_l0", "linear.weight"),
        True,
    ),
    (("linear.bias",), ("rnn.weight_ih_l0", "rnn.weight_hh_l0", "linear.bias"), False),
    # cases no visible cell and no checker uses
    ((), ("rnn.bias_ih_l0", "linear.weight"), False),
)
for frozen, optimized, set_to_none in cases:  # each run for real here
    model = seeded_model(41)
    for name, p in model.named_parameters():
        p.requires_grad_(name not in frozen)
    optimizer = torch.optim.SGD(
        [p for name, p in model.named_parameters() if name in optimized], lr=0.01
    )
    windows = sine_windows([0.5, 3.5])
    nn.functional.mse_loss(model(windows.x)[0], windows.y).backward()
    optimizer.zero_grad(set_to_none=set_to_none)
    want = {
        name: "none" if p.grad is None else "nonzero" if bool(p.grad.any()) else "zero"
        for name, p in model.named_parameters()
    }
    got = grads_after(frozen, optimized, set_to_none)
    got = dict(got.items() if isinstance(got, dict) else got)
    assert {str(k).strip(): str(v).strip().lower() for k, v in got.items()} == want, (
        frozen,
        optimized,
        got,
    )
""",
    "check_accumulate": """
import torch
from torch import nn
from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.model import seeded_model

# 12 windows in 3 micro-batches: unseen
windows = sine_windows(draw_starts(12, generator=21))
model = seeded_model(21, hidden_size=5)
nn.functional.mse_loss(model(windows.x)[0], windows.y).backward()
want = [p.grad.clone() for p in model.parameters()]
# stale gradients
nn.functional.mse_loss(model(windows.x[:5])[0], windows.y[:5]).backward()
accumulate(model, windows.x.clone(), windows.y.clone(), 3)
assert all(
    p.grad is not None and torch.allclose(p.grad, w, atol=1e-6)
    for p, w in zip(model.parameters(), want)
)
""",
    "check_scales": """
assert len(scales) == 2 and all(
    abs(float(s) - w) < 1e-9 for s, w in zip(scales, (40 / 64, 24 / 64))
)
""",
    # -- 05 autoregressive ---------------------------------------------------------------
    "check_explorer_warmup": """
import torch
from rnnlesson.data import sine_series, sine_windows
from rnnlesson.pretrained import trained_model

# the explorer's model, rolled out by hand:
shipped = trained_model()
# start 1.00, 49 steps, warm-ups 1 to 20
truth = sine_series([1.0], n_points=20 + 49).values
with torch.no_grad():
    # the state left by the window at 2.0
    _, left = shipped(sine_windows([2.0]).x)
    errors = []
    for warmup in range(1, 21):
        pred, hidden = shipped(truth[:, :warmup], left)
        steps = [pred[:, -1:]]
        for _ in range(48):
            pred, hidden = shipped(steps[-1], hidden)
            steps.append(pred)
        errors.append(
            float(
                ((torch.cat(steps, dim=1) - truth[:, warmup : warmup + 49]) ** 2)
                .mean()
                .sqrt()
            )
        )
want = 1 + next(i for i, error in enumerate(errors) if error < 0.05)
assert int(my_explorer_warmup) == want, (my_explorer_warmup, errors)
""",
    "check_warmup_loop": """
import torch
from rnnlesson.pretrained import trained_model

# a shipped model no checker uses
shipped = trained_model(3)
observed = torch.sin(torch.linspace(1.3, 11.3, 50))[:25].reshape(1, 25, 1)
with torch.no_grad():
    pred, hidden = shipped(observed[:, :5])  # warm-up on 5 observed points
    want = [pred[:, -1:]]
    for _ in range(19):
        pred, hidden = shipped(want[-1], hidden)  # each prediction read back in
        want.append(pred)
    want = torch.cat(want, dim=1).reshape(-1).double()
    got = torch.as_tensor(warmup_loop(shipped, observed.clone())).reshape(-1).double()
assert got.shape == want.shape and torch.allclose(got, want, atol=1e-5), (
    got[:3],
    want[:3],
)
""",
    "check_horizon": """
import torch
from rnnlesson.data import draw_starts, sine_series
from rnnlesson.pretrained import trained_model

# the exercise's model, rolled out by hand:
shipped = trained_model()
# warm-up 5, 300 steps
series = sine_series(draw_starts(200, generator=0), n_points=5 + 300).values
with torch.no_grad():
    pred, hidden = shipped(series[:, :5])
    steps = [pred[:, -1:]]
    for _ in range(299):
        pred, hidden = shipped(steps[-1], hidden)
        steps.append(pred)
by_horizon = ((torch.cat(steps, dim=1) - series[:, 5:]) ** 2).mean(dim=(0, 2)).sqrt()
want = 1 + int(torch.nonzero(by_horizon > 0.1)[0])
assert int(my_horizon) == want, (my_horizon, want)
""",
    "check_spread_warmup": """
import torch

if isinstance(my_spreads, dict):
    values = my_spreads.values()
else:
    values = torch.as_tensor(my_spreads).reshape(-1).tolist()
spreads = torch.as_tensor([float(v) for v in values])
assert len(spreads) == 12 and bool(torch.isfinite(spreads).all())
assert bool((spreads >= 0).all())
assert type(my_warmup) is int and my_warmup == 1 + int(torch.nonzero(spreads < 0.02)[0])
""",
    "check_think_largest_error": """
assert str(where_largest).strip().lower() == "zero crossings"
""",
    "check_think_leftover": """
assert (
    str(leftover_original).strip().lower(),
    str(leftover_trained).strip().lower(),
) == ("depend", "hurt")
""",
    "check_think_second_point": """
assert str(original_gains_as_much).strip().lower() == "no"
""",
    "check_think_on_truth": """
assert str(on_truth_at_200).strip().lower() == "no"
""",
    "check_think_step_49": """
assert str(changes_at_49).strip().lower() == "no"
""",
    # -- 06 batch stacking ---------------------------------------------------------------
    "check_row_index": """
for batch, seq_len in ((6, 2), (5, 9)):  # sizes no checker uses
    for sequence in range(batch):
        for step in range(seq_len):
            assert (
                row_index(sequence, step, batch, seq_len, True)
                == sequence * seq_len + step
            )
            assert (
                row_index(sequence, step, batch, seq_len, False)
                == step * batch + sequence
            )
""",
    "check_unstack_seq_first": """
import torch

for batch, seq_len, k in ((6, 2, 3), (5, 9, 1)):  # sizes no checker uses
    want = torch.arange(batch * seq_len * k, dtype=torch.float32).reshape(
        batch, seq_len, k
    )
    rows = want.transpose(0, 1).reshape(seq_len * batch, k)
    got = unstack_seq_first(rows.clone(), batch, seq_len)
    assert tuple(got.shape) == (batch, seq_len, k) and torch.equal(got.float(), want)
""",
    "check_fixed_forward": """
import torch
from rnnlesson.model import seeded_model

# a model and sizes no checker uses
model = seeded_model(31, hidden_size=7)
generator = torch.Generator().manual_seed(31)
for batch, seq_len in ((4, 6), (6, 3)):
    x = torch.randn(batch, seq_len, 1, generator=generator)
    with torch.no_grad():
        want, want_hidden = model(x)
        pred, hidden = fixed_forward(model, x)
    assert tuple(pred.shape) == (batch, seq_len, 1)
    assert torch.allclose(pred.double(), want.double(), atol=1e-6)
    assert torch.allclose(hidden.double(), want_hidden.double(), atol=1e-6)
""",
}
