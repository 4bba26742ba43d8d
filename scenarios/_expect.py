"""A scenario's ``expect:`` lines: parse them, check them against a result, report as JUnit.

Grammar of one line::

    [SCOPE.]METRIC OP NUMBER[%] [in NUMBER% of open intervals]

- ``OP`` is one of ``>=``, ``<=``, ``>``, ``<``.
- ``SCOPE`` is a channel name or ``total`` (the whole centre).
- Channel metrics (columns of the ``channels`` table, and of the ``totals``
  row for ``total``): ``service_level``, ``asa_s``, ``abandon_rate``,
  ``occupancy``, ``cost_per_contact``, ``cost_per_handled``,
  ``open_intervals_meeting_target``. Without a scope they apply to every
  channel separately, except ``cost_per_contact`` and ``cost_per_handled``,
  which apply to ``total``.
- Centre metrics (``total`` only, columns of the ``totals`` table): ``fte``,
  ``paid_hours``, ``headcount``, ``cost``, ``weekly_cost``, ``annual_cost``,
  ``cost_vs_budget``.
- ``NUMBER%`` means ``NUMBER / 100`` and is allowed on fractions
  (``service_level``, ``abandon_rate``, ``occupancy``,
  ``open_intervals_meeting_target``) and on ``cost_vs_budget``. A fraction
  written without ``%`` must lie in [0, 1]. ``asa_s`` takes seconds or a
  duration with ``h``/``m``/``s`` suffixes (``30s``, ``1m``, ``1m30s``).
- ``in P% of open intervals`` (``service_level``, ``asa_s``,
  ``abandon_rate``, ``occupancy`` only) compares every row of the
  ``intervals`` table with ``is_open`` true and ``offered > 0`` (for
  ``total``, every channel's rows pooled) and passes when the share of rows
  meeting the comparison is at least ``P``.

A value that cannot be computed (NaN, a missing channel, no open intervals
with contacts) makes the check fail with a message saying why; it never
passes silently.
"""

from __future__ import annotations

import difflib
import math
import operator
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._result import ScenarioResult

__all__ = [
    "CheckOutcome",
    "Expectation",
    "check_expectations",
    "junit_xml",
    "parse_expectation",
    "schedule_time_limit",
]

OPERATORS = (">=", "<=", ">", "<")

CHANNEL_METRICS = (
    "service_level", "asa_s", "abandon_rate", "occupancy",
    "cost_per_contact", "cost_per_handled", "open_intervals_meeting_target",
)
CENTRE_METRICS = (
    "fte", "paid_hours", "headcount", "cost", "weekly_cost", "annual_cost", "cost_vs_budget",
)
#: Metrics that support the ``in P% of open intervals`` form.
INTERVAL_METRICS = ("service_level", "asa_s", "abandon_rate", "occupancy")

_ALL_METRICS = CHANNEL_METRICS + CENTRE_METRICS
_TOTAL_BY_DEFAULT = ("cost_per_contact", "cost_per_handled", *CENTRE_METRICS)
_FRACTIONS = ("service_level", "abandon_rate", "occupancy", "open_intervals_meeting_target")
_PERCENT_OK = (*_FRACTIONS, "cost_vs_budget")

_EXAMPLES = {
    "service_level": "service_level >= 0.8",
    "asa_s": "asa_s <= 30s",
    "abandon_rate": "abandon_rate <= 0.05",
    "occupancy": "occupancy <= 0.9",
    "cost_per_contact": "cost_per_contact <= 4.20",
    "cost_per_handled": "cost_per_handled <= 4.50",
    "open_intervals_meeting_target": "open_intervals_meeting_target >= 90%",
    "fte": "fte <= 120",
    "paid_hours": "paid_hours <= 4800",
    "headcount": "headcount <= 150",
    "cost": "cost <= 250000",
    "weekly_cost": "weekly_cost <= 60000",
    "annual_cost": "annual_cost <= 3000000",
    "cost_vs_budget": "cost_vs_budget <= 1.0",
}
#: Decimals shown for a value in messages (more when needed to show the comparison).
_DECIMALS = {
    "asa_s": 1, "cost_per_contact": 2, "cost_per_handled": 2, "fte": 1, "paid_hours": 1,
    "headcount": 0, "cost": 2, "weekly_cost": 2, "annual_cost": 2,
}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
}
_NEGATION = {">=": "<", "<=": ">", ">": "<=", "<": ">="}

_LINE = re.compile(r"(?P<lhs>.*?)\s*(?P<op>>=|<=|=>|=<|==|!=|=|>|<)\s*(?P<rhs>.*)", re.S)
_LIMIT = re.compile(r"(?P<limit>[^\s%]+)(?P<pct>\s*%)?")
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION = re.compile(rf"(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m)?(?:(?P<s>{_NUMBER})s)?")
_SHARE = re.compile(r"in\s+(?P<share>\S+?)(?P<pct>\s*%)?\s+of\s+open\s+intervals", re.I)
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_GRAMMAR = "[SCOPE.]METRIC OP NUMBER[%] [in NUMBER% of open intervals]"


@dataclass(frozen=True)
class Expectation:
    """One parsed ``expect:`` line.

    Attributes
    ----------
    text : str
        The line as written (surrounding blanks removed).
    scope : str or None
        A channel name, ``"total"`` (the whole centre), or ``None`` for "every
        channel separately". Centre metrics and ``cost_per_contact`` /
        ``cost_per_handled`` written without a scope are stored as ``"total"``.
    metric : str
        A column of the ``channels`` or ``totals`` table (see the module
        docstring for the list).
    op : str
        ``">="``, ``"<="``, ``">"`` or ``"<"``.
    limit : float
        The limit in the metric's unit: a fraction 0-1 (``80%`` is stored as
        0.8), seconds for ``asa_s``, currency, FTE, hours or agents.
    interval_share : float or None
        For ``in P% of open intervals``: ``P`` as a fraction in (0, 1];
        otherwise ``None``.
    """

    text: str
    scope: str | None
    metric: str
    op: str
    limit: float
    interval_share: float | None = None


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


def parse_expectation(text: str) -> Expectation:
    """Parse one ``expect:`` line.

    Parameters
    ----------
    text : str
        ``[SCOPE.]METRIC OP NUMBER[%] [in NUMBER% of open intervals]``, e.g.
        ``"voice.asa_s <= 30s"`` or ``"service_level >= 80% in 90% of open
        intervals"``. See the module docstring for the metrics and units.

    Returns
    -------
    Expectation
        Limits converted to the metric's unit (fractions 0-1, seconds).

    Raises
    ------
    ValueError
        The line is not text, has no or an unknown operator, names an unknown
        metric, puts a centre metric on a channel, has a limit that is not a
        number of the right kind (a ``%`` on ``fte``, a fraction above 1, a
        duration suffix other than on ``asa_s``, a negative number), or uses
        ``in P% of open intervals`` where it does not apply. The message names
        the line, what is wrong, what is allowed and a correct example; it
        carries no file position (the scenario loader adds it).

    Examples
    --------
    >>> parse_expectation("voice.service_level >= 80% in 90% of open intervals")
    Expectation(text='voice.service_level >= 80% in 90% of open intervals', scope='voice', \
metric='service_level', op='>=', limit=0.8, interval_share=0.9)
    >>> parse_expectation("asa_s <= 1m30s").limit
    90.0
    >>> parse_expectation("fte <= 120").scope
    'total'
    """
    if not isinstance(text, str):
        raise ValueError(
            f"expect line {text!r} must be text ({_GRAMMAR}), got {type(text).__name__}; "
            "write e.g. 'service_level >= 0.8' (quote it if YAML reads it as a mapping)."
        )
    line = text.strip()
    where = f"expect line {line!r}"
    if not line:
        raise ValueError(
            f"expect line {text!r} is empty; write {_GRAMMAR}, e.g. 'service_level >= 0.8'."
        )
    match = _LINE.fullmatch(line)
    if match is None:
        raise ValueError(
            f"{where} has no comparison operator; use one of {', '.join(OPERATORS)} "
            f"({_GRAMMAR}), e.g. 'service_level >= 0.8'."
        )
    lhs, op, rhs = match["lhs"].strip(), match["op"], match["rhs"].strip()
    if op not in OPERATORS:
        hint = {"=>": " (did you mean '>='?)", "=<": " (did you mean '<='?)"}.get(
            op, " (equality is not supported; compare with >= or <=)"
        )
        example = _EXAMPLES.get(lhs.rsplit(".", 1)[-1].strip(), "service_level >= 0.8")
        raise ValueError(
            f"{where}: operator {op!r} is not allowed{hint}; use one of "
            f"{', '.join(OPERATORS)}, e.g. {example!r}."
        )
    scope, metric = _parse_subject(lhs, where)
    limit, rest = _parse_limit(rhs, metric, op, where)
    interval_share = _parse_share(rest, metric, where)
    if scope is None and metric in _TOTAL_BY_DEFAULT:
        scope = "total"
    return Expectation(line, scope, metric, op, limit, interval_share)


def _metric_list() -> str:
    return (
        f"channel metrics: {', '.join(CHANNEL_METRICS)}; "
        f"centre metrics (total only): {', '.join(CENTRE_METRICS)}"
    )


def _parse_subject(lhs: str, where: str) -> tuple[str | None, str]:
    if not lhs:
        raise ValueError(
            f"{where} has no metric before the operator; write {_GRAMMAR} ({_metric_list()}), "
            "e.g. 'service_level >= 0.8'."
        )
    scope: str | None = None
    metric = lhs
    if "." in lhs:
        scope, metric = (part.strip() for part in lhs.rsplit(".", 1))
        if not scope:
            raise ValueError(
                f"{where}: the scope before '.' is empty; write a channel name or 'total' "
                "before the dot, or leave out the dot, e.g. 'voice.service_level >= 0.8'."
            )
    if metric not in _ALL_METRICS:
        if scope in _ALL_METRICS:
            hint = f" (scope goes first: did you mean '{metric}.{scope}'?)"
        else:
            close = difflib.get_close_matches(metric.lower(), _ALL_METRICS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(
            f"{where}: unknown metric {metric!r}{hint}; {_metric_list()}; "
            "e.g. 'service_level >= 0.8'."
        )
    if metric in CENTRE_METRICS and scope not in (None, "total"):
        raise ValueError(
            f"{where}: {metric} is a centre metric, so it applies to the whole centre, not to "
            f"channel {scope!r}; write '{metric} ...' or 'total.{metric} ...', "
            f"e.g. {_EXAMPLES[metric]!r} (per-channel metrics: {', '.join(CHANNEL_METRICS)})."
        )
    return scope, metric


def _number(text: str) -> float | None:
    return float(text) if re.fullmatch(_NUMBER, text) else None


def _parse_limit(rhs: str, metric: str, op: str, where: str) -> tuple[float, str]:
    """The limit in the metric's unit, and the text after it."""
    example = _EXAMPLES[metric]
    match = _LIMIT.match(rhs)
    if not rhs or match is None:
        raise ValueError(
            f"{where}: no number after {op!r}; write the limit as a number, e.g. {example!r}."
        )
    token, has_pct, rest = match["limit"], bool(match["pct"]), rhs[match.end():].strip()
    if token.startswith(("-", "+")) and _number(token[1:]) is not None:
        raise ValueError(
            f"{where}: limit {token!r} has a sign; {metric} is never negative, so write a "
            f"number >= 0, e.g. {example!r}."
        )
    value = _number(token)
    duration = _DURATION.fullmatch(token)
    if value is None and duration is not None and any(duration.groups()):
        if metric != "asa_s":
            raise ValueError(
                f"{where}: limit {token!r} has a duration suffix (h, m, s), which only asa_s "
                f"takes; write a plain number for {metric}, e.g. {example!r}."
            )
        if has_pct:
            raise ValueError(
                f"{where}: limit '{token}%' mixes a duration and '%'; asa_s is in seconds, "
                "write e.g. 'asa_s <= 30s', 'asa_s <= 1m' or 'asa_s <= 30'."
            )
        value = sum(
            float(duration[unit]) * factor
            for unit, factor in (("h", 3600.0), ("m", 60.0), ("s", 1.0))
            if duration[unit]
        )
    if value is None:
        kind = (
            "a number of seconds or a duration such as 30s, 1m or 1m30s"
            if metric == "asa_s"
            else "a number such as 0.8 or a percentage such as 80%"
            if metric in _PERCENT_OK
            else "a number"
        )
        raise ValueError(f"{where}: limit {token!r} is not {kind}; e.g. {example!r}.")
    if not math.isfinite(value):
        raise ValueError(f"{where}: limit {token!r} is not finite; e.g. {example!r}.")
    if has_pct:
        if metric not in _PERCENT_OK:
            raise ValueError(
                f"{where}: {metric} is not a fraction, so '%' is not allowed on its limit "
                f"'{token}%'; write a plain number, e.g. {example!r} ('%' is allowed on: "
                f"{', '.join(_PERCENT_OK)})."
            )
        value /= 100.0
        if metric in _FRACTIONS and value > 1.0:
            raise ValueError(
                f"{where}: limit '{token}%' is above 100%; {metric} is a share from 0% to "
                f"100%, e.g. {example!r}."
            )
    elif metric in _FRACTIONS and value > 1.0:
        raise ValueError(
            f"{where}: {metric} is a fraction from 0 to 1, got limit {token}; write "
            f"{value / 100:g} or {token}% if you meant a percentage, e.g. {example!r}."
        )
    return value, rest


def _parse_share(rest: str, metric: str, where: str) -> float | None:
    """``P`` of ``in P% of open intervals`` as a fraction, or None without that form."""
    if not rest:
        return None
    example = (
        f"{_EXAMPLES[metric]} in 90% of open intervals"
        if metric in INTERVAL_METRICS
        else "service_level >= 0.8 in 90% of open intervals"
    )
    match = _SHARE.fullmatch(rest)
    if match is None:
        raise ValueError(
            f"{where}: unexpected {rest!r} after the limit; the only text allowed there is "
            f"'in P% of open intervals', e.g. {example!r}."
        )
    if metric not in INTERVAL_METRICS:
        raise ValueError(
            f"{where}: 'in P% of open intervals' applies only to per-interval measures "
            f"({', '.join(INTERVAL_METRICS)}), not {metric}; drop it, e.g. "
            f"{_EXAMPLES[metric]!r}, or check a per-interval measure, e.g. {example!r}."
        )
    share = _number(match["share"])
    if share is None or not match["pct"] or not 0.0 < share <= 100.0:
        written = match["share"] + ("%" if match["pct"] else "")
        raise ValueError(
            f"{where}: share {written!r} of open intervals must be a percentage above 0% and "
            f"at most 100%, e.g. {example!r}."
        )
    return share / 100.0


def check_expectations(result: ScenarioResult) -> list[CheckOutcome]:
    """Check a result's ``expect:`` lines against its tables.

    Parameters
    ----------
    result : ScenarioResult
        Reads ``result.expectations`` and the ``channels`` (columns
        ``channel`` and the metric), ``totals`` (the metric; ``offered``,
        ``handled`` and ``budget`` to explain a NaN) and, for ``in P% of open
        intervals``, ``intervals`` (``channel``, ``is_open``, ``offered`` and
        the metric) tables.

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
    return outcomes


#: The ``expectation`` text of the outcome added when the safety net cut a schedule's solve.
SCHEDULE_EXPECTATION = "schedule stops on its gap or node budget, not on the time limit"


def schedule_time_limit(result: ScenarioResult) -> dict[str, Any] | None:
    """The schedule's solve stopped at ``shifts.rules.time_limit_s`` (the safety net)?

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


def _gap_number(gap: float) -> str:
    return "unknown" if math.isnan(gap) else f"{gap:.4g}"


def _time_limit_outcome(result: ScenarioResult, cut: dict[str, Any]) -> CheckOutcome:
    gap, asked = cut["gap"], cut["asked"]
    return CheckOutcome(
        scenario=result.name, expectation=SCHEDULE_EXPECTATION, scope="total",
        metric="schedule_gap", op="<=", limit=asked, value=gap, passed=False,
        message=(f"{result.name}: schedule stopped at the time limit "
                 f"({cut['time_limit_s']:g} s) with gap {_gap_number(gap)}"
                 f"{' (asked' if gap <= asked else ' > asked'} {_gap_number(asked)}"
                 f"{')' if gap <= asked else ''}: the plan depends on this machine's speed and "
                 "load. Raise shifts.rules.time_limit_s, lower shifts.rules.max_nodes (the "
                 "deterministic budget), or set shifts.rules.allow_time_limit: true to accept "
                 "it"))


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


def _check_plain(result: ScenarioResult, expectation: Expectation, scope: str) -> CheckOutcome:
    metric, op, limit = expectation.metric, expectation.op, expectation.limit
    row, table = _row(result, scope)
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
