"""The add-data page (补录一个数字): the fill-in template's link and an example row."""

from __future__ import annotations

from html import escape

from analysis.core import data
from analysis.core.reference import TAIZHOU
from analysis.model.gaps import FILL_IN_AREAS, fill_in_file, fill_in_template
from analysis.render.html import Html, static_link


def fill_in_download(area_code: str = TAIZHOU) -> Html:
    """Render a link to :func:`fill_in_template` (an Excel-friendly CSV file)."""
    if area_code not in FILL_IN_AREAS:
        raise ValueError(
            f"no fill-in template is published for {area_code}; add it to FILL_IN_AREAS"
        )
    frame = fill_in_template(area_code)
    name = data.table("areas").set_index("area_code").loc[area_code, "name_zh"]
    href = escape(static_link(f"data/{fill_in_file(area_code)}"))
    return Html(
        f'<p><a href="{href}" download="fill-in-{area_code}.csv">下载{escape(name)}待补录数字的'
        f"填写模板（CSV，{len(frame)} 行）</a></p>"
    )


def example_row(area_code: str = TAIZHOU, indicator: str = "mobile_users") -> Html:
    """Render, as a CSV line, the row an analyst would add to fill one current gap.

    The example is the first missing year of ``indicator`` for the area (or of any indicator
    when that one is complete); the value and source are placeholders to replace.
    """
    template = fill_in_template(area_code)
    pick = template[template.indicator == indicator]
    row = (pick if len(pick) else template).iloc[0]
    header = "area_code,year,indicator,value,unit,source_id,note"
    line = (
        f"{row.area_code},{row.year},{row.indicator},<数值>,{row.unit},<来源编号>,"
        f"<说明：表号、原文口径>"
    )
    return Html(f'<pre class="atlas-csv"><code>{escape(header)}\n{escape(line)}</code></pre>')
