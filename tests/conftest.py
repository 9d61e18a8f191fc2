"""Fixtures that tests in several folders share. Nothing here changes how pytest runs or
orders the tests: `make test` starts the runs (see the Makefile)."""

import pytest
import torch

from rnnlesson.model import SineRNN

# A 10-unit RNN runs faster, and steadier on a shared machine, on one thread (as set_seed
# does in the notebooks).
torch.set_num_threads(1)


@pytest.fixture
def model() -> SineRNN:
    """An untrained 10-unit SineRNN, its weights drawn after torch.manual_seed(0) (so what
    the test draws next from torch's global generator is the same every run)."""
    torch.manual_seed(0)
    return SineRNN()
