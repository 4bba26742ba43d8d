"""A scenario's ``expect:`` lines: their grammar and parser (checked when a file loads).

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
  ``paid_hours``, ``headcount``, ``cost``, ``weekly_cost``, ``annual_cost``
  (with a ``capacity:`` block, the capacity plan's annual cost), ``cost_vs_budget``.
- Capacity metrics (``total`` only, from the capacity plan's summary; a scenario
  without ``capacity:`` fails them with the reason): ``min_weekly_coverage`` and
  ``min_coverage_probability`` (fractions), ``hires_total`` (agents),
  ``insurance_cost`` and ``capacity_cost`` (the plan's cost over its weeks).
- Money limits may end in ``k`` (thousands) or ``M`` (millions): ``annual_cost <= 4.2M``.
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
import re
from dataclasses import dataclass

__all__ = ["Expectation", "parse_expectation"]

OPERATORS = (">=", "<=", ">", "<")

CHANNEL_METRICS = (
    "service_level", "asa_s", "abandon_rate", "occupancy",
    "cost_per_contact", "cost_per_handled", "open_intervals_meeting_target",
)
#: Metrics of the capacity plan (``capacity:``), read from its summary (``total`` only).
CAPACITY_METRICS = (
    "min_weekly_coverage", "hires_total", "min_coverage_probability", "insurance_cost",
    "capacity_cost",
)
CENTRE_METRICS = (
    "fte", "paid_hours", "headcount", "cost", "weekly_cost", "annual_cost", "cost_vs_budget",
    *CAPACITY_METRICS,
)
#: Metrics that support the ``in P% of open intervals`` form.
INTERVAL_METRICS = ("service_level", "asa_s", "abandon_rate", "occupancy")

_ALL_METRICS = CHANNEL_METRICS + CENTRE_METRICS
_TOTAL_BY_DEFAULT = ("cost_per_contact", "cost_per_handled", *CENTRE_METRICS)
_FRACTIONS = ("service_level", "abandon_rate", "occupancy", "open_intervals_meeting_target",
              "min_weekly_coverage", "min_coverage_probability")
#: Money metrics, whose limits may be written with k (thousands) or M (millions): 4.2M.
_MONEY = ("cost", "weekly_cost", "annual_cost", "insurance_cost", "capacity_cost",
          "cost_per_contact", "cost_per_handled")
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
    "min_weekly_coverage": "min_weekly_coverage >= 95%",
    "hires_total": "hires_total <= 60",
    "min_coverage_probability": "min_coverage_probability >= 90%",
    "insurance_cost": "insurance_cost <= 150k",
    "capacity_cost": "capacity_cost <= 6.5M",
}

_LINE = re.compile(r"(?P<lhs>.*?)\s*(?P<op>>=|<=|=>|=<|==|!=|=|>|<)\s*(?P<rhs>.*)", re.S)
_LIMIT = re.compile(r"(?P<limit>[^\s%]+)(?P<pct>\s*%)?")
_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_DURATION = re.compile(rf"(?:(?P<h>{_NUMBER})h)?(?:(?P<m>{_NUMBER})m)?(?:(?P<s>{_NUMBER})s)?")
_SHARE = re.compile(r"in\s+(?P<share>\S+?)(?P<pct>\s*%)?\s+of\s+open\s+intervals", re.I)

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
        f"centre metrics (total only): "
        f"{', '.join(m for m in CENTRE_METRICS if m not in CAPACITY_METRICS)}; "
        f"capacity metrics (total only, with a capacity: block): {', '.join(CAPACITY_METRICS)}"
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
    if value is None and metric in _MONEY and token[-1:] in ("k", "M") \
            and _number(token[:-1]) is not None:
        value = float(token[:-1]) * (1e3 if token[-1] == "k" else 1e6)
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
            else "a number such as 4200000, 4.2M or 150k"
            if metric in _MONEY
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


