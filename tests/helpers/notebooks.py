"""What the notebook tests share: how a cell calls a checker, and what a cell printed."""

from __future__ import annotations

import re

import nbformat

# a call of an exercise's checker, e.g. ex01.check_shapes(
CHECK_CALL = re.compile(r"\bex\d\d\.check_\w+(?=\()")


def printed(cell: nbformat.NotebookNode) -> str:
    """The text a code cell's stored outputs printed (its streams)."""
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream"
    )
