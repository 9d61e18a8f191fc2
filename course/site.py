"""The series as a static site: `make site` writes build/site/index.html and one page per
notebook.

The pages are rendered by Sphinx and MyST-NB (the tool Jupyter Book 1 is built on) from
the notebooks' stored outputs; nothing is executed. This script prepares the pages'
sources in build/site-src and runs Sphinx on them:

- index.md: course/book/intro.md, then each notebook in order with what the learner will
  be able to do and the time it takes (both read from the notebook's first cell, so they
  cannot drift), and its prerequisites (PREREQUISITES below);
- one page per notebook: the notebook as stored, each widget output (which needs a running
  kernel) followed by a note saying the page cannot show it; the hide and remove choices
  are MyST-NB cell tags stored in the notebooks (`site_tags`, `--tag` below);

and then, by edition:

- the learners' site (``--edition student``, the default): each notebook's student edition
  (course/student.py), so the solutions are absent, not folded, and no page links the
  guide;
- the instructors' site (``--edition instructor``): each solution folded behind "Show the
  solution to exercise N" (its "click the three dots" note removed, since the site has no
  three dots), plus instructors.md (INSTRUCTORS.md, the instructor guide) and class.md
  (course/hub/class.md, "Running the course for a class").

No page loads anything from the network (course/book/conf.py; tests/course/test_site.py
checks it).

    python -m course.site [--edition student|instructor] [OUT_DIR]     # default: student,
    build/site
    python -m course.site --tag     # store the cell tags the site needs in the notebooks
                                    (site_tags)
"""

from __future__ import annotations

import copy
import re
import shutil
import sys
import time
import warnings
from pathlib import Path

import nbformat

from course.series import is_solution, series, shows_widget
from course.student import student_edition

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "course" / "book"
DEFAULT_OUT = ROOT / "build" / "site"
SOURCE = ROOT / "build" / "site-src"
EDITIONS = ("student", "instructor")
# The instructors' pages after the notebooks: name on the site -> its source.
INSTRUCTOR_PAGES = {
    "instructors": ROOT / "INSTRUCTORS.md",
    "class": ROOT / "course" / "hub" / "class.md",
}
# The index's last paragraph, by edition.
SOLUTIONS_NOTE = {
    "student": "Each notebook ends with exercises and a checker for each answer: run the "
    "notebook in "
    "JupyterLab to check yours. The solutions are not on these pages.",
    "instructor": "Each notebook ends with exercises and a checker for each answer. On "
    "these pages each "
    'solution is folded behind "Show the solution". Instructors will find the answers, '
    "the "
    "mistakes to expect and how to hand the notebooks out in the [instructor "
    "guide](instructors.md), "
    "and how to run the course for a class, with JupyterHub and nbgrader, in "
    "[Running the course for a class](class.md).",
}

# What each notebook asks of the learner beforehand (besides the series' prerequisites in
# intro.md).
PREREQUISITES = {
    "01": "Python, and PyTorch tensors: creating, indexing, reshaping.",
    "02": "Notebook 01; `nn.Module` and `nn.Linear`; a matrix product.",
    "03": "The ideas of notebooks 01 and 02; a loss (MSE), gradient descent, and what an "
    "optimiser's `step()` does.",
    "04": "Notebook 03; autograd: `loss.backward()` fills each parameter's `.grad`.",
    "05": "Notebooks 01 to 03 (it uses a trained model that ships with the package).",
    "06": "Notebooks 01 and 02; `reshape`, `transpose` and `nn.Linear` on a batch.",
}
WIDGET_NOTE = """```{note}
This cell's output is an interactive widget. A widget needs a running kernel, so this
page cannot show it: open the notebook in JupyterLab (`make lab`) and run it to use it.
```"""


def header(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Title, "You will be able to" list and "Time" line of a notebook's first cell."""
    first = nb.cells[0].source
    title = re.search(r"^#\s+(.+)$", first, re.MULTILINE)
    able = re.search(
        r"\*\*You will be able to\*\*\s*\n((?:[-\s].*\n?)+?)\s*\n\*\*Time", first
    )
    spent = re.search(r"\*\*Time:\*\*\s*(.+)", first)
    if not (title and able and spent):
        raise ValueError(
            "the first cell should hold a '# ' title, '**You will be able to**' and "
            "'**Time:**'"
        )
    return {
        "title": title.group(1).strip(),
        "able": able.group(1).rstrip(),
        "time": spent.group(1).strip(),
    }


def index_page(notebooks: list[Path], edition: str = "student") -> str:
    parts = [
        (BOOK / "intro.md").read_text().rstrip(),
        "",
        SOLUTIONS_NOTE[edition],
        "",
        "## The notebooks, in order",
        "",
    ]
    for path in notebooks:
        info = header(nbformat.read(path, as_version=4))
        number = path.name[:2]
        parts += [
            f"### [{info['title']}]({path.stem}.ipynb)",
            "",
            "**You will be able to**",
            "",
            info["able"],
            "",
            f"**Prerequisites:** {PREREQUISITES[number]}",
            "",
            f"**Time:** {info['time']}",
            "",
        ]
    extra = list(INSTRUCTOR_PAGES) if edition == "instructor" else []
    parts += [
        "```{toctree}",
        ":hidden:",
        ":maxdepth: 1",
        "",
        *[path.stem for path in notebooks],
        *extra,
        "```",
        "",
    ]
    return "\n".join(parts)


def toggle_words(heading: str) -> dict[str, str]:
    """What a folded solution's toggle says (and a screen reader reads), from the heading
    above it."""
    exercise = re.match(r"Exercise (\d+)", heading)
    what = (
        f"exercise {exercise.group(1)}"
        if exercise
        else f"“{heading.rstrip(':')}”"
        if heading
        else "this part"
    )
    return {
        "code_prompt_show": f"Show the solution to {what}",
        "code_prompt_hide": f"Hide the solution to {what}",
    }


def site_tags(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with the MyST-NB cell tags the site needs, the one place that decides them;
    they are stored in the notebooks (``python -m course.site --tag`` writes them, a test
    checks they are
    current), so the site shows each notebook as stored:

    - a solution's code cell: ``hide-cell``, its toggle named after the exercise above it
      ("Show the solution to exercise 2");
    - a solution's markdown note ("**Solution** (folded: click the three dots ...)"):
      ``remove-cell``, since the site folds the solution its own way;
    - a cell whose output is a widget: ``remove-output`` (a widget needs a running
      kernel).
    """
    nb = copy.deepcopy(nb)
    heading = ""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            heading = ([""] + re.findall(r"^#+\s+(.+?)\s*$", cell.source, re.MULTILINE))[
                -1
            ] or heading
        wanted = (
            [("hide-cell" if cell.cell_type == "code" else "remove-cell")]
            if is_solution(cell)
            else []
        ) + (["remove-output"] if cell.cell_type == "code" and shows_widget(cell) else [])
        tags = [
            t for t in cell.get("metadata", {}).get("tags", []) if t not in SITE_TAGS
        ] + wanted
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        prompts = (
            toggle_words(heading)
            if is_solution(cell) and cell.cell_type == "code"
            else {}
        )
        mystnb = {
            k: v
            for k, v in cell.metadata.get("mystnb", {}).items()
            if k not in PROMPT_KEYS
        } | prompts
        if mystnb:
            cell.metadata["mystnb"] = mystnb
        else:
            cell.metadata.pop("mystnb", None)
    return nb


SITE_TAGS = ("hide-cell", "remove-cell", "remove-output")
PROMPT_KEYS = ("code_prompt_show", "code_prompt_hide")  # the mystnb keys site_tags owns


def site_notebook(
    nb: nbformat.NotebookNode, edition: str = "student"
) -> nbformat.NotebookNode:
    """The notebook as the site shows it, with the cell tags it stores (``site_tags``):
    for learners its student edition; after each widget a note that the page cannot show
    it."""
    nb = student_edition(nb) if edition == "student" else copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code" and shows_widget(cell):
            cells.append(nbformat.v4.new_markdown_cell(WIDGET_NOTE))
    nb.cells = cells
    # the widgets' saved state: nothing on the page shows it
    nb.metadata.pop("widgets", None)
    return nb


def tag_series() -> list[Path]:
    """Store ``site_tags`` in every notebook of the series that lacks them; return those
    changed."""
    changed = []
    for path in series():
        nb = nbformat.read(path, as_version=4)
        tagged = site_tags(nb)
        if tagged != nb:
            nbformat.write(tagged, path)
            changed.append(path)
    return changed


def prepare(source: Path = SOURCE, edition: str = "student") -> list[Path]:
    """Write the pages' sources into ``source`` (emptied first); return the notebooks'
    paths there."""
    if edition not in EDITIONS:
        raise ValueError(f"edition must be one of {', '.join(EDITIONS)}, got {edition!r}")
    if source.exists():
        shutil.rmtree(source)
    shutil.copytree(BOOK, source)
    (source / "intro.md").unlink()
    notebooks = series()
    written = []
    for path in notebooks:
        nb = site_notebook(nbformat.read(path, as_version=4), edition)
        nbformat.write(nb, source / path.name, version=4)
        written.append(source / path.name)
    (source / "index.md").write_text(index_page(notebooks, edition))
    if edition == "instructor":
        for name, page in INSTRUCTOR_PAGES.items():
            shutil.copy(page, source / f"{name}.md")
    return written


def build(
    out: Path = DEFAULT_OUT, source: Path = SOURCE, edition: str = "student"
) -> float:
    """Prepare the sources of ``edition``'s site and run Sphinx (warnings are errors);
    return the seconds it took."""
    from sphinx.cmd.build import build_main

    began = time.monotonic()
    prepare(source, edition)
    if out.exists():
        shutil.rmtree(out)
    with warnings.catch_warnings():
        # MyST-Parser 5.2 uses an attribute that Sphinx 9 deprecates; nothing a page shows
        # depends on it
        warnings.filterwarnings(
            "ignore", message=r".*MystReferenceResolver\.app' is deprecated"
        )
        code = build_main(
            [
                "-b",
                "html",
                "-q",
                "-W",
                "--keep-going",
                "-d",
                str(source / ".doctrees"),
                str(source),
                str(out),
            ]
        )
    if code:
        raise SystemExit(f"sphinx-build failed with exit code {code}")
    return time.monotonic() - began


def main(argv: list[str]) -> int:
    if argv == ["--tag"]:
        for path in tag_series():
            print(f"stored the site's cell tags in {path.relative_to(ROOT)}")
        return 0
    edition = "student"
    if argv[:1] == ["--edition"]:
        edition, argv = (argv[1] if len(argv) > 1 else ""), argv[2:]
    if edition not in EDITIONS:
        raise SystemExit(
            f"--edition must be one of {', '.join(EDITIONS)}, got {edition!r}"
        )
    out = Path(argv[0]).resolve() if argv else DEFAULT_OUT
    seconds = build(out, SOURCE.with_name(f"site-src-{edition}"), edition)
    print(
        f"the {edition}s' site: {out / 'index.html'} and {len(series())} notebook pages "
        f"written in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
