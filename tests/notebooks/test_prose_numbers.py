"""Every number the prose quotes comes from an output: a number with a decimal point in a
markdown cell must appear in the stored outputs of a code cell of the same notebook.

So a sentence cannot state "about 0.3" while the cell beside it prints 0.374: when outputs
change, the sentence that quotes them fails here until it is rewritten. Numbers that no
cell needs to print are listed in ALLOWED, each with the reason.
"""

import re

import nbformat
import pytest

from course.series import series

NOTEBOOKS = series()
NUMBER = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e-?\d+)?(?![\w.]*\d)")

ALLOWED: dict[str, str] = {}


def printed(nb: nbformat.NotebookNode) -> str:
    """Every stored text or plain-text output of the notebook's code cells."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def numbers_in(text: str) -> set[str]:
    """The numbers with a decimal point in ``text``, outside math ($...$) and inline code
    (`...`): notation and arguments, not quoted results; nor in a version ("PyTorch
    2.0")."""
    return set(
        NUMBER.findall(re.sub(r"\$[^$]*\$|`[^`]*`|PyTorch \d+(\.\d+)+", " ", text))
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_number_in_the_prose_is_in_an_output(path):
    nb = nbformat.read(path, as_version=4)
    shown = numbers_in(printed(nb))
    missing = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for number in numbers_in(cell.source) - shown - set(ALLOWED):
                missing.setdefault(number, []).append(i)
    assert not missing, (
        f"{path.name}: numbers in markdown cells that no output shows: {missing}"
    )


def test_the_scan_finds_numbers_and_skips_math():
    assert numbers_in(
        "RMSE 0.374, about 0.3; 1e-3 and 2.5e-4; version 2.3.1; $0.5$ is math, `lr=0.01` "
        "code, PyTorch 2.0"
    ) == {"0.374", "0.3", "2.5e-4"}
