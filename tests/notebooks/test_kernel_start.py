import warnings

import nbval.kernel
import pytest

from tests.helpers.kernel_start import ATTEMPTS, KernelStartRetried, retrying


def fake_start(failures, message="Kernel died before replying to kernel_info"):
    """A start_new_kernel that writes to the stderr it is given and dies ``failures``
    times."""
    calls = []

    def start(startup_timeout, kernel_name, stderr, **kwargs):
        calls.append(kwargs)
        stderr.write(f"Address already in use (start {len(calls)})".encode())
        stderr.flush()
        if len(calls) <= failures:
            raise RuntimeError(message)
        return "km", "kc"

    return start, calls


def test_a_kernel_that_dies_once_is_started_again_with_a_warning():
    start, calls = fake_start(failures=1)
    with pytest.warns(
        KernelStartRetried, match=r"(?s)start 1 of 3.*Address already in use \(start 1\)"
    ):
        assert retrying(start)(60, "python", cwd="notebooks") == ("km", "kc")
    assert calls == [{"cwd": "notebooks"}] * 2


def test_a_kernel_that_always_dies_fails_with_its_stderr():
    start, calls = fake_start(failures=ATTEMPTS)
    with (
        warnings.catch_warnings(),
        pytest.raises(RuntimeError, match=r"(?s)\(3 starts\).*start 3\)"),
    ):
        warnings.simplefilter("ignore", KernelStartRetried)
        retrying(start)(60, "python")
    assert len(calls) == ATTEMPTS


def test_other_errors_are_not_retried():
    start, calls = fake_start(failures=1, message="Kernel info reqest timed out")
    with pytest.raises(RuntimeError, match="timed out"):
        retrying(start)(60, "python")
    assert len(calls) == 1


def test_nbval_starts_kernels_through_the_retry():
    assert getattr(nbval.kernel.start_new_kernel, "retries_death", False)
