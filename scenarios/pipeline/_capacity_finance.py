"""Capacity plan, step 6: the finance roll-up by month, and the annual cost.

Weeks run Monday to Sunday and months do not: each week is split across months by its days
(a week of 3 January days and 4 February days puts 3/7 of its flows and costs in January and
4/7 in February). Flows (hires, graduates, leavers) and money (wages, hiring, training,
overtime, cost) and contacts (offered, handled) are summed by day share; stocks (headcount,
FTE on the floor, available and required FTE) are day-weighted means over the month's days
in the plan (``days``). Group ``"all"`` sums the groups (its stocks are the sums of the
groups' means). Budget: ``capacity.budget.by_month`` for the months it names (the others NaN),
else the scenario's ``budget`` spread by days (``per_week`` x days / 7, ``per_year`` x days /
365.25); on the ``"all"`` rows only.

The annual cost: the first 52 weeks' cost x 365.25 / 364 (52 weeks are 364 days, a year
365.25), or, for a plan shorter than 52 weeks, the plan's cost x 365.25 / (7 x weeks);
``annual_cost_basis`` says which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..files import CapacitySpec, Scenario
from .contracts import CAPACITY_COLUMNS

_STOCKS = ("headcount", "fte_on_floor", "available_fte", "required_fte")
_FLOWS = ("hires", "graduates", "leavers", "wages", "hiring_cost", "training_cost",
          "overtime_cost", "cost", "offered", "handled")


def day_shares(start: pd.Timestamp, n_weeks: int) -> pd.DataFrame:
    """Each week's days by month: ``week``, ``month`` (first of the month), ``days`` (1-7)."""
    days = pd.date_range(start, periods=7 * n_weeks, freq="D")
    frame = pd.DataFrame({"week": np.repeat(np.arange(n_weeks), 7),
                          "month": days.to_period("M").to_timestamp()})
    return frame.groupby(["week", "month"], as_index=False).size().rename(
        columns={"size": "days"})


def monthly_table(scn: Scenario, spec: CapacitySpec, weekly: pd.DataFrame,
                  channels: pd.DataFrame) -> pd.DataFrame:
    """The monthly roll-up (``CAPACITY_COLUMNS["monthly"]``), per group and for ``"all"``.

    Parameters
    ----------
    scn : Scenario
        For its ``budget`` (when ``capacity.budget`` is not given).
    spec : CapacitySpec
        Start, weeks and ``budget_by_month``.
    weekly : pandas.DataFrame
        The capacity result's weekly table (``group``, ``week`` and the stocks, flows, costs).
    channels : pandas.DataFrame
        The channels table (``group``, ``week``, ``offered``, ``handled``).

    Returns
    -------
    pandas.DataFrame
    """
    contacts = channels.groupby(["group", "week"], as_index=False)[["offered", "handled"]].sum()
    per_week = weekly.merge(contacts, on=["group", "week"], how="left").fillna(
        {"offered": 0.0, "handled": 0.0})
    split = per_week.merge(day_shares(spec.start, spec.n_weeks), on="week")
    share = split["days"].to_numpy(dtype=float) / 7.0
    for col in _FLOWS:
        split[col] = split[col].to_numpy(dtype=float) * share
    for col in _STOCKS:
        split[col] = split[col].to_numpy(dtype=float) * split["days"].to_numpy(dtype=float)
    groups = list(dict.fromkeys(weekly["group"]))
    sums = split.groupby(["month", "group"], as_index=False)[["days", *_STOCKS, *_FLOWS]].sum()
    # days of the plan in each month (the same for every group)
    months = split.drop_duplicates(["week", "month"]).groupby("month")["days"].sum()
    sums["days"] = sums["month"].map(months).astype(int)
    for col in _STOCKS:
        sums[col] = sums[col] / sums["days"]
    total = sums.groupby("month", as_index=False)[[*_STOCKS, *_FLOWS]].sum()
    total["group"] = "all"
    total["days"] = total["month"].map(months).astype(int)
    out = pd.concat([sums, total], ignore_index=True)
    out["group"] = pd.Categorical(out["group"], categories=[*groups, "all"])
    out = out.sort_values(["month", "group"], kind="stable").reset_index(drop=True)
    out["group"] = out["group"].astype(str)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cost_per_contact"] = np.where(out["offered"] > 0, out["cost"] / out["offered"],
                                           np.nan)
        out["cost_per_handled"] = np.where(out["handled"] > 0, out["cost"] / out["handled"],
                                           np.nan)
    budget = np.full(len(out), np.nan)
    is_all = (out["group"] == "all").to_numpy()
    if spec.budget_by_month is not None:
        budget = np.where(is_all, out["month"].map(spec.budget_by_month).to_numpy(dtype=float),
                          np.nan)
    elif scn.budget is not None:
        amount, period = scn.budget
        per_day = amount / 7.0 if period == "week" else amount / 365.25
        budget = np.where(is_all, per_day * out["days"].to_numpy(dtype=float), np.nan)
    out["budget"] = budget
    out["cost_vs_budget"] = out["cost"] / out["budget"]
    return out[list(CAPACITY_COLUMNS["monthly"])]


def annual_cost(weekly: pd.DataFrame, n_weeks: int) -> tuple[float, str]:
    """The plan's cost for a year, and the basis it was taken on."""
    cost = weekly.groupby("week")["cost"].sum().sort_index().to_numpy(dtype=float)
    if n_weeks >= 52:
        return float(cost[:52].sum() * 365.25 / 364.0), "first 52 weeks x 365.25 / 364"
    return (float(cost.sum() * 365.25 / (7.0 * n_weeks)),
            f"{n_weeks} weeks x 365.25 / {7 * n_weeks}")
