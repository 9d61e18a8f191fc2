"""The student edition (course/student.py: the series without its solutions) under strict nbval, on
the AVX2 code path (ATEN_CPU_CAPABILITY=avx2, MKL_CBWR=AVX2, ONEDNN_MAX_CPU_ISA=AVX2), as on a machine
without AVX-512: every student notebook runs top to bottom in a fresh kernel without an error, and
each exercise's checker prints the stored "Not yet" message. The solutions are checked by the main
run and on the 'default' path. In a process of its own (cpu_paths.py); `make test` runs this file
beside the others."""

import pytest

from cpu_paths import check_series_under


@pytest.mark.slow
def test_student_edition_passes_on_the_avx2_cpu_path(record_property):
    check_series_under("avx2", record_property)
