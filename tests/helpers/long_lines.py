"""Every code line of the series' notebooks over 90 characters, one per line (notebook,
cell id, line number, length): what tests/notebooks/test_notebook_hygiene.py fails on.

    python tests/helpers/long_lines.py [NOTEBOOK ...]    # default: notebooks/*.ipynb;
    exits 1 if any
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MAX_CODE_LINE = 90  # as tests/notebooks/test_notebook_hygiene.py


def long_lines(path: Path) -> list[tuple[str, int, int, str]]:
    cells = json.loads(path.read_text())["cells"]
    found = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        text = (
            "".join(cell["source"])
            if isinstance(cell["source"], list)
            else cell["source"]
        )
        for n, line in enumerate(text.split("\n"), 1):
            if len(line) > MAX_CODE_LINE:
                found.append((cell.get("id", "?"), n, len(line), line))
    return found


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(
        (Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb")
    )
    total = 0
    for path in paths:
        for cell_id, n, length, line in long_lines(path):
            print(
                f"{path.name} cell {cell_id} line {n}: {length} > {MAX_CODE_LINE}: "
                f"{line.strip()[:70]}"
            )
            total += 1
    print(f"{total} code lines over {MAX_CODE_LINE} characters in {len(paths)} notebooks")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
