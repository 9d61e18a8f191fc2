"""The original training loop against the package's training, side by side in one process.

    python benchmarks/training.py [--repeats 3]

Both models are evaluated the same way, each window starting from a zero hidden state, on
200 starts drawn uniformly over [0, 2*pi) from a fixed generator (windows of 50 points
over span 10):
  one-step     teacher forced, scored on the 45 targets after the first 5 points (the
               targets of the warm-up-5 rollout); "all 49" also scores the first targets,
               where one value cannot tell a rising sine from a falling one (the best
               possible RMSE is printed)
  rollout1     free-running for 49 steps from one observed point
  warmup5      free-running for 45 steps after a 5-point warm-up
Beside them, the yardsticks of rnnlesson.baselines: the floors (the lowest RMSE any
predictor can reach from what it has read), persistence (the next value is the last one
read) and a least-squares AR(2) fitted on the same 64 windows as ours. On a pure sine
AR(2) is exact, so an RNN is not needed for this task: the benchmark measures training,
and the floors say how close each model gets. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys

import torch

from rnnlesson import baselines
from rnnlesson.data import draw_starts, sine_windows, time_step
from rnnlesson.model import SineRNN, seeded_model
from rnnlesson.pretrained import fit, fit_original
from rnnlesson.reproducibility import set_seed
from rnnlesson.rollout import one_step, rmse, rollout
from rnnlesson.training import train

EVAL_SEED = 2024
N_EVAL = 200


def evaluate(model: SineRNN, values: torch.Tensor) -> dict[str, float]:
    """values: [batch, 50, 1] true windows."""
    x, y = values[:, :-1], values[:, 1:]
    pred = one_step(model, x)
    return {
        "onestep_rmse": rmse(pred[:, 4:], y[:, 4:]),
        "onestep_all_rmse": rmse(pred, y),
        "rollout1_rmse": rmse(
            rollout(model, values, n_steps=49, warmup=1), values[:, 1:]
        ),
        "warmup5_rmse": rmse(rollout(model, values, n_steps=45, warmup=5), values[:, 5:]),
    }


def best_possible_onestep_all(starts: torch.Tensor) -> float:
    """From one value sin(s) the best guess of sin(s + dt) is sin(s) cos(dt), off by
    cos(s) sin(dt) (a rising and a falling sine share the value); that first target is 1
    of the 49 scored ones,
    and a perfect model gets the other 48 right."""
    first = (torch.cos(starts) * math.sin(time_step())).pow(2).mean().item()
    return math.sqrt(first / 49)


def evaluate_baselines(values: torch.Tensor) -> dict[str, dict[str, float]]:
    """The floors, persistence and AR(2) on the same windows and targets as
    ``evaluate``."""
    x, y = values[:, :-1].double(), values[:, 1:].double()
    v = values.double()
    ar2 = baselines.fit_ar(baselines.training_windows(seed=0), p=2)
    ar2_one_step = baselines.ar_one_step(ar2, x)
    nan = float("nan")
    return {
        "floor": {
            "onestep_rmse": 0.0,
            "onestep_all_rmse": baselines.one_step_floor(),
            "rollout1_rmse": baselines.one_value_floor(49),
            "warmup5_rmse": 0.0,
        },
        "persistence": {
            "onestep_rmse": rmse(x[:, 4:], y[:, 4:]),
            "onestep_all_rmse": rmse(x, y),
            "rollout1_rmse": rmse(baselines.persistence(v, 49, warmup=1), y),
            "warmup5_rmse": rmse(baselines.persistence(v, 45, warmup=5), v[:, 5:]),
        },
        "AR(2)": {
            "onestep_rmse": rmse(ar2_one_step[:, 4:], y[:, 4:]),
            "onestep_all_rmse": nan,
            "rollout1_rmse": nan,
            "warmup5_rmse": rmse(baselines.ar_rollout(ar2, v, 45, warmup=5), v[:, 5:]),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="runs of the package's training (median time)",
    )
    args = parser.parse_args()
    set_seed(0)
    starts = draw_starts(N_EVAL, generator=EVAL_SEED)
    values = sine_windows(starts).values

    print("training the original loop (6000 iterations, batch 1) ...", flush=True)
    original, original_result = fit_original(seed=0)
    print(
        "training the package's way (L-BFGS, 64 windows per evaluation) ...", flush=True
    )
    runs = [fit(seed=0) for _ in range(max(1, args.repeats))]
    ours, ours_result = runs[0]
    if any(r.losses != ours_result.losses for _, r in runs):
        print(
            "error: repeated training with one seed gave different losses",
            file=sys.stderr,
        )
        return 1
    ours_seconds = statistics.median(r.seconds for _, r in runs)
    print(
        "training with Adam on the same 64 windows, 1000 steps, for reference ...",
        flush=True,
    )
    adam = seeded_model(0)
    adam_result = train(adam, seed=0, method="adam")

    scores = {
        name: evaluate(model, values)
        for name, model in [("original", original), ("ours", ours), ("adam", adam)]
    }
    rows = [
        ("original loop", original_result, original_result.seconds, scores["original"]),
        ("ours (L-BFGS)", ours_result, ours_seconds, scores["ours"]),
        ("Adam, batch 64", adam_result, adam_result.seconds, scores["adam"]),
    ]
    print()
    print(
        f"{'':16} {'seconds':>8} {'evals':>6} {'ms/eval':>8} {'one-step':>9} "
        f"{'all 49':>8} {'rollout1':>9} {'warmup5':>8}"
    )
    for name, result, seconds, s in rows:
        n = len(result.losses)
        print(
            f"{name:16} {seconds:8.2f} {n:6d} {1e3 * seconds / n:8.2f} "
            f"{s['onestep_rmse']:9.4f} {s['onestep_all_rmse']:8.4f} "
            f"{s['rollout1_rmse']:9.4f} {s['warmup5_rmse']:8.4f}"
        )
    print(
        f"{'predict 0':16} {'':8} {'':6} {'':8} {'':9} {'':8} "
        f"{rmse(torch.zeros_like(values[:, 1:]), values[:, 1:]):9.4f}"
    )
    print(
        "best possible 'all 49' one-step RMSE from a zero hidden state: "
        f"{best_possible_onestep_all(starts):.4f}"
    )
    yardsticks = evaluate_baselines(values)
    print(
        "yardsticks (floor: the best any predictor can do; AR(2): least squares on "
        "ours' 64 windows, it needs 2 points):"
    )
    for name, b in yardsticks.items():
        print(
            f"{name:16} {'':8} {'':6} {'':8} {b['onestep_rmse']:9.2g} "
            f"{b['onestep_all_rmse']:8.4f} {b['rollout1_rmse']:9.4f} "
            f"{b['warmup5_rmse']:8.2g}"
        )
    speedup = original_result.seconds / ours_seconds
    print(
        f"speedup: {speedup:.1f}x (original {original_result.seconds:.2f} s / ours "
        f"{ours_seconds:.2f} s, median of {len(runs)})"
    )
    report = {
        "original_seconds": round(original_result.seconds, 3),
        "ours_seconds": round(ours_seconds, 3),
        "speedup": round(speedup, 2),
        "adam_seconds": round(adam_result.seconds, 3),
    }
    for name in ("original", "ours", "adam"):
        for metric in (
            "onestep_rmse",
            "onestep_all_rmse",
            "rollout1_rmse",
            "warmup5_rmse",
        ):
            report[f"{name}_{metric.replace('_rmse', '')}_rmse"] = round(
                scores[name][metric], 5
            )
    for name, b in yardsticks.items():
        for metric, value in b.items():
            if math.isfinite(value):
                report[f"{name.lower().replace('(', '').replace(')', '')}_{metric}"] = (
                    float(f"{value:.5g}")
                )
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
