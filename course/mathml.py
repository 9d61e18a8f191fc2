"""A Sphinx math renderer that writes MathML into the page when it is built.

Sphinx's HTML math renderers (MathJax, KaTeX) typeset in the reader's browser with scripts
and fonts that are usually fetched from a CDN. Every browser that runs this site's pages
reads MathML natively, so the pages need no script, font or network for their few
formulas: latex2mathml converts each one at build time.
"""

from __future__ import annotations

from docutils import nodes
from latex2mathml.converter import convert


def visit_math(self, node: nodes.Element) -> None:
    self.body.append(
        f'<span class="math">{convert(node.astext(), display="inline")}</span>'
    )
    raise nodes.SkipNode


def visit_displaymath(self, node: nodes.Element) -> None:
    self.body.append(f'<div class="math">{convert(node.astext(), display="block")}</div>')
    raise nodes.SkipNode


def setup(app) -> dict:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
