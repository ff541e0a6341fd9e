"""One module per page of the book, named as the page: words, units and rounding at the edge.

Import ``model``, ``render`` and ``core``; only the pages in ``book/`` import a chapter
(and ``summary``, the page that quotes the other pages' computed sentences).
"""
