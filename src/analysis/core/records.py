"""The fields every observation record carries, defined once for its several record types."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Observation:
    """One observation row's identity and value: area, year, indicator, value, unit, source."""

    area_code: str
    year: int
    indicator: str
    value: float
    unit: str
    source_id: str
