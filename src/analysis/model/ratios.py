"""Ratios of two published counts of one area and year (the copper-to-fibre and fixed-to-mobile
substitution): numbers only; the chapter names them and writes them as a share or a multiple.
"""

from __future__ import annotations

import pandas as pd

from analysis.model import trends
from analysis.model.rates import RateInputError

# (numerator, denominator, a share of the denominator? else a multiple of it)
RATIOS = [
    ("ftth_users", "broadband_users", True),
    ("mobile_users", "fixed_line_users", False),
]


def ratio_values() -> pd.DataFrame:
    """One row per ratio, area and year where both counts are published (float ``value``)."""
    pref = trends.preferred()
    rows = []
    for num, den, share in RATIOS:
        a = pref[pref.indicator == num].set_index(["area_code", "year"])
        b = pref[pref.indicator == den].set_index(["area_code", "year"])
        for area, year in sorted(set(a.index) & set(b.index)):
            top, bottom = a.loc[(area, year)], b.loc[(area, year)]
            if top.unit == bottom.unit and bottom.value == 0:
                continue  # a published zero: no ratio to derive
            if top.unit != bottom.unit or not bottom.value > 0:
                raise RateInputError(
                    f"{num}/{den} {area} {year}: cannot divide {top.value} {top.unit} by "
                    f"{bottom.value} {bottom.unit}"
                )
            rows.append(
                {
                    "numerator": num,
                    "denominator": den,
                    "share": share,
                    "area_code": area,
                    "year": int(year),
                    "value": top.value / bottom.value,
                    "numerator_value": float(top.value),
                    "denominator_value": float(bottom.value),
                    "unit": top.unit,
                }
            )
    columns = ["numerator", "denominator", "share", "area_code", "year", "value"]
    return pd.DataFrame(rows, columns=[*columns, "numerator_value", "denominator_value", "unit"])
