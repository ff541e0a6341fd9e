"""Roadmap scenarios: diffusion curves for Taizhou under the assumptions in data/scenarios.csv.

For each indicator the curve's shape (growth rate) comes from the longest published series
up to the vantage year — Taizhou's own when it has at least three years, China's otherwise —
fitted with the scenario's saturation level; the curve is then anchored on Taizhou's latest
figure up to the vantage year. Where no series supports a fit, the scenario's growth rate
(labelled guesswork in the data) is used. Analysts who add Taizhou years change the fit with
no change of code.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import data, diffusion, trends

TAIZHOU, CHINA = "331000", "100000"
VANTAGE = 2011  # the study's own vantage point
HORIZON = 2030
SCENARIOS = ["cautious", "baseline", "accelerated"]
SCENARIO_ZH = {"cautious": "谨慎", "baseline": "基准", "accelerated": "加速"}
BASIS_ZH = {"data": "数据", "research": "研究", "guesswork": "推测"}
MIN_POINTS = 3


@dataclass(frozen=True)
class Projection:
    """A scenario's curve for Taizhou and what it rests on."""

    scenario: str
    indicator: str
    curve: diffusion.Fit
    shape_area: str | None  # the area whose series gave the growth rate (None: assumed)
    shape_years: tuple[int, ...]
    anchor_year: int
    anchor_value: float

    def values(self, years) -> np.ndarray:
        return self.curve.predict(years)


def assumptions(indicator: str | None = None) -> pd.DataFrame:
    """Return the scenario assumptions (all, or one indicator's)."""
    frame = data.table("scenarios")
    return frame if indicator is None else frame[frame.indicator == indicator]


def parameter(scenario: str, indicator: str, name: str, default: float | None = None) -> float:
    """Return one assumption's value; a missing one raises unless ``default`` is given."""
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown scenario {scenario!r}; known: {SCENARIOS}")
    frame = assumptions(indicator)
    hit = frame[(frame.scenario == scenario) & (frame.parameter == name)]
    if hit.empty:
        if default is not None:
            return default
        raise KeyError(f"data/scenarios.csv has no {name} for {indicator} in {scenario}")
    return float(hit.value.iloc[0])


def shape_series(indicator: str, until: int = VANTAGE) -> tuple[str | None, pd.Series]:
    """Return the area and series the curve's shape is fitted on (None if none is long enough)."""
    for area in (TAIZHOU, CHINA):
        values = trends.series(area, indicator)
        values = values[values.index <= until]
        if len(values) >= MIN_POINTS:
            return area, values
    return None, pd.Series(dtype=float)


def project(scenario: str, indicator: str, until: int = VANTAGE) -> Projection:
    """Return Taizhou's curve for one scenario, fitted on data up to ``until``."""
    K = parameter(scenario, indicator, "saturation")
    tz = trends.series(TAIZHOU, indicator)
    tz = tz[tz.index <= until]
    if tz.empty:
        raise diffusion.ModelError(f"no Taizhou figure for {indicator} up to {until} to anchor on")
    area, shape = shape_series(indicator, until)
    if area is not None:
        fitted = diffusion.fit_logistic(shape, K=K)
        r = fitted.params["r"] * parameter(scenario, indicator, "growth_factor", 1.0)
        years = tuple(int(y) for y in shape.index)
    else:
        r, years = parameter(scenario, indicator, "growth_rate"), ()
    base = diffusion.Fit("logistic", {"K": K, "r": r, "t0": float(until)}, (), ())
    year, value = int(tz.index[-1]), float(tz.iloc[-1])
    curve = diffusion.anchor(base, year, value)
    return Projection(scenario, indicator, curve, area, years, year, value)


def curves(indicator: str, first: int = VANTAGE, last: int = HORIZON) -> pd.DataFrame:
    """Return every scenario's curve, one row per scenario and year."""
    years = np.arange(first, last + 1)
    rows = []
    for scenario in SCENARIOS:
        p = project(scenario, indicator)
        rows += [
            {"scenario": scenario, "year": int(y), "value": float(v)}
            for y, v in zip(years, p.values(years), strict=True)
        ]
    return pd.DataFrame(rows)


def backtest_fit(
    scenario: str, indicator: str, area: str = CHINA, until: int = VANTAGE
) -> diffusion.Fit:
    """Fit ``area``'s own series up to ``until`` with the scenario's saturation."""
    values = trends.series(area, indicator)
    return diffusion.fit_logistic(
        values[values.index <= until], K=parameter(scenario, indicator, "saturation")
    )


def backtest(indicator: str, area: str = CHINA, until: int = VANTAGE) -> pd.DataFrame:
    """Fit ``area``'s own series up to ``until`` and compare with its later published figures.

    One row per scenario and later year: projected, actual, absolute error and absolute
    percentage error. The saturation is the scenario's; the growth rate is fitted.
    """
    values = trends.series(area, indicator)
    after = values[values.index > until]
    rows = []
    for scenario in SCENARIOS:
        fit = backtest_fit(scenario, indicator, area, until)
        for year, actual in after.items():
            projected = float(fit.predict([year])[0])
            rows.append(
                {
                    "scenario": scenario,
                    "area": area,
                    "year": int(year),
                    "horizon": int(year) - until,
                    "projected": projected,
                    "actual": float(actual),
                    "abs_error": abs(projected - actual),
                    "ape": abs(projected - actual) / actual * 100,
                }
            )
    return pd.DataFrame(rows)


def mape(table: pd.DataFrame) -> pd.DataFrame:
    """Return the mean absolute percentage error per scenario and area."""
    return table.groupby(["scenario", "area"], sort=False).ape.mean().rename("mape").reset_index()


def target_years(indicator: str, area: str = TAIZHOU) -> pd.DataFrame:
    """Return, per scenario and target of ``indicator``, the year Taizhou's curve meets it.

    ``met`` is the first year from the anchor year on, or None when not by :data:`HORIZON`;
    targets set for another area (national targets) are compared as benchmarks.
    """
    targets = data.table("targets")
    targets = targets[targets.indicator == indicator]
    rows = []
    for scenario in SCENARIOS:
        p = project(scenario, indicator)
        years = np.arange(p.anchor_year, HORIZON + 1)
        values = p.values(years)
        for t in targets.itertuples(index=False):
            ok = values >= t.target_value if t.comparison == ">=" else values <= t.target_value
            met = int(years[ok][0]) if ok.any() else None
            rows.append(
                {
                    "scenario": scenario,
                    "target_area": t.area_code,
                    "target_year": int(t.target_year),
                    "target_value": float(t.target_value),
                    "comparison": t.comparison,
                    "met": met,
                    "on_time": met is not None and met <= int(t.target_year),
                }
            )
    return pd.DataFrame(rows)


def band(
    scenario: str, indicator: str, draws: int = 200, seed: int = 2012, level: float = 0.9
) -> pd.DataFrame | None:
    """Uncertainty band of Taizhou's curve from the fit of its growth rate (None if assumed).

    The residuals of the shape fit are resampled onto its fitted values, the growth rate is
    refitted and each refit is anchored on the same Taizhou figure: columns year, low, high.
    """
    p = project(scenario, indicator)
    if p.shape_area is None:
        return None
    K = p.curve.params["K"]
    factor = parameter(scenario, indicator, "growth_factor", 1.0)
    shape = trends.series(p.shape_area, indicator).loc[list(p.shape_years)]
    refits, _ = diffusion.resampled_refits(diffusion.fit_logistic(shape, K=K), draws, seed)
    years = np.arange(VANTAGE, HORIZON + 1)
    curves = [
        diffusion.anchor(
            diffusion.Fit("logistic", {"K": K, "r": r.params["r"] * factor, "t0": 0.0}, (), ()),
            p.anchor_year,
            p.anchor_value,
        ).predict(years)
        for r in refits
    ]
    return diffusion.quantile_band(years, curves, level)
