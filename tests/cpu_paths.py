"""Other machines, simulated on this one: the series' stored outputs are a promise to every CPU.

PyTorch's ATen kernels, MKL and oneDNN each pick a code path by CPU (SSE4.2, AVX2, AVX-512), and
each path adds up its terms in its own order, so the same forward pass agrees across machines only
to about seven digits. Each entry below is a set of environment variables that makes this machine
take another path; they must be set before torch is imported, so each runs in a process of its own:
strict nbval in a fresh pytest, over

- the whole series, folded solutions included, on the portable path ('default');
- the student edition (course/student.py: the series without its solutions, written to
  build/student first) on the AVX2 path. Strict nbval then checks that every student notebook runs
  top to bottom in a fresh kernel without an error and that each exercise's checker prints the
  stored "Not yet" message, at no extra cost: the main run and the 'default' path check the
  solutions, and every other cell is the same in both editions.

`make test` passes ``--cpu-paths-early``: conftest.py then starts these runs when the session
starts, beside the main run, and the tests in test_cpu_path_*.py wait for their results. Without
the option each test runs its own path when its turn comes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EARLY_RUNS = "RNNLESSON_CPU_PATH_RUNS"  # environment variable: the folder of the early runs
TIMEOUT_S = 600

CPU_PATHS = {
    # the portable kernels every CPU has, and MKL's compatible (SSE2) code path
    "default": {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE"},
    # AVX2 everywhere, as on a machine without AVX-512
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_CBWR": "AVX2", "ONEDNN_MAX_CPU_ISA": "AVX2"},
}


# What each path runs strict nbval over; the student edition is written first (course/student.py).
SERIES = {"default": "notebooks", "avx2": "build/student"}


def _command(path: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "--color=no", SERIES[path]]


def _prepare(path: str) -> list[str]:
    """The command that writes what ``path`` tests, if it is not the stored series."""
    return [sys.executable, "-m", "course.student", SERIES[path]] if SERIES[path] == "build/student" else []


def start_early(folder: Path) -> None:
    """Start one run per CPU path in the background, each writing ``<path>.log`` and, when it ends,
    ``<path>.rc`` into ``folder``; tell the tests (also those in xdist workers) where to look."""
    folder.mkdir(parents=True, exist_ok=True)
    for path, variables in CPU_PATHS.items():
        log, rc = folder / f"{path}.log", folder / f"{path}.rc"
        rc.unlink(missing_ok=True)
        prepare = f"{subprocess.list2cmdline(_prepare(path))} > \"{log}\" 2>&1 && " if _prepare(path) else ""
        script = (f'({prepare}{subprocess.list2cmdline(_command(path))} >> "{log}" 2>&1); '
                  f'echo $? > "{rc}.part" && mv "{rc}.part" "{rc}"')
        subprocess.Popen(["sh", "-c", script], cwd=ROOT, env=os.environ | variables, start_new_session=True)
    os.environ[EARLY_RUNS] = str(folder)


def run_series_under(path: str) -> tuple[int, str]:
    """(exit code, output) of strict nbval over what CPU path ``path`` checks (SERIES) under that
    path: the early run's if one was started, else a run started now."""
    folder = os.environ.get(EARLY_RUNS)
    if folder:
        log, rc = Path(folder) / f"{path}.log", Path(folder) / f"{path}.rc"
        deadline = time.monotonic() + TIMEOUT_S
        while not rc.exists():
            if time.monotonic() > deadline:
                return 1, f"the early run for {path!r} did not finish within {TIMEOUT_S} s:\n" + log.read_text()[-3000:]
            time.sleep(0.5)
        return int(rc.read_text().strip() or 1), log.read_text()
    if _prepare(path):
        prepared = subprocess.run(_prepare(path), cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT_S)
        if prepared.returncode:
            return prepared.returncode, prepared.stdout + prepared.stderr
    done = subprocess.run(_command(path), cwd=ROOT, env=os.environ | CPU_PATHS[path], capture_output=True, text=True,
                          timeout=TIMEOUT_S)
    return done.returncode, done.stdout + done.stderr


def closing_line(output: str) -> str:
    """pytest's last summary line, e.g. '154 passed in 51.2s'."""
    lines = [line.strip("= ") for line in output.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def check_series_under(path: str, record_property) -> None:
    """Fail with the tail of the run's output unless SERIES[path] passed under CPU path ``path``;
    record pytest's closing line for the terminal summary (conftest.py)."""
    code, output = run_series_under(path)
    record_property("cpu_path_summary", f"{path}: {closing_line(output)}")
    assert code == 0, f"{SERIES[path]} under the {path!r} CPU code path ({CPU_PATHS[path]}):\n{output[-6000:]}"
