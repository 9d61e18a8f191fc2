"""The learners' static site (`make site`, the default edition of course/site.py): built
once into a temporary folder and read as files. It holds the six notebook pages and the
index, no instructor
guide and no class page, no link to either, and no line of any solution's code: the
solutions are absent, not folded. (The instructors' site, with the guide and the folded
solutions, is tests/course/test_site.py.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest

from course import site as course_site
from course.series import is_solution, series

pytestmark = pytest.mark.slow

SERIES = series()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site-student")
    course_site.build(folder / "site", folder / "src")  # the default: the learners' site
    return folder / "site"


def page_text(path: Path) -> str:
    """A page's text as a reader sees it: tags dropped, entities decoded, whitespace
    squeezed."""
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", path.read_text(), flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(text))


def test_the_learners_site_has_the_notebooks_and_no_instructor_page(built):
    pages = sorted(path.stem for path in built.glob("*.html"))
    assert {"index", *(path.stem for path in SERIES)} <= set(pages)
    assert not set(course_site.INSTRUCTOR_PAGES) & set(pages), pages
    for path in built.rglob("*.html"):
        text = path.read_text()
        for name in course_site.INSTRUCTOR_PAGES:
            assert f'href="{name}.html' not in text, f"{path.name} links {name}.html"
        assert "instructor guide" not in text.lower(), path.name
    assert not (built / "_sources").exists() or not list(
        (built / "_sources").glob("instructors*")
    )


def test_no_solution_is_on_the_learners_site_folded_or_not(built):
    checked = 0
    for path in SERIES:
        nb = nbformat.read(path, as_version=4)
        text = page_text(built / f"{path.stem}.html")
        assert "Show the solution" not in text and "student edition" in text.lower(), (
            path.stem
        )
        for cell in nb.cells:
            if not (is_solution(cell) and cell.cell_type == "code"):
                continue
            # every line of the solution that no other cell of the notebook also has
            others = "\n".join(c.source for c in nb.cells if not is_solution(c))
            own = [
                line.strip()
                for line in cell.source.splitlines()
                if len(line.strip()) > 12 and line.strip() not in others
            ]
            assert own, (
                f"{path.stem}: solution cell {cell.id} has no line of its own to look for"
            )
            for line in own:
                squeezed = re.sub(r"\s+", " ", line)
                assert squeezed not in text, (
                    f"{path.stem}: solution line on the learners' site: {line}"
                )
                checked += 1
    assert checked >= 40, checked
    print(f"\n{checked} solution lines looked for on the learners' site: none found")


def test_the_notebooks_store_the_cell_tags_the_site_needs():
    """The site's hide and remove choices are MyST-NB cell tags stored in the notebooks,
    decided in one place (course.site.site_tags): a notebook whose tags are not current
    fails here, and
    `python -m course.site --tag` stores them."""
    import nbformat

    from course import site

    stale = [
        path.name
        for path in series()
        if site.site_tags(nbformat.read(path, as_version=4))
        != nbformat.read(path, as_version=4)
    ]
    assert not stale, f"run python -m course.site --tag: {stale}"
