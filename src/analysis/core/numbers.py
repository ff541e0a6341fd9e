"""Writing a number with every published digit (the one rule shared by data, model and render)."""

from __future__ import annotations


def number(value: float) -> str:
    """Every published digit, no exponent, no trailing zeros: 111215.5 → '111,215.5'."""
    return f"{value:,.10f}".rstrip("0").rstrip(".")
