"""Targets: the one rule that says whether a value meets a target.

``data/targets.csv`` writes the comparison as ``>=`` (at least: higher is better) or ``<=``
(at most: lower is better). The computation carries it as a code, ``ge`` or ``le``; the pages
write the symbol (≥, ≤). The scorecard's statuses and the scenarios' target years both ask
:func:`meets`, so the two can never disagree on whether a figure reaches a target.
"""

from __future__ import annotations

import numpy as np

COMPARATORS = {">=": "ge", "<=": "le"}  # as written in data/targets.csv → code


def comparator(comparison: str) -> str:
    """The code (``ge``/``le``) of a comparison as written in ``data/targets.csv``."""
    return COMPARATORS[comparison]


def meets(value, target: float, comparator: str):
    """Whether ``value`` (a number or an array) meets ``target`` under ``comparator``."""
    if comparator == "ge":
        return np.greater_equal(value, target)
    if comparator == "le":
        return np.less_equal(value, target)
    raise ValueError(f"unknown comparator {comparator!r}: expected 'ge' or 'le'")


def shortfall(value: float, target: float, comparator: str) -> float:
    """How far ``value`` is from meeting ``target`` (0 when it meets it)."""
    gap = target - value if comparator == "ge" else value - target
    return max(gap, 0.0)
