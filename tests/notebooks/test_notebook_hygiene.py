"""Guards on the stored notebooks: what a learner sees before running anything, and what
strict nbval needs in order to compare anything at all.

Each check is a small function of the notebook's JSON (a dict) that returns a list of
problems, so the checks themselves are tested below on a synthetic notebook that breaks
them one at a time.
"""

from __future__ import annotations

import json
import re

import pytest

from course.series import NOTEBOOKS as SERIES_DIR, WIDGET_VIEW

NOTEBOOK_DIR = SERIES_DIR  # every notebook there, also one misnamed
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

SERIES_NAME = re.compile(r"^(\d\d)_[a-z0-9]+(?:_[a-z0-9]+)*\.ipynb$")
MACHINE_PATH = re.compile(r"/work/|/tmp/|/root/|/home/[^/\s]+/|site-packages")
WARNING = re.compile(r"warn", re.IGNORECASE)
RNNLESSON_IMPORT = re.compile(
    r"^\s*(from\s+rnnlesson(\.\w+)*\s+import\s|import\s+rnnlesson\b)", re.MULTILINE
)
SUMMARY_HEADING = re.compile(r"^#+\s.*\bSummary\b", re.MULTILINE)
TEXT_MIME = ("text/plain", "text/html", "text/markdown", "text/latex")
MAX_BYTES = 2_000_000
# characters: longer lines are cut off on the site's page and in a narrow JupyterLab
MAX_CODE_LINE = 90


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def source(cell: dict) -> str:
    return _text(cell.get("source", ""))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def meant_to_raise(cell: dict) -> bool:
    return "NBVAL_RAISES_EXCEPTION" in source(cell) or "raises-exception" in cell.get(
        "metadata", {}
    ).get("tags", [])


def shown_text(output: dict) -> str:
    """The text a learner reads in an output (images and widget state left out: base64 has
    slashes). A traceback is left out too: it is only allowed in a cell meant to raise
    (see check_errors), and it
    names the files of the installed package wherever that lives; nbval does not compare
    it."""
    if output["output_type"] == "stream":
        return _text(output.get("text", ""))
    if output["output_type"] == "error":
        return f"{output.get('ename', '')}: {output.get('evalue', '')}"
    return "\n".join(_text(output.get("data", {}).get(mime, "")) for mime in TEXT_MIME)


# --- checks on one notebook -------------------------------------------------------------


def check_execution_counts(nb: dict) -> list[str]:
    """Strict nbval skips a cell whose execution_count is None; counts must be a clean
    run's 1..n."""
    counts = [c.get("execution_count") for c in code_cells(nb) if source(c).strip()]
    if not counts:
        return ["has no code cells"]
    never_run = [i for i, n in enumerate(counts) if n is None]
    if never_run:
        return [
            f"{len(never_run)} non-empty code cell(s) never run (execution_count None), "
            f"e.g. code cell {never_run[0]}"
        ]
    if counts != list(range(1, len(counts) + 1)):
        return [
            f"execution counts {counts[:10]} are not 1..{len(counts)}: restart the "
            "kernel and run all"
        ]
    return []


def check_errors(nb: dict) -> list[str]:
    """An error output only in a cell that says it is meant to raise."""
    return [
        f"code cell {i} stores an error it is not tagged to raise: {out.get('ename')}: "
        f"{out.get('evalue', '')[:80]}"
        for i, cell in enumerate(code_cells(nb))
        for out in cell.get("outputs", [])
        if out["output_type"] == "error" and not meant_to_raise(cell)
    ]


def check_outputs(nb: dict) -> list[str]:
    """No machine paths, no warnings on stderr, no SVG (it embeds a date), every figure
    rendered, with alt text in its output's metadata."""
    problems = []
    for i, cell in enumerate(code_cells(nb)):
        for out in cell.get("outputs", []):
            text = shown_text(out)
            hit = MACHINE_PATH.search(text)
            if hit:
                problems.append(
                    f"code cell {i} output shows a machine path ({hit.group(0)}...)"
                )
            if out.get("name") == "stderr" and WARNING.search(text):
                problems.append(
                    f"code cell {i} stores a warning on stderr: "
                    f"{text.strip().splitlines()[0][:100]}"
                )
            data = out.get("data", {})
            if "image/svg+xml" in data:
                problems.append(
                    f"code cell {i} stores an SVG figure (use the inline PNG backend)"
                )
            if (
                _text(data.get("text/plain", "")).startswith("<Figure size")
                and "image/png" not in data
            ):
                problems.append(
                    f"code cell {i} shows a figure as text only: "
                    f"{_text(data['text/plain'])[:60]}"
                )
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            if "image/png" in data and (
                len(alt.split()) < 5 or re.search(r"\.png\b|_images/", alt)
            ):
                problems.append(
                    f"code cell {i} stores a figure without alt text (rnnlesson.plots "
                    f"shows a Figure with one): {alt[:60]!r}"
                )
    return problems


def check_structure(nb: dict) -> list[str]:
    """Opens with markdown; has exercises and a summary; imports from the package; no
    timestamps; python3 kernel."""
    problems = []
    cells = nb["cells"]
    if not cells or cells[0]["cell_type"] != "markdown":
        problems.append(
            "the first cell is not markdown (title, what the learner will do, how long "
            "it takes)"
        )
    markdown = [source(c) for c in cells if c["cell_type"] == "markdown"]
    if not any("Exercises" in text for text in markdown):
        problems.append("no markdown cell mentions 'Exercises'")
    if not any(SUMMARY_HEADING.search(text) for text in markdown):
        problems.append("no 'Summary' heading")
    if not any(RNNLESSON_IMPORT.search(source(c)) for c in code_cells(nb)):
        problems.append("imports nothing from rnnlesson")
    if any("execution" in c.get("metadata", {}) for c in cells):
        problems.append(
            "cells store execution timestamps: re-run with "
            "--ExecutePreprocessor.record_timing=False"
        )
    kernel = nb.get("metadata", {}).get("kernelspec", {}).get("name")
    if kernel != "python3":
        problems.append(f"kernelspec name is {kernel!r}, not 'python3'")
    return problems


def check_widgets(nb: dict) -> list[str]:
    """A cell that shows a widget is nbval-ignore-output (a widget's stored view holds ids
    that change from run to run) and the next code cell shows a static figure of it, for a
    reader without a kernel."""
    problems = []
    cells = code_cells(nb)
    for i, cell in enumerate(cells):
        if not any(WIDGET_VIEW in out.get("data", {}) for out in cell.get("outputs", [])):
            continue
        if "nbval-ignore-output" not in cell.get("metadata", {}).get("tags", []):
            problems.append(
                f"code cell {i} shows a widget but is not tagged nbval-ignore-output"
            )
        following = cells[i + 1]["outputs"] if i + 1 < len(cells) else []
        if not any("image/png" in out.get("data", {}) for out in following):
            problems.append(
                f"code cell {i} shows a widget, and the next code cell no static figure "
                "of it"
            )
    return problems


def check_line_length(nb: dict) -> list[str]:
    """No code line longer than MAX_CODE_LINE characters (python
    tests/helpers/long_lines.py lists them all)."""
    return [
        f"code cell {i} line {n}: {len(line)} characters (at most {MAX_CODE_LINE}): "
        f"{line[:50]}..."
        for i, cell in enumerate(code_cells(nb))
        for n, line in enumerate(source(cell).split("\n"), 1)
        if len(line) > MAX_CODE_LINE
    ]


def problems(nb: dict) -> list[str]:
    return (
        check_execution_counts(nb)
        + check_errors(nb)
        + check_outputs(nb)
        + check_structure(nb)
        + check_widgets(nb)
        + check_line_length(nb)
    )


def series_problems(names: list[str]) -> list[str]:
    """File names NN_topic.ipynb with unique NN numbered 01, 02, ... without gaps."""
    if not names:
        return ["no notebooks"]
    found = []
    numbers = []
    for name in names:
        match = SERIES_NAME.match(name)
        if match is None:
            found.append(
                f"{name} does not match NN_topic.ipynb (two digits, then lowercase words "
                "joined by _)"
            )
        else:
            numbers.append(int(match.group(1)))
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        found.append(f"numbers used twice: {duplicates}")
    if sorted(set(numbers)) != list(range(1, len(set(numbers)) + 1)):
        found.append(f"numbers {sorted(set(numbers))} are not 1..n without gaps")
    return found


# --- the stored notebooks ---------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebook_is_clean(path):
    assert path.stat().st_size < MAX_BYTES, (
        f"{path.name} is {path.stat().st_size / 1e6:.1f} MB"
    )
    found = problems(json.loads(path.read_text()))
    assert not found, f"{path.name}:\n" + "\n".join(found)


def test_notebooks_form_one_numbered_series():
    found = series_problems([p.name for p in NOTEBOOKS])
    assert not found, "\n".join(found)


# --- the checks can fail ----------------------------------------------------------------


def good_notebook() -> dict:
    def code(src, n, outputs=(), tags=()):
        return {
            "cell_type": "code",
            "source": src,
            "execution_count": n,
            "outputs": list(outputs),
            "metadata": {"tags": list(tags)} if tags else {},
        }

    def md(src):
        return {"cell_type": "markdown", "source": src, "metadata": {}}

    figure = {
        "output_type": "execute_result",
        "execution_count": 3,
        "data": {
            "image/png": "iVBORw0KGgo/work/",
            "text/plain": "<Figure size 800x350 with 1 Axes>",
        },
        "metadata": {"image/png": {"alt": "Line plot. Rollout, x: time t, y: sin(t)."}},
    }
    widget = {
        "output_type": "execute_result",
        "execution_count": 5,
        "data": {
            WIDGET_VIEW: {"model_id": "ab12", "version_major": 2},
            "text/plain": "VBox(...)",
        },
    }
    raised = {
        "output_type": "error",
        "ename": "ValueError",
        "evalue": "hidden must be shaped ...",
        "traceback": ["File /work/main/rnnlesson/model.py:52, in check_hidden"],
    }
    return {
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)"}
        },
        "cells": [
            md("# 01 · Title\n\nWhat you will do. Time: 10 minutes."),
            code("from rnnlesson import data", 1),
            code(
                "print(data.N_POINTS)",
                2,
                [{"output_type": "stream", "name": "stdout", "text": "50\n"}],
            ),
            code("", None),
            code("plots.plot_windows(w)", 3, [figure]),
            code("model(x, wrong)", 4, [raised], tags=["raises-exception"]),
            code(
                "explorer = WindowExplorer()\nexplorer",
                5,
                [widget],
                tags=["nbval-ignore-output"],
            ),
            code("explorer.figure", 6, [dict(figure, execution_count=6)]),
            md("## Summary\n\n- one point"),
            md("## Exercises\n\n1. Do this."),
        ],
    }


def test_the_synthetic_notebook_passes():
    assert problems(good_notebook()) == []


def _stream(name, text):
    return {"output_type": "stream", "name": name, "text": text}


BREAKAGES = {
    "never run": (lambda nb: nb["cells"][2].update(execution_count=None), "never run"),
    "counts out of order": (
        lambda nb: nb["cells"][2].update(execution_count=7),
        "not 1..6",
    ),
    "no code": (
        lambda nb: nb.update(
            cells=[c for c in nb["cells"] if c["cell_type"] == "markdown"]
        ),
        "no code cells",
    ),
    "untagged error": (
        lambda nb: nb["cells"][5]["metadata"].update(tags=[]),
        "stores an error",
    ),
    "path in stdout": (
        lambda nb: nb["cells"][2]["outputs"].append(
            _stream("stdout", "saved to /tmp/x.pt\n")
        ),
        "/tmp/",
    ),
    "home path": (
        lambda nb: nb["cells"][2]["outputs"].append(_stream("stdout", "/home/ana/x\n")),
        "/home/ana/",
    ),
    "site-packages": (
        lambda nb: nb["cells"][4]["outputs"][0]["data"].update(
            {"text/plain": "<module from .../site-packages/x>"}
        ),
        "site-packages",
    ),
    "path in error": (
        lambda nb: nb["cells"][5]["outputs"][0].update(evalue="no file /root/x"),
        "/root/",
    ),
    "warning": (
        lambda nb: nb["cells"][2]["outputs"].append(
            _stream("stderr", "<ipython>:1: UserWarning: careful\n")
        ),
        "warning on stderr",
    ),
    "svg": (
        lambda nb: nb["cells"][4]["outputs"][0]["data"].update(
            {"image/svg+xml": "<svg/>"}
        ),
        "SVG",
    ),
    "figure without alt text": (
        lambda nb: nb["cells"][4]["outputs"][0].update(metadata={}),
        "without alt text",
    ),
    "figure named by its file": (
        lambda nb: nb["cells"][4]["outputs"][0].update(
            metadata={"image/png": {"alt": "_images/ab12.png"}}
        ),
        "without alt text",
    ),
    "long code line": (
        lambda nb: nb["cells"][2].update(
            source="x = 1" + " " * 80 + "# a comment past 90"
        ),
        "at most 90",
    ),
    "figure as text": (
        lambda nb: nb["cells"][4]["outputs"][0]["data"].pop("image/png"),
        "figure as text only",
    ),
    "code first": (
        lambda nb: nb["cells"].insert(0, nb["cells"].pop(1)),
        "first cell is not markdown",
    ),
    "no exercises": (lambda nb: nb["cells"].pop(), "Exercises"),
    "summary not a heading": (
        lambda nb: nb["cells"][8].update(source="In summary, ..."),
        "Summary",
    ),
    "widget compared": (
        lambda nb: nb["cells"][6]["metadata"].update(tags=[]),
        "not tagged nbval-ignore-output",
    ),
    "widget without a figure": (lambda nb: nb["cells"].pop(7), "no static figure"),
    "no package import": (
        lambda nb: nb["cells"][1].update(source="import torch"),
        "imports nothing from rnnlesson",
    ),
    "commented import": (
        lambda nb: nb["cells"][1].update(source="# from rnnlesson import data"),
        "imports nothing",
    ),
    "kernel": (
        lambda nb: nb["metadata"]["kernelspec"].update(name="conda-env-x-py"),
        "kernelspec",
    ),
    "timestamps": (
        lambda nb: nb["cells"][2]["metadata"].update(
            execution={"iopub.execute_input": "2026-11-28T16:00:00Z"}
        ),
        "execution timestamps",
    ),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=str)
def test_each_check_catches_its_problem(breakage):
    nb = good_notebook()
    mutate, expected = BREAKAGES[breakage]
    mutate(nb)
    found = problems(nb)
    assert any(expected in p for p in found), found


def test_nbval_marker_in_source_counts_as_meant_to_raise():
    nb = good_notebook()
    cell = nb["cells"][5]
    cell["metadata"] = {}
    cell["source"] = "# NBVAL_RAISES_EXCEPTION\nmodel(x, wrong)"
    assert problems(nb) == []


@pytest.mark.parametrize(
    "names, expected",
    [
        (["01_data.ipynb", "02_model.ipynb"], None),
        (["01_data.ipynb", "01_model.ipynb"], "used twice"),
        (["01_data.ipynb", "03_training.ipynb"], "without gaps"),
        (["02_model.ipynb"], "without gaps"),
        (["1_data.ipynb"], "does not match"),
        (["01_Data.ipynb"], "does not match"),
        (["01_data copy.ipynb"], "does not match"),
        (["01-data.ipynb"], "does not match"),
        ([], "no notebooks"),
    ],
)
def test_series_names(names, expected):
    found = series_problems(names)
    if expected is None:
        assert found == []
    else:
        assert any(expected in p for p in found), found
