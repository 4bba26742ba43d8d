"""The ``capacity:`` block read into the typed :class:`CapacitySpec` the pipeline plans with.

The form of the block is checked by its pydantic sections (:mod:`._capacity_model`); here
the rules that need several fields or a file: the plan's first Monday (given, or the Monday
after the demand history's last whole week, or the Monday of the horizon's first week), each
channel in exactly one group, a class inside the horizon and its group's class limits, a
training that ends inside the horizon, events inside the plan's weeks on known channels,
shrinkage months that cover the year, transfers between known groups, budget months. Each
refusal names the file, line, field, value and fix (:func:`._sources.fail_in`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .._errors import InputFileError
from ._capacity_model import CapacitySection, _Attrition, _PerHoliday, _PerWeek
from ._sources import Source, fail_in, file_in_tree
from ._yaml import Loc, short
from .output import csv_unescape

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class CapacityHiring:
    """A group's hiring rules (weeks, shares 0-1, currency)."""

    training_weeks: int
    graduation_share: float
    min_class_size: int
    max_class_size: int
    lead_time_weeks: int
    every_weeks: int
    cost_per_hire: float
    training_cost_per_week: float


@dataclass(frozen=True)
class CapacityGroup:
    """One agent group of the capacity plan (weeks, shares 0-1)."""

    name: str
    channels: tuple[str, ...]
    headcount: float | tuple[tuple[int, float], ...]
    fte_per_head: float
    attrition_annual: float
    early_attrition_weekly: tuple[float, ...]
    ramp: tuple[float, ...]
    overtime_limit_share: float
    overtime_premium: float
    hiring: CapacityHiring | None
    classes: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class CapacityEvent:
    """A planner's dated event: ``volume_change`` (fraction) on a channel from ``start`` to
    ``end`` (days, inclusive), optionally a handle time ``aht_s`` (seconds)."""

    name: str
    channel: str
    start: dt.date
    end: dt.date
    volume_change: float
    aht_s: float | None


@dataclass(frozen=True)
class CapacitySpec:
    """A scenario's long-range capacity plan, as the pipeline plans it (``capacity:``).

    Attributes
    ----------
    n_weeks : int
        Weeks of the plan, 13-78.
    start : pandas.Timestamp
        Monday (naive, 00:00) of week 0.
    history, table : pathlib.Path or None
        The demand source: a weekly or daily history to forecast from, or a table of weekly
        volumes; both ``None``: the scenario's own first week, repeated.
    growth : float
        Volume growth a year (fraction, compounding weekly) on top of the source.
    level : float
        Prediction-interval level shown (fraction, e.g. 0.8).
    events : tuple of CapacityEvent
        Dated planner events (``channel``, ``start``, ``end``, ``volume_change``, ``aht_s``).
    service_level_floor : float or None
        Size each week to this service level (0-1) instead of the channels' targets.
    hours_per_fte_week : float
        Contracted hours of one FTE, hours.
    shrinkage : dict
        Category -> a share (0-1), ``{month 1-12: share}``, ``{"hours_per_week": h}`` or
        ``{"hours_per_holiday": h}`` (the form of ``staffing.capacity.shrinkage_plan``).
    holidays : tuple of datetime.date
        The scenario's public holidays over the plan's years.
    groups : tuple of CapacityGroup
        ``name``, ``channels``, ``headcount`` (a number or ``((tenure_weeks, heads), ...)``),
        ``fte_per_head``, ``attrition_annual``, ``early_attrition_weekly``, ``ramp``,
        ``overtime_limit_share``, ``overtime_premium``, ``hiring`` (``CapacityHiring`` or
        ``None``) and ``classes`` (``((start_week, size), ...)``).
    transfers : tuple of (int, str, str, float)
        ``(week, from_group, to_group, headcount)``.
    plan : {"given", "optimise"}
    short_penalty : float
        Currency per productive FTE-week short.
    mip_gap : float
        Relative gap (0-1) at which the hiring plan's solve stops.
    max_nodes : int
        Branch-and-bound node budget of each solve.
    risk_probability : float or None
        Coverage probability asked (0-1) for the Monte Carlo runs; ``None``: no risk runs.
    risk_runs : int
        Monte Carlo runs.
    budget_by_month : dict of pandas.Timestamp to float or None
        Budget per month (first day of the month), currency.
    """

    n_weeks: int
    start: pd.Timestamp
    history: Path | None
    table: Path | None
    growth: float
    level: float
    events: tuple[CapacityEvent, ...]
    service_level_floor: float | None
    hours_per_fte_week: float
    shrinkage: dict[str, Any]
    holidays: tuple[dt.date, ...]
    groups: tuple[CapacityGroup, ...]
    transfers: tuple[tuple[int, str, str, float], ...]
    plan: str
    short_penalty: float
    mip_gap: float
    max_nodes: int
    risk_probability: float | None
    risk_runs: int
    budget_by_month: dict[pd.Timestamp, float] | None

    def demand_table(self) -> pd.DataFrame | None:
        """The demand file, read and checked: ``channel``, ``week_start`` or ``date``,
        ``offered`` and any of ``aht_s``, ``offered_lo``, ``offered_hi``.

        Returns
        -------
        pandas.DataFrame or None
            ``None`` without a ``history`` or ``table``.
        """
        path = self.history or self.table
        return None if path is None else read_weekly(path)

    @staticmethod
    def read_demand(path: Path) -> pd.DataFrame:
        """A capacity demand file read and checked (as :meth:`demand_table` reads it).

        Parameters
        ----------
        path : pathlib.Path
            A weekly (``week_start``) or daily (``date``) file per channel.

        Returns
        -------
        pandas.DataFrame
            ``channel``, ``week_start`` or ``date``, ``offered`` and the optional columns.
        """
        return read_weekly(path)


def read_weekly(path: Path) -> pd.DataFrame:
    """A capacity demand file: weekly (``week_start``) or daily (``date``) rows per channel."""
    try:
        raw = pd.read_csv(path, dtype={"channel": str}, keep_default_na=True)
    except (OSError, ValueError, pd.errors.ParserError) as err:
        raise InputFileError(f"{short(path)}: cannot be read as CSV ({err}). Give columns "
                             "channel, week_start (or date), offered[, aht_s].") from None
    raw.columns = [str(c).strip() for c in csv_unescape(pd.Series(raw.columns, dtype=object))]
    when = "week_start" if "week_start" in raw else "date" if "date" in raw else None
    missing = [c for c in ("channel", "offered") if c not in raw] + ([] if when else
                                                                    ["week_start or date"])
    if missing:
        raise InputFileError(f"{short(path)}: has no column {', '.join(missing)} (found: "
                             f"{', '.join(raw.columns)}). Give channel, week_start (a Monday) "
                             "or date, offered[, aht_s].")
    out = raw.copy()
    out["channel"] = csv_unescape(out["channel"].astype(str))
    dates = pd.to_datetime(out[str(when)], errors="coerce")
    if dates.isna().any():
        i = int(dates.isna().to_numpy().nonzero()[0][0])
        raise InputFileError(f"{short(path)}: row {i + 2}: {when} {raw[when].iloc[i]!r} is not "
                             "a date. Write dates as 2027-01-04.")
    out[str(when)] = dates.dt.tz_localize(None) if dates.dt.tz is not None else dates
    for col in ("offered", "aht_s", "offered_lo", "offered_hi"):
        if col in out:
            values = pd.to_numeric(out[col], errors="coerce")
            bad = values.isna() | (values < 0) if col != "aht_s" else values.isna() | (values <= 0)
            if bad.any():
                i = int(bad.to_numpy().nonzero()[0][0])
                raise InputFileError(f"{short(path)}: row {i + 2}: {col} {raw[col].iloc[i]!r} "
                                     f"must be a number {'> 0' if col == 'aht_s' else '>= 0'}; "
                                     "a missing value is never read as 0. Fill it in.")
            out[col] = values.astype(float)
    return out


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _history_start(sources: list[Source], loc: Loc, path: Path) -> dt.date:
    """The Monday after the history's last whole week (the long-range forecast's first week)."""
    table = read_weekly(path)
    if "week_start" in table:
        last = table["week_start"].max() + pd.Timedelta(days=7)
    else:
        last = table["date"].max() + pd.Timedelta(days=1)
    if pd.isna(last):
        raise fail_in(sources, loc, f"{path.name!r} has no rows. Give the weekly or daily "
                      "history of every channel.")
    return _monday(last.date())


def _months(sources: list[Source], loc: Loc, mapping: dict[str, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for key, share in mapping.items():
        parts = [p.strip()[:3].title() for p in str(key).split("-")]
        if not all(p in _MONTHS for p in parts) or len(parts) > 2:
            raise fail_in(sources, (*loc, key), f"must name months such as Jan or Feb-Jun, got "
                          f"{key!r}. E.g. annual_leave: {{Jan: 6%, Feb-Jun: 8%, Jul-Dec: 10%}}.")
        a, b = _MONTHS.index(parts[0]), _MONTHS.index(parts[-1])
        span = range(a, b + 1) if a <= b else [*range(a, 12), *range(0, b + 1)]
        for m in span:
            out[m + 1] = float(share)
    missing = [_MONTHS[m - 1] for m in range(1, 13) if m not in out]
    if missing:
        raise fail_in(sources, loc, f"gives no share for {', '.join(missing)}; a month left out "
                      "is not read as 0. Give every month (0% where none), e.g. "
                      "{Jan-Jun: 8%, Jul-Dec: 10%}.")
    return out


def _week_of(sources: list[Source], loc: Loc, value: dt.date | int, start: dt.date,
             n_weeks: int) -> int:
    if isinstance(value, int):
        week = value
    else:
        if value.weekday() != 0:
            raise fail_in(sources, loc, f"must be a Monday (a week starts on Monday), got "
                          f"{value} ({value:%A}). E.g. {_monday(value)}.")
        week = (value - start).days // 7
    if not 0 <= week < n_weeks:
        last = start + dt.timedelta(weeks=n_weeks - 1)
        raise fail_in(sources, loc, f"is week {week}, outside the plan's {n_weeks} weeks "
                      f"(week 0 is {start}, the last {last}). Start it inside the plan.")
    return week


def _group(sources: list[Source], cap: CapacitySection, name: str, start: dt.date
           ) -> CapacityGroup:
    assert cap.groups is not None
    g = cap.groups[name]
    loc: Loc = ("capacity", "groups", name)
    n = cap.weeks
    hiring = None
    if g.hiring is not None:
        h = g.hiring
        if h.max_class < h.min_class:
            raise fail_in(sources, (*loc, "hiring", "max_class"), f"must be at least min_class "
                          f"({h.min_class}), got {h.max_class}. Raise max_class or lower "
                          "min_class.")
        if h.training >= n:
            raise fail_in(sources, (*loc, "hiring", "training"), f"is {h.training} weeks, not "
                          f"shorter than the plan's {n} weeks: no class would reach the floor. "
                          "Shorten it, or plan more weeks.")
        if h.lead_time >= n:
            raise fail_in(sources, (*loc, "hiring", "lead_time"), f"is {h.lead_time} weeks, not "
                          f"shorter than the plan's {n} weeks. Shorten it, or plan more weeks.")
        hiring = CapacityHiring(h.training, h.graduate, h.min_class, h.max_class, h.lead_time,
                                h.every, h.cost_per_hire, h.training_cost_per_week)
    classes = []
    for i, c in enumerate(g.classes):
        cloc: Loc = (*loc, "classes", i)
        if hiring is None:
            raise fail_in(sources, cloc, "needs the group's hiring rules (training length, "
                          "share who graduate). Add hiring: {training: 6w, graduate: 85%} to "
                          f"group {name}.")
        week = _week_of(sources, (*cloc, "start"), c.start, start, n)
        if c.size > hiring.max_class_size:
            raise fail_in(sources, (*cloc, "size"), f"must be at most hiring.max_class "
                          f"({hiring.max_class_size}), got {c.size}. Split the class in two, "
                          "or raise max_class.")
        if c.size < hiring.min_class_size:
            raise fail_in(sources, (*cloc, "size"), f"must be at least hiring.min_class "
                          f"({hiring.min_class_size}), got {c.size}. Hire more, or lower "
                          "min_class.")
        if week + hiring.training_weeks >= n:
            raise fail_in(sources, (*cloc, "start"), f"is week {week}: with "
                          f"{hiring.training_weeks} training weeks its graduates would reach "
                          f"the floor after the plan's {n} weeks. Start it earlier.")
        if week < hiring.lead_time_weeks:
            raise fail_in(sources, (*cloc, "start"), f"is week {week}, before the lead time "
                          f"(hiring.lead_time: {hiring.lead_time_weeks}w). Start it later, or "
                          "shorten the lead time.")
        if hiring.training_weeks == 0 and week == 0:
            raise fail_in(sources, (*cloc, "start"), "is week 0 for a class without training: "
                          "its agents would be on the floor before the plan starts. Count them "
                          "in headcount (a band with tenure: 0w).")
        classes.append((week, c.size))
    attrition = g.attrition
    annual, early = ((attrition.annual, tuple(attrition.first_weeks))
                     if isinstance(attrition, _Attrition) else (float(attrition), ()))
    headcount: float | tuple[tuple[int, float], ...] = (
        float(g.headcount) if isinstance(g.headcount, int | float)
        else tuple((b.tenure, float(b.heads)) for b in g.headcount))
    fte = 1.0 - g.part_time.share * (1.0 - g.part_time.fte) if g.part_time else 1.0
    return CapacityGroup(name, tuple(g.channels), headcount, fte, annual, early,
                         tuple(g.ramp), g.overtime.limit, float(g.overtime.premium), hiring,
                         tuple(classes))


def _whole_agents(sources: list[Source], cap: CapacitySection) -> None:
    """Risk runs draw whole agents: headcounts and transfers must be whole numbers."""
    assert cap.groups is not None
    fix = ("The risk runs draw leavers agent by agent; give whole agents (round it), or "
           "remove risk:.")
    for name, g in cap.groups.items():
        loc: Loc = ("capacity", "groups", name, "headcount")
        if isinstance(g.headcount, int | float):
            if not float(g.headcount).is_integer():
                raise fail_in(sources, loc, f"must be a whole number of agents with risk:, "
                              f"got {g.headcount:g}. {fix}")
            continue
        for i, band in enumerate(g.headcount):
            if not float(band.heads).is_integer():
                raise fail_in(sources, (*loc, i, "heads"), f"must be a whole number of agents "
                              f"with risk:, got {band.heads:g}. {fix}")
    for i, t in enumerate(cap.transfers):
        if not float(t.headcount).is_integer():
            raise fail_in(sources, ("capacity", "transfers", i, "headcount"), f"must be a "
                          f"whole number of agents with risk:, got {t.headcount:g}. {fix}")


def _shrinkage(sources: list[Source], cap: CapacitySection, default: float) -> dict[str, Any]:
    if cap.shrinkage is None:
        return {"shrinkage": default}
    if not cap.shrinkage:
        raise fail_in(sources, ("capacity", "shrinkage"), "is empty. Name the categories, "
                      "e.g. shrinkage: {sickness: 4%, training: 2%}, or leave it out to use "
                      "staffing.shrinkage.")
    out: dict[str, Any] = {}
    for cat, value in cap.shrinkage.items():
        if isinstance(value, _PerHoliday):
            out[cat] = {"hours_per_holiday": value.per_holiday / 3600.0}
        elif isinstance(value, _PerWeek):
            out[cat] = {"hours_per_week": value.per_week / 3600.0}
        elif isinstance(value, dict):
            out[cat] = _months(sources, ("capacity", "shrinkage", cat), value)
        else:
            out[cat] = float(value)
    return out


def capacity_spec(sources: list[Source], cap: CapacitySection, *, channels: list[str],
                  horizon_start: dt.date, shrinkage: float, holidays: Any, allow: bool,
                  root: Path, sandbox: bool) -> CapacitySpec:
    """The checked :class:`CapacitySpec` of a scenario's ``capacity:`` block.

    ``holidays`` is called with a list of years and returns the scenario's public holidays
    in them (its calendar and listed dates).
    """
    loc: Loc = ("capacity",)
    demand = cap.demand
    if demand.history is not None and demand.table is not None:
        raise fail_in(sources, (*loc, "demand"), "gives both history and table; give at most "
                      "one demand source (none: the scenario's own week, repeated).")
    history = table = None
    if demand.history is not None:
        history = file_in_tree(sources, (*loc, "demand", "history"), demand.history, allow,
                               root, sandbox)
    if demand.table is not None:
        table = file_in_tree(sources, (*loc, "demand", "table"), demand.table, allow, root,
                             sandbox)
    if cap.start is not None:
        if cap.start.weekday() != 0:
            raise fail_in(sources, (*loc, "start"), f"must be a Monday (week 0 starts on a "
                          f"Monday), got {cap.start} ({cap.start:%A}). E.g. start: "
                          f"{_monday(cap.start)}.")
        start = cap.start
    elif history is not None:
        start = _history_start(sources, (*loc, "demand", "history"), history)
    else:
        start = _monday(horizon_start)
    n = cap.weeks
    end = start + dt.timedelta(weeks=n) - dt.timedelta(days=1)
    events = []
    for i, ev in enumerate(cap.events):
        eloc: Loc = (*loc, "events", i)
        if ev.channel not in channels:
            raise fail_in(sources, (*eloc, "channel"), f"{ev.channel!r} is not a channel of the "
                          f"scenario ({', '.join(channels)}). Name one of them.")
        if ev.to < ev.from_:
            raise fail_in(sources, (*eloc, "to"), f"({ev.to}) is before from ({ev.from_}). "
                          "Give the first and last day of the event, in that order.")
        if ev.from_ < start or ev.to > end:
            raise fail_in(sources, eloc, f"runs {ev.from_} to {ev.to}, outside the plan's "
                          f"weeks ({start} to {end}). Move it inside, or change "
                          "capacity.start or capacity.weeks.")
        events.append(CapacityEvent(ev.name, ev.channel, ev.from_, ev.to, ev.volume, ev.aht))
    if cap.groups is None:
        raise fail_in(sources, loc, "has no groups: give each group's starting headcount, "
                      f"e.g. groups: {{{channels[0]}_team: {{channels: [{channels[0]}], "
                      "headcount: 120}}}}.")
    home: dict[str, str] = {}
    for name, g in cap.groups.items():
        for j, c in enumerate(g.channels):
            gloc: Loc = (*loc, "groups", name, "channels", j)
            if c not in channels:
                raise fail_in(sources, gloc, f"{c!r} is not a channel of the scenario "
                              f"({', '.join(channels)}). Name one of them.")
            if c in home:
                raise fail_in(sources, gloc, f"{c!r} is already in group {home[c]!r}; each "
                              "channel belongs to exactly one group. Remove it from one.")
            home[c] = name
    left = [c for c in channels if c not in home]
    if left:
        raise fail_in(sources, (*loc, "groups"), f"puts no group on {', '.join(left)}; every "
                      "channel needs a group. Add it to a group's channels.")
    groups = [_group(sources, cap, name, start) for name in cap.groups]
    group_names = list(cap.groups)
    transfers = []
    for i, t in enumerate(cap.transfers):
        tloc: Loc = (*loc, "transfers", i)
        for key, gname in (("from", t.from_), ("to", t.to)):
            if gname not in group_names:
                raise fail_in(sources, (*tloc, key), f"{gname!r} is not a group of the plan "
                              f"({', '.join(group_names)}). Name one of them.")
        if t.from_ == t.to:
            raise fail_in(sources, (*tloc, "to"), f"is the group it leaves ({t.to!r}). Name "
                          "another group.")
        if t.week >= n:
            raise fail_in(sources, (*tloc, "week"), f"is {t.week}, outside the plan's {n} weeks "
                          f"(0 to {n - 1}). Move it inside.")
        transfers.append((t.week, t.from_, t.to, float(t.headcount)))
    if cap.risk is not None:
        _whole_agents(sources, cap)
    # Default: optimise when some group may hire and none lists classes, else given.
    plan = cap.plan or ("optimise" if any(g.hiring for g in groups)
                        and not any(g.classes for g in groups) else "given")
    if plan == "optimise" and not any(g.hiring for g in groups):
        raise fail_in(sources, (*loc, "plan"), "optimise needs hiring rules on at least one "
                      "group (when and how it may hire). Add hiring: {training: 6w, max_class: "
                      "20} to a group, or set plan: given.")
    if plan == "optimise" and any(g.classes for g in groups):
        raise fail_in(sources, (*loc, "plan"), "optimise plans the classes itself, and groups "
                      "list classes. Remove the classes, or set plan: given.")
    budget = None
    if cap.budget is not None:
        budget = {}
        for key, amount in cap.budget.by_month.items():
            try:
                month = pd.Timestamp(dt.datetime.strptime(str(key), "%Y-%m"))
            except ValueError:
                raise fail_in(sources, (*loc, "budget", "by_month", key), f"must be a month "
                              f"written YYYY-MM, got {key!r}. E.g. 2027-01: 250000.") from None
            if not start.replace(day=1) <= month.date() <= end:
                raise fail_in(sources, (*loc, "budget", "by_month", key), f"is outside the "
                              f"plan ({start} to {end}); a budget for it would be left out "
                              "without a word. Remove it, or change capacity.start or weeks.")
            budget[month] = float(amount)
    years = list(range(start.year, end.year + 1))
    return CapacitySpec(
        n_weeks=n, start=pd.Timestamp(start), history=history, table=table,
        growth=demand.growth, level=demand.level, events=tuple(events),
        service_level_floor=cap.service_level_floor, hours_per_fte_week=cap.hours_per_fte_week,
        shrinkage=_shrinkage(sources, cap, shrinkage), holidays=tuple(holidays(years)),
        groups=tuple(groups), transfers=tuple(transfers), plan=plan,
        short_penalty=cap.short_penalty, mip_gap=cap.mip_gap, max_nodes=cap.max_nodes,
        risk_probability=cap.risk.probability if cap.risk else None,
        risk_runs=cap.risk.runs if cap.risk else 0, budget_by_month=budget)

