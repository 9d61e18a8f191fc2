"""What the course tools share about the series: where its notebooks are, which cells are
solutions, and how a stored output shows a widget. Used by the student edition, the site,
the nbgrader course,
`make lab` and the tests."""

from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
# a cell with this tag is a solution: the student edition removes it
SOLUTION_TAG = "solution"
# the MIME type of a stored widget
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def series() -> list[Path]:
    """The notebooks of the series, in order: notebooks/NN_*.ipynb."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether ``cell`` is tagged as a solution (by its tag, never by its text)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def shows_widget(cell: nbformat.NotebookNode) -> bool:
    """Whether one of the cell's stored outputs is a widget."""
    return any(
        WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", [])
    )
