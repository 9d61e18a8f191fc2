"""Loaded before pytest's plugins (``-p tests.helpers.early`` in pyproject.toml's
addopts).

nbval's plugin imports nbformat, which imports jsonschema, whose format checkers import
rfc3987_syntax when it is installed (JupyterLab's dependencies install it); that module
compiles about 35 Earley grammars at import, some 2 s of CPU in every pytest process
(python-jsonschema/jsonschema#1428). Nothing here checks an IRI's format, so jsonschema is
told the module is missing and skips that one checker. It has to happen here: conftest.py
is read only after the plugins are loaded."""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
