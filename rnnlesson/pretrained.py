"""Trained models for the later notebooks, the same every time.

``trained_model()``   trains with ``training.train`` (about a second), deterministically.
``original_model()``  the blog post's 6000-iteration loop is too slow to rerun in every notebook
                      (15 to 30 s), so its result ships as a small checkpoint; a test retrains it
                      and checks the file. Regenerate with ``python -m rnnlesson.pretrained``.
"""

from __future__ import annotations

import functools
from pathlib import Path

import torch
from torch import Tensor

from rnnlesson._checks import positive_int
from rnnlesson.checkpoints import load_checkpoint, save_checkpoint
from rnnlesson.model import SineRNN, seeded_model
from rnnlesson.training import TrainingResult, train, train_original

ORIGINAL_CHECKPOINT = Path(__file__).parent / "checkpoints" / "original_seed0.pt"


def trained_model(seed: int = 0) -> SineRNN:
    """A SineRNN trained by ``train(model, seed=seed)``, in eval mode. Each call returns a fresh
    copy of a cached result, so changing it cannot change what the next caller gets."""
    state = _trained_state(positive_int("seed", seed, minimum=0))
    model = seeded_model(seed)  # leaves the caller's random numbers as they were
    model.load_state_dict(state)
    return model.eval()


@functools.lru_cache(maxsize=4)
def _trained_state(seed: int) -> dict[str, Tensor]:
    model, _ = fit(seed)
    return {k: v.clone() for k, v in model.state_dict().items()}


def fit(seed: int = 0) -> tuple[SineRNN, TrainingResult]:
    """Initialise a SineRNN from ``seed`` and train it with ``train``, leaving the global RNG as it was."""
    model = seeded_model(seed)
    return model, train(model, seed=seed)


def fit_original(seed: int = 0, progress: bool = False) -> tuple[SineRNN, TrainingResult]:
    """Initialise a SineRNN from ``seed`` and train it with the original loop (15 to 30 s)."""
    model = seeded_model(seed)
    return model, train_original(model, seed=seed, progress=progress)


def original_model() -> tuple[SineRNN, Tensor, list[float]]:
    """The original loop's model (seed 0), the hidden state it left over at the end of training
    ([1, 1, hidden]) and its loss at each of the 6000 iterations, from the shipped checkpoint."""
    model, extra = load_checkpoint(ORIGINAL_CHECKPOINT)
    return model, extra["hidden"], extra["losses"].tolist()


def regenerate_original_checkpoint(path: Path = ORIGINAL_CHECKPOINT) -> Path:
    model, result = fit_original(seed=0)
    return save_checkpoint(path, model, hidden=result.hidden, losses=torch.tensor(result.losses))


if __name__ == "__main__":
    print(f"wrote {regenerate_original_checkpoint()}")
