# Sphinx configuration of the series' static site (`make site`, course/site.py copies this
# file next to the pages it prepares). Pages are rendered from the notebooks' stored
# outputs: nothing is run. A page must load nothing from the network: no CDN script, font
# or MathJax (the test checks it). Sphinx runs inside `python -m course.site` (from the
# repository root), so the extensions below import from the course package as it stands,
# without a path of their own.

project = "rnnlesson: a sine wave, an RNN, and the future one point at a time"
author = "the rnnlesson authors"
copyright = "the rnnlesson authors; text and figures CC BY 4.0, code MIT"

extensions = ["myst_nb", "course.mathml", "course.accessibility"]
myst_enable_extensions = ["dollarmath"]
nb_execution_mode = "off"  # the stored outputs, as the notebooks ship
# no ipywidgets embed scripts from a CDN; widget outputs are removed
nb_ipywidgets_js = {}
# only solution cells are folded on the site; course/site.py
nb_code_prompt_show = "Show the solution"
# names each one's exercise ("Show the solution to exercise 2")
nb_code_prompt_hide = "Hide the solution"
html_math_renderer = "mathml"  # course/mathml.py: formulas as MathML, no MathJax

html_theme = "furo"
html_title = "rnnlesson"
html_static_path = ["_static"]
html_css_files = ["site.css"]
# else browsers ask for /favicon.ico, which is not there
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]
