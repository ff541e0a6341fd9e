"""What a reader may see in Latin script on a page of the site.

Reader pages are Simplified Chinese. A few Latin-script terms are how Chinese documents write
them (GB/T, 5G, FTTH, CSV, units such as km² or Gbit/s) and are allowed; anything else in Latin
script, and every snake_case id, is a finding. :func:`findings` is used by the browser test
``tests/browser/test_visible_text.py`` on the text a reader sees on every built page (text in
code blocks on the methods and add-data pages, which analysts type, is not scanned).
"""

from __future__ import annotations

import re

# Latin-script terms a Chinese reader meets in the sources themselves; compared case-sensitively
ALLOWED = {
    # standards, technologies and measures named so in Chinese documents
    "GB/T",
    "MAPE",
    "FTTH",
    "FTTH/O",
    "3G/LTE",
    "2G",
    "3G",
    "4G",
    "5G",
    "CNNIC",
    "CPPCC",
    "C114",
    # file formats offered for download
    "CSV",
    "PNG",
    "SVG",
    "Excel",
    "UTF-8",
    "PDF",
    "A4",
    # GB/T 7714's mark for an online document in the suggested citation
    "EB/OL",
    # the map library's credit line (its licence asks for the notice; it names software, not data)
    "Leaflet",
    # units as the sources write them
    "km",
    "km²",
    "Gbit/s",
    "Mbps",
    "GB",
    # quoted from the 2012 study (“带宽达到600G”), shown beside its reading in Gbit/s
    "600G",
    # variables of the logistic formula the scenarios page defines in words (K 饱和水平, r 增长速度)
    "K",
    "r",
    "t",
    "t0",
    "e",
}
# a run of Latin letters, digits and joiners that contains at least one Latin letter
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_/.+²-]*[A-Za-z0-9²]|[A-Za-z]")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
HAS_LETTER = re.compile(r"[A-Za-z]")
# the data version's short content hash (build.edition): eight hex digits, a name not a word
VERSION_HASH = re.compile(r"(?=[0-9a-f]*\d)[0-9a-f]{8}")


def findings(text: str) -> list[str]:
    """Return every Latin-script word of ``text`` not in :data:`ALLOWED`, and every snake_case id.

    Numbers (``2011``, ``21,300``) are not words; ``5G`` and ``GB/T`` are allowed terms.
    """
    found = [m.group() for m in SNAKE.finditer(text)]
    for match in WORD.finditer(text):
        word = match.group().strip("./-+")
        if not HAS_LETTER.search(word) or SNAKE.fullmatch(word):
            continue
        if word not in ALLOWED and not VERSION_HASH.fullmatch(word):
            found.append(word)
    return found


# five or more digits in a row, not part of a decimal or an already separated number
BARE_NUMBER = re.compile(r"(?<![\d,.])\d{5,}(?![\d,])")
# names written in digits: six-digit area codes (331000, 100000) and standard numbers (GB/T 33356)
NUMBER_NAMES = re.compile(r"GB/T \d+(-\d+)?|(?<!\d)(33\d{4}|100000)(?!\d)")


def bare_numbers(text: str) -> list[str]:
    """Return every number of five or more digits written without thousands separators.

    Area codes and standard numbers are names, not quantities, and are not reported.
    """
    text = re.sub(r"(?<![0-9A-Za-z])" + VERSION_HASH.pattern + r"(?![0-9A-Za-z])", " ", text)
    return BARE_NUMBER.findall(NUMBER_NAMES.sub(" ", text))
