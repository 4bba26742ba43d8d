"""The long-range capacity plan's result: :class:`CapacityResult` (its tables and summary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class CapacityResult:
    """A scenario's long-range capacity plan (``capacity:``): its tables and summary.

    Attributes
    ----------
    scenario : str
        The scenario's long label.
    currency : str
    start : pandas.Timestamp
        Monday of week 0 (naive).
    n_weeks : int
    weekly : pandas.DataFrame
        One row per group and week (``CAPACITY_COLUMNS["weekly"]``).
    channels : pandas.DataFrame
        One row per channel and week (``CAPACITY_COLUMNS["channels"]``).
    monthly : pandas.DataFrame
        One row per month and group, and group ``"all"`` (``CAPACITY_COLUMNS["monthly"]``).
    classes : pandas.DataFrame
        One row per hiring class (``CAPACITY_COLUMNS["classes"]``).
    summary : dict
        Python values (NaN where not measured, e.g. ``insurance_cost`` without risk runs);
        the keys are in :mod:`scenarios.pipeline.contracts` ("Capacity tables").
        ``ScenarioResult.summary["capacity"]`` holds the same as JSON (NaN as ``None``).
    """

    scenario: str
    currency: str
    start: pd.Timestamp
    n_weeks: int
    weekly: pd.DataFrame
    channels: pd.DataFrame
    monthly: pd.DataFrame
    classes: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
