"""Put computed text into page prose with MyST-NB's ``glue``.

``{glue}`name``` in a page's Markdown shows the value glued under ``name``. Strings are wrapped
so that they appear without Python quotes.
"""

from __future__ import annotations


class PlainText:
    """A value whose plain-text representation is the string itself (no quotes)."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def glue_text(name: str, text: str) -> PlainText:
    """Glue ``text`` under ``name`` for use in prose, without displaying it here."""
    from myst_nb import glue

    value = PlainText(text)
    glue(name, value, display=False)
    return value


class StaleSentence(AssertionError):
    """A sentence on a page that the data no longer support; the message says which."""


def require(condition: bool, page: str, sentence: str) -> None:
    """Stop the build when a judgement the page states (and cannot compute) is no longer true.

    The message, in Chinese, names the page and the sentence an editor must revise.
    """
    if not condition:
        raise StaleSentence(f"{page}：数据已不支持这句话，请修改——“{sentence}”")
