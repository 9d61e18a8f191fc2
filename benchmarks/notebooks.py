"""How long each notebook takes to run top to bottom in a fresh kernel.

Usage: .venv/bin/python benchmarks/notebooks.py [NOTEBOOK_DIR]   (default: notebooks/ next
to this folder)

Each ``*.ipynb`` in the folder, in sorted order, is read and executed in memory by
nbclient in a new kernel, as a learner's "Restart kernel and run all" would; the stored
files are not modified. The time counts from starting the kernel to the last cell's end,
so it includes the kernel's start and the imports. The goal is under 20 s per notebook on
2 cores.

Prints a table (seconds, and whether each meets the goal), then, as its last line, one
JSON object with one key per notebook (file stem -> seconds, or null when it failed) plus
``total_seconds``. Exits 1 if any notebook raised an error it was not tagged to raise,
else 0.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

GOAL_SECONDS = 20.0
CELL_TIMEOUT_SECONDS = 300


def run_notebook(path: Path) -> tuple[float, str | None]:
    """Execute ``path`` in a fresh kernel, in memory. Returns (seconds, error or None)."""
    nb = nbformat.read(path, as_version=4)
    # nbclient honours the tag; nbval also accepts the comment marker
    for cell in nb.cells:
        if cell.cell_type == "code" and "NBVAL_RAISES_EXCEPTION" in cell.source:
            cell.metadata.setdefault("tags", []).append("raises-exception")
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_SECONDS,
        kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"),
        # run from the notebook's folder
        resources={"metadata": {"path": str(path.parent)}},
    )
    began = time.perf_counter()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        lines = str(error).strip().splitlines()
        return time.perf_counter() - began, (
            lines[-1] if lines else type(error).__name__
        )[:200]
    return time.perf_counter() - began, None


def main(folder: Path) -> int:
    books = sorted(folder.glob("*.ipynb"))
    if not books:
        print(f"no notebooks under {folder}")
        return 1
    seconds: dict[str, float | None] = {}
    failures = 0
    width = max(len(p.stem) for p in books)
    print(f"{'notebook':{width}s}  seconds  goal < {GOAL_SECONDS:g} s")
    for book in books:
        took, error = run_notebook(book)
        if error is None:
            seconds[book.stem] = round(took, 2)
            verdict = "yes" if took < GOAL_SECONDS else "NO"
            print(f"{book.stem:{width}s}  {took:7.2f}  {verdict}", flush=True)
        else:
            seconds[book.stem] = None
            failures += 1
            print(f"{book.stem:{width}s}  {took:7.2f}  FAILED: {error}", flush=True)
    total = sum(s for s in seconds.values() if s is not None)
    slow = [name for name, s in seconds.items() if s is not None and s >= GOAL_SECONDS]
    print(
        f"{'total':{width}s}  {total:7.2f}  ({len(slow)} over the goal, {failures} "
        "failed)"
    )
    print(json.dumps({**seconds, "total_seconds": round(total, 2)}))
    return 1 if failures else 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "notebooks"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
