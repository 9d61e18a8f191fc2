"""Exposure bias, measured: training for free-running against teacher forcing.

Both are compared over seeds. ``train`` fits the model teacher-forced: every step reads
the true value. Notebook 05 then runs it free, reading its own predictions, which it never
saw in training. That mismatch has a name, *exposure bias*, and 05's long-run drift is its
textbook symptom. The cure it suggests is to train on what the model will be used for:
``train_free_running`` fits the same model, on the same 64 windows, with the same L-BFGS,
to a **rollout loss**: read WARMUP observed points, feed each prediction back for the rest
of the window (44 steps), and score those predictions.

``run(seed)`` trains both from ``seeded_model(seed)`` and returns their scores
(``scores``):
    warmup5   RMSE of 40 predictions after a 5-point warm-up (notebook 05, section 5's
              table)
    drift300  RMSE over the last period (31 steps) of a 300-step rollout after a 5-point
              warm-up
    one_step  teacher-forced RMSE over the 49 steps of a window
over notebook 05's 200 starts, from zeros. It takes about a minute for the SEEDS on 2
cores, so it ships as EXPOSURE_FILE (``python -m rnnlesson.exposure``, ``make exposure``);
notebook 05 reads it, compares the two with ``stats.compare`` and reruns one seed's
scoring live.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import torch
from tqdm import tqdm
from torch import Tensor, nn

from rnnlesson import tables
from rnnlesson._checks import generator_seed, int_in_range
from rnnlesson.data import N_POINTS, draw_starts, sine_series, sine_windows
from rnnlesson.model import SineRNN, check_model, seeded_model
from rnnlesson.rollout import one_step, rmse, rmse_by_horizon, rollout
from rnnlesson.tables import RERUN_HELP
from rnnlesson.training import (
    LBFGS_MAX_EVAL,
    LBFGS_MAX_ITER,
    TrainingDiverged,
    TrainingResult,
    train,
)

WARMUP = 5
SEEDS = tuple(range(8))
EXPOSURE_FILE = tables.table_file("exposure")
SCORE_STARTS, SCORE_GENERATOR = 200, 1  # notebook 05's 200 starts
HORIZON, LAST_PERIOD = 300, 31
METHODS = ("teacher forcing", "rollout loss")


def rollout_loss(model: SineRNN, values: Tensor, warmup: int = WARMUP) -> Tensor:
    """The mean squared error of a free-running rollout through the model's own
    predictions, with gradients: read ``warmup`` points of values [batch, n, 1], predict
    the other n - warmup."""
    model = check_model(model)
    model.check_input("values", values)
    warmup = int_in_range("warmup", warmup, minimum=1, maximum=values.shape[1] - 1)
    return _rollout_loss(model, values, warmup)


def _rollout_loss(model: SineRNN, values: Tensor, warmup: int) -> Tensor:
    """``rollout_loss`` on arguments already checked: the L-BFGS closure calls it at
    every evaluation, on the same windows."""
    pred, hidden = model(values[:, :warmup])
    x = pred[:, -1:]  # [batch, 1, 1]: prediction 1
    predictions = [x]
    for _ in range(values.shape[1] - warmup - 1):
        x, hidden = model(x, hidden)  # the prediction is the next input
        predictions.append(x)
    return nn.functional.mse_loss(torch.cat(predictions, dim=1), values[:, warmup:])


def train_free_running(
    model: SineRNN,
    *,
    seed: int = 0,
    n_iterations: int = 8,
    warmup: int = WARMUP,
    n_sequences: int = 64,
) -> TrainingResult:
    """``train``'s L-BFGS on ``train``'s windows (the same seed draws the same 64),
    minimising ``rollout_loss`` instead of the teacher-forced loss."""
    check_model(model)
    seed = generator_seed("seed", seed)
    n_iterations = int_in_range("n_iterations", n_iterations, maximum=1000)
    warmup = int_in_range("warmup", warmup, maximum=N_POINTS - 2)
    values = sine_windows(draw_starts(n_sequences, generator=seed)).values.to(
        model.device, model.dtype
    )
    optimizer = torch.optim.LBFGS(
        model.parameters(),
        lr=1.0,
        max_iter=LBFGS_MAX_ITER,
        max_eval=LBFGS_MAX_EVAL,
        history_size=50,
        line_search_fn="strong_wolfe",
    )
    losses: list[float] = []

    def closure() -> Tensor:
        optimizer.zero_grad()
        loss = _rollout_loss(model, values, warmup)
        loss.backward()
        losses.append(loss.item())
        return loss

    model.train()
    started = time.perf_counter()
    with torch.enable_grad():
        for _ in range(n_iterations):
            optimizer.step(closure)
            if not math.isfinite(losses[-1]):
                raise TrainingDiverged(
                    f"the rollout loss became {losses[-1]} (seed {seed})"
                )
    model.eval()
    return TrainingResult(losses=losses, seconds=time.perf_counter() - started)


def scores(model: SineRNN) -> dict[str, float]:
    """warmup5, drift300 and one_step (see the module's docstring) over 200 starts, from
    zeros."""
    check_model(model)
    starts = draw_starts(SCORE_STARTS, generator=SCORE_GENERATOR)
    windows = sine_windows(starts)
    long = sine_series(starts, n_points=WARMUP + HORIZON).values
    errors = rmse_by_horizon(
        rollout(model, long, n_steps=HORIZON, warmup=WARMUP), long[:, WARMUP:]
    )
    return {
        "warmup5": rmse(
            rollout(model, windows.values, n_steps=40, warmup=WARMUP),
            windows.values[:, WARMUP : WARMUP + 40],
        ),
        "drift300": float(errors[-LAST_PERIOD:].pow(2).mean().sqrt()),
        "one_step": rmse(one_step(model, windows.x), windows.y),
    }


def run(seed: int) -> dict[str, dict[str, float]]:
    """Both trainings of ``seeded_model(seed)`` on seed ``seed``'s windows: {method:
    scores}."""
    seed = generator_seed("seed", seed)
    teacher = seeded_model(seed)
    train(teacher, seed=seed)
    free = seeded_model(seed)
    train_free_running(free, seed=seed)
    return {"teacher forcing": scores(teacher), "rollout loss": scores(free)}


def initial_rollout_loss(seed: int) -> float:
    """The rollout loss of ``seeded_model(seed)`` on seed ``seed``'s 64 windows, before
    training: the first loss ``train_free_running`` records (a cheap live check of the
    shipped table)."""
    seed = generator_seed("seed", seed)
    with torch.no_grad():
        return rollout_loss(
            seeded_model(seed), sine_windows(draw_starts(64, generator=seed)).values
        ).item()


def regenerate(path: Path = EXPOSURE_FILE, seeds: tuple[int, ...] = SEEDS) -> Path:
    """Run every seed and write the table to ``path``."""
    table = {
        str(seed): run(seed)
        for seed in tqdm(seeds, desc="exposure bias", unit="seed", disable=None)
    }
    path.write_text(
        json.dumps(
            {
                "what": "RMSE over 200 starts from zeros: warmup5 = 40 predictions after "
                "a 5-point warm-up, "
                "drift300 = the last 31 steps of a 300-step rollout, one_step = teacher "
                "forced; "
                "see rnnlesson/exposure.py",
                "torch": torch.__version__,
                "cpu": tables.cpu(),
                "scores": table,
                "initial_rollout_loss": {
                    str(seed): initial_rollout_loss(seed) for seed in seeds
                },
            },
            indent=1,
        )
        + "\n"
    )
    return path


def shipped_initial_losses() -> dict[int, float]:
    """The shipped {seed: initial_rollout_loss(seed)}."""
    return {
        int(seed): v
        for seed, v in tables.read("exposure")["initial_rollout_loss"].items()
    }


def shipped(rerun: bool = False) -> dict[str, dict[int, dict[str, float]]]:
    """The shipped table as {method: {seed: scores}}; with ``rerun=True``, the same runs
    made on a second CPU (rnnlesson.tables)."""
    table = tables.read("exposure", rerun)["scores"]
    return {
        method: {int(seed): by_method[method] for seed, by_method in table.items()}
        for method in METHODS
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m rnnlesson.exposure", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--rerun", action="store_true", help=RERUN_HELP)
    args = parser.parse_args(argv)
    path = regenerate(tables.table_file("exposure", args.rerun))
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
