"""The shipped tables of results: the first machine's, and a rerun on a second CPU.

``make ablation``, ``make exposure`` and ``make signals`` train dozens of models, too slow
for a notebook's kernel, so their tables ship in rnnlesson/checkpoints/. Batched Adam and
L-BFGS turn last-bit differences between CPUs into other runs (notebook 03 shows it), so
the same code and seeds on another CPU give other scores, and a verdict near p = 0.05 can
come out the other way. The same tables, regenerated on a second machine with
``--rerun``, ship in rnnlesson/checkpoints/rerun/, and notebook 05 states a verdict only
where both tables agree.

``table_file(name, rerun)``  where a table lives ("ablation", "exposure" or "signals")
``read(name, rerun)``        the table as written, a dict
``cpu()``                    the CPU a table is written on, as regenerate records it
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import torch

CHECKPOINTS = Path(__file__).parent / "checkpoints"
RERUN = CHECKPOINTS / "rerun"
NAMES = ("ablation", "exposure", "signals")
RERUN_HELP = (
    "write the rerun table (rnnlesson/checkpoints/rerun/), on another CPU than the one "
    "that made the first"
)
# the vector units that decide how a CPU adds up a dot product, by /proc/cpuinfo flag
UNITS = (("avx2", "AVX2"), ("avx512f", "AVX-512"), ("amx_tile", "AMX"))


def table_file(name: str, rerun: bool = False) -> Path:
    """The shipped table ``name``, or with ``rerun=True`` its rerun on a second CPU."""
    if name not in NAMES:
        raise ValueError(f"name must be one of {', '.join(NAMES)}, got {name!r}")
    if not isinstance(rerun, bool):
        raise TypeError(f"rerun must be True or False, got {rerun!r}")
    return (RERUN if rerun else CHECKPOINTS) / f"{name}.json"


def read(name: str, rerun: bool = False) -> dict:
    return json.loads(table_file(name, rerun).read_text())


def cpu() -> str:
    """This machine's CPU model and the code path torch runs on it, e.g. "Intel(R) Xeon(R)
    Processor, torch's AVX512 code path"."""
    model, flags = platform.processor() or platform.machine(), set()
    try:
        info = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        info = []
    for line in info:
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            model = value.strip()
        elif key.strip() == "flags":
            flags = set(value.split())
    units = [name for flag, name in UNITS if flag in flags]
    units = f" ({', '.join(units)})" if units else ""
    return f"{model}{units}, torch's {torch.backends.cpu.get_cpu_capability()} code path"
