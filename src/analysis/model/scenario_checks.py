"""Checks of data/scenarios.csv against the model and the published figures, in Chinese.

Run by ``python -m analysis.build.check`` after the tables themselves are valid, so an
assumption the model cannot use stops ``make book`` before any page runs, with one line per
problem naming the file, spreadsheet row and column, what is wrong and what to do — never
a notebook traceback. The bounds below are the ranges the scenarios page states.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core import data
from analysis.model import diffusion, scenarios

FILE = "scenarios.csv"
# parameter: (lowest, highest) valid value; None = the indicator's own bound
BOUNDS = {
    "growth_factor": (0.25, 4.0),
    "growth_rate": (0.01, 2.0),
    "headroom": (0.0, None),
    "saturation": (0.0, None),
}
PARAM_ZH = {
    "saturation": "饱和水平",
    "headroom": "饱和余量",
    "growth_factor": "增长速度倍数",
    "growth_rate": "增长速度",
}


@dataclass(frozen=True)
class ScenarioProblem:
    """One problem with an assumption: file, spreadsheet row (None: a missing row), column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = FILE + ("" if self.row is None else f"，第 {self.row} 行")
        where += "" if not self.column else f"，{self.column} 列"
        return f"{where}：{self.message}"


def _fmt(value: float) -> str:
    return f"{value:g}"


def problems() -> list[ScenarioProblem]:
    """Return every problem of the scenario assumptions with the current data (empty if none)."""
    frame = data.table("scenarios").reset_index(drop=True)
    frame["row"] = frame.index + 2
    ind = data.indexed("indicators", "id")
    found: list[ScenarioProblem] = []
    for r in frame.itertuples(index=False):
        who = f"{scenarios.SCENARIO_ZH[r.scenario]}情景 {r.indicator} 的{PARAM_ZH[r.parameter]}"
        low, high = BOUNDS[r.parameter]
        top = ind.max_value.get(r.indicator)
        top = None if top is None or pd.isna(top) else float(top)
        if r.parameter in ("saturation", "headroom"):
            high = top
        if not r.value > low:
            found.append(
                ScenarioProblem(
                    r.row,
                    "value",
                    f"{who}为 {_fmt(r.value)}，必须大于 {_fmt(low)}。请改为正数。",
                )
            )
        elif high is not None and r.value > high:
            found.append(
                ScenarioProblem(
                    r.row,
                    "value",
                    f"{who}为 {_fmt(r.value)}，超出允许范围（不超过 {_fmt(high)}）。"
                    f"请改为 {_fmt(low)} 到 {_fmt(high)} 之间的数。",
                )
            )
        if r.parameter == "saturation":
            tz = scenarios.taizhou(r.indicator)
            if len(tz) and not r.value > tz.max():
                year = int(tz.idxmax())
                found.append(
                    ScenarioProblem(
                        r.row,
                        "value",
                        f"{who} {_fmt(r.value)} 不高于台州 {year} 年已公布的 {_fmt(tz.max())}，"
                        "曲线无法经过这个数字。请改为高于它的数，或把 parameter 改为 headroom"
                        "（在台州已公布的最高数字之上留出的余量）。",
                    )
                )
    for (scenario, indicator), grp in frame.groupby(["scenario", "indicator"], sort=False):
        kinds = set(grp.parameter) & {"saturation", "headroom"}
        first = int(grp.row.min())
        name = f"{scenarios.SCENARIO_ZH[scenario]}情景 {indicator}"
        if len(kinds) != 1:
            found.append(
                ScenarioProblem(
                    first if kinds else None,
                    "parameter",
                    f"{name} 需要且只能有一行 saturation（固定饱和水平）或 headroom"
                    f"（饱和余量），现有 {len(kinds)} 行。请保留其中一行。",
                )
            )
            continue
        if found:
            continue  # the model check below would only repeat a problem named above
        try:
            scenarios.project(scenario, indicator)
        except diffusion.ModelError as err:
            found.append(
                ScenarioProblem(
                    None,
                    None,
                    f"{name} 无法推算：没有可拟合的公开系列，也没有 growth_rate（增长速度）一行"
                    f"（{err}）。请为该情景加一行 growth_rate，或补录台州至少 "
                    f"{scenarios.MIN_POINTS} 个年份的数字。",
                )
            )
    return found


def report() -> list[str]:
    """Return the problems as the lines ``make book`` prints (empty when there are none)."""
    return [str(p) for p in problems()]
