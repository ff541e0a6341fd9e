"""Accessible HTML fragments for the book: tables, figure cards, source notes.

Every value is HTML-escaped. The fragments are returned as :class:`Html` objects, which
Jupyter and MyST-NB display as ``text/html`` outputs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote

import pandas as pd

from analysis.core.numbers import number  # re-exported: every published digit


class Html(str):
    """A string of trusted HTML that notebooks display as rendered HTML."""

    def _repr_html_(self) -> str:
        return str(self)


def static_link(rel_path: str) -> str:
    """Return a link to a file published under the site's ``_static`` folder.

    The ``atlas-static:`` scheme is resolved into a page-relative path by
    :mod:`analysis.build.sphinxext` at build time.
    """
    return f"atlas-static:/{rel_path}"


def cell(value: object) -> str:
    """Format one table cell: missing values are shown as a visible “缺失” marker."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return '<span class="atlas-missing">缺失</span>'
    if isinstance(value, float):
        return escape(number(value))
    return escape(str(value))


LONG_CELL = 20  # characters: cells longer than this get a wider column (class "long")
# rows: a longer table shows its first rows and offers every row as a download (a reader does
# not scroll through hundreds of rows, and the page stays light as the data grow)
MAX_ROWS = 60


def csv_data_uri(frame: pd.DataFrame) -> str:
    """Return the frame as a UTF-8-with-BOM CSV ``data:`` URI, for a download link.

    The build (:mod:`analysis.build.lean_pages`) turns it into a file beside the page.
    """
    text = "\ufeff" + frame.to_csv(index=False)
    return "data:text/csv;charset=utf-8," + quote(text)


def table(
    frame: pd.DataFrame,
    caption: str,
    *,
    links: dict[str, str] | None = None,
    numeric: Iterable[str] = (),
    note: str | None = None,
    max_rows: int = MAX_ROWS,
) -> Html:
    """Render a DataFrame as a captioned, accessible HTML table.

    ``links`` maps a column name to another column holding the URL for that cell; the URL
    column itself is not shown. ``numeric`` columns are right-aligned. A frame longer than
    ``max_rows`` shows its first ``max_rows`` rows (the caller puts the ones a reader needs
    first) and a note with a download of every row.
    """
    links = links or {}
    numeric = set(numeric)
    shown = [c for c in frame.columns if c not in links.values()]
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in shown)
    rows = []
    for _, row in frame.head(max_rows).iterrows():
        cells = []
        for c in shown:
            text = cell(row[c])
            url = row[links[c]] if c in links else None
            if url is not None and not pd.isna(url) and url:
                text = f'<a href="{escape(str(url))}">{text}</a>'
            # a long text gets a wider column: on a phone it would otherwise wrap into a tall,
            # mostly empty row
            long = len(str(row[c])) > LONG_CELL and c not in numeric
            cls = ' class="num"' if c in numeric else ' class="long"' if long else ""
            cells.append(f"<td{cls}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    foot = f'<p class="atlas-table-note">{escape(note)}</p>' if note else ""
    if len(frame) > max_rows:
        digest = hashlib.sha256(caption.encode()).hexdigest()[:8]
        foot += (
            f'<p class="atlas-table-note">表中列出前 {max_rows} 行，共 {len(frame):,} 行：'
            f'<a href="{csv_data_uri(frame[shown])}" download="table-{digest}.csv">'
            "下载全部数据（CSV）</a></p>"
        )
    return Html(
        # the wrapper scrolls sideways on narrow screens, so keyboards must be able to reach it
        f'<div class="atlas-table-wrap" tabindex="0" role="region" aria-label="{escape(caption)}">'
        '<table class="atlas-table">'
        f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{foot}</div>"
    )


def cards(items: Sequence[tuple[str, str, str]]) -> Html:
    """Render key figures as cards: each item is (label, formatted value, footnote)."""
    body = "".join(
        '<div class="atlas-card">'
        f'<p class="atlas-card-label">{escape(label)}</p>'
        f'<p class="atlas-card-value">{escape(value)}</p>'
        f'<p class="atlas-card-note">{escape(foot)}</p></div>'
        for label, value, foot in items
    )
    return Html(f'<div class="atlas-cards">{body}</div>')


def source_note(citations: Iterable[str], note: str | None = None) -> Html:
    """Render the “来源” line (and an optional “说明”) shown under a table, chart or map."""
    text = "；".join(escape(c) for c in dict.fromkeys(citations))
    extra = f"<br>说明：{escape(note)}" if note else ""
    return Html(f'<p class="atlas-source">来源：{text}{extra}</p>')
