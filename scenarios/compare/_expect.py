"""Checking a result against its scenario's ``expect:`` lines, and JUnit XML for CI.

The grammar of a line is in :func:`scenarios.files.parse_expectation`.
"""

from __future__ import annotations

import math
import operator
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..files import CHANNEL_METRICS, Expectation, parse_expectation
from ..pipeline import ScenarioResult

__all__ = [
    "CheckOutcome",
    "Expectation",
    "check_expectations",
    "junit_xml",
    "parse_expectation",
    "schedule_time_limit",
]

#: Decimals shown for a value in messages (more when needed to show the comparison).
_DECIMALS = {
    "asa_s": 1, "cost_per_contact": 2, "cost_per_handled": 2, "fte": 1, "paid_hours": 1,
    "headcount": 0, "cost": 2, "weekly_cost": 2, "annual_cost": 2,
    "hires_total": 0, "insurance_cost": 2, "capacity_cost": 2,
}
#: Metrics read from the capacity plan's summary (``ScenarioResult.capacity``), by key there.
_CAPACITY_KEYS = {"min_weekly_coverage": "min_weekly_coverage", "hires_total": "hires_total",
                  "min_coverage_probability": "min_coverage_probability",
                  "insurance_cost": "insurance_cost", "capacity_cost": "cost"}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
}
_NEGATION = {">=": "<", "<=": ">", ">": "<=", "<": ">="}
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class CheckOutcome:
    """The result of checking one expectation for one scope.

    Attributes
    ----------
    scenario : str
        The result's name (``"base / variant"`` for a variant).
    expectation : str
        The ``expect:`` line as written.
    scope : str
        The channel checked, or ``"total"``.
    metric : str
        The metric compared.
    op, limit, value : str, float, float
        ``passed`` is ``value op limit``. For a plain line ``op`` and ``limit``
        are the line's and ``value`` is the metric (same unit as ``limit``).
        For ``in P% of open intervals`` ``value`` is the share (0-1) of open
        intervals with contacts that meet the line's comparison, ``op`` is
        ``">="`` and ``limit`` is ``P`` as a fraction. ``value`` is NaN when it
        could not be computed; the outcome then fails.
    passed : bool
        Whether the expectation holds for this scope.
    message : str
        One line for people: the scenario, scope, value, limit and, for a
        value that could not be computed, why and how to fix it.
    """

    scenario: str
    expectation: str
    scope: str
    metric: str
    op: str
    limit: float
    value: float
    passed: bool
    message: str


def check_expectations(result: ScenarioResult) -> list[CheckOutcome]:
    """Check a result's ``expect:`` lines against its tables.

    Parameters
    ----------
    result : ScenarioResult
        Reads ``result.expectations`` and the ``channels`` (columns
        ``channel`` and the metric), ``totals`` (the metric; ``offered``,
        ``handled`` and ``budget`` to explain a NaN) and, for ``in P% of open
        intervals``, ``intervals`` (``channel``, ``is_open``, ``offered`` and
        the metric) tables; the capacity metrics read ``result.capacity.summary``.

    Returns
    -------
    list of CheckOutcome
        In the order of the lines; a line without a scope gives one outcome
        per channel, in the order of the ``channels`` table. A value that
        cannot be computed (NaN or missing column, a scope naming a channel
        the result does not have, no open intervals with contacts) gives a
        failed outcome whose message says why and what to do.

    Raises
    ------
    ValueError
        A line does not parse (see :func:`parse_expectation`); the message
        starts with the result's name and the line's index.

    Examples
    --------
    >>> import pandas as pd
    >>> result = ScenarioResult(
    ...     "demo", intervals=pd.DataFrame(), channels=pd.DataFrame({"channel": []}),
    ...     totals=pd.DataFrame({"fte": [118.5], "cost_vs_budget": [float("nan")]}),
    ...     cost_breakdown=pd.DataFrame(), shifts=pd.DataFrame(),
    ...     expectations=("fte <= 120", "cost_vs_budget <= 1"))
    >>> for outcome in check_expectations(result):
    ...     print(outcome.passed, outcome.message)  # doctest: +NORMALIZE_WHITESPACE
    True demo: total fte 118.5 <= 120 (expected fte <= 120)
    False demo: total cost_vs_budget is not available: the scenario has no budget; set a
    budget for the scenario, or drop this expectation (expected cost_vs_budget <= 1)
    """
    outcomes: list[CheckOutcome] = []
    for index, line in enumerate(result.expectations):
        try:
            expectation = parse_expectation(line)
        except ValueError as exc:
            raise ValueError(f"{result.name}: expect[{index}]: {exc}") from exc
        outcomes.extend(_check_one(result, expectation))
    cut = schedule_time_limit(result)
    if cut is not None and not cut["allowed"]:
        outcomes.append(_time_limit_outcome(result, cut))
    capacity = result.summary.get("capacity") if isinstance(result.summary, dict) else None
    if isinstance(capacity, dict) and capacity.get("status") == "time_limit":
        outcomes.append(_capacity_time_limit_outcome(result, capacity))
    return outcomes


#: The ``expectation`` text of the outcome added when the safety net cut a schedule's solve.
SCHEDULE_EXPECTATION = "schedule stops on its gap or node budget, not on the time limit"


def schedule_time_limit(result: ScenarioResult) -> dict[str, Any] | None:
    """Whether the schedule's solve stopped at ``shifts.rules.time_limit_s`` (the safety net).

    Parameters
    ----------
    result : ScenarioResult
        Reads ``summary["schedule"]`` (``status``, ``mip_gap``,
        ``mip_rel_gap``, ``time_limit_s``, ``allow_time_limit``).

    Returns
    -------
    dict or None
        None when the solver stopped on its gap or its node budget (the
        schedule is then a function of the inputs) or there is no schedule;
        else ``gap`` (relative, NaN when unknown), ``asked`` (the
        ``mip_rel_gap``), ``time_limit_s`` (s) and ``allowed`` (the file's
        ``allow_time_limit``).

    Examples
    --------
    >>> import pandas as pd
    >>> empty = pd.DataFrame()
    >>> r = ScenarioResult("x", empty, empty, empty, empty, empty, summary={"schedule": {
    ...     "status": "time_limit", "mip_gap": 0.31, "mip_rel_gap": 0.01, "time_limit_s": 5.0,
    ...     "allow_time_limit": False}})
    >>> schedule_time_limit(r)["gap"]
    0.31
    """
    schedule = result.summary.get("schedule") if isinstance(result.summary, dict) else None
    if not isinstance(schedule, dict) or schedule.get("status") != "time_limit":
        return None
    return {"gap": _as_float(schedule.get("mip_gap")),
            "asked": _as_float(schedule.get("mip_rel_gap")),
            "time_limit_s": _as_float(schedule.get("time_limit_s")),
            "allowed": bool(schedule.get("allow_time_limit"))}


def _gap_percent(gap: float) -> str:
    """A relative gap as the reports write it: ``3.1%``; ``unknown`` when not known."""
    return "unknown" if math.isnan(gap) else f"{100 * gap:.1f}%"


def _time_limit_outcome(result: ScenarioResult, cut: dict[str, Any]) -> CheckOutcome:
    gap, asked = cut["gap"], cut["asked"]
    return CheckOutcome(
        scenario=result.name, expectation=SCHEDULE_EXPECTATION, scope="total",
        metric="schedule_gap", op="<=", limit=asked, value=gap, passed=False,
        message=(f"{result.name}: schedule stopped at the time limit "
                 f"({cut['time_limit_s']:g} s), within {_gap_percent(gap)} "
                 f"({'within' if gap <= asked else 'above'} the {_gap_percent(asked)} asked): "
                 "the plan depends on this machine's speed and "
                 "load. Raise shifts.rules.time_limit_s, lower shifts.rules.max_nodes (the "
                 "deterministic budget), or set shifts.rules.allow_time_limit: true to accept "
                 "it"))


#: The ``expectation`` text of the outcome added when the safety net cut the hiring plan's solve.
CAPACITY_EXPECTATION = "hiring plan stops on its gap or node budget, not on the time limit"


def _capacity_time_limit_outcome(result: ScenarioResult,
                                 capacity: dict[str, Any]) -> CheckOutcome:
    gap, asked = _as_float(capacity.get("mip_gap")), _as_float(capacity.get("mip_rel_gap"))
    return CheckOutcome(
        scenario=result.name, expectation=CAPACITY_EXPECTATION, scope="total",
        metric="capacity_gap", op="<=", limit=asked, value=gap, passed=False,
        message=(f"{result.name}: the hiring plan's solve stopped at the wall-clock safety net "
                 f"({_as_float(capacity.get('time_limit_s')):g} s), within {_gap_percent(gap)}: "
                 "the plan depends on this machine's speed and load. Lower "
                 "capacity.max_nodes (the deterministic budget) or raise capacity.mip_gap"))


def _channel_names(result: ScenarioResult) -> list[str]:
    if "channel" not in result.channels.columns:
        return []
    return [str(name) for name in result.channels["channel"]]


def _check_one(result: ScenarioResult, expectation: Expectation) -> list[CheckOutcome]:
    channels = _channel_names(result)
    if expectation.scope is None:
        if not channels:
            return [_failed(
                result, expectation, "total",
                "the result has no channels, so a per-channel expectation cannot be checked; "
                "check the scenario's channels, or scope the line to 'total'",
            )]
        scopes = channels
    elif expectation.scope != "total" and expectation.scope not in channels:
        available = ", ".join(channels) if channels else "none"
        return [_failed(
            result, expectation, expectation.scope,
            f"channel {expectation.scope!r} is not in this scenario (channels: {available}); "
            "use one of them or 'total', or drop this expectation",
        )]
    else:
        scopes = [expectation.scope]
    if expectation.interval_share is not None:
        return [_check_share(result, expectation, scope) for scope in scopes]
    return [_check_plain(result, expectation, scope) for scope in scopes]


def _failed(result: ScenarioResult, expectation: Expectation, scope: str, why: str
            ) -> CheckOutcome:
    """A failed outcome with no value; ``why`` says what is missing and how to fix it."""
    share = expectation.interval_share
    return CheckOutcome(
        scenario=result.name,
        expectation=expectation.text,
        scope=scope,
        metric=expectation.metric,
        op=expectation.op if share is None else ">=",
        limit=expectation.limit if share is None else share,
        value=math.nan,
        passed=False,
        message=f"{result.name}: {why} (expected {expectation.text})",
    )


def _as_float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _row(result: ScenarioResult, scope: str) -> tuple[pd.Series | None, str]:
    if scope == "total":
        return (result.totals.iloc[0] if len(result.totals) else None), "totals"
    rows = result.channels[result.channels["channel"].astype(str) == scope]
    return (rows.iloc[0] if len(rows) else None), "channels"


def _why_missing(row: pd.Series | None, table: str, scope: str, metric: str) -> str:
    """Why ``metric`` is unavailable for ``scope``, and how to fix it."""
    if row is None:
        return f"the result's {table} table has no row for {scope}; re-run the scenario"
    if metric not in row.index:
        return f"the result's {table} table has no column {metric!r}; re-run the scenario"
    offered = _as_float(row.get("offered"))
    if metric == "cost_vs_budget":
        return "the scenario has no budget; set a budget for the scenario, or drop this expectation"
    if metric == "headcount":
        return ("headcount needs a shift schedule and this scenario has none; add shifts to "
                "the scenario, or check fte instead")
    if metric == "open_intervals_meeting_target":
        return ("there are no open intervals with contacts; check the opening hours and the "
                "forecast, or drop this expectation")
    if metric == "cost_per_handled" and _as_float(row.get("handled")) == 0:
        return ("no contacts were handled over the horizon; check the forecast and the "
                "opening hours, or drop this expectation")
    if offered == 0 and metric in CHANNEL_METRICS:
        return ("no contacts were offered over the horizon; check the forecast and the opening "
                "hours, or drop this expectation")
    return (f"{metric} is NaN in the {table} table; check the scenario's inputs, or drop this "
            "expectation")


def _shown(value: float, limit: float, decimals: int) -> str:
    """``value`` with enough decimals that it does not look equal to an unequal ``limit``."""
    for places in range(decimals, 13):
        text = f"{value:.{places}f}"
        if float(text) != limit or value == limit:
            return text
    return repr(value)


def _limit_text(limit: float) -> str:
    return f"{limit:.10g}"


def _unit(metric: str) -> str:
    return " s" if metric == "asa_s" else ""


def _capacity_value(result: ScenarioResult, metric: str) -> tuple[float, str]:
    """A capacity metric's value, or NaN and why it is missing."""
    if result.capacity is None:
        return math.nan, ("the scenario has no capacity: block (the long-range plan these "
                          "measures come from); add one, or drop this expectation")
    value = _as_float(result.capacity.summary.get(_CAPACITY_KEYS[metric]))
    if math.isnan(value) and metric in ("min_coverage_probability", "insurance_cost"):
        return value, ("it needs the capacity plan's risk runs; add capacity.risk: "
                       "{probability: 90%} (insurance_cost also needs plan: optimise), or drop "
                       "this expectation")
    return value, f"{metric} is NaN in the capacity plan; check the capacity: block"


def _check_plain(result: ScenarioResult, expectation: Expectation, scope: str) -> CheckOutcome:
    metric, op, limit = expectation.metric, expectation.op, expectation.limit
    if metric in _CAPACITY_KEYS:
        value, why = _capacity_value(result, metric)
        if math.isnan(value):
            return _failed(result, expectation, scope,
                           f"{scope} {metric} is not available: {why}")
    row, table = _row(result, scope)
    if metric not in _CAPACITY_KEYS:
        value = _as_float(row[metric]) if row is not None and metric in row.index else math.nan
    if math.isnan(value):
        return _failed(result, expectation, scope,
                       f"{scope} {metric} is not available: "
                       f"{_why_missing(row, table, scope, metric)}")
    passed = bool(_COMPARE[op](value, limit))
    unit = _unit(metric)
    message = (
        f"{result.name}: {scope} {metric} "
        f"{_shown(value, limit, _DECIMALS.get(metric, 3))}{unit} "
        f"{op if passed else _NEGATION[op]} {_limit_text(limit)}{unit} "
        f"(expected {expectation.text})"
    )
    return CheckOutcome(result.name, expectation.text, scope, metric, op, limit, value, passed,
                        message)


def _check_share(result: ScenarioResult, expectation: Expectation, scope: str) -> CheckOutcome:
    metric, op, limit = expectation.metric, expectation.op, expectation.limit
    needed = float(expectation.interval_share or 0.0)
    intervals = result.intervals
    needed_text = f"{_limit_text(needed * 100)}%"
    missing = [c for c in ("channel", "is_open", "offered", metric) if c not in intervals.columns]
    if missing:
        return _failed(
            result, expectation, scope,
            f"{scope}: cannot count open intervals: the result's intervals table has no column "
            f"{', '.join(map(repr, missing))}; re-run the scenario",
        )
    offered = pd.to_numeric(intervals["offered"], errors="coerce")
    selected = intervals["is_open"].eq(True) & (offered > 0)
    if scope != "total":
        selected &= intervals["channel"].astype(str) == scope
    values = pd.to_numeric(intervals.loc[selected, metric], errors="coerce").to_numpy(float)
    n_rows = len(values)
    where = "any channel" if scope == "total" else scope
    if n_rows == 0:
        return _failed(
            result, expectation, scope,
            f"{scope} has no open intervals with contacts, so the share of intervals meeting "
            f"{metric} {op} {_limit_text(limit)} cannot be computed; check the opening hours "
            f"and the forecast for {where}, or drop 'in {needed_text} of open intervals'",
        )
    n_meeting = int(np.count_nonzero(_COMPARE[op](values, limit)))
    n_nan = int(np.count_nonzero(np.isnan(values)))
    share = n_meeting / n_rows
    passed = share >= needed
    channels = " (all channels)" if scope == "total" else ""
    message = (
        f"{result.name}: {scope}: {_shown(share * 100, needed * 100, 1)}% of {n_rows} open "
        f"intervals with contacts{channels} meet {metric} {op} {_limit_text(limit)}"
        f"{_unit(metric)}; needed {needed_text}"
    )
    if n_nan:
        message += f" ({n_nan} without a {metric} value count as not meeting it)"
    return CheckOutcome(result.name, expectation.text, scope, metric, ">=", needed, share,
                        passed, message)


def _xml_text(text: str) -> str:
    return _XML_ILLEGAL.sub("\ufffd", text)


def junit_xml(outcomes: Sequence[CheckOutcome], *, name: str = "ccplan check") -> str:
    """Outcomes as a JUnit XML report for CI test reporters.

    Parameters
    ----------
    outcomes : sequence of CheckOutcome
        From :func:`check_expectations`, for one or many results.
    name : str, optional
        The name of the ``<testsuites>`` element.

    Returns
    -------
    str
        ``<testsuites>`` with one ``<testsuite>`` per scenario (in order of
        first appearance) and one ``<testcase>`` per outcome (``classname``
        the scenario, ``name`` ``"scope: expectation"``); a failed outcome has
        a ``<failure>`` carrying its message, a passed one its message in
        ``<system-out>``. ``tests`` and ``failures`` are counted on every
        suite and on the root. No timestamps or durations, so the same
        outcomes give the same text. Write it to a file as UTF-8.

    Examples
    --------
    >>> outcome = CheckOutcome("demo", "fte <= 120", "total", "fte", "<=", 120.0, 130.0,
    ...                        False, "demo: total fte 130.0 > 120 (expected fte <= 120)")
    >>> print(junit_xml([outcome]))
    <?xml version="1.0" encoding="UTF-8"?>
    <testsuites name="ccplan check" tests="1" failures="1" errors="0">
      <testsuite name="demo" tests="1" failures="1" errors="0" skipped="0">
        <testcase classname="demo" name="total: fte &lt;= 120">
          <failure message="demo: total fte 130.0 &gt; 120 (expected fte &lt;= 120)" \
type="ExpectationFailed">demo: total fte 130.0 &gt; 120 (expected fte &lt;= 120)</failure>
        </testcase>
      </testsuite>
    </testsuites>
    """
    by_scenario: dict[str, list[CheckOutcome]] = {}
    for outcome in outcomes:
        by_scenario.setdefault(outcome.scenario, []).append(outcome)
    n_failed = sum(not outcome.passed for outcome in outcomes)
    root = ET.Element("testsuites", {
        "name": _xml_text(name), "tests": str(len(outcomes)), "failures": str(n_failed),
        "errors": "0",
    })
    for scenario, group in by_scenario.items():
        suite = ET.SubElement(root, "testsuite", {
            "name": _xml_text(scenario), "tests": str(len(group)),
            "failures": str(sum(not outcome.passed for outcome in group)),
            "errors": "0", "skipped": "0",
        })
        for outcome in group:
            case = ET.SubElement(suite, "testcase", {
                "classname": _xml_text(scenario),
                "name": _xml_text(f"{outcome.scope}: {outcome.expectation}"),
            })
            message = _xml_text(outcome.message)
            if outcome.passed:
                ET.SubElement(case, "system-out").text = message
            else:
                failure = ET.SubElement(
                    case, "failure", {"message": message, "type": "ExpectationFailed"}
                )
                failure.text = message
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")
