"""`make nbgrader`: an nbgrader course directory from the series (build/nbgrader by
default).

Each notebook NN_name.ipynb becomes the assignment ``source/NN_name/NN_name.ipynb``, with
nbgrader's cell metadata, found from the cells themselves (their ``solution`` tag, and
which cells call a ``check_*`` checker of ``rnnlesson.exercises``), not from their text:

- an exercise is a code cell, not tagged ``solution``, that calls a checker
  (``exNN.check_x(...)``); its reference answer is the ``solution`` code cell that calls
  the same checker;
- the exercise becomes two cells: a *solution cell* holding the exercise's own lines (its
  placeholder) and then the reference answer between ``### BEGIN SOLUTION`` and ``### END
  SOLUTION`` (which ``nbgrader generate_assignment`` replaces with a stub), and a locked,
  autograded *test cell* worth POINTS: the checker call, made with the checker imported
  afresh from the package's files (course/grading.py), as an ``assert``, then the
  exercise's hidden test between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``;
- the ``solution`` markdown cells (the "**Solution**" notes) are dropped, the code ones
  are used as above; every other cell is kept, locked (read-only).

The folder also gets course/hub/nbgrader_config.py.

    python -m course.nbgrader [OUT_DIR]     # default: build/nbgrader
"""

from __future__ import annotations

import ast
import copy
import shutil
import sys
import textwrap
from pathlib import Path

import nbformat

from course.grading import FRESH, HIDDEN_TESTS, fresh_checkers_code
from course.series import is_solution, series

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "build" / "nbgrader"
CONFIG = ROOT / "course" / "hub" / "nbgrader_config.py"
CHECKERS_PACKAGE = "rnnlesson.exercises"
POINTS = 1


def checker_modules(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The names the notebook imports checker modules as: {"ex01":
    "rnnlesson.exercises.ex01"}."""
    names = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and node.module == CHECKERS_PACKAGE:
                names.update(
                    {
                        alias.asname or alias.name: f"{CHECKERS_PACKAGE}.{alias.name}"
                        for alias in node.names
                    }
                )
            elif isinstance(node, ast.Import):
                names.update(
                    {
                        alias.asname: alias.name
                        for alias in node.names
                        if alias.asname and alias.name.startswith(CHECKERS_PACKAGE + ".")
                    }
                )
    return names


def checker_calls(
    source: str, modules: dict[str, str]
) -> list[tuple[ast.stmt, ast.Call]]:
    """The top-level statements of ``source`` that call a checker: (statement, the
    call)."""
    calls = []
    for statement in ast.parse(source).body:
        value = getattr(statement, "value", None)
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id in modules
            and value.func.attr.startswith("check_")
        ):
            calls.append((statement, value))
    return calls


def without(source: str, statements: list[ast.stmt]) -> str:
    """``source`` without the lines of ``statements``, trailing blank lines dropped."""
    drop = {n for s in statements for n in range(s.lineno, s.end_lineno + 1)}
    lines = [line for n, line in enumerate(source.splitlines(), start=1) if n not in drop]
    return "\n".join(lines).rstrip()


def metadata(
    grade_id: str, *, solution: bool = False, grade: bool = False, locked: bool = True
) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
    }
    if grade:
        meta["points"] = POINTS
    return meta


def test_source(call: ast.Call, source: str, module: str) -> str:
    """The test cell: the checker afresh, its call asserted, then the exercise's hidden
    test."""
    name = call.func.attr
    if name not in HIDDEN_TESTS:
        raise KeyError(
            f"course/grading.py HIDDEN_TESTS has no hidden test for {name}; add one"
        )
    arguments = ast.get_source_segment(source, call)
    arguments = arguments[arguments.index("(") :]
    hidden = textwrap.indent(HIDDEN_TESTS[name].strip("\n"), "    ")
    return "\n".join(
        [
            "# Graded: the checker, imported afresh from the package's files (no cell "
            "above can replace it).",
            fresh_checkers_code(module).rstrip(),
            "",
            f'assert {FRESH}().{name}{arguments}, "{name}: not yet (the line above says '
            'why)"',
            "### BEGIN HIDDEN TESTS",
            "def _hidden_test():",
            hidden,
            "",
            "_hidden_test()",
            "### END HIDDEN TESTS",
        ]
    )


def assignment(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The nbgrader source version of a notebook of the series (see the module's
    docstring)."""
    modules = checker_modules(nb)
    answers = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and is_solution(cell):
            for statement, call in checker_calls(cell.source, modules):
                answers[call.func.attr] = (cell, statement)
    out = copy.deepcopy(nb)
    out.cells = []
    for cell in nb.cells:
        if is_solution(cell):
            # the notes go, the reference answers go into the exercises' solution cells
            continue
        calls = checker_calls(cell.source, modules) if cell.cell_type == "code" else []
        if not calls:
            kept = copy.deepcopy(cell)
            kept.metadata["nbgrader"] = metadata(f"cell-{cell.id}")
            out.cells.append(kept)
            continue
        if len(calls) != 1:
            raise ValueError(
                f"cell {cell.id} calls {len(calls)} checkers; an exercise cell calls one"
            )
        (statement, call), name = calls[0], calls[0][1].func.attr
        if name not in answers:
            raise ValueError(
                f"exercise cell {cell.id} ({name}) has no `solution` cell that calls "
                f"{name}"
            )
        answer_cell, answer_statement = answers[name]
        reference = without(answer_cell.source, [answer_statement])
        answer = nbformat.v4.new_code_cell(
            "\n".join(
                filter(
                    None,
                    [
                        without(cell.source, [statement]),
                        "### BEGIN SOLUTION",
                        reference,
                        "### END SOLUTION",
                    ],
                )
            ),
            id=cell.id,
            metadata={
                "nbgrader": metadata(f"answer-{name}", solution=True, locked=False)
            },
        )
        test = nbformat.v4.new_code_cell(
            test_source(call, cell.source, modules[call.func.value.id]),
            id=f"test-{cell.id}"[:64],
            metadata={"nbgrader": metadata(f"test-{name}", grade=True)},
        )
        out.cells += [answer, test]
    return out


def write_course(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write ``out_dir``/source/NN_name/NN_name.ipynb for every notebook and
    nbgrader_config.py; return the notebooks' paths. The rest of the folder (gradebook,
    submissions) is kept."""
    written = []
    for path in series():
        folder = out_dir / "source" / path.stem
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        target = folder / path.name
        nbformat.write(assignment(nbformat.read(path, as_version=4)), target)
        written.append(target)
    shutil.copy(CONFIG, out_dir / "nbgrader_config.py")
    return written


def main(argv: list[str]) -> int:
    out_dir = (Path(argv[0]) if argv else DEFAULT_OUT).resolve()
    for path in write_course(out_dir):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    print(f"then: cd {out_dir} && nbgrader generate_assignment 01_data (INSTRUCTORS.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
