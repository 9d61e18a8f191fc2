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


def test_set_seed_switches_on_deterministic_algorithms_without_importing_a_compiler(
    monkeypatch,
):
    """set_seed errors on nondeterministic kernels (debug mode "error", what
    use_deterministic_algorithms(True) sets) without calling use_deterministic_algorithms,
    which imports TorchInductor (2 s in every kernel)."""

    def imports_a_compiler(*args, **kwargs):
        raise AssertionError("use_deterministic_algorithms imports TorchInductor")

    monkeypatch.setattr(torch, "use_deterministic_algorithms", imports_a_compiler)
    torch.set_deterministic_debug_mode("default")
    set_seed(0)
    assert (
        torch.are_deterministic_algorithms_enabled()
        and not torch.is_deterministic_algorithms_warn_only_enabled()
    )
