"""Smart Taizhou Atlas analysis package.

Everything the book shows is computed here: loading and validating the tidy tables in
``data/``, building charts, tables and maps, and the Sphinx extension that keeps the
published site free of third-party requests.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
