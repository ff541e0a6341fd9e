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
    name = data.indexed("areas", "area_code").loc[area_code, "name_zh"]
    if frame.empty:
        return Html(f"<p>{escape(name)}目前没有待补录的数字，因此没有填写模板。</p>")
    href = escape(static_link(f"data/{fill_in_file(area_code)}"))
    return Html(
        f'<p><a href="{href}" download="fill-in-{area_code}.csv">下载{escape(name)}待补录数字的'
        f"填写模板（CSV，{len(frame)} 行）</a></p>"
    )


def gap_phrase(area_code: str = TAIZHOU) -> str:
    """Say how many figures the area is missing ("缺 N 个数字", or that none is missing)."""
    name = data.indexed("areas", "area_code").loc[area_code, "name_zh"]
    n = len(fill_in_template(area_code))
    return f"{name}缺 {n:,} 个数字" if n else f"{name}没有缺少的数字"


def example(area_code: str = TAIZHOU, indicator: str = "mobile_users") -> tuple[dict, bool]:
    """Return the row an analyst would add (area, year, indicator, unit) and whether it fills a gap.

    The row is the first missing year of ``indicator`` for the area (or of any indicator when
    that one is complete). With no gap at all it is the year after the indicator's latest
    figure for the area, the next figure an analyst would add.
    """
    template = fill_in_template(area_code)
    pick = template[template.indicator == indicator]
    if len(pick) or len(template):
        row = (pick if len(pick) else template).iloc[0]
        return {k: row[k] for k in ("area_code", "year", "indicator", "unit")}, True
    obs = data.observations()
    mine = obs[(obs.area_code == area_code) & (obs.indicator == indicator)]
    unit = data.indexed("indicators", "id").at[indicator, "unit"]
    year = int(mine.year.max()) + 1 if len(mine) else int(obs.year.max())
    return {"area_code": area_code, "year": year, "indicator": indicator, "unit": unit}, False


def example_basis(area_code: str = TAIZHOU, indicator: str = "mobile_users") -> str:
    """Say what the example row is based on (the first current gap, or the next year)."""
    return "按当前第一个缺口生成" if example(area_code, indicator)[1] else "按最新数字的下一年生成"


def example_row(area_code: str = TAIZHOU, indicator: str = "mobile_users") -> Html:
    """Render, as a CSV line, the row an analyst would add (see :func:`example`).

    The value and source are placeholders to replace.
    """
    row, _ = example(area_code, indicator)
    header = "area_code,year,indicator,value,unit,source_id,note"
    line = (
        f"{row['area_code']},{row['year']},{row['indicator']},<数值>,{row['unit']},<来源编号>,"
        f"<说明：表号、原文口径>"
    )
    return Html(f'<pre class="atlas-csv"><code>{escape(header)}\n{escape(line)}</code></pre>')
