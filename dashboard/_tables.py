"""Tables as the pages show and download them (reshaping only: no maths, no pipeline)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

import scenarios

#: Comparison columns shown, with their labels (units in the label; fractions as 0-100 %).
SUMMARY_COLUMNS = {
    "scenario": "scenario",
    "cost": "cost",
    "cost_per_contact": "cost per contact",
    "service_level": "service level (%)",
    "asa_s": "ASA (s)",
    "abandon_rate": "abandoned (%)",
    "occupancy": "occupancy (%)",
    "fte": "FTE",
    "paid_hours": "paid hours",
}
_PERCENT = ("service_level", "abandon_rate", "occupancy")


def summary(results: Sequence[scenarios.ScenarioResult], currency: str) -> pd.DataFrame:
    """The comparison table of the results, labelled for display (percentages as 0-100)."""
    table = scenarios.comparison_table(list(results))
    out = table[list(SUMMARY_COLUMNS)].copy()
    for col in _PERCENT:
        out[col] = (100.0 * out[col]).round(1)
    out["cost"] = out["cost"].round(2)
    out["cost_per_contact"] = out["cost_per_contact"].round(2)
    out["asa_s"] = out["asa_s"].round(1)
    out["fte"] = out["fte"].round(1)
    out["paid_hours"] = out["paid_hours"].round(0)
    labels = dict(SUMMARY_COLUMNS)
    labels["cost"] = f"cost ({currency})"
    labels["cost_per_contact"] = f"cost per contact ({currency})"
    return out.rename(columns=labels)


#: Height of a row of ``st.dataframe``, px (its header row too), and of its frame.
ROW_PX, FRAME_PX = 35, 3
#: Most rows a table shows without scrolling.
MAX_ROWS_SHOWN = 20


def whole_height(n_rows: int) -> int | str:
    """``st.dataframe``'s height that shows every row (up to :data:`MAX_ROWS_SHOWN`; then
    Streamlit's own, which scrolls)."""
    if n_rows > MAX_ROWS_SHOWN:
        return "auto"
    return ROW_PX * (n_rows + 1) + FRAME_PX


def cost_ranking(results: Sequence[scenarios.ScenarioResult]) -> list[str]:
    """Scenario names from the cheapest cost per contact offered to the dearest (NaN last).

    Ties keep the results' order.
    """
    per = [(float(r.totals["cost_per_contact"].iloc[0]), k, r.name)
           for k, r in enumerate(results)]
    known = sorted((c, k, n) for c, k, n in per if math.isfinite(c))
    unknown = [(c, k, n) for c, k, n in per if not math.isfinite(c)]
    return [n for _, _, n in known + unknown]


def summary_config(currency: str) -> dict[str, object]:
    """``st.dataframe`` column formats for :func:`summary` (thousands separators, units)."""
    import streamlit as st

    return {
        f"cost ({currency})": st.column_config.NumberColumn(format="%,.2f"),
        f"cost per contact ({currency})": st.column_config.NumberColumn(format="%.2f"),
        "service level (%)": st.column_config.NumberColumn(format="%.1f"),
        "ASA (s)": st.column_config.NumberColumn(format="%.1f"),
        "abandoned (%)": st.column_config.NumberColumn(format="%.1f"),
        "occupancy (%)": st.column_config.NumberColumn(format="%.1f"),
        "FTE": st.column_config.NumberColumn(format="%.1f"),
        "paid hours": st.column_config.NumberColumn(format="%,.0f"),
    }
