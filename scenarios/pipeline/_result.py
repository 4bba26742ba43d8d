"""The result of running one scenario: tidy tables and a JSON-able summary.

:func:`scenarios.run_scenario` returns one :class:`ScenarioResult` per
scenario, variant and sweep point. The reports, ``ccplan compare``,
``ccplan check`` and the dashboard read only these tables; their columns are
documented in :mod:`scenarios.pipeline.contracts`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from forecasting import ForecastingError
from simulator import SimulatorError
from staffing import StaffingError

from .._errors import ScenarioError
from ..files import Scenario

if TYPE_CHECKING:
    from ._capacity_result import CapacityResult


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's (or variant's, or sweep point's) results.

    Attributes
    ----------
    name : str
        The scenario's name; a variant is ``"base / variant"``, a sweep point
        ``"base / field=value"``.
    intervals, channels, totals, cost_breakdown, shifts, flows, rounds : pandas.DataFrame
        The tables described in the module docstring (``flows`` and
        ``rounds`` are empty in a result built without them).
    summary : dict
        JSON-able: ``name``, ``file``, ``ccplan_version``, ``scenario_sha256``
        (SHA-256 of the scenario file's bytes), ``seed``, ``n_replications``
        (0 without simulation), ``interval_s``, ``timezone``,
        ``horizon_start``, ``horizon_end`` (ISO text), ``staffing_method``,
        ``currency``, ``schedule`` (solver status, gap, objective, agent-hours on shift while
        closed with nobody needed; ``None`` without shifts),
        ``overrides`` (the variant's or sweep point's fields) and ``totals``
        (the ``totals`` row as a dict).
    expectations : tuple of str
        The scenario's ``expect:`` lines, as written.
    label, long_label : str
        The scenario's labels (``Scenario.label``, ``Scenario.long_label``): what
        tells it apart from the others of its file (``"aht=240, agent=19"``), and
        its name with a sweep point's field paths cut to their last key. Not in
        ``summary``. Default (a result built without a scenario): the name.
    capacity : CapacityResult or None
        The long-range capacity plan of a scenario with a ``capacity:`` block (then the
        ``totals``' ``annual_cost`` is its annual cost and ``summary["capacity"]`` its
        summary); ``None`` without one.
    """

    name: str
    intervals: pd.DataFrame
    channels: pd.DataFrame
    totals: pd.DataFrame
    cost_breakdown: pd.DataFrame
    shifts: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    expectations: tuple[str, ...] = ()
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    rounds: pd.DataFrame = field(default_factory=pd.DataFrame)
    label: str = ""
    long_label: str = ""
    capacity: CapacityResult | None = None

    def __post_init__(self) -> None:
        for attribute in ("label", "long_label"):
            if not getattr(self, attribute):
                object.__setattr__(self, attribute, self.name)


T = TypeVar("T")


def names_the_file(run: Callable[..., T]) -> Callable[..., T]:
    """Every error a scenario's run raises names its file.

    A :class:`ScenarioError` that does not name it gets ``<file>: scenario
    '<name>': `` in front; an error the engines raise on purpose
    (``StaffingError``, ``SimulatorError``, ``ForecastingError``) becomes a
    :class:`ScenarioError` with the same prefix and its own message.
    """

    @functools.wraps(run)
    def named(scn: Scenario, *args: Any, **kwargs: Any) -> T:
        try:
            return run(scn, *args, **kwargs)
        except ScenarioError as err:
            if str(scn.path) in str(err):
                raise
            raise type(err)(f"{scn.path}: scenario {scn.name!r}: {err}") from err
        except (StaffingError, SimulatorError, ForecastingError) as err:
            raise ScenarioError(f"{scn.path}: scenario {scn.name!r}: {err}") from err

    return named


class ResultInvariantError(ScenarioError):
    """A result table broke a law of the queue: a bug in ccplan, not in the user's file."""


#: Columns that are fractions (0-1), per table.
_FRACTIONS = ("service_level", "service_level_low", "service_level_high",
              "service_level_erlang", "abandon_rate", "abandon_rate_low", "abandon_rate_high",
              "abandon_rate_erlang", "occupancy", "open_intervals_meeting_target",
              "service_level_target", "first_attempts_answered_share")
#: Columns that are >= 0 (waits, counts, agents, money).
_NONNEGATIVE = ("offered", "handled", "abandoned", "aht_s", "agents_required",
                "agents_on_queue", "asa_s", "asa_s_low", "asa_s_high", "asa_s_erlang",
                "mean_queue", "cost", "fte", "paid_hours", "headcount", "answer_within_s",
                "hung_up", "first_attempts", "redials", "callbacks_offered",
                "callbacks_accepted", "callbacks_kept")
#: (estimate, low, high) triples whose bounds must hold the estimate.
_BANDS = (("service_level", "service_level_low", "service_level_high"),
          ("asa_s", "asa_s_low", "asa_s_high"),
          ("abandon_rate", "abandon_rate_low", "abandon_rate_high"))
_TOL = 1e-9


def check_result(result: ScenarioResult) -> None:
    """Check that every table of a result obeys the queue's laws.

    The laws: fractions (service level, abandonment, occupancy and their
    bounds) lie in [0, 1]; waits, counts, agents and money are >= 0;
    ``handled + abandoned <= offered``; with customer behaviour, ``hung_up <=
    abandoned``, ``first_attempts + redials = offered`` and callbacks kept <=
    accepted <= offered; a confidence interval holds its
    estimate (``low <= estimate <= high``). NaN (not measured) passes.
    :func:`run_scenario` calls this on every result it returns.

    Parameters
    ----------
    result : ScenarioResult
        The result to check.

    Raises
    ------
    ResultInvariantError
        A value breaks a law; the message names the table, column, row and
        value. This is a bug in ccplan (please report it with the file).
    """
    problems: list[str] = []
    for table_name in ("intervals", "channels", "totals"):
        table = getattr(result, table_name)
        if table.empty:
            continue

        def report(column: str, bad: np.ndarray, rule: str, values: np.ndarray,
                   table: pd.DataFrame = table, table_name: str = table_name) -> None:
            rows = np.flatnonzero(bad)
            if rows.size:
                i = int(rows[0])
                key = ", ".join(f"{k}={table[k].iloc[i]}" for k in ("channel", "interval_start")
                                if k in table)
                problems.append(f"{table_name}.{column} {rule} in {rows.size} row(s), e.g. "
                                f"{values[i]!r} at row {i}{' (' + key + ')' if key else ''}")

        for column in _FRACTIONS:
            if column in table:
                v = table[column].to_numpy(dtype=float)
                report(column, np.isfinite(v) & ((v < -_TOL) | (v > 1 + _TOL))
                       | np.isinf(v), "must be in [0, 1]", v)
        for column in _NONNEGATIVE:
            if column in table:
                v = table[column].to_numpy(dtype=float)
                report(column, np.isfinite(v) & (v < -_TOL) | np.isneginf(v), "must be >= 0", v)
        for mid, low, high in _BANDS:
            if {mid, low, high} <= set(table):
                m, lo, hi = (table[c].to_numpy(dtype=float) for c in (mid, low, high))
                with np.errstate(invalid="ignore"):  # inf - inf where an estimate is infinite
                    scale = _TOL * np.maximum(1.0, np.abs(m))
                    outside = (lo > m + scale) | (hi < m - scale)
                report(f"{low}/{high}", np.isfinite(m) & np.isfinite(lo) & np.isfinite(hi)
                       & outside, "must hold the estimate", m)
        if {"hung_up", "abandoned"} <= set(table):
            gone, short = (table[c].to_numpy(dtype=float) for c in ("abandoned", "hung_up"))
            with np.errstate(invalid="ignore"):
                excess = short - gone
            report("hung_up", np.isfinite(excess) & (excess > 1e-6 * np.maximum(1.0, gone)),
                   "must be <= abandoned", short)
        for part, whole in (("callbacks_accepted", "callbacks_offered"),
                            ("callbacks_kept", "callbacks_accepted")):
            if {part, whole} <= set(table):
                p_, w_ = (table[c].to_numpy(dtype=float) for c in (part, whole))
                with np.errstate(invalid="ignore"):
                    excess = p_ - w_
                report(part, np.isfinite(excess) & (excess > 1e-6 * np.maximum(1.0, w_)),
                       f"must be <= {whole}", p_)
        if {"offered", "first_attempts", "redials"} <= set(table):
            off, first, again = (table[c].to_numpy(dtype=float)
                                 for c in ("offered", "first_attempts", "redials"))
            with np.errstate(invalid="ignore"):
                gap = np.abs(first + again - off)
            report("first_attempts + redials", np.isfinite(gap)
                   & (gap > 1e-6 * np.maximum(1.0, off)), "must equal offered", first + again)
        if {"offered", "handled", "abandoned"} <= set(table):
            off, done, gone = (table[c].to_numpy(dtype=float)
                               for c in ("offered", "handled", "abandoned"))
            with np.errstate(invalid="ignore"):
                excess = done + gone - off
            report("handled + abandoned", np.isfinite(excess)
                   & (excess > 1e-6 * np.maximum(1.0, off)), "must be <= offered", done + gone)
    if problems:
        raise ResultInvariantError(
            f"{result.summary.get('file', result.name)}: scenario {result.name!r}: the results "
            "break the laws of the queue (a bug in ccplan; please report it with this file): "
            + "; ".join(problems) + ".")
