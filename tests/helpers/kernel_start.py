"""Kernels that nbval starts get a second try when one dies before it answers.

A kernel's ports are chosen by binding port 0, releasing it, and handing the number to the
kernel, which binds it again. When several kernels start at once (`make test` runs three
series side by side, see the Makefile), another process can take a port in between, and
the new kernel exits before its first reply: "Kernel died before replying to kernel_info".
That happened once in CI, on notebook 04 under the 'default' CPU path. No cell has run at
that point, so a fresh start tests exactly the same thing. Every retry is reported as a
warning, and a kernel that dies three times fails with its own stderr, which nbval
otherwise sends to /dev/null.
"""

from __future__ import annotations

import tempfile
import warnings

ATTEMPTS = 3
DIED = "before replying to kernel_info"


class KernelStartRetried(UserWarning):
    """A notebook's kernel died while starting and was started again."""


def retrying(start):
    """``start`` (nbval.kernel.start_new_kernel), retried up to ATTEMPTS times when the
    kernel dies before its first reply; other errors pass through at once."""

    def start_new_kernel(startup_timeout=60, kernel_name="python", **kwargs):
        for attempt in range(1, ATTEMPTS + 1):
            # kept open for the kernel's lifetime, as /dev/null was
            stderr = tempfile.TemporaryFile()
            try:
                return start(
                    startup_timeout, kernel_name, **(kwargs | {"stderr": stderr})
                )
            except RuntimeError as error:
                if DIED not in str(error):
                    raise
                stderr.seek(0)
                said = (
                    stderr.read().decode(errors="replace").strip()[-2000:]
                    or "(nothing on stderr)"
                )
                stderr.close()
                if attempt == ATTEMPTS:
                    raise RuntimeError(
                        f"{error} ({ATTEMPTS} starts); the last kernel's stderr:\n{said}"
                    ) from error
                warnings.warn(
                    f"kernel {kernel_name!r} died while starting (start {attempt} of "
                    f"{ATTEMPTS}), started again; its stderr:\n{said}",
                    KernelStartRetried,
                    stacklevel=2,
                )

    return start_new_kernel


def install() -> None:
    """Make every notebook nbval collects start its kernel through ``retrying``."""
    import nbval.kernel

    if not getattr(nbval.kernel.start_new_kernel, "retries_death", False):
        nbval.kernel.start_new_kernel = retrying(nbval.kernel.start_new_kernel)
        nbval.kernel.start_new_kernel.retries_death = True
