"""The shrinkage plan: the unproductive share of paid time per week, by category.

Public through :mod:`staffing.capacity` (``shrinkage_plan``); ``docs/capacity.md`` ("Shrinkage
plan") has the rules with a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import InvalidParameterError

_WHERE = "shrinkage_plan()"
#: Column names a category may not take (they are the table's own).
_RESERVED = ("week", "week_start", "total")


def _bad(name: str, value: Any, rule: str, fix: str) -> InvalidParameterError:
    return InvalidParameterError(f"{_WHERE}: {name} {rule}, got {value!r}. {fix}")


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool) \
        and math.isfinite(float(x))


def _share(name: str, value: Any, fix: str) -> float:
    if not _is_number(value) or not 0 <= value < 1:
        raise _bad(name, value, "must be a share in [0, 1)", fix)
    return float(value)


def _hours(name: str, value: Any) -> float:
    if not _is_number(value) or value < 0:
        raise _bad(name, value, "must be hours >= 0", "E.g. 1.5.")
    return float(value)


def _week_starts(week_starts: Any) -> pd.DatetimeIndex:
    try:
        idx = pd.DatetimeIndex(week_starts)
    except (TypeError, ValueError):
        raise _bad("week_starts", week_starts, "must be dates (a DatetimeIndex of Mondays)",
                   "E.g. pandas.date_range('2027-01-04', periods=78, freq='7D').") from None
    if len(idx) == 0:
        raise _bad("week_starts", week_starts, "must hold at least one week",
                   "Give the Monday of every week of the plan.")
    if idx.hasnans:
        k = int(np.flatnonzero(idx.isna())[0])
        raise _bad(f"week_starts[{k}]", None, "must be a date (missing weeks are not "
                   "skipped)", "Give the Monday of every week of the plan.")
    bad = np.flatnonzero((idx.day_of_week != 0) | (idx != idx.normalize()))
    if len(bad):
        k = int(bad[0])
        raise _bad(f"week_starts[{k}]", str(idx[k]), "must be a Monday at midnight",
                   "Give the Monday that starts each week.")
    if not idx.is_monotonic_increasing or not idx.is_unique:
        raise _bad("week_starts", [str(d.date()) for d in idx[:5]],
                   "must be increasing, each week once", "Sort the weeks and drop repeats.")
    return idx


def _by_month(name: str, table: Mapping[Any, Any], days: pd.DatetimeIndex,
              n_weeks: int) -> np.ndarray:
    """Average over each week's seven days of the share of the month each day falls in."""
    shares = {}
    for m, v in table.items():
        if not isinstance(m, int | np.integer) or isinstance(m, bool) or not 1 <= m <= 12:
            raise _bad(f"categories[{name!r}]", m, "has a key that is not a month 1..12 "
                       "(or 'hours_per_week' / 'hours_per_holiday')",
                       "Key a monthly plan by month number, e.g. {1: 0.06, 2: 0.08, ...}.")
        shares[int(m)] = _share(f"categories[{name!r}][{m}]", v,
                                "Give the month's share of paid time, e.g. 0.08.")
    months = days.month.to_numpy()
    missing = sorted(int(m) for m in set(months) - set(shares))
    if missing:
        raise _bad(f"categories[{name!r}]", sorted(shares), f"has no share for month(s) "
                   f"{missing}, which the plan's days fall in",
                   "Give a share for every month of the plan (0 where there is none); missing "
                   "months are never read as zero.")
    per_day = np.array([shares[m] for m in months])
    return per_day.reshape(n_weeks, 7).mean(axis=1)


def _category(name: str, spec: Any, idx: pd.DatetimeIndex, days: pd.DatetimeIndex,
              hours_per_fte_week: float, holidays_per_week: np.ndarray) -> np.ndarray:
    n_weeks = len(idx)
    field = f"categories[{name!r}]"
    if _is_number(spec):
        return np.full(n_weeks, _share(field, spec, "Give the share of paid time, e.g. 0.04."))
    if isinstance(spec, Mapping):
        keys = set(spec)
        if keys == {"hours_per_week"}:
            h = _hours(f"{field}['hours_per_week']", spec["hours_per_week"])
            return np.full(n_weeks, h / hours_per_fte_week)
        if keys == {"hours_per_holiday"}:
            h = _hours(f"{field}['hours_per_holiday']", spec["hours_per_holiday"])
            return h * holidays_per_week / hours_per_fte_week
        if keys & {"hours_per_week", "hours_per_holiday"}:
            raise _bad(field, spec, "must hold exactly one key when it gives hours",
                       "E.g. {'hours_per_week': 1.0} or {'hours_per_holiday': 7.5}.")
        return _by_month(name, spec, days, n_weeks)
    if isinstance(spec, str | bytes) or not hasattr(spec, "__len__"):
        raise _bad(field, spec, "must be a share, a mapping month -> share, one share per week, "
                   "{'hours_per_week': h} or {'hours_per_holiday': h}", "E.g. 0.04.")
    values = list(spec)
    if len(values) != n_weeks:
        raise _bad(field, f"{len(values)} values", f"must give one share per week ({n_weeks})",
                   "Give one share per week of week_starts, or one share for all weeks.")
    return np.array([_share(f"{field}[{k}]", v, "Give the week's share of paid time, e.g. "
                            "0.04.") for k, v in enumerate(values)])


def shrinkage_plan(week_starts: Any, categories: Mapping[str, Any], *,
                   hours_per_fte_week: float, holidays: Sequence[Any] = ()) -> pd.DataFrame:
    """The share of paid time lost to each shrinkage category, week by week.

    Shrinkage is additive over categories: each is a share of paid (contracted) time and the
    week's ``total`` is their sum, so productive time is ``1 - total`` of paid time (the
    ``shrinkage`` an :class:`AgentGroup` takes, one value per week).

    Parameters
    ----------
    week_starts : DatetimeIndex or sequence of dates
        The Monday (midnight) of each week of the plan, increasing, each once.
    categories : mapping of str to share, mapping, or sequence
        Per category (e.g. ``"annual_leave"``, ``"sickness"``) one of:

        * a share in [0, 1) of paid time, every week;
        * a mapping month (1-12) -> share: a week takes the mean over its seven days of the
          share of the month each day falls in (4 January days and 3 February days give
          ``4/7 x Jan + 3/7 x Feb``); every month a day of the plan falls in must be given;
        * a sequence of shares, one per week;
        * ``{"hours_per_week": h}``: ``h / hours_per_fte_week`` every week (hours >= 0);
        * ``{"hours_per_holiday": h}``: ``h x`` (the holidays falling Monday-Friday in the
          week) ``/ hours_per_fte_week``.

        Names must differ from ``week``, ``week_start`` and ``total``.
    hours_per_fte_week : float
        Contracted hours of one FTE in a week, > 0 (e.g. 37.5).
    holidays : sequence of dates, optional
        Public holidays (dates; repeats count once). Those on a Saturday or Sunday, or
        outside the plan's weeks, take no time. Default none.

    Returns
    -------
    pandas.DataFrame
        One row per week: ``week`` (0 .. n-1), ``week_start``, one column per category (its
        share of paid time, 0-1) in the order given, and ``total`` (their sum, < 1).

    Raises
    ------
    InvalidParameterError
        A bad input (the message names the field, the value and the fix), or a week whose
        total shrinkage reaches 1 (the message names the week and its categories).

    Examples
    --------
    >>> weeks = pd.date_range("2027-03-22", periods=2, freq="7D")
    >>> plan = shrinkage_plan(weeks, {"leave": {3: 0.07, 4: 0.14}, "sickness": 0.04,
    ...                               "meetings": {"hours_per_week": 1.5}},
    ...                       hours_per_fte_week=37.5)
    >>> plan["leave"].round(4).tolist(), plan["total"].round(4).tolist()
    ([0.07, 0.11], [0.15, 0.19])
    """
    if not _is_number(hours_per_fte_week) or hours_per_fte_week <= 0:
        raise _bad("hours_per_fte_week", hours_per_fte_week, "must be hours > 0", "E.g. 37.5.")
    idx = _week_starts(week_starts)
    if not isinstance(categories, Mapping) or not categories:
        raise _bad("categories", categories, "must map each category's name to its shrinkage",
                   "E.g. {'sickness': 0.04, 'meetings': {'hours_per_week': 1.0}}.")
    try:
        hol = pd.DatetimeIndex(list(holidays))
    except (TypeError, ValueError):
        raise _bad("holidays", holidays, "must be dates",
                   "E.g. ['2027-01-01', '2027-12-25'].") from None
    if hol.hasnans:
        raise _bad("holidays", list(holidays), "must be dates, none missing",
                   "Drop the empty entry.")
    if hol.tz is not None:
        hol = hol.tz_localize(None)
    hol_days = set(hol.normalize().unique())
    naive = idx.tz_localize(None) if idx.tz is not None else idx
    holidays_per_week = np.array([
        sum(d in hol_days for d in pd.date_range(monday, periods=5, freq="D"))
        for monday in naive], float)
    days = naive.repeat(7) + pd.to_timedelta(np.tile(np.arange(7), len(idx)), unit="D")
    table: dict[str, Any] = {"week": np.arange(len(idx), dtype=np.int64), "week_start": idx}
    for name in categories:
        if not isinstance(name, str) or not name or name in _RESERVED:
            raise _bad("categories", name, f"has a name that is empty or one of {_RESERVED}",
                       "Rename the category, e.g. 'sickness'.")
        table[name] = _category(name, categories[name], idx, days, float(hours_per_fte_week),
                                holidays_per_week)
    out = pd.DataFrame(table)
    out["total"] = out[list(categories)].sum(axis=1)
    over = np.flatnonzero(out["total"].to_numpy() >= 1)
    if len(over):
        k = int(over[0])
        parts = ", ".join(f"{c} {out.at[k, c]:.3f}" for c in categories)
        raise InvalidParameterError(
            f"{_WHERE}: week {k} ({idx[k].date()}) loses {out.at[k, 'total']:.3f} of paid time "
            f"to shrinkage ({parts}): the total must stay below 1, or nobody works that week. "
            "Lower the shares (shrinkage is additive over categories), or check the hours "
            "against hours_per_fte_week.")
    return out
