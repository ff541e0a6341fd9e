"""Diffusion curves for penetration rates: logistic and Bass, fitted by least squares.

A penetration rate that grows from few users towards a ceiling (the saturation level ``K``)
is modelled by

* logistic:  ``K / (1 + exp(-r (t - t0)))`` — growth rate ``r``, midpoint year ``t0``;
* Bass:      ``K (1 - e^{-(p+q)(t-s)}) / (1 + (q/p) e^{-(p+q)(t-s)})`` — innovation ``p``,
  imitation ``q``, start year ``s`` (the year the curve leaves zero).

Fits refuse what the data cannot support: fewer points than parameters plus one, a series
that does not grow, values at or above the saturation level, or a solver that does not
converge. Projections are always within ``[0, K]``. The same formulas are written in the
browser charts, so the curves a reader drags are the curves computed here.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeWarning, curve_fit


class ModelError(ValueError):
    """A series that cannot support the requested curve, or parameters that make no sense."""


def logistic(t, K: float, r: float, t0: float):
    """Logistic curve: ``K / (1 + exp(-r (t - t0)))``."""
    return K / (1.0 + np.exp(-r * (np.asarray(t, dtype=float) - t0)))


def bass(t, K: float, p: float, q: float, start: float):
    """Cumulative Bass curve from ``start``; zero before it."""
    x = np.clip(np.asarray(t, dtype=float) - start, 0.0, None)
    e = np.exp(-(p + q) * x)
    return K * (1.0 - e) / (1.0 + (q / p) * e)


@dataclass(frozen=True)
class Fit:
    """A fitted curve: model name, parameters, and the points it rests on."""

    model: str
    params: dict[str, float]
    years: tuple[int, ...]
    values: tuple[float, ...]

    @property
    def saturation(self) -> float:
        return self.params["K"]

    def predict(self, years) -> np.ndarray:
        """Return the curve at ``years``, clipped to ``[0, K]``."""
        curve = logistic if self.model == "logistic" else bass
        y = curve(np.asarray(years, dtype=float), **self.params)
        return np.clip(y, 0.0, self.saturation)

    def residuals(self) -> np.ndarray:
        return np.asarray(self.values) - self.predict(self.years)


def _clean(series: pd.Series, K: float | None, needed: int, what: str) -> pd.Series:
    values = series.dropna().sort_index().astype(float)
    if len(values) < needed:
        raise ModelError(
            f"a {what} fit needs at least {needed} published years, got {len(values)}"
            f" ({', '.join(str(int(y)) for y in values.index) or 'none'})"
        )
    if (values < 0).any():
        raise ModelError(f"negative values cannot be fitted: {values[values < 0].to_dict()}")
    if not values.iloc[-1] > values.iloc[0]:
        raise ModelError(
            f"the series does not grow ({values.iloc[0]:g} in {int(values.index[0])} → "
            f"{values.iloc[-1]:g} in {int(values.index[-1])}): a diffusion curve cannot describe it"
        )
    if K is not None and not values.max() < K:
        raise ModelError(f"saturation {K:g} is not above the highest value {values.max():g}")
    return values


def _solve(f, x, y, p0, bounds) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", OptimizeWarning)
            params, _ = curve_fit(f, x, y, p0=p0, bounds=bounds, maxfev=20000)
    except (RuntimeError, OptimizeWarning, ValueError) as err:
        raise ModelError(f"the least-squares fit did not converge: {err}") from None
    return params


def fit_logistic(series: pd.Series, K: float | None = None, k_max: float = 400.0) -> Fit:
    """Fit a logistic curve to published years; ``K`` fixed if given, else fitted too.

    With ``K`` fixed two parameters are fitted (``r``, ``t0``) and three points are needed;
    with ``K`` free, four. A fitted ``K`` must lie between the highest value and ``k_max``.
    """
    values = _clean(series, K, 3 if K is not None else 4, "logistic")
    x, y = values.index.to_numpy(dtype=float), values.to_numpy()
    mid = float(x[np.argmin(np.abs(y - y.max() / 2))])
    if K is not None:
        r, t0 = _solve(
            lambda t, r, t0: logistic(t, K, r, t0), x, y, [0.3, mid], ([1e-4, 1900], [5, 2100])
        )
        params = {"K": float(K), "r": float(r), "t0": float(t0)}
    else:
        k, r, t0 = _solve(
            logistic,
            x,
            y,
            [y.max() * 1.3, 0.3, mid],
            ([y.max() * 1.0001, 1e-4, 1900], [k_max, 5, 2100]),
        )
        if k >= k_max * 0.999:
            raise ModelError(f"the fitted saturation runs to the upper bound {k_max:g}: no ceiling")
        params = {"K": float(k), "r": float(r), "t0": float(t0)}
    return Fit("logistic", params, tuple(int(v) for v in x), tuple(float(v) for v in y))


def fit_bass(series: pd.Series, K: float, start: float | None = None) -> Fit:
    """Fit a Bass curve (``p``, ``q``) with saturation ``K`` fixed; three points needed.

    ``start`` (the year adoption begins) defaults to one year before the first point.
    """
    values = _clean(series, K, 3, "Bass")
    x, y = values.index.to_numpy(dtype=float), values.to_numpy()
    start = float(x[0] - 1) if start is None else float(start)
    p, q = _solve(
        lambda t, p, q: bass(t, K, p, q, start), x, y, [0.01, 0.3], ([1e-5, 1e-4], [1, 3])
    )
    params = {"K": float(K), "p": float(p), "q": float(q), "start": start}
    return Fit("bass", params, tuple(int(v) for v in x), tuple(float(v) for v in y))


def anchor(fit: Fit, year: int, value: float) -> Fit:
    """Shift a logistic curve in time so it passes through ``value`` in ``year``.

    The growth rate and saturation (the curve's shape) are kept; only ``t0`` moves. This is
    how a curve fitted on a long national series is placed on a single local figure.
    """
    if fit.model != "logistic":
        raise ModelError("only a logistic curve can be anchored")
    K, r = fit.params["K"], fit.params["r"]
    if not 0 < value < K:
        raise ModelError(f"cannot anchor at {value:g}: it must lie strictly between 0 and K={K:g}")
    t0 = year + np.log(K / value - 1) / r
    return Fit("logistic", {"K": K, "r": r, "t0": float(t0)}, (year,), (float(value),))


def resampled_refits(fit: Fit, draws: int = 200, seed: int = 2012) -> tuple[list[Fit], int]:
    """Refit ``fit`` on ``draws`` residual-bootstrap samples; return the refits and failures.

    The residuals are resampled onto the fitted values and the curve refitted with the same
    fixed saturation (and Bass start year); a refit that fails is counted, not returned.
    """
    rng = np.random.default_rng(seed)
    fitted, resid = fit.predict(fit.years), fit.residuals()
    refits, failed = [], 0
    for _ in range(draws):
        sample = pd.Series(fitted + rng.choice(resid, size=len(resid)), index=fit.years)
        try:
            refits.append(
                fit_logistic(sample, K=fit.saturation)
                if fit.model == "logistic"
                else fit_bass(sample, K=fit.saturation, start=fit.params["start"])
            )
        except ModelError:
            failed += 1
    if not refits:
        raise ModelError("no bootstrap refit succeeded")
    return refits, failed


def quantile_band(years, curves: list[np.ndarray], level: float = 0.9) -> pd.DataFrame:
    """Return the pointwise ``level`` band of several curves: columns year, low, high."""
    stack, tail = np.vstack(curves), (1 - level) / 2
    return pd.DataFrame(
        {
            "year": np.asarray(years).astype(int),
            "low": np.quantile(stack, tail, axis=0),
            "high": np.quantile(stack, 1 - tail, axis=0),
        }
    )


def bootstrap_band(
    fit: Fit, years, draws: int = 200, seed: int = 2012, level: float = 0.9
) -> pd.DataFrame:
    """Residual-bootstrap band of the fitted curve: columns year, low, mid, high.

    See :func:`resampled_refits`; the number of failed refits is in ``attrs['failed']``.
    """
    years = np.asarray(years, dtype=float)
    refits, failed = resampled_refits(fit, draws, seed)
    band = quantile_band(years, [r.predict(years) for r in refits], level)
    band.insert(2, "mid", fit.predict(years))
    band.attrs["failed"] = failed
    return band


def first_year_reaching(fit: Fit, level: float, until: int = 2030) -> int | None:
    """Return the first whole year the curve reaches ``level``, or None by ``until``."""
    years = np.arange(min(fit.years), until + 1)
    hit = years[fit.predict(years) >= level]
    return int(hit[0]) if len(hit) else None
