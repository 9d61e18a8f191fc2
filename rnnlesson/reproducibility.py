"""One call that makes a run repeatable: seeds, deterministic kernels, one thread."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from rnnlesson._checks import int_in_range


def set_seed(seed: int = 0) -> None:
    """Seed Python, numpy and torch; use deterministic algorithms on one CPU thread.

    One thread is both faster and steadier for a 10-unit RNN on a small, shared machine.
    Returns None, so a notebook cell that ends with this call prints nothing.
    On a GPU, deterministic matrix products need cuBLAS's fixed workspace, set here unless
    the environment already chose one (it must be set before CUDA is first used).
    """
    seed = int_in_range("seed", seed, minimum=0, maximum=2**32 - 1)  # numpy's limit
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    # the same switch as torch.use_deterministic_algorithms(True), which in recent
    # releases (2.13 here) also imports TorchInductor (about 2 s per kernel) to set a flag
    # of a compiler this package never uses
    torch.set_deterministic_debug_mode("error")
    torch.set_num_threads(1)
