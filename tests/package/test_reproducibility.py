import random

import numpy as np
import pytest
import torch

from rnnlesson.reproducibility import set_seed


def test_set_seed_returns_none_and_repeats_every_generator():
    assert set_seed(3) is None
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    set_seed(3)
    assert (random.random(), np.random.rand(), torch.rand(1).item()) == first
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_num_threads() == 1


def test_different_seeds_differ():
    set_seed(1)
    a = torch.rand(3)
    set_seed(2)
    assert not torch.equal(a, torch.rand(3))


def test_bad_seed():
    with pytest.raises(ValueError, match="seed must be >= 0"):
        set_seed(-1)
    with pytest.raises(ValueError, match=r"seed must be in \[0, 4294967295\]"):
        set_seed(2**40)
    with pytest.raises(TypeError, match="seed must be an integer"):
        set_seed(1.5)


@pytest.fixture(autouse=True)
def restore_global_settings():
    mode, threads = torch.get_deterministic_debug_mode(), torch.get_num_threads()
    yield
    torch.set_deterministic_debug_mode(mode)
    torch.set_num_threads(threads)


def test_set_seed_switches_on_deterministic_algorithms_without_importing_a_compiler():
    """set_seed errors on nondeterministic kernels (debug mode "error", what
    use_deterministic_algorithms(True) sets) and leaves TorchInductor unimported (2 s per kernel)."""
    import subprocess
    import sys

    code = ("import sys, torch; from rnnlesson.reproducibility import set_seed; set_seed(0); "
            "print(torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled(), "
            "'torch._inductor' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False", "False"]
