"""Traps a learner meets by rerunning cells, checked over every notebook of the series:

- no cell rebinds a name that the notebook imports: after `grad_norms = [...]` shadowed
  the imported function `grad_norms`, rerunning an earlier cell raised "'list' object is
  not callable";
- every folded solution's first line, which JupyterLab shows on the folded cell, says
  nothing about the answer.
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from course.series import series

NOTEBOOKS = series()
FOLDED_FIRST_LINE = "# Solution: unfold to read"


def imported_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    return names


def bound_names(tree: ast.AST) -> set[str]:
    """The names a cell binds at its top level: assignments, loop and with targets, def
    and class, but not the names inside a function or a comprehension (they live in their
    own scope)."""
    bound: set[str] = set()

    def targets(node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            bound.add(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                targets(element)
        elif isinstance(node, ast.Starred):
            targets(node.value)

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    targets(target)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets(node.target)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                targets(node.target)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
                continue
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit(
                    [
                        n
                        for n in getattr(node, field, [])
                        if isinstance(n, (ast.stmt, ast.ExceptHandler))
                    ]
                )
        for node in statements:
            for walrus in ast.walk(node):
                if isinstance(walrus, ast.NamedExpr):
                    targets(walrus.target)

    visit(tree.body if isinstance(tree, ast.Module) else [])
    return bound


def rebound_imports(nb: nbformat.NotebookNode) -> list[str]:
    """'cell i rebinds name' for every code cell that binds a name the notebook imports
    anywhere."""
    trees = [
        (i, ast.parse(c.source)) for i, c in enumerate(nb.cells) if c.cell_type == "code"
    ]
    imported = set().union(*(imported_names(tree) for _, tree in trees))
    return [
        f"cell {i} rebinds {name}"
        for i, tree in trees
        for name in sorted(bound_names(tree) & imported)
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_no_cell_rebinds_a_name_the_notebook_imports(path):
    problems = rebound_imports(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}: {problems}"


def test_the_rebinding_check_finds_the_trap_issue_18_found():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from rnnlesson.gradients import grad_norms\nimport torch"
        ),
        # a use: fine
        nbformat.v4.new_code_cell("calls = [grad_norms(m) for m in models]"),
        # a parameter: fine
        nbformat.v4.new_code_cell("def show(grad_norms):\n    return grad_norms"),
        nbformat.v4.new_code_cell(
            "try:\n    grad_norms = [p.grad.norm() for p in ps]\nexcept E:\n    pass"
        ),
        nbformat.v4.new_code_cell("for torch in range(3):\n    pass"),
    ]
    assert rebound_imports(nb) == ["cell 3 rebinds grad_norms", "cell 4 rebinds torch"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_every_folded_solution_starts_with_a_line_that_gives_nothing_away(path):
    nb = nbformat.read(path, as_version=4)
    solutions = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])
    ]
    assert len(solutions) >= 3, f"{path.name}: too few solutions to check"
    first_lines = {c.source.splitlines()[0] for c in solutions}
    assert first_lines == {FOLDED_FIRST_LINE}, f"{path.name}: first lines {first_lines}"
