"""The whole series under strict nbval, every folded solution included, on the portable CPU code path
(ATEN_CPU_CAPABILITY=default, MKL_CBWR=COMPATIBLE): what a machine unlike this one computes.
In a process of its own (cpu_paths.py); `make test` runs this file beside the others."""

import pytest

from cpu_paths import check_series_under


@pytest.mark.slow
def test_series_passes_on_the_default_cpu_path(record_property):
    check_series_under("default", record_property)
