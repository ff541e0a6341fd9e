"""Sphinx extension: pages that show their text at once on a slow phone, with any amount of data.

* A chart's Vega spec (its data included) is written to ``_static/charts/<figure id>.json``
  instead of into the page; the page keeps an empty ``<script class="atlas-spec">`` naming
  the file in ``data-src``, which ``book/_static/atlas-charts.js`` fetches (and fills in) when
  the reader first touches the chart. The page's weight then no longer grows with the rows.
  The file holds each dataset by column (:func:`compact`; a column whose values repeat keeps
  each value once), a fifth of the rows' size; the script turns it back into rows
  (:func:`expand` is the same in Python).
* A chart's data download (a CSV ``data:`` address) becomes a file under
  ``_static/downloads/`` (named by the page, a hash of the data and the download name),
  linked from the page.
* Sphinx's code-highlighting stylesheet is dropped (no page shows code), and Sphinx's own
  scripts in the page head are deferred, so neither holds up the first paint.

Output names come from the page and the figure ids (which carry a hash of the chart's
spec), so two builds of one commit write the same files.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote

from sphinx.application import Sphinx

SPEC = re.compile(
    r'(<figure class="atlas-chart" id="([\w-]+)".*?)'
    r'<script type="application/json" class="atlas-spec">(.*?)</script>',
    re.S,
)
CSV_URI = re.compile(r'href="data:text/csv;charset=utf-8,([^"]*)" download="([^"/]+\.csv)"')
DROPPED_CSS = ("pygments.css",)


def compact(spec: dict) -> dict:
    """Return the Vega spec with each dataset of uniform rows stored by column.

    ``{"values": [{"a": 1, "b": "x"}, ...]}`` becomes ``{"values": [], "atlasColumns":
    {"fields": ["a", "b"], "columns": [[1, ...], {"dict": ["x", ...], "codes": [0, ...]}]}}``:
    a column whose values repeat (fewer distinct values than half its length) lists each
    value once and the rows' codes into that list.
    """
    out = dict(spec)
    data = []
    for entry in spec.get("data", []):
        rows = entry.get("values")
        if not (isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows)):
            data.append(entry)
            continue
        fields = list(rows[0])
        if any(list(r) != fields for r in rows):  # rows with other keys stay as they are
            data.append(entry)
            continue
        columns: list = []
        for field in fields:
            values = [r[field] for r in rows]
            keys = [json.dumps(v, ensure_ascii=False, sort_keys=True) for v in values]
            distinct = list(dict.fromkeys(keys))
            if 2 * len(distinct) < len(values):
                code = {k: i for i, k in enumerate(distinct)}
                columns.append(
                    {"dict": [json.loads(k) for k in distinct], "codes": [code[k] for k in keys]}
                )
            else:
                columns.append(values)
        data.append({**entry, "values": [], "atlasColumns": {"fields": fields, "columns": columns}})
    if "data" in spec:
        out["data"] = data
    return out


def expand(spec: dict) -> dict:
    """The inverse of :func:`compact` (what ``book/_static/atlas-charts.js`` does on fetch)."""
    out = dict(spec)
    data = []
    for entry in spec.get("data", []):
        stored = entry.get("atlasColumns")
        if stored is None:
            data.append(entry)
            continue
        columns = [
            c if isinstance(c, list) else [c["dict"][i] for i in c["codes"]]
            for c in stored["columns"]
        ]
        rows = [
            dict(zip(stored["fields"], values, strict=True))
            for values in zip(*columns, strict=True)
        ]
        data.append({k: v for k, v in entry.items() if k != "atlasColumns"} | {"values": rows})
    if "data" in spec:
        out["data"] = data
    return out


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def externalise(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Move chart specs and CSV downloads out of the page; drop and defer head assets."""
    body = context.get("body", "")
    if not body:
        return
    static = Path(app.outdir) / "_static"
    page = pagename.replace("/", "-")
    pathto = context["pathto"]

    def spec(match: re.Match) -> str:
        head, figure_id, text = match.group(1), match.group(2), match.group(3)
        rel = f"charts/{page}-{figure_id}.json"
        # the page's escapes (\u003c for <) are valid JSON; the file is read as JSON, not HTML
        stored = compact(json.loads(text))
        _write(static / rel, json.dumps(stored, ensure_ascii=False, separators=(",", ":")))
        href = pathto("_static/" + rel, 1)
        return (
            f'{head}<script type="application/json" class="atlas-spec" data-src="{href}"></script>'
        )

    def download(match: re.Match) -> str:
        text = unquote(match.group(1))
        digest = hashlib.sha1(text.encode()).hexdigest()[:8]  # two figures, one name
        rel = f"downloads/{page}-{digest}-{match.group(2)}"
        _write(static / rel, text)
        return f'href="{pathto("_static/" + rel, 1)}" download="{match.group(2)}"'

    body = SPEC.sub(spec, body)
    context["body"] = CSV_URI.sub(download, body)
    context["css_files"] = [
        c
        for c in context.get("css_files", [])
        if not str(getattr(c, "filename", c)).endswith(DROPPED_CSS)
    ]


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Give Sphinx's head scripts ``defer`` (they run in order, before DOMContentLoaded).

    Not on the search page, whose template loads the search scripts after them, undeferred.
    """
    from sphinx.builders.html._assets import _JavaScript

    if pagename == "search":
        return

    scripts = []
    for script in context.get("script_files", []):
        if isinstance(script, _JavaScript) and script.filename and "async" not in script.attributes:
            attributes = {**script.attributes, "defer": "defer"}
            script = _JavaScript(script.filename, priority=script.priority, **attributes)
        scripts.append(script)
    context["script_files"] = scripts


def setup(app: Sphinx) -> dict:
    # after analysis.build.sphinxext (priority 900), which adds the page's own scripts
    app.connect("html-page-context", externalise, priority=950)
    app.connect("html-page-context", defer_scripts, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
