# Loaded by every pytest run from the repository root: `pytest notebooks` and the series
# runs under other CPU code paths (make test-default-path, test-avx2-path) too.
import sys

from tests.helpers.kernel_start import install

# nbval's kernels get a second try when one dies while starting.
install()

# nbformat imports jsonschema, whose format checkers import rfc3987_syntax when it is
# installed (JupyterLab's dependencies install it); that module compiles about 35 Earley
# grammars at import, 2.4 s of CPU in every pytest process
# (python-jsonschema/jsonschema#1428). Nothing here checks an IRI's format, so jsonschema
# is told the module is missing and skips that one checker.
sys.modules.setdefault("rfc3987_syntax", None)
