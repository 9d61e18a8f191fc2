"""Trained models the later notebooks share, shipped as small checkpoints.

They are the same on every machine. Why ship them rather than train in every kernel:
``train`` uses L-BFGS, whose line search turns last-bit differences between CPUs (another
vector unit, another BLAS) into another minimum. Two machines running the same code get
different weights of the same quality (notebook 03 shows it), and a trained model's
long-run behaviour, which notebook 05 measures, differs with them.

``trained_model(seed)``  ``train(seeded_model(seed), seed=seed)`` as run once for seeds 0
                         to 4.
``original_model()``     the blog post's 6000-iteration loop (seed 0), with the hidden
                         state it left over and its losses.
``fit``, ``fit_original``  train the same recipes live, on the machine at hand.
``quality``              the three figures by which a retrained model is compared with a
                         shipped one.

Regenerate every shipped file with ``python -m rnnlesson.pretrained`` (about 30 s); tests
retrain and check that the shipped models have the quality the recipes give on the machine
at hand.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch
from torch import Tensor
from tqdm import tqdm

from rnnlesson._checks import file_path, generator_seed
from rnnlesson.checkpoints import load_checkpoint, save_checkpoint
from rnnlesson.data import draw_starts, sine_windows
from rnnlesson.model import SineRNN, check_model, seeded_model
from rnnlesson.rollout import one_step, rmse, rollout
from rnnlesson.training import ORIGINAL_ITERATIONS, TrainingResult, train, train_original

CHECKPOINTS = Path(__file__).parent / "checkpoints"
ORIGINAL_CHECKPOINT = CHECKPOINTS / "original_seed0.pt"
TRAINED_SEEDS = (0, 1, 2, 3, 4)

QUALITY_STARTS = 200  # quality(): starts drawn uniformly over a period ...
QUALITY_GENERATOR = 1  # ... from this generator (notebook 05's 200 starts)
QUALITY_WARMUP = 5


def trained_checkpoint(seed: int, folder: Path = CHECKPOINTS) -> Path:
    """The shipped file of ``trained_model(seed)``."""
    return Path(folder) / f"trained_seed{seed}.pt"


def _load_trained(seed: object) -> tuple[SineRNN, dict[str, Tensor]]:
    seed = generator_seed("seed", seed)
    if seed not in TRAINED_SEEDS:
        raise ValueError(
            f"seed must be one of the shipped seeds {TRAINED_SEEDS[0]} to "
            f"{TRAINED_SEEDS[-1]}, got {seed} (train another on this machine with "
            f"rnnlesson.pretrained.fit({seed}))"
        )
    return load_checkpoint(trained_checkpoint(seed))


def trained_model(seed: int = 0) -> SineRNN:
    """The SineRNN that ``train(seeded_model(seed), seed=seed)`` gave on the machine that
    made the shipped checkpoints, in eval mode. Every call loads a fresh copy, on the CPU.

    seed: one of TRAINED_SEEDS. To train with another seed on this machine, use
    ``fit(seed)``.
    """
    return _load_trained(seed)[0]


def fit(seed: int = 0) -> tuple[SineRNN, TrainingResult]:
    """Initialise a SineRNN from ``seed`` and train it with ``train`` on this machine
    (about a second), leaving the global random numbers as they were."""
    model = seeded_model(seed)
    return model, train(model, seed=seed)


def fit_original(seed: int = 0) -> tuple[SineRNN, TrainingResult]:
    """Initialise a SineRNN from ``seed`` and train it with the original loop (15 to 30
    s)."""
    model = seeded_model(seed)
    return model, train_original(model, seed=seed)


def original_model() -> tuple[SineRNN, Tensor, list[float]]:
    """The original loop's model (seed 0), the hidden state it left over at the end of
    training ([1, 1, hidden]) and its loss at each of the 6000 iterations, from the
    shipped checkpoint."""
    model, extra = load_checkpoint(ORIGINAL_CHECKPOINT)
    return model, extra["hidden"], extra["losses"].tolist()


def quality(model: SineRNN) -> dict[str, float]:
    """Three RMSEs over 200 windows whose starts cover a period (from a fixed generator),
    every prediction starting from a zero hidden state:

    one_step   teacher forced, on the targets after the first QUALITY_WARMUP points;
    warmup_5   free-running after a warm-up of QUALITY_WARMUP points, to the end of the
               window;
    one_point  free-running from the first point alone (a coin flip between a rising and a
               falling sine at the start, so about 0.5 at best).
    """
    check_model(model)
    values = sine_windows(
        draw_starts(QUALITY_STARTS, generator=QUALITY_GENERATOR)
    ).values.to(model.dtype)
    x, y = values[:, :-1], values[:, 1:]
    k = QUALITY_WARMUP
    n_targets = values.shape[1] - 1
    return {
        "one_step": rmse(one_step(model, x)[:, k - 1 :], y[:, k - 1 :]),
        "warmup_5": rmse(
            rollout(model, values, n_steps=n_targets + 1 - k, warmup=k), values[:, k:]
        ),
        "one_point": rmse(rollout(model, values, n_steps=n_targets, warmup=1), y),
    }


def regenerate_trained_checkpoints(folder: Path = CHECKPOINTS) -> list[Path]:
    """Train ``fit(seed)`` for every shipped seed and write ``trained_seed<seed>.pt`` into
    ``folder``."""
    # now, not after training
    if isinstance(folder, (bytes, bytearray)) or not isinstance(
        folder, (str, os.PathLike)
    ):
        raise TypeError(
            "folder must be a folder path (a str or pathlib.Path), got "
            f"{type(folder).__name__}"
        )
    paths = []
    for seed in tqdm(TRAINED_SEEDS, desc="trained models", unit="seed", disable=None):
        model, result = fit(seed)
        paths.append(
            save_checkpoint(
                trained_checkpoint(seed, folder),
                model,
                losses=torch.tensor(result.losses),
            )
        )
    return paths


def regenerate_original_checkpoint(path: Path = ORIGINAL_CHECKPOINT) -> Path:
    """Run the original loop (seed 0) and write its model, leftover state and losses to
    ``path``."""
    path = file_path("path", path)  # a clear error now, not after 10 s of training
    model = seeded_model(0)
    with tqdm(
        total=ORIGINAL_ITERATIONS, desc="the original loop", unit="step", disable=None
    ) as bar:
        result = train_original(model, seed=0, callback=lambda step: bar.update(1))
    return save_checkpoint(
        path, model, hidden=result.hidden, losses=torch.tensor(result.losses)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m rnnlesson.pretrained", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "which",
        nargs="?",
        choices=["all", "trained", "original"],
        default="all",
        help="which shipped checkpoints to regenerate (default: all)",
    )
    which = parser.parse_args(argv).which
    torch.set_num_threads(1)
    paths = []
    if which in ("all", "trained"):
        paths += regenerate_trained_checkpoints()
    if which in ("all", "original"):
        paths.append(regenerate_original_checkpoint())
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
