"""Smart Taizhou Atlas analysis package.

Everything the book shows is computed here: loading and validating the tidy tables in
``data/``, building charts, tables and maps, and the Sphinx extension that keeps the
published site free of third-party requests.
"""

import sys

__all__ = ["__version__"]
__version__ = "0.1.0"

# jsonschema (through altair) imports the optional ``rfc3987_syntax`` when it is installed
# (jupyter-events pulls it in), and that module compiles some forty Lark grammars at import:
# about 2 s in every process that draws a chart, i.e. every page's kernel. Only jsonschema's
# "iri" format checker uses it, which nothing here calls, so the import is declined.
sys.modules.setdefault("rfc3987_syntax", None)
