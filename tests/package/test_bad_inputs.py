"""A sweep of bad input: every public function, given bad input of each kind a learner can
type (garbage, odd numeric types, sizes and seeds out of range, NaN, meta tensors, wrong
shapes and dtypes, damaged paths), raises a TypeError or ValueError that names the
argument, from the package's own checks: the raising line is in rnnlesson, not deep in
torch, numpy or matplotlib."""

from __future__ import annotations

from pathlib import Path

import inspect

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

import rnnlesson
import rnnlesson.model as model_module
from rnnlesson import (
    ablation,
    baselines,
    checkpoints,
    data,
    exposure,
    gradients,
    plots,
    pretrained,
    reproducibility,
    rollout,
    signals,
    stacking,
    stats,
    tables,
    training,
)
from rnnlesson.exercises import report
from rnnlesson.model import (
    SineRNN,
    check_model,
    count_parameters,
    pick_device,
    seeded_model,
)
from rnnlesson.widgets import RolloutExplorer, WindowExplorer

PACKAGE = Path(rnnlesson.__file__).parent
NAN, INF = float("nan"), float("inf")
HUGE = 10**400  # too large for a float or an int64

MODEL = seeded_model(0)
X = data.sine_windows([0.0, 1.0]).x  # [2, 49, 1]
H = MODEL.initial_hidden(batch=2)  # [1, 2, 10]
with torch.device("meta"):
    META_MODEL = SineRNN()

# ---- bad values, by the kind of argument -----------------------------------------------
GARBAGE = [None, "abc", b"x", object(), {"a": 1}]
INT = GARBAGE + [
    2.5,
    True,
    -1,
    0,
    HUGE,
    NAN,
    np.float64(3.0),
    torch.tensor(3),
    np.array([3]),
]
SEED = [None, "0", 2.5, True, -1, 2**64, 10**400, torch.tensor([1])]
FLOAT = GARBAGE + [True, NAN, INF, -INF, 10**400, 1j, torch.tensor([1.0, 2.0])]
POSITIVE_FLOAT = FLOAT + [0.0, -1.0]


def but_none(values: list) -> list:  # for arguments whose None means "the default"
    return [v for v in values if v is not None]


TENSOR = GARBAGE + [
    X.numpy(),
    X.tolist(),
    X[0],
    X.reshape(-1),
    X.int(),
    X.to(torch.complex64),
    X.to("meta"),
    torch.full_like(X, NAN),
    torch.full_like(X, INF),
    torch.zeros(0, 49, 1),
    torch.zeros(2, 49, 2),
]
MODEL_INPUT = TENSOR + [X.double()]  # the model's dtype is float32
HIDDEN = [
    H.numpy(),
    H.tolist(),
    "abc",
    3,
    H.to("meta"),
    H[0],
    H.double(),
    torch.full_like(H, NAN),
    torch.zeros(2, 2, 10),
    torch.zeros(1, 3, 10),
]
MODELS = [None, "model", nn.Linear(1, 1), nn.RNN(1, 10), META_MODEL]
AXES = Figure().add_subplot()
EXPLORER = RolloutExplorer(MODEL)  # no leftover states: state may only be "zeros"
WINDOW_EXPLORER = WindowExplorer()
PATHS = [None, 123, b"m.pt", "", ".", 2.5]
MAPPING = [
    None,
    "abc",
    [torch.ones(5)],
    3,
    {"a": None},
    {"a": "abc"},
    {"a": object()},
    {"a": torch.zeros(2, device="meta")},
]

SIGNAL_WINDOWS = signals.signal_windows("noisy sine", [0.0, 1.0], generator=0)

# ---- (label, call with one bad value, the argument's name, its bad values) -------------
CASES = [
    (
        "sine_windows",
        lambda v: data.sine_windows(v),
        "starts",
        GARBAGE[1:]
        + [[NAN], [INF], [], [[0.0]], [1e30], [1j], torch.zeros(2, device="meta")],
    ),
    (
        "sine_windows",
        lambda v: data.sine_windows([0.0], n_points=v),
        "n_points",
        INT + [1, 10**6],
    ),
    (
        "window_starts",
        lambda v: data.window_starts(v, 50),
        "starts",
        GARBAGE[1:] + [[], [[0.0]], [1j], torch.zeros(2, device="meta")],
    ),
    (
        "sine_windows",
        lambda v: data.sine_windows([0.0], span=v),
        "span",
        POSITIVE_FLOAT + [1e308],
    ),
    (
        "sine_series",
        lambda v: data.sine_series([0.0], n_points=v),
        "n_points",
        INT + [1, 10**6],
    ),
    (
        "sine_series",
        lambda v: data.sine_series([0.0], 10, dt=v),
        "dt",
        but_none(POSITIVE_FLOAT) + [1e308],
    ),
    ("time_step", lambda v: data.time_step(n_points=v), "n_points", INT + [1]),
    ("time_step", lambda v: data.time_step(span=v), "span", POSITIVE_FLOAT),
    ("draw_starts", lambda v: data.draw_starts(v), "n", INT + [10**7]),
    (
        "draw_starts",
        lambda v: data.draw_starts(3, generator=v),
        "generator",
        ["abc", 2.5, True, -1, 2**64, object()],
    ),
    ("draw_starts", lambda v: data.draw_starts(3, scheme=v), "scheme", ["abc", None, 3]),
    (
        "SineWindows",
        lambda v: data.SineWindows(t=v, values=torch.zeros(1, 5, 1)),
        "t",
        GARBAGE + [torch.zeros(1, 5, dtype=torch.int64), torch.zeros(5)],
    ),
    (
        "SineWindows",
        lambda v: data.SineWindows(t=torch.zeros(1, 5), values=v),
        "values",
        GARBAGE + [torch.zeros(1, 5), torch.zeros(1, 4, 1)],
    ),
    ("SineRNN", lambda v: SineRNN(hidden_size=v), "hidden_size", INT + [10**7]),
    ("SineRNN", lambda v: SineRNN(num_layers=v), "num_layers", INT + [10**6]),
    ("SineRNN.forward", lambda v: MODEL(v), "x", MODEL_INPUT),
    ("SineRNN.forward", lambda v: MODEL(X, v), "hidden", HIDDEN),
    ("SineRNN.initial_hidden", lambda v: MODEL.initial_hidden(v), "batch", INT),
    ("SineRNN.check_hidden", lambda v: MODEL.check_hidden(H, batch=v), "batch", INT),
    ("SineRNN.check_hidden", lambda v: MODEL.check_hidden(v, batch=2), "hidden", HIDDEN),
    ("seeded_model", lambda v: seeded_model(v), "seed", SEED),
    (
        "check_model",
        lambda v: check_model(v),
        "model",
        GARBAGE + [X, torch.nn.RNN(1, 10)],
    ),
    ("count_parameters", lambda v: count_parameters(v), "model", [None, "model", 3]),
    (
        "pick_device",
        lambda v: pick_device(v),
        "device",
        ["banana", "cuda:x", "meta", 3.5],
    ),
    ("one_step", lambda v: rollout.one_step(v, X), "model", MODELS),
    ("one_step", lambda v: rollout.one_step(MODEL, v), "x", MODEL_INPUT),
    ("one_step", lambda v: rollout.one_step(MODEL, X, hidden=v), "hidden", HIDDEN),
    ("rollout", lambda v: rollout.rollout(v, X, 5), "model", MODELS),
    ("rollout", lambda v: rollout.rollout(MODEL, v, 5), "observed", MODEL_INPUT),
    ("rollout", lambda v: rollout.rollout(MODEL, X, v), "n_steps", INT + [10**6]),
    ("rollout", lambda v: rollout.rollout(MODEL, X, 5, warmup=v), "warmup", INT + [50]),
    ("rollout", lambda v: rollout.rollout(MODEL, X, 5, hidden=v), "hidden", HIDDEN),
    ("rmse_by_horizon", lambda v: rollout.rmse_by_horizon(v, X), "predictions", TENSOR),
    ("rmse_by_horizon", lambda v: rollout.rmse_by_horizon(X, v), "targets", TENSOR),
    ("rmse", lambda v: rollout.rmse(v, X), "predictions", TENSOR),
    (
        "fit_sine",
        lambda v: rollout.fit_sine(v, X),
        "t",
        GARBAGE + [torch.zeros(2, 48), torch.zeros(49)],
    ),
    ("fit_sine", lambda v: rollout.fit_sine(torch.zeros(2, 49), v), "values", TENSOR),
    ("train", lambda v: training.train(v), "model", MODELS),
    ("train", lambda v: training.train(MODEL, seed=v), "seed", SEED),
    (
        "train",
        lambda v: training.train(MODEL, n_sequences=v),
        "n_sequences",
        INT + [10**7],
    ),
    (
        "train",
        lambda v: training.train(MODEL, n_iterations=v),
        "n_iterations",
        but_none(INT) + [10**6],
    ),
    ("train", lambda v: training.train(MODEL, method=v), "method", ["sgd", None, 3]),
    ("train", lambda v: training.train(MODEL, lr=v), "lr", but_none(POSITIVE_FLOAT)),
    ("train", lambda v: training.train(MODEL, scheme=v), "scheme", ["abc", None, 3]),
    (
        "train",
        lambda v: training.train(MODEL, callback=v),
        "callback",
        ["abc", 3, [print]],
    ),
    (
        "train_original",
        lambda v: training.train_original(MODEL, carry_hidden=v),
        "carry_hidden",
        ["yes", 1, None],
    ),
    (
        "train_original",
        lambda v: training.train_original(MODEL, callback=v),
        "callback",
        ["abc", 3],
    ),
    ("ablation.run", lambda v: ablation.run(v, "adam/period/zeros"), "seed", SEED),
    (
        "ablation.run",
        lambda v: ablation.run(0, v),
        "config",
        GARBAGE + ["adam", ["adam/period/zeros"]],
    ),
    (
        "ablation.run",
        lambda v: ablation.run(0, "adam/period/zeros", scored_at=v),
        "scored_at",
        GARBAGE + [(), 5, (0,)],
    ),
    ("ablation.score", lambda v: ablation.score(v), "model", MODELS),
    (
        "baselines.one_value_floor",
        lambda v: baselines.one_value_floor(v),
        "n_steps",
        INT + [10**6],
    ),
    (
        "baselines.one_value_floor",
        lambda v: baselines.one_value_floor(49, dt=v),
        "dt",
        but_none(POSITIVE_FLOAT),
    ),
    (
        "baselines.one_step_floor",
        lambda v: baselines.one_step_floor(v),
        "n_positions",
        INT,
    ),
    ("baselines.persistence", lambda v: baselines.persistence(v, 3), "observed", TENSOR),
    ("baselines.persistence", lambda v: baselines.persistence(X, v), "n_steps", INT),
    ("baselines.training_windows", lambda v: baselines.training_windows(v), "seed", SEED),
    ("baselines.fit_ar", lambda v: baselines.fit_ar(v, 2), "values", TENSOR),
    ("baselines.fit_ar", lambda v: baselines.fit_ar(X, v), "p", INT + [49, 100]),
    (
        "baselines.ar_one_step",
        lambda v: baselines.ar_one_step(v, X),
        "coefficients",
        GARBAGE + [torch.ones(2, 2), torch.tensor([NAN]), torch.ones(0)],
    ),
    (
        "baselines.ar_rollout",
        lambda v: baselines.ar_rollout(torch.ones(2), X, 3, warmup=v),
        "warmup",
        INT + [1, 50],
    ),
    (
        "stats.compare",
        lambda v: stats.compare(v, [0.1, 0.2]),
        "a",
        GARBAGE + [[0.1], [NAN, 0.1], [True, 0.1]],
    ),
    (
        "stats.compare",
        lambda v: stats.compare([0.1, 0.2], [0.3, 0.4], name_a=v),
        "name_a",
        [None, 3, b"x"],
    ),
    ("exposure.scores", lambda v: exposure.scores(v), "model", MODELS),
    ("exposure.run", lambda v: exposure.run(v), "seed", SEED),
    (
        "exposure.train_free_running",
        lambda v: exposure.train_free_running(v),
        "model",
        MODELS,
    ),
    ("train_original", lambda v: training.train_original(v), "model", MODELS),
    ("train_original", lambda v: training.train_original(MODEL, seed=v), "seed", SEED),
    (
        "train_original",
        lambda v: training.train_original(MODEL, n_iterations=v),
        "n_iterations",
        INT + [10**6],
    ),
    (
        "train_original",
        lambda v: training.train_original(MODEL, lr=v),
        "lr",
        POSITIVE_FLOAT,
    ),
    # a huge log_every logs once
    (
        "train_original",
        lambda v: training.train_original(MODEL, log_every=v),
        "log_every",
        [v for v in but_none(INT) if v is not HUGE],
    ),
    (
        "TrainingResult",
        lambda v: training.TrainingResult(losses=v, seconds=1.0),
        "losses",
        [None, "abc", [], [None], ["1.0"], 3.0],
    ),
    (
        "TrainingResult",
        lambda v: training.TrainingResult(losses=[1.0], seconds=v),
        "seconds",
        FLOAT + [-1.0],
    ),
    (
        "TrainingResult",
        lambda v: training.TrainingResult(losses=[1.0], seconds=1.0, hidden=v),
        "hidden",
        ["abc", 3, [0.0]],
    ),
    ("save_checkpoint", lambda v: checkpoints.save_checkpoint(v, MODEL), "path", PATHS),
    (
        "save_checkpoint",
        lambda v: checkpoints.save_checkpoint("/tmp/never-written.pt", v),
        "model",
        MODELS,
    ),
    (
        "save_checkpoint",
        lambda v: checkpoints.save_checkpoint("/tmp/never-written.pt", MODEL, losses=v),
        "losses",
        [None, [1.0], "abc", torch.zeros(3, device="meta")],
    ),
    ("load_checkpoint", lambda v: checkpoints.load_checkpoint(v), "path", PATHS),
    (
        "load_checkpoint",
        lambda v: checkpoints.load_checkpoint(pretrained.trained_checkpoint(0), device=v),
        "device",
        ["banana", "meta", 3.5],
    ),
    ("trained_model", lambda v: pretrained.trained_model(v), "seed", SEED + [5, 99]),
    ("fit", lambda v: pretrained.fit(v), "seed", SEED),
    ("fit_original", lambda v: pretrained.fit_original(v), "seed", SEED),
    ("quality", lambda v: pretrained.quality(v), "model", MODELS),
    (
        "regenerate_original_checkpoint",
        lambda v: pretrained.regenerate_original_checkpoint(path=v),
        "path",
        PATHS,
    ),
    ("original_forward", lambda v: stacking.original_forward(v, X), "model", MODELS),
    ("original_forward", lambda v: stacking.original_forward(MODEL, v), "x", MODEL_INPUT),
    (
        "original_forward",
        lambda v: stacking.original_forward(MODEL, X, v),
        "hidden",
        HIDDEN,
    ),
    (
        "stack",
        lambda v: stacking.stack(v),
        "out",
        GARBAGE + [torch.zeros(3), np.zeros((2, 3, 4))],
    ),
    (
        "unstack",
        lambda v: stacking.unstack(v, 2, 3),
        "rows",
        GARBAGE + [torch.zeros(5, 1), torch.zeros(6)],
    ),
    ("unstack", lambda v: stacking.unstack(torch.zeros(6, 1), v, 3), "batch", INT),
    ("unstack", lambda v: stacking.unstack(torch.zeros(6, 1), 2, v), "seq_len", INT),
    (
        "unstack",
        lambda v: stacking.unstack(torch.zeros(6, 1), 2, 3, v),
        "layout",
        ["abc", None, 3],
    ),
    ("row_origin", lambda v: stacking.row_origin(v, 3), "batch", INT),
    ("plot_row_order", lambda v: plots.plot_row_order(v, 3), "batch", INT + [100]),
    ("grad_state", lambda v: gradients.grad_state(v), "parameter", GARBAGE),
    (
        "grad_states",
        lambda v: gradients.grad_states(v),
        "modules",
        GARBAGE + [[nn.Linear(1, 1)]],
    ),
    ("grad_norms", lambda v: gradients.grad_norms(v), "module", GARBAGE),
    (
        "format_grad_table",
        lambda v: gradients.format_grad_table(v),
        "columns",
        MAPPING + [{}],
    ),
    (
        "plot_windows",
        lambda v: plots.plot_windows(v),
        "windows",
        GARBAGE + [X, torch.zeros(3)],
    ),
    # a large n_show shows all
    (
        "plot_windows",
        lambda v: plots.plot_windows(data.sine_windows([0.0]), n_show=v),
        "n_show",
        [v for v in INT if v is not HUGE],
    ),
    ("plot_losses", lambda v: plots.plot_losses(v), "histories", MAPPING + [{}]),
    (
        "plot_rollout",
        lambda v: plots.plot_rollout(v, range(30), {}, 3),
        "t",
        GARBAGE + [[None] * 30, ["a"] * 30],
    ),
    (
        "plot_rollout",
        lambda v: plots.plot_rollout(range(30), v, {}, 3),
        "truth",
        GARBAGE + [torch.zeros(3, device="meta")],
    ),
    (
        "plot_rollout",
        lambda v: plots.plot_rollout(range(30), range(30), v, 3),
        "predictions",
        [
            None,
            "abc",
            [torch.zeros(5)],
            {"a": None},
            {"a": "abc"},
            {"a": torch.zeros(40)},
        ],
    ),
    (
        "plot_rollout",
        lambda v: plots.plot_rollout(range(30), range(30), {}, v),
        "warmup",
        INT + [31],
    ),
    (
        "plot_error_by_horizon",
        lambda v: plots.plot_error_by_horizon(v),
        "errors",
        MAPPING + [{}],
    ),
    (
        "plot_error_by_horizon",
        lambda v: plots.plot_error_by_horizon({"a": [1.0]}, mark=v),
        "mark",
        but_none(INT) + [10**6],
    ),
    (
        "plot_error_by_warmup",
        lambda v: plots.plot_error_by_warmup(v, {"a": [1.0]}),
        "warmup",
        GARBAGE + [[0], [2.5]],
    ),
    (
        "plot_error_by_warmup",
        lambda v: plots.plot_error_by_warmup([1], v),
        "errors",
        MAPPING + [{}, {"a": [1.0, 2.0]}],
    ),
    ("plot_unrolled", lambda v: plots.plot_unrolled(v), "hidden_size", INT),
    (
        "plot_unrolled",
        lambda v: plots.plot_unrolled(3, num_layers=v),
        "num_layers",
        INT + [7],
    ),
    ("plot_unrolled", lambda v: plots.plot_unrolled(3, n_steps=v), "n_steps", INT + [9]),
    (
        "plot_hidden_states",
        lambda v: plots.plot_hidden_states(v, {"a": torch.zeros(3, 2)}),
        "values",
        GARBAGE,
    ),
    (
        "plot_hidden_states",
        lambda v: plots.plot_hidden_states([0.0] * 3, v),
        "states",
        MAPPING + [{}, {"a": torch.zeros(4, 2)}],
    ),
    (
        "plot_grad_norms",
        lambda v: plots.plot_grad_norms(v),
        "history",
        MAPPING + [{}, {"a": []}, {"a": [{"w": None}]}],
    ),
    ("plot_grad_states", lambda v: plots.plot_grad_states(v), "columns", MAPPING + [{}]),
    (
        "plot_ablation",
        lambda v: plots.plot_ablation(v),
        "scores",
        MAPPING + [{}, {"a": [0.1, -1.0]}, {"a": []}],
    ),
    (
        "plot_ablation",
        lambda v: plots.plot_ablation({"a": [0.1]}, reference=v),
        "reference",
        ["abc", [0.1], {"a": None}, {"a": "x"}, {"a": NAN}],
    ),
    (
        "draw_window",
        lambda v: plots.draw_window(v, data.sine_windows([0.0])),
        "ax",
        GARBAGE + [Figure()],
    ),
    ("draw_window", lambda v: plots.draw_window(AXES, v), "windows", GARBAGE + [X]),
    (
        "draw_window",
        lambda v: plots.draw_window(AXES, data.sine_windows([0.0, 1.0]), v),
        "i",
        [v for v in INT if not (isinstance(v, int) and v == 0)] + [2, 10**6],
    ),
    (
        "draw_window",
        lambda v: plots.draw_window(AXES, data.sine_windows([0.0]), title=v),
        "title",
        [3, b"x", ["a"]],
    ),
    (
        "RolloutExplorer",
        lambda v: RolloutExplorer(v),
        "models",
        MODELS
        + [{}, {"a": None}, {"": MODEL}, {1: MODEL}, {f"m{i}": MODEL for i in range(5)}],
    ),
    (
        "RolloutExplorer",
        lambda v: RolloutExplorer({"a": MODEL}, leftover=v),
        "leftover",
        [
            "abc",
            3,
            [H[:, :1]],
            {"b": H[:, :1]},
            {"a": None},
            {"a": H},
            {"a": H[:, :1].double()},
            {"a": H[:, :1].to("meta")},
            {"a": torch.full_like(H[:, :1], NAN)},
            {"a": H[:, :1].numpy()},
        ],
    ),
    (
        "RolloutExplorer",
        lambda v: RolloutExplorer(MODEL, start=v),
        "start",
        FLOAT + [-1.0, 7.0],
    ),
    (
        "RolloutExplorer",
        lambda v: RolloutExplorer(MODEL, n_steps=v),
        "n_steps",
        INT + [201],
    ),
    ("RolloutExplorer", lambda v: RolloutExplorer(MODEL, warmup=v), "warmup", INT + [21]),
    (
        "RolloutExplorer",
        lambda v: RolloutExplorer({"a": MODEL}, leftover={"a": H[:, :1]}, state=v),
        "state",
        GARBAGE + ["left over", "Zeros", 1],
    ),
    (
        "RolloutExplorer.set",
        lambda v: EXPLORER.set(warmup=v),
        "warmup",
        but_none(INT) + [21],
    ),
    (
        "RolloutExplorer.set",
        lambda v: EXPLORER.set(state=v),
        "state",
        but_none(GARBAGE) + ["leftover"],
    ),
    ("WindowExplorer", lambda v: WindowExplorer(start=v), "start", FLOAT + [-1.0, 7.0]),
    ("WindowExplorer", lambda v: WindowExplorer(n_points=v), "n_points", INT + [1, 101]),
    (
        "WindowExplorer.set",
        lambda v: WINDOW_EXPLORER.set(n_points=v),
        "n_points",
        but_none(INT) + [1, 101],
    ),
    ("set_seed", lambda v: reproducibility.set_seed(v), "seed", SEED + [2**32]),
    (
        "baselines.monte_carlo_floor",
        lambda v: baselines.monte_carlo_floor(v),
        "n_steps",
        INT + [10**6],
    ),
    (
        "baselines.monte_carlo_floor",
        lambda v: baselines.monte_carlo_floor(49, n_samples=v),
        "n_samples",
        INT + [10**9],
    ),
    (
        "baselines.monte_carlo_floor",
        lambda v: baselines.monte_carlo_floor(49, seed=v),
        "seed",
        SEED,
    ),
    (
        "baselines.monte_carlo_floor",
        lambda v: baselines.monte_carlo_floor(49, n_bins=v),
        "n_bins",
        INT + [10**9],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows(v, [0.0]),
        "signal",
        GARBAGE + ["sine", 3],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows("noisy sine", v),
        "starts",
        GARBAGE[1:] + [[NAN], [INF], [], [[0.0]], [1e30], [1j]],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows("noisy sine", [0.0], noise=v),
        "noise",
        FLOAT + [-1.0, 1e9],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows("van der pol", [0.0], mu=v),
        "mu",
        FLOAT + [-1.0, 1e9],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows("noisy sine", [0.0], generator=v),
        "generator",
        ["abc", 2.5, True, -1, 2**64, object()],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows("noisy sine", [0.0], n_points=v),
        "n_points",
        INT + [1, 10**6],
    ),
    (
        "signals.signal_windows",
        lambda v: signals.signal_windows("noisy sine", [0.0], span=v),
        "span",
        POSITIVE_FLOAT + [1e308],
    ),
    (
        "signals.scored_windows",
        lambda v: signals.scored_windows(v, "test"),
        "signal",
        GARBAGE + ["sine"],
    ),
    (
        "signals.scored_windows",
        lambda v: signals.scored_windows("noisy sine", v),
        "part",
        GARBAGE + ["train", 3],
    ),
    (
        "signals.training_windows",
        lambda v: signals.training_windows(v),
        "signal",
        GARBAGE + ["sine"],
    ),
    (
        "signals.training_windows",
        lambda v: signals.training_windows("noisy sine", seed=v),
        "seed",
        SEED,
    ),
    (
        "signals.training_windows",
        lambda v: signals.training_windows("noisy sine", n_sequences=v),
        "n_sequences",
        INT + [10**7],
    ),
    (
        "signals.van_der_pol",
        lambda v: signals.van_der_pol(v, 50, 0.2),
        "starts",
        GARBAGE[1:] + [torch.tensor([NAN]), torch.zeros(0), [7.0]],
    ),
    (
        "signals.van_der_pol",
        lambda v: signals.van_der_pol(torch.zeros(2), v, 0.2),
        "n_points",
        INT + [1, 10**7],
    ),
    (
        "signals.van_der_pol",
        lambda v: signals.van_der_pol(torch.zeros(2), 50, v),
        "dt",
        POSITIVE_FLOAT + [100.0],
    ),
    (
        "signals.van_der_pol",
        lambda v: signals.van_der_pol(torch.zeros(2), 50, 0.2, mu=v),
        "mu",
        FLOAT + [-1.0],
    ),
    (
        "signals.score_rnn",
        lambda v: signals.score_rnn(v, SIGNAL_WINDOWS),
        "model",
        MODELS,
    ),
    (
        "signals.score_rnn",
        lambda v: signals.score_rnn(MODEL, v),
        "windows",
        GARBAGE + [X, data.sine_windows([0.0])],
    ),
    (
        "signals.score_ar",
        lambda v: signals.score_ar(v, SIGNAL_WINDOWS),
        "coefficients",
        GARBAGE + [torch.ones(2, 2), torch.tensor([NAN]), torch.ones(0)],
    ),
    (
        "signals.score_ar",
        lambda v: signals.score_ar(torch.ones(2), v),
        "windows",
        GARBAGE + [X],
    ),
    (
        "signals.best_ar",
        lambda v: signals.best_ar(v, SIGNAL_WINDOWS),
        "train_windows",
        GARBAGE + [X],
    ),
    (
        "signals.best_ar",
        lambda v: signals.best_ar(SIGNAL_WINDOWS, v),
        "validation",
        GARBAGE + [X],
    ),
    (
        "signals.SignalWindows",
        lambda v: signals.SignalWindows(t=v, values=torch.zeros(1, 5, 1)),
        "t",
        GARBAGE + [torch.zeros(5)],
    ),
    (
        "signals.SignalWindows",
        lambda v: signals.SignalWindows(t=torch.zeros(1, 5), values=v),
        "values",
        GARBAGE + [torch.zeros(1, 4, 1)],
    ),
    (
        "signals.SignalWindows",
        lambda v: signals.SignalWindows(
            t=torch.zeros(1, 5), values=torch.zeros(1, 5, 1), clean=v
        ),
        "clean",
        ["abc", 3, torch.zeros(1, 4, 1)],
    ),
    ("signals.run", lambda v: signals.run(v, 0), "signal", GARBAGE + ["sine"]),
    ("signals.run", lambda v: signals.run("noisy sine", v), "seed", SEED),
    ("exposure.rollout_loss", lambda v: exposure.rollout_loss(v, X), "model", MODELS),
    (
        "exposure.rollout_loss",
        lambda v: exposure.rollout_loss(MODEL, v),
        "values",
        MODEL_INPUT,
    ),
    (
        "exposure.rollout_loss",
        lambda v: exposure.rollout_loss(MODEL, X, warmup=v),
        "warmup",
        INT + [49, 50],
    ),
    (
        "exposure.initial_rollout_loss",
        lambda v: exposure.initial_rollout_loss(v),
        "seed",
        SEED,
    ),
    (
        "ablation.late",
        lambda v: ablation.late(v, "c"),
        "table",
        GARBAGE + [{}, {"c": 3}, {"c": {0: {"x": 1}}}, {"c": {0: {}}}],
    ),
    (
        "ablation.late",
        lambda v: ablation.late({"c": {0: {200: 0.1}}}, v),
        "config",
        GARBAGE + ["d"],
    ),
    (
        "ablation.final",
        lambda v: ablation.final(v, "c"),
        "table",
        GARBAGE + [{}, {"c": 3}, {"c": {0: {}}}],
    ),
    (
        "ablation.final",
        lambda v: ablation.final({"c": {0: {200: 0.1}}}, v),
        "config",
        GARBAGE + ["d"],
    ),
    (
        "stats.compare_paired",
        lambda v: stats.compare_paired(v, [0.1] * 6),
        "a",
        GARBAGE + [[0.1], [NAN] * 6, [True] * 6],
    ),
    (
        "stats.compare_paired",
        lambda v: stats.compare_paired([0.1] * 6, v),
        "b",
        GARBAGE + [[0.1] * 5],
    ),
    (
        "stats.compare_paired",
        lambda v: stats.compare_paired([0.1] * 6, [0.2] * 6, name_a=v),
        "name_a",
        [None, 3, b"x"],
    ),
    ("tables.read", lambda v: tables.read(v), "name", GARBAGE + ["ablations"]),
    (
        "tables.table_file",
        lambda v: tables.table_file(v),
        "name",
        GARBAGE + ["ablations"],
    ),
    (
        "tables.table_file",
        lambda v: tables.table_file("ablation", v),
        "rerun",
        GARBAGE + [1, "yes"],
    ),
    ("ablation.shipped", lambda v: ablation.shipped(v), "rerun", GARBAGE + [1]),
    ("exposure.shipped", lambda v: exposure.shipped(v), "rerun", GARBAGE + [1]),
    ("signals.shipped", lambda v: signals.shipped(v), "rerun", GARBAGE + [1]),
]

SWEEP = [(call, name, value) for label, call, name, values in CASES for value in values]


def raising_file(error: BaseException) -> Path:
    """The file of the line that raised ``error`` (the innermost frame of its
    traceback)."""
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return Path(tb.tb_frame.f_code.co_filename).resolve()


def unclear(call, name: str, value: object) -> str | None:
    """Why ``call(value)`` did not fail clearly, or None if it raised TypeError or
    ValueError from the package's own code with ``name`` in the message."""
    try:
        call(value)
    except (TypeError, ValueError) as error:
        message = str(error)
        if name not in message:
            return f"the message does not name {name!r}: {message}"
        if PACKAGE.resolve() not in raising_file(error).parents:
            return (
                f"raised deep in {raising_file(error)}, not by the package's own "
                f"check: {message}"
            )
        return None
    except Exception as error:  # noqa: BLE001
        # any other error is what this test looks for
        return f"raised {type(error).__name__}: {error}"
    return "no error"


@pytest.mark.parametrize(
    "label, call, name, values", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
def test_bad_input_gets_a_clear_error_naming_the_argument(label, call, name, values):
    """Every bad value of one argument (one test per argument; a test per value would
    spend more time in pytest than in the checks)."""
    problems = [
        f"{value!r}: {why}" for value in values if (why := unclear(call, name, value))
    ]
    assert not problems, f"{label}({name}=...):\n" + "\n".join(problems)


# the modules every notebook builds on, and those behind notebook 05's tables
CORE = (data, rollout, training, stacking, model_module)
TABLES = (baselines, signals, exposure, ablation, stats, tables)
# public functions the sweep leaves out, each with the reason
NOT_SWEPT = {
    "regenerate": "a maintainer's entry point that retrains for minutes; main checks it",
    "main": "argparse checks its arguments and names each one itself",
    "cpu": "takes no argument",
    "shipped_initial_losses": "takes no argument",
}


def test_the_sweep_covers_every_public_function_and_each_kind_of_bad_input():
    swept = {label.split("(")[0].split(" ")[0].rsplit(".", 1)[-1] for label, *_ in CASES}
    swept |= set(NOT_SWEPT)
    public = {
        f"{module.__name__}.{name}"
        for module in CORE + TABLES
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and obj.__module__ == module.__name__
        and not name.startswith("_")
    }
    assert not {
        qualified for qualified in public if qualified.rsplit(".", 1)[-1] not in swept
    }, "not in the sweep"
    kinds = {
        type(v).__name__
        for _, _, values in [(c[0], c[1], c[3]) for c in CASES]
        for v in values
    }
    assert {
        "NoneType",
        "str",
        "bytes",
        "float",
        "int",
        "bool",
        "Tensor",
        "ndarray",
        "list",
        "dict",
    } <= kinds
    assert any(
        isinstance(v, torch.Tensor) and v.device.type == "meta"
        for c in CASES
        for v in c[3]
    )


def test_a_float64_model_runs_where_the_package_makes_the_data(capsys):
    """A model converted with .double() is the caller's choice; data the package makes
    itself follows its dtype, so no message blames an x or observed the caller never
    wrote."""
    from rnnlesson.exercises import ex03, ex05

    model = seeded_model(0).double()
    assert model.dtype == torch.float64 and model.initial_hidden(2).dtype == torch.float64
    result = training.train(model, n_iterations=1)
    assert len(result.losses) > 1 and all(
        p.dtype == torch.float64 for p in model.parameters()
    )
    assert (
        training.train_original(seeded_model(0).double(), n_iterations=3).hidden.dtype
        == torch.float64
    )
    assert set(pretrained.quality(model)) == {"one_step", "warmup_5", "one_point"}
    assert RolloutExplorer(model).predictions["rollout"].dtype == torch.float64
    # computed in float64, as the model is
    horizon = ex05._horizon_answers(model)["right"]
    assert (
        ex05.check_horizon(model, horizon) is True
        and ex05.check_horizon(model, horizon + 1) is False
    )
    assert (
        ex05.check_warmup_loop(lambda m, observed: torch.zeros(20, dtype=torch.float64))
        is False
    )
    assert ex03.check_carried_first_step(model, 0.1, 0.2) is False
    assert capsys.readouterr().out.count("Not yet") >= 3
    with pytest.raises(
        TypeError, match="observed must have the model's dtype torch.float64"
    ):
        rollout.rollout(model, X, 5)  # data the caller made must still match


# ---- kinds of bad input that each argument's own check cannot see ----------------------
def nan_model() -> SineRNN:
    model = seeded_model(0)
    with torch.no_grad():
        model.rnn.weight_hh_l0[0, 0] = NAN
    return model


KINDS = [
    # sizes that pass one by one but not together
    (
        "row_origin of 10**5 x 10**5 rows",
        lambda: stacking.row_origin(10**5, 10**5),
        "batch * seq_len",
    ),
    (
        "10**6 windows of 10**5 points",
        lambda: data.sine_windows(torch.zeros(10**6), n_points=10**5),
        "len(starts) * n_points",
    ),
    (
        "a 64-layer model of 4096 units",
        lambda: SineRNN(hidden_size=4096, num_layers=64),
        "num_layers * hidden_size",
    ),
    (
        "a hidden state for 10**6 windows of 4096 units",
        lambda: SineRNN(4096).initial_hidden(10**6),
        "batch",
    ),
    (
        "10**5 steps for 1000 windows",
        lambda: rollout.rollout(MODEL, torch.zeros(1000, 1, 1), n_steps=10**5),
        "n_steps",
    ),
    # a count with no bound
    ("10**7 starts", lambda: data.sine_windows(torch.zeros(10**7)), "starts"),
    # blame on what the caller gave: the model, not the predictions it makes
    (
        "a model with a NaN weight in an explorer",
        lambda: RolloutExplorer({"a": nan_model()}),
        "models['a']",
    ),
    ("a model with a NaN weight scored", lambda: ablation.score(nan_model()), "model"),
    (
        "a model with a NaN weight rolled out",
        lambda: rollout.rollout(nan_model(), X, 3),
        "model",
    ),
    # types that would reach a dict lookup or a comparison
    (
        "train(method=['lbfgs'])",
        lambda: training.train(MODEL, method=["lbfgs"]),
        "method",
    ),
    (
        "draw_starts(scheme=['period'])",
        lambda: data.draw_starts(3, scheme=["period"]),
        "scheme",
    ),
    (
        "unstack(layout={'seq_first'})",
        lambda: stacking.unstack(torch.zeros(6, 1), 2, 3, layout={"seq_first"}),
        "layout",
    ),
    (
        "ablation.run(config=['adam/period/zeros'])",
        lambda: ablation.run(0, ["adam/period/zeros"]),
        "config",
    ),
    # empty tensors
    ("stack of an empty tensor", lambda: stacking.stack(torch.zeros(0, 0, 0)), "out"),
    # values a log axis cannot show
    (
        "a reference of 0 on a log axis",
        lambda: plots.plot_ablation({"a": [1.0]}, reference={"zero": 0.0}),
        "reference['zero']",
    ),
    (
        "a negative reference on a log axis",
        lambda: plots.plot_ablation({"a": [1.0]}, reference={"r": -1.0}),
        "reference['r']",
    ),
    # public helpers
    ("report(None, ...)", lambda: report(None, "yes", "no"), "ok"),
    ("report(True, 1, ...)", lambda: report(True, 1, "no"), "success"),
    ("report(False, ..., None)", lambda: report(False, "yes", None), "hint"),
]


@pytest.mark.parametrize("call, name", [k[1:] for k in KINDS], ids=[k[0] for k in KINDS])
def test_input_that_passes_each_argument_alone_still_gets_a_clear_error(call, name):
    why = unclear(lambda _: call(), name, None)
    assert why is None, why


def test_an_explorer_whose_slider_maximum_was_raised_still_rolls_out():
    explorer = RolloutExplorer(MODEL)
    explorer.n_steps_slider.max = 300
    explorer.n_steps_slider.value = 300
    assert explorer.predictions["rollout"].shape == (300,)
    assert len(explorer.prediction_lines["rollout"].get_xdata()) == 300
    truth = data.sine_series([0.0], n_points=301).values[0, 1:, 0]
    assert explorer.rmse["rollout"] == pytest.approx(
        float((explorer.predictions["rollout"] - truth).pow(2).mean().sqrt()), rel=1e-6
    )
