"""One call that makes a run repeatable: seeds, deterministic kernels, one thread."""

from __future__ import annotations

import random

import numpy as np
import torch

from rnnlesson._checks import positive_int


def set_seed(seed: int = 0) -> None:
    """Seed Python, numpy and torch; use deterministic algorithms on one CPU thread.

    One thread is both faster and steadier for a 10-unit RNN on a small, shared machine.
    Returns None, so a notebook cell that ends with this call prints nothing.
    """
    seed = positive_int("seed", seed, minimum=0)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
