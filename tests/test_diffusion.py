"""Diffusion curves: known parameters are recovered, outputs are bounded, bad input refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.model import diffusion
from analysis.model.diffusion import ModelError

YEARS = np.arange(2003, 2016)


def synthetic_logistic(K=120.0, r=0.35, t0=2009.0, noise=0.0, seed=1) -> pd.Series:
    y = diffusion.logistic(YEARS, K, r, t0)
    y = y + np.random.default_rng(seed).normal(0, noise, len(y))
    return pd.Series(y, index=YEARS)


def test_logistic_recovers_known_parameters_with_free_saturation():
    fit = diffusion.fit_logistic(synthetic_logistic())
    assert fit.params["K"] == pytest.approx(120.0, rel=1e-4)
    assert fit.params["r"] == pytest.approx(0.35, rel=1e-4)
    assert fit.params["t0"] == pytest.approx(2009.0, abs=1e-3)


def test_logistic_with_noise_and_fixed_saturation_is_close():
    fit = diffusion.fit_logistic(synthetic_logistic(noise=1.0), K=120.0)
    assert fit.params["r"] == pytest.approx(0.35, rel=0.1)
    assert fit.params["t0"] == pytest.approx(2009.0, abs=0.3)


def test_bass_recovers_known_parameters():
    y = pd.Series(diffusion.bass(YEARS, 100.0, 0.02, 0.4, 2002.0), index=YEARS)
    fit = diffusion.fit_bass(y, K=100.0, start=2002.0)
    assert fit.params["p"] == pytest.approx(0.02, rel=1e-3)
    assert fit.params["q"] == pytest.approx(0.4, rel=1e-3)


def test_projection_is_bounded_by_zero_and_saturation():
    fit = diffusion.fit_logistic(synthetic_logistic(), K=120.0)
    ahead = fit.predict(np.arange(1950, 2200))
    assert ahead.min() >= 0 and ahead.max() <= 120.0
    bass = diffusion.fit_bass(synthetic_logistic(), K=130.0)
    assert bass.predict([1990, 2100]).tolist() == [0.0, pytest.approx(130.0, rel=1e-3)]


@pytest.mark.parametrize(
    ("series", "K", "message"),
    [
        (pd.Series({2003: 20.8, 2007: 41.6}), 130.0, "at least 3 published years, got 2"),
        (pd.Series({2003: 20.8, 2007: 41.6, 2010: 64.4}), None, "at least 4"),
        (pd.Series({2009: 40.9, 2010: 36.9, 2011: 35.6, 2012: 34.2}), 100.0, "does not grow"),
        (pd.Series({2003: 20.8, 2007: 41.6, 2010: 64.4}), 60.0, "not above the highest"),
        (pd.Series({2003: -1.0, 2007: 41.6, 2010: 64.4}), 130.0, "negative"),
    ],
)
def test_bad_series_are_refused(series, K, message):
    with pytest.raises(ModelError, match=message):
        diffusion.fit_logistic(series, K=K)


def test_a_free_saturation_that_runs_away_is_refused():
    # accelerating (exponential) growth shows no ceiling at all
    growth = pd.Series(10 * 1.5 ** np.arange(6), index=np.arange(2005, 2011))
    with pytest.raises(ModelError, match=r"no ceiling|did not converge"):
        diffusion.fit_logistic(growth, k_max=200)


def test_anchor_passes_through_the_local_figure_and_keeps_the_shape():
    fit = diffusion.fit_logistic(synthetic_logistic(), K=120.0)
    local = diffusion.anchor(fit, 2011, 100.0)
    assert local.predict([2011])[0] == pytest.approx(100.0)
    assert local.params["r"] == fit.params["r"] and local.params["K"] == 120.0
    with pytest.raises(ModelError, match="strictly between"):
        diffusion.anchor(fit, 2011, 134.88)


def test_bootstrap_band_contains_the_fit_and_is_reproducible():
    fit = diffusion.fit_logistic(synthetic_logistic(noise=1.5), K=120.0)
    band = diffusion.bootstrap_band(fit, np.arange(2003, 2031), draws=100)
    assert (band.low <= band.mid + 1e-9).all() and (band.mid <= band.high + 1e-9).all()
    assert (band.high <= 120.0 + 1e-9).all() and (band.low >= 0).all()
    again = diffusion.bootstrap_band(fit, np.arange(2003, 2031), draws=100)
    assert band.equals(again)


def test_first_year_reaching():
    fit = diffusion.fit_logistic(synthetic_logistic(), K=120.0)
    year = diffusion.first_year_reaching(fit, 60.0)
    assert fit.predict([year])[0] >= 60.0 > fit.predict([year - 1])[0]
    assert diffusion.first_year_reaching(fit, 119.999, until=2012) is None
