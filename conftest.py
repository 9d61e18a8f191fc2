# Loaded by every pytest run from the repository root, `pytest notebooks` included
# (tests/cpu_paths.py): nbval's kernels get a second try when one dies while starting.
from tests.kernel_start import install

install()
