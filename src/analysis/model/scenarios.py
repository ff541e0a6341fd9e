"""Roadmap scenarios: diffusion curves for Taizhou under the assumptions in data/scenarios.csv.

For each indicator the curve's shape (growth rate) comes from Taizhou's own published series
when it has at least three years, otherwise from China's series up to the study's vantage
year (2011), fitted with the scenario's saturation level; the curve is then anchored on
Taizhou's latest published figure. Where no series can be fitted, the scenario's growth rate
(labelled guesswork in the data) is used. The saturation is either a fixed level
(``saturation``) or a headroom above Taizhou's highest published figure (``headroom``), so
figures an analyst adds can never contradict an assumption. Analysts who add Taizhou years
change the fit with no change of code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core import data
from analysis.core.reference import CHINA, STUDY_YEAR, TAIZHOU, ZHEJIANG
from analysis.model import diffusion, trends
from analysis.model.targets import comparator, meets

VANTAGE = STUDY_YEAR  # the study's own vantage point
HORIZON = 2030
SCENARIOS = ["cautious", "baseline", "accelerated"]
SCENARIO_ZH = {"cautious": "谨慎", "baseline": "基准", "accelerated": "加速"}
BASIS_ZH = {"data": "数据", "research": "研究", "guesswork": "推测"}
MIN_POINTS = 3


@dataclass(frozen=True)
class Projection:
    """A scenario's curve for Taizhou and what it rests on.

    ``saturated`` is True when Taizhou's latest figure is already at the saturation level
    (a capped headroom): the curve then stays at that figure. ``fit_note`` says, in English,
    why a series was passed over for the shape (empty when the first choice was used).
    """

    scenario: str
    indicator: str
    curve: diffusion.Fit
    shape_area: str | None  # the area whose series gave the growth rate (None: assumed)
    shape_years: tuple[int, ...]
    anchor_year: int
    anchor_value: float
    saturated: bool = False
    fit_note: str = ""

    @property
    def saturation(self) -> float:
        return self.curve.params["K"]

    def values(self, years) -> np.ndarray:
        if self.saturated:
            return np.full(np.shape(np.asarray(years, dtype=float)), self.anchor_value)
        return self.curve.predict(years)


def assumptions(indicator: str | None = None) -> pd.DataFrame:
    """Return the scenario assumptions (all, or one indicator's)."""
    frame = data.table("scenarios")
    return frame if indicator is None else frame[frame.indicator == indicator]


def has_parameter(scenario: str, indicator: str, name: str) -> bool:
    frame = assumptions(indicator)
    return bool(((frame.scenario == scenario) & (frame.parameter == name)).any())


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


def ceiling(indicator: str) -> float | None:
    """Return the indicator's largest valid value (None when unbounded)."""
    top = data.indexed("indicators", "id").max_value.get(indicator)
    return None if top is None or pd.isna(top) else float(top)


def taizhou(indicator: str, until: int | None = None) -> pd.Series:
    """Return Taizhou's published series up to ``until`` (every year when None)."""
    values = trends.series(TAIZHOU, indicator)
    return values if until is None else values[values.index <= until]


def saturation(scenario: str, indicator: str, until: int | None = None) -> float:
    """Return the scenario's saturation level given Taizhou's figures up to ``until``.

    A ``headroom`` assumption is added to Taizhou's highest published figure (capped at the
    indicator's largest valid value); a ``saturation`` assumption is used as written.
    """
    if has_parameter(scenario, indicator, "headroom"):
        tz = taizhou(indicator, until)
        if tz.empty:
            raise diffusion.ModelError(f"no Taizhou figure for {indicator} to add headroom to")
        K = float(tz.max()) + parameter(scenario, indicator, "headroom")
        top = ceiling(indicator)
        return K if top is None else min(K, top)
    return parameter(scenario, indicator, "saturation")


def shape_series(
    indicator: str, until: int | None = None, reference_until: int = VANTAGE
) -> tuple[str | None, pd.Series]:
    """Return the area and series the curve's shape is fitted on first (None if none is long).

    Taizhou's own series up to ``until`` when it has :data:`MIN_POINTS` years, else China's
    up to ``reference_until``.
    """
    return next(iter(shape_candidates(indicator, until, reference_until)), (None, pd.Series()))


def shape_candidates(
    indicator: str, until: int | None = None, reference_until: int = VANTAGE
) -> list[tuple[str, pd.Series]]:
    """The series long enough to fit a shape on, in order of preference (Taizhou, China)."""
    out = []
    tz = taizhou(indicator, until)
    if len(tz) >= MIN_POINTS:
        out.append((TAIZHOU, tz))
    cn = trends.series(CHINA, indicator)
    cn = cn[cn.index <= (reference_until if until is None else min(until, reference_until))]
    if len(cn) >= MIN_POINTS:
        out.append((CHINA, cn))
    return out


def project(
    scenario: str, indicator: str, until: int | None = None, reference_until: int = VANTAGE
) -> Projection:
    """Return Taizhou's curve for one scenario, from the figures published up to ``until``.

    ``until`` None uses every published year (the curve is anchored on Taizhou's latest
    figure); ``until=VANTAGE`` is the outlook as it could be drawn in 2011.
    """
    tz = taizhou(indicator, until)
    if tz.empty:
        raise diffusion.ModelError(f"no Taizhou figure for {indicator} up to {until} to anchor on")
    year, value = int(tz.index[-1]), float(tz.iloc[-1])
    K = saturation(scenario, indicator, until)
    factor = parameter(scenario, indicator, "growth_factor", 1.0)
    area, years, r, notes = None, (), None, []
    for name, shape in shape_candidates(indicator, until, reference_until):
        try:
            fitted = diffusion.fit_logistic(shape, K=K)
        except diffusion.ModelError as err:
            notes.append(f"{name}: {err}")
            continue
        area, years = name, tuple(int(y) for y in shape.index)
        r = fitted.params["r"] * factor
        break
    if r is None:
        if not has_parameter(scenario, indicator, "growth_rate"):
            raise diffusion.ModelError(
                f"no series of {indicator} can be fitted ({'; '.join(notes) or 'none long enough'})"
                f" and data/scenarios.csv gives no growth_rate for {scenario}"
            )
        r = parameter(scenario, indicator, "growth_rate")
    base = diffusion.Fit("logistic", {"K": K, "r": r, "t0": float(year)}, (), ())
    if value >= K or value <= 0:  # at the (capped) ceiling, or nothing to grow from: flat
        curve = diffusion.Fit("logistic", {"K": value, "r": r, "t0": -math.inf}, (year,), (value,))
        return Projection(
            scenario, indicator, curve, area, years, year, value, True, "; ".join(notes)
        )
    curve = diffusion.anchor(base, year, value)
    return Projection(scenario, indicator, curve, area, years, year, value, False, "; ".join(notes))


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
    """Fit ``area``'s own series up to ``until`` with the scenario's saturation at ``until``."""
    values = trends.series(area, indicator)
    return diffusion.fit_logistic(
        values[values.index <= until], K=saturation(scenario, indicator, until)
    )


def _error_row(scenario, area, year, until, projected, actual) -> dict:
    return {
        "scenario": scenario,
        "area": area,
        "year": int(year),
        "horizon": int(year) - until,
        "projected": float(projected),
        "actual": float(actual),
        "abs_error": abs(projected - actual),
        "ape": abs(projected - actual) / actual * 100 if actual else math.nan,
    }


def backtest(indicator: str, area: str = CHINA, until: int = VANTAGE) -> pd.DataFrame:
    """Compare the outlook drawn with the figures up to ``until`` with later published ones.

    For China (or another reference area) its own series up to ``until`` is fitted with the
    scenario's saturation; for Taizhou the scenario's own projection as of ``until`` (shape
    and anchor as in :func:`project`) is compared with Taizhou's later figures. One row per
    scenario and later year: projected, actual, absolute error and absolute percentage error.
    """
    values = trends.series(area, indicator)
    after = values[values.index > until]
    rows = []
    for scenario in SCENARIOS:
        if area == TAIZHOU:
            predict = project(scenario, indicator, until=until).values
        else:
            predict = backtest_fit(scenario, indicator, area, until).predict
        for year, actual in after.items():
            rows.append(_error_row(scenario, area, year, until, predict([year])[0], float(actual)))
    columns = ["scenario", "area", "year", "horizon", "projected", "actual", "abs_error", "ape"]
    return pd.DataFrame(rows, columns=columns)


def mape(table: pd.DataFrame) -> pd.DataFrame:
    """Return the mean absolute percentage error per scenario and area."""
    return table.groupby(["scenario", "area"], sort=False).ape.mean().rename("mape").reset_index()


def rolling_errors(scenario: str, indicator: str) -> pd.DataFrame:
    """Errors of the method at every horizon it can be tested on (a rolling-origin backtest).

    From every published year of Taizhou's, Zhejiang's and China's series with at least
    :data:`MIN_POINTS` years up to it, the series is fitted with the scenario's current
    saturation level and compared with each later published figure. Columns: area, origin, year,
    horizon, projected, actual, rel_error (signed, projected ÷ actual − 1).
    """
    rows = []
    K = saturation(scenario, indicator)
    for area in (TAIZHOU, ZHEJIANG, CHINA):
        values = trends.series(area, indicator).dropna().sort_index()
        for origin in values.index:
            known = values[values.index <= origin]
            later = values[values.index > origin]
            if len(known) < MIN_POINTS or later.empty:
                continue
            if known.max() >= K:
                continue  # this saturation cannot describe that series: no test
            try:
                fit = diffusion.fit_logistic(known, K=K)
            except diffusion.ModelError:
                continue
            for year, actual in later.items():
                if actual <= 0:
                    continue
                projected = float(fit.predict([year])[0])
                rows.append(
                    {
                        "area": area,
                        "origin": int(origin),
                        "year": int(year),
                        "horizon": int(year) - int(origin),
                        "projected": projected,
                        "actual": float(actual),
                        "rel_error": projected / float(actual) - 1,
                    }
                )
    columns = ["area", "origin", "year", "horizon", "projected", "actual", "rel_error"]
    return pd.DataFrame(rows, columns=columns)


def error_by_horizon(scenario: str, indicator: str, level: float = 0.9) -> pd.DataFrame:
    """The ``level`` quantile of the absolute relative error per horizon, never decreasing.

    Columns horizon, tests (how many comparisons), error (the quantile at that horizon) and
    envelope (the largest error up to that horizon: an outlook further ahead is never held
    to be more precise than a nearer one). Empty when the method cannot be tested.
    """
    errors = rolling_errors(scenario, indicator)
    if errors.empty:
        return pd.DataFrame(columns=["horizon", "tests", "error", "envelope"])
    grouped = errors.assign(abs_rel=errors.rel_error.abs()).groupby("horizon").abs_rel
    out = pd.DataFrame({"tests": grouped.size(), "error": grouped.quantile(level)}).reset_index()
    out["envelope"] = out.error.cummax()
    return out


def target_years(indicator: str, area: str = TAIZHOU) -> pd.DataFrame:
    """Return, per scenario and target of ``indicator``, the year Taizhou meets it.

    A published figure beats a projection: ``met`` is the first published Taizhou year that
    meets the target (``by`` = "published"); failing that, the first year after Taizhou's
    latest figure in which the scenario's curve meets it (``by`` = "projected"), or None when
    not by :data:`HORIZON`. Targets set for another area (national targets) are compared as
    benchmarks.
    """
    targets = data.table("targets")
    targets = targets[targets.indicator == indicator]
    published = taizhou(indicator)
    rows = []
    for scenario in SCENARIOS:
        p = project(scenario, indicator)
        years = np.arange(p.anchor_year + 1, HORIZON + 1)
        values = p.values(years)
        for t in targets.itertuples(index=False):
            code = comparator(t.comparison)
            hit = published[meets(published, t.target_value, code)]
            if len(hit):
                met, by = int(hit.index[0]), "published"
            else:
                ok = meets(values, t.target_value, code)
                met, by = (int(years[ok][0]), "projected") if ok.any() else (None, None)
            rows.append(
                {
                    "scenario": scenario,
                    "target_area": t.area_code,
                    "target_year": int(t.target_year),
                    "target_value": float(t.target_value),
                    "comparison": t.comparison,
                    "met": met,
                    "by": by,
                    "on_time": met is not None and met <= int(t.target_year),
                }
            )
    columns = [
        "scenario",
        "target_area",
        "target_year",
        "target_value",
        "comparison",
        "met",
        "by",
        "on_time",
    ]
    return pd.DataFrame(rows, columns=columns)


def fitted_band(
    scenario: str, indicator: str, draws: int = 200, seed: int = 2012, level: float = 0.9
) -> pd.DataFrame | None:
    """The residual-bootstrap band of the growth-rate fit alone (None if the rate is assumed).

    The residuals of the shape fit are resampled onto its fitted values, the growth rate is
    refitted and each refit is anchored on the same Taizhou figure: columns year, low, high.
    This band only shows how well the past years pin down the growth rate; see :func:`band`.
    """
    p = project(scenario, indicator)
    if p.shape_area is None or p.saturated:
        return None
    K = p.saturation
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


def band(
    scenario: str, indicator: str, draws: int = 200, seed: int = 2012, level: float = 0.9
) -> pd.DataFrame | None:
    """The projection band calibrated on the method's demonstrated errors (None if untested).

    At ``h`` years after Taizhou's latest figure the curve is widened by the ``level``
    quantile of the method's absolute relative errors (:func:`error_by_horizon`, its
    envelope) at the nearest tested horizon at or beyond ``h``, which is at least every error
    up to ``h``; beyond the longest tested horizon the longest one's error is kept
    (``beyond_tests`` True there: the real uncertainty is larger). The
    band is never narrower than the bootstrap band of the fit (:func:`fitted_band`); before
    the anchor year it is the bootstrap band. Columns year, horizon, error, low, high,
    beyond_tests; None when the method cannot be tested on any published series.
    """
    p = project(scenario, indicator)
    errors = error_by_horizon(scenario, indicator, level)
    if errors.empty:
        return None
    years = np.arange(VANTAGE, HORIZON + 1)
    curve = p.values(years)
    horizon = years - p.anchor_year
    env = errors.set_index("horizon").envelope
    longest = int(env.index.max())

    def at(h: int) -> float:
        # the envelope at the nearest tested horizon at or beyond h: between sparse tests the
        # farther one's error, so a gap in the tests never narrows the band
        if h <= 0:
            return 0.0
        later = env[env.index >= h]
        return float(later.iloc[0]) if len(later) else float(env.iloc[-1])

    err = np.array([at(h) for h in horizon])
    low, high = curve * (1 - err), curve * (1 + err)
    try:
        fitted = fitted_band(scenario, indicator, draws, seed, level)
    except diffusion.ModelError:  # no refit converged: the backtest errors alone
        fitted = None
    if fitted is not None:
        low, high = np.minimum(low, fitted.low.to_numpy()), np.maximum(high, fitted.high.to_numpy())
    top = ceiling(indicator)
    low = np.clip(low, 0.0, None)
    high = high if top is None else np.minimum(high, top)
    return pd.DataFrame(
        {
            "year": years.astype(int),
            "horizon": horizon.astype(int),
            "error": err,
            "low": low,
            "high": high,
            "beyond_tests": horizon > longest,
        }
    )
