"""A Sphinx extension: what the site's pages need so that every reader can use them.

- each figure's ``alt`` is its alt text stored with the notebook's output
  (``plots.png_with_alt`` writes it into the output's metadata ``{"image/png": {"alt":
  ...}}``), not its file name; a figure without one fails the build;
- a folded solution's toggle is named by its visible words ("Show the solution to exercise
  2"), with no ``aria-label`` that says something else;
- code blocks, formulas and tables, which scroll sideways when too wide, take keyboard
  focus (``tabindex="0"``), so a keyboard reader can scroll them;
- the two sidebars (``<aside>``) have names of their own, so each landmark is unique.

tests/course/test_site.py checks the pages in a browser with axe-core.
"""

from __future__ import annotations

import hashlib
import re
from base64 import b64decode
from html import escape
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)
# Furo's sidebars (the second is "toc-drawer no-toc" on a page without contents), each
# named
LANDMARKS = {
    "sidebar-drawer": "The notebooks",
    "toc-drawer": "On this page",
}
ASIDE = re.compile(r'<aside class="((sidebar-drawer|toc-drawer)[^"]*)">')
CODE_BLOCK = re.compile(r'(<div class="highlight"><pre)(>)')
MATH_BLOCK = re.compile(r'(<div class="math")(>)')
# Furo's wrapper: a wide table scrolls
TABLE_BLOCK = re.compile(r'(<div class="table-wrapper[^"]*")(>)')


def alt_texts(srcdir: Path) -> dict[str, str]:
    """sha256 of each stored PNG (the name MyST-NB gives its file) -> the alt text stored
    with it."""
    texts = {}
    for path in sorted(srcdir.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {}).get("image/png")
                alt = output.get("metadata", {}).get("image/png", {}).get("alt")
                if data and alt:
                    texts[hashlib.sha256(b64decode(data)).hexdigest()] = alt
    return texts


def set_alt_texts(app, doctree: nodes.document) -> None:
    if not hasattr(app.env, "rnnlesson_alt"):
        app.env.rnnlesson_alt = alt_texts(Path(app.srcdir))
    for image in doctree.findall(nodes.image):
        name = Path(image["uri"]).stem
        # a notebook output's figure, named by MyST-NB
        if re.fullmatch(r"[0-9a-f]{64}", name):
            alt = app.env.rnnlesson_alt.get(name)
            if alt is None:
                logger.warning(
                    f"the figure {image['uri']} has no alt text in its notebook's output "
                    "metadata",
                    location=image,
                )
            else:
                image["alt"] = alt


def visit_folded_cell(self, node: nodes.Element) -> None:
    """MyST-NB's folded cell, its <summary> named by the words it shows (no mismatching
    aria-label)."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(
        f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n'
    )
    self.body.append(
        f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n'
    )
    self.body.append("</summary>\n")


def depart_folded_cell(self, node: nodes.Element) -> None:
    self.body.append("</details>\n")


def label_page(html: str) -> str:
    """The built page with named sidebars and focusable code and formula blocks."""
    if html.count("<aside") != len(ASIDE.findall(html)) or len(
        ASIDE.findall(html)
    ) != len(LANDMARKS):
        raise ValueError(
            "the theme's page no longer has the two sidebars as <aside class=...>: "
            "update course/accessibility.py"
        )
    html = ASIDE.sub(
        lambda m: f'<aside class="{m.group(1)}" aria-label="{LANDMARKS[m.group(2)]}">',
        html,
    )
    html = CODE_BLOCK.sub(r'\1 tabindex="0"\2', html)
    html = TABLE_BLOCK.sub(r'\1 tabindex="0"\2', html)
    return MATH_BLOCK.sub(r'\1 tabindex="0"\2', html)


def label_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        page.write_text(label_page(page.read_text()))


def setup(app) -> dict:
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(
        HideCodeCellNode, override=True, html=(visit_folded_cell, depart_folded_cell)
    )
    app.connect("doctree-read", set_alt_texts)
    app.connect("build-finished", label_pages)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
