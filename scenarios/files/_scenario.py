"""The scenario file: one YAML file describes a contact centre and what to check.

A scenario file (all keys but ``horizon`` and ``channels`` optional)::

    name: Retail bank voice line
    extends: base.yaml              # build on another file (relative to this one)
    timezone: Europe/London
    interval: 30m                   # 15m, 30m or 1h
    horizon: {start: 2026-03-02, days: 7}
    hours: extended                 # 8x5, extended, 24x7, or {Mon-Fri: "08:00-20:00", Sat: closed}
                                    # (or per day [open_s, close_s]: Mon-Fri: [28800, 72000])
    holidays: {country: GB, subdivision: ENG, closed: true}
    currency: GBP
    seed: 7
    channels:
      voice:
        volume: {daily: 2400, profile: {"08:00": 6, "10:00": 10, "13:00": 7, "17:00": 4}}
        # or volume: {file: voice.csv}  (interval_start, offered[, aht_s])
        # or volume: {history: history.csv, method: auto}
        aht: 4m
        target: 80% in 20s
        patience: 3m                # mean patience (Erlang A, and the simulation)
        hang_up: 4%                 # customer behaviour (docs/scenarios.md): short abandons,
        pickup_delay: 4s            # delay to answer, redials, callbacks
        redial: {probability: 35%, delay: 10m}
        callback: {offer_above: 2m, accept: 40%, rule: promise, promise: 1h, dial: 20s}
      chat: {volume: {daily: 600, profile: flat}, aht: 6m, target: 80% in 60s, concurrency: 2}
      email: {volume: {daily: 300}, aht: 8m, target: 95% in 24h, deferred: true}
    agents:                         # shared agents with skills (default: one team per channel)
      generalists: {skills: [voice, chat, email]}
    volume_scale: 1.0
    aht_scale: 1.0
    channel_shift: [{from_channel: voice, to_channel: chat, share: 0.2}]
    staffing: {method: erlang_a, shrinkage: 0.3}
    shifts: {templates: [...], rules: {...}}  # as in a rules file; omit: interval staffing
    pay: {hourly_rates: {agent: 20}, night_premium: 0.25}
    out_of_hours: {lost_share: 0.3, retry_share: 0.5, retry_spread: 2h}
    simulation: {replications: 10}
    budget: {per_week: 50000}       # or per_year
    expect: ["service_level >= 0.8", "cost_per_contact <= 4.20"]
    variants:
      24x7: {hours: 24x7}
      busy: {volume_scale: 1.1}
    sweep:
      channels.voice.aht: {from: 240, to: 360, step: 30}
      pay.hourly_rates.agent: [20, 22]

Variants override any field of the file (mappings merge key by key, lists
and scalars are replaced); ``sweep`` runs the grid of every combination of
the listed dotted fields over the base scenario. Each variant and sweep
point is a scenario of its own. ``extends`` merges this file over another
(paths relative to the file; nothing outside the root file's folder tree
unless ``allow_outside_folder: true``; a caller that loads a file it does not
trust, such as the dashboard's upload, passes ``confine_to`` and then no
file, symlink or ``..`` leads outside that folder, whatever the file says).
YAML is loaded safely; unknown keys are errors; errors name the file, line
and column, the field path, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import math
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from forecasting.contracts import METHODS
from staffing.shifts import PayRates

from .._errors import InputFileError
from .._limits import (
    MAX_AHT_S,
    MAX_CHANNEL_INTERVALS,
    MAX_HOURLY_RATE,
    MAX_PATIENCE_S,
    MAX_PREMIUM,
    MAX_REPLICATIONS,
    MAX_SCALE,
    PLANNING_FIRST_DAY,
    PLANNING_LAST_DAY,
)
from ._capacity_section import CapacitySpec, capacity_spec
from ._expectations import parse_expectation
from ._hours import OpeningHours
from ._model import ChannelSpec, ScenarioDocument
from ._sections import (
    channel_behaviour,
    daily_totals,
    day_start,
    holiday_dates,
    opening_hours,
    volume_profile,
)
from ._shift_rules import (
    RulesDocument,
    ShiftRules,
    TemplateSection,
    build_shift_rules,
    check_rules_document,
)
from ._sources import (
    CONFINED,
    Source,
    fail_in,
    file_in_tree,
    is_outside,
    merge,
    read_sources,
    set_path,
    sweep_values,
    validate,
    where,
)
from ._yaml import Loc, field_loc, path_text, sub_positions


@dataclass(frozen=True)
class Scenario:
    """A validated scenario (one variant or sweep point), ready for :func:`run_scenario`.

    Built by :meth:`Scenario.from_yaml` (the base scenario) or
    :func:`load_scenarios` (base, variants and sweep points).

    Attributes
    ----------
    name : str
        ``"base"``, ``"base / variant"`` or ``"base / field=value"``.
    path : pathlib.Path
        The scenario file.
    sha256 : str
        SHA-256 of the file's bytes (followed by those of the files it extends).
    interval_s : float
        Interval length, seconds.
    timezone : str
    start : pandas.Timestamp
        First interval (local midnight of ``horizon.start``).
    n_intervals : int
        Intervals in the horizon.
    hours : OpeningHours
        Opening hours (holidays closed when ``holidays.closed``).
    holidays : tuple of datetime.date
        Public holidays in the horizon (for closing and premiums).
    channels : tuple of ChannelSpec
    groups : dict of str to tuple of str or None
        Agent groups and their skills; ``None``: one team per channel.
    method : {"erlang_c", "erlang_a", "simulation"}
    shrinkage : float
    max_rounds : int
        Rounds of simulation-corrected staffing.
    shift_rules : ShiftRules or None
        Templates, rules and pay when the scenario schedules shifts.
    rates : staffing.shifts.PayRates
    volume_scale, aht_scale : float
    channel_shift : tuple of (str, str, float)
    lost_share, retry_share, retry_spread_s : float
    n_replications : int
        0: no simulation.
    seed : int
    currency : str
    budget : tuple of (float, str) or None
        Amount and period (``"week"`` or ``"year"``).
    expectations : tuple of str
    label : str
        What tells the scenario apart from the others of its file, for charts:
        the base's name for the base, the variant's key for a variant, a sweep
        point's fields with each path cut to its last key (``"aht=240, agent=19"``).
    long_label : str
        The label for pickers and tables: the name, with a sweep point's field
        paths cut to their last key (``"bank / aht=240, agent=19"``).
    overrides : dict
        The variant's or sweep point's fields (empty for the base).
    description : str
    holiday_country, holiday_subdivision : str or None
        The public-holiday calendar (the daily forecasting models use it).
    kind : {"base", "variant", "sweep"}
        Which of the file's scenarios this is.
    capacity : CapacitySpec or None
        The long-range capacity plan (``capacity:``); ``None`` without one.
    """

    name: str
    path: Path
    sha256: str
    interval_s: float
    timezone: str
    start: pd.Timestamp
    n_intervals: int
    hours: OpeningHours
    holidays: tuple[dt.date, ...]
    channels: tuple[ChannelSpec, ...]
    groups: dict[str, tuple[str, ...]] | None
    method: str
    shrinkage: float
    max_rounds: int
    shift_rules: ShiftRules | None
    rates: PayRates
    volume_scale: float
    aht_scale: float
    channel_shift: tuple[tuple[str, str, float], ...]
    lost_share: float
    retry_share: float
    retry_spread_s: float
    n_replications: int
    seed: int
    currency: str
    budget: tuple[float, str] | None
    expectations: tuple[str, ...]
    label: str
    long_label: str
    overrides: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    kind: str = "base"
    capacity: CapacitySpec | None = None

    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        """Read the base scenario of a file (variants and sweep points: :func:`load_scenarios`).

        Parameters
        ----------
        path : str or pathlib.Path
            The scenario YAML file.

        Returns
        -------
        Scenario
            The base scenario.

        Raises
        ------
        InputFileError
            The file (or one it extends) is missing, not YAML, or breaks the
            schema; the message names the file, line, column, field, value
            and fix.
        """
        return load_scenarios(path, variants=False)[0]

    def analytic(self) -> Scenario:
        """This scenario sized analytically: quick to run, for live views.

        Agents are paid interval by interval (no shift templates) at the
        ``agent`` rate, or, when the file has shifts but no ``agent`` rate, at
        the first template's rate; nothing is simulated, and ``method:
        simulation`` sizes by Erlang A instead (it already required a
        patience).

        Returns
        -------
        Scenario
            A copy with ``shift_rules=None``, ``n_replications=0`` and the
            method as said; the name, file and hash stay.
        """
        method = "erlang_a" if self.method == "simulation" else self.method
        rates = self.rates
        if "agent" not in rates.hourly_rates and self.shift_rules is not None:
            first = self.shift_rules.templates[0]
            rate = (first.hourly_rate if first.hourly_rate is not None
                    else rates.hourly_rates[first.agent_type])
            rates = dataclasses.replace(rates, hourly_rates={**rates.hourly_rates, "agent": rate})
        return dataclasses.replace(self, shift_rules=None, n_replications=0, method=method,
                                   rates=rates)


def _build_scenario(sources: list[Source], doc: ScenarioDocument, name: str, sha: str,
                    root: Path, overrides: dict[str, Any], sandbox: bool = False) -> Scenario:
    path = sources[0].path
    allow = doc.allow_outside_folder and not sandbox
    try:
        zoneinfo.ZoneInfo(doc.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise fail_in(sources, ("timezone",), f"{doc.timezone!r} is not a time zone. Use an IANA "
                      "name such as Europe/London or America/New_York.") from None
    first, last = PLANNING_FIRST_DAY, PLANNING_LAST_DAY
    if not first <= doc.horizon.start <= last:
        raise fail_in(sources, ("horizon", "start"), f"must be a date from {first} to {last} "
                      f"(the planning range ccplan accepts), got {doc.horizon.start}. Check the "
                      "year, e.g. start: 2026-03-02.")
    interval_s = float(doc.interval)
    if interval_s < 60:
        raise fail_in(sources, ("interval",), f"must be at least 60 s (one minute), got "
                      f"{interval_s:g} s. Use 15m, 30m or 1h.")
    if 86400 % interval_s:
        raise fail_in(sources, ("interval",), f"must divide a day into whole intervals, got "
                      f"{interval_s:g} s. Use 15m, 30m or 1h.")
    if not doc.channels:
        raise fail_in(sources, ("channels",), "lists no channel. Add one, e.g. channels: {voice: "
                      "{volume: {daily: 1000, profile: flat}, aht: 4m, target: 80% in 20s}}.")
    # Whole local days: a day with a clock change has 23 or 25 hours of intervals, and a
    # day whose midnight the clocks skip (Africa/Cairo, 2026-04-24) starts at its first
    # instant (01:00 there).
    start = day_start(doc.horizon.start, doc.timezone)
    end = day_start(doc.horizon.start + dt.timedelta(days=doc.horizon.days), doc.timezone)
    n_intervals = int(round((end - start).total_seconds() / interval_s))
    if n_intervals * len(doc.channels) > MAX_CHANNEL_INTERVALS:
        raise fail_in(sources, ("interval",),
                      f"{interval_s:g} s over {doc.horizon.days} day(s) for "
                      f"{len(doc.channels)} channel(s) makes {n_intervals * len(doc.channels):,} "
                      f"channel-intervals; at most {MAX_CHANNEL_INTERVALS:,}. Use longer intervals "
                      "(e.g. 30m), fewer days, or split the horizon into several files.")
    for key, scale in (("volume_scale", doc.volume_scale), ("aht_scale", doc.aht_scale)):
        if scale > MAX_SCALE:
            raise fail_in(sources, (key,), f"must be at most {MAX_SCALE:,.0f}, got {scale:g}. It "
                          f"multiplies every channel's {key.removesuffix('_scale')} (1.1: 10% "
                          "more); give the volumes or handle times themselves for a change "
                          "this large.")
    years = sorted({(doc.horizon.start + dt.timedelta(days=k)).year
                    for k in range(doc.horizon.days + 1)})
    holidays = holiday_dates(sources, doc, years)
    hours = opening_hours(sources, doc, holidays)
    channels = []
    for cname, ch in doc.channels.items():
        loc: Loc = ("channels", cname, "volume")
        v = ch.volume
        given = [k for k in ("file", "daily", "history") if getattr(v, k) is not None]
        if len(given) != 1:
            raise fail_in(sources, loc, "must give exactly one of file (volumes per interval), "
                          "daily (totals with a profile) or history (forecast from it), got "
                          f"{given or 'none'}. E.g. volume: {{daily: 1000, profile: flat}}.")
        volume: dict[str, Any] = {"kind": given[0]}
        if v.file is not None:
            volume["path"] = file_in_tree(sources, (*loc, "file"), v.file, allow, root,
                                          sandbox)
        elif v.history is not None:
            volume["path"] = file_in_tree(sources, (*loc, "history"), v.history, allow,
                                          root, sandbox)
            if v.method != "auto" and v.method not in METHODS:
                raise fail_in(sources, (*loc, "method"), f"{v.method!r} is not a forecasting "
                              f"method; use auto or one of {', '.join(METHODS)}.")
            volume["method"] = v.method
        else:
            volume["daily"] = daily_totals(sources, (*loc, "daily"), v.daily,
                                           doc.horizon.start, doc.horizon.days)
            volume["profile"] = volume_profile(sources, (*loc, "profile"), v.profile)
        if ch.deferred and ch.concurrency != 1:
            raise fail_in(sources, ("channels", cname, "concurrency"), "must be 1 for deferred "
                          "work (deferred: true). Remove it or set deferred: false.")
        patience = ch.patience
        if float(ch.aht) * doc.aht_scale > MAX_AHT_S:
            raise fail_in(sources, ("channels", cname, "aht"), f"must be at most "
                          f"{MAX_AHT_S / 3600:g}h, got {float(ch.aht) * doc.aht_scale:g} s"
                          f"{' (after aht_scale)' if doc.aht_scale != 1 else ''}. It is the mean "
                          "time to handle one contact, e.g. aht: 4m.")
        if patience is not None and float(patience) > MAX_PATIENCE_S:
            raise fail_in(sources, ("channels", cname, "patience"), f"must be at most "
                          f"{MAX_PATIENCE_S / 86400:g} days, got {float(patience):g} s. It is the "
                          "mean time callers wait before hanging up, e.g. patience: 3m; leave it "
                          "out (and use method: erlang_c) for callers who never hang up.")
        channels.append(ChannelSpec(
            name=cname, volume=volume, aht_s=float(ch.aht),
            service_level_target=ch.target.service_level,
            answer_within_s=float(ch.target.within),
            mean_patience_s=None if patience is None else float(patience),
            concurrency=ch.concurrency, is_deferred=ch.deferred,
            max_occupancy=ch.max_occupancy, **channel_behaviour(sources, cname, ch)))
        if ch.target.within < 0:
            raise fail_in(sources, ("channels", cname, "target"), "needs a time >= 0.")
    names = [c.name for c in channels]
    if doc.staffing.method in ("erlang_a", "simulation"):
        for c, ch in zip(channels, doc.channels.values(), strict=True):
            if ch.patience is None and not c.is_deferred:
                raise fail_in(sources, ("channels", c.name), f"has no patience, which method "
                              f"{doc.staffing.method} needs (mean time callers wait before "
                              "hanging up). Add e.g. patience: 3m, or use method: erlang_c.")
    for i, shift in enumerate(doc.channel_shift):
        for key in ("from_channel", "to_channel"):
            value = getattr(shift, key)
            if value not in names:
                raise fail_in(sources, ("channel_shift", i, key), f"{value!r} is not a channel "
                              f"of the scenario ({', '.join(names)}).")
    groups = None
    if doc.agents is not None:
        groups = {}
        covered: set[str] = set()
        for gname, g in doc.agents.items():
            for j, skill in enumerate(g.skills):
                if skill not in names:
                    raise fail_in(sources, ("agents", gname, "skills", j), f"{skill!r} is not a "
                                  f"channel of the scenario ({', '.join(names)}).")
            groups[gname] = tuple(g.skills)
            covered.update(g.skills)
        missing = [n for n in names if n not in covered]
        if missing:
            raise fail_in(sources, ("agents",), f"no group has the skill for {missing}; every "
                          "channel needs agents. Add it to a group's skills.")
    money: list[tuple[Loc, float]] = [
        *((("pay", "hourly_rates", k), v) for k, v in doc.pay.hourly_rates.items()),
        (("pay", "overhead_per_paid_hour"), doc.pay.overhead_per_paid_hour),
        *(((("shifts", "templates", i, "hourly_rate"), t.hourly_rate)
           for i, t in enumerate(doc.shifts.templates) if t.hourly_rate is not None)
          if doc.shifts is not None else ())]
    for at, amount in money:
        if amount > MAX_HOURLY_RATE:
            raise fail_in(sources, at, f"must be at most {MAX_HOURLY_RATE:,.0f} per hour, got "
                          f"{amount:g}. Give the pay per paid hour in the scenario's currency, "
                          "e.g. 20.")
    for key in ("night_premium", "weekend_premium", "holiday_premium"):
        premium = getattr(doc.pay, key)
        if premium > MAX_PREMIUM:
            raise fail_in(sources, ("pay", key), f"must be at most {MAX_PREMIUM:g} (a fraction "
                          f"added to the rate: 0.25 is 25% more), got {premium:g}.")
    shift_rules = None
    pay_pos = sub_positions(sources[0].pos, ())
    if doc.shifts is not None:
        rules_doc = RulesDocument(currency=doc.currency, templates=doc.shifts.templates,
                                  rules=doc.shifts.rules, pay=doc.pay)
        src, _ = where(sources, ("shifts",))
        sub = sub_positions(src.pos, ("shifts",))
        check_rules_document(src.path, rules_doc, sub)
        shift_rules = build_shift_rules(src.path, rules_doc, sub, years)
        rates = shift_rules.rates
    else:
        # Interval staffing pays every agent the 'agent' rate.
        if "agent" not in doc.pay.hourly_rates:
            teams = (f"the groups {', '.join(doc.agents)}" if doc.agents
                     else f"one team per channel: {', '.join(names)}")
            known = ", ".join(doc.pay.hourly_rates) or "none"
            raise fail_in(sources, ("pay", "hourly_rates"), f"has no 'agent' rate (found: "
                          f"{known}); without shifts every agent ({teams}) is paid the 'agent' "
                          "rate per hour. Add it, e.g. hourly_rates: {agent: 20}.")
        # Only the pay section is needed (a placeholder template).
        placeholder = TemplateSection.model_validate({"name": "pay", "length": 3600,
                                                      "start": {"earliest": 0}})
        rates = build_shift_rules(path, RulesDocument(templates=[placeholder], pay=doc.pay),
                                  pay_pos, years).rates
    if holidays:
        rates = dataclasses.replace(
            rates, holidays=tuple(sorted(set(rates.holidays) | set(holidays))))
    n_rep = doc.simulation.replications
    if n_rep > MAX_REPLICATIONS:
        raise fail_in(sources, ("simulation", "replications"), f"must be at most "
                      f"{MAX_REPLICATIONS:,}, got {n_rep:,}. 10 to 50 give confidence intervals "
                      "of a few percent; e.g. replications: 20.")
    if n_rep == 1:
        raise fail_in(sources, ("simulation", "replications"), "must be 0 (no simulation) or at "
                      "least 2 (confidence intervals need two), got 1.")
    if doc.staffing.method == "simulation" and n_rep < 2:
        raise fail_in(sources, ("staffing", "method"), f"simulation needs "
                      f"simulation.replications >= 2 (it corrects the staffing by simulating), "
                      f"got {n_rep}. Add simulation: {{replications: 10}}.")
    ooh = doc.out_of_hours
    if ooh.lost_share + ooh.retry_share > 1 + 1e-12:
        raise fail_in(sources, ("out_of_hours",), f"lost_share ({ooh.lost_share:g}) + retry_share "
                      f"({ooh.retry_share:g}) = {ooh.lost_share + ooh.retry_share:g}, above 1: "
                      "they are shares of the same contacts that arrive while closed (the rest "
                      "use another channel). Lower one, e.g. lost_share: 0.3, retry_share: 0.5.")
    budget = None
    if doc.budget is not None:
        given_b = [(v, k) for k, v in (("week", doc.budget.per_week),
                                       ("year", doc.budget.per_year)) if v is not None]
        if len(given_b) != 1:
            raise fail_in(sources, ("budget",), "must give exactly one of per_week or per_year, "
                          "e.g. budget: {per_week: 50000}.")
        amount, period = float(given_b[0][0]), given_b[0][1]
        if not amount > 0:
            raise fail_in(sources, ("budget", f"per_{period}"), f"must be above 0, got "
                          f"{amount:g}: the plan's cost is compared with it. Give the budget "
                          f"for a {period}, e.g. per_{period}: "
                          f"{50000 if period == 'week' else 2600000}, or remove budget: to "
                          "plan without one.")
        budget = (amount, period)
    for i, line in enumerate(doc.expect):
        try:
            parse_expectation(line)
        except ValueError as err:
            raise fail_in(sources, ("expect", i), str(err)) from None
    capacity = None
    if doc.capacity is not None:
        if doc.horizon.days < 7:
            raise fail_in(sources, ("horizon", "days"), f"must be at least 7 with capacity: "
                          f"(its representative week is the horizon's first 7 days), got "
                          f"{doc.horizon.days}. E.g. horizon: {{start: "
                          f"{doc.horizon.start}, days: 7}}.")
        capacity = capacity_spec(
            sources, doc.capacity, channels=names, horizon_start=doc.horizon.start,
            shrinkage=doc.staffing.shrinkage, allow=allow, root=root, sandbox=sandbox,
            holidays=lambda years: holiday_dates(sources, doc, years))
    return Scenario(
        name=name, path=path, sha256=sha, interval_s=interval_s, timezone=doc.timezone,
        start=start, n_intervals=n_intervals, hours=hours, holidays=holidays,
        channels=tuple(channels), groups=groups, method=doc.staffing.method,
        shrinkage=doc.staffing.shrinkage, max_rounds=doc.staffing.max_rounds,
        shift_rules=shift_rules, rates=rates, volume_scale=doc.volume_scale,
        aht_scale=doc.aht_scale,
        channel_shift=tuple((s.from_channel, s.to_channel, s.share) for s in doc.channel_shift),
        lost_share=doc.out_of_hours.lost_share, retry_share=doc.out_of_hours.retry_share,
        retry_spread_s=float(doc.out_of_hours.retry_spread), n_replications=n_rep,
        seed=doc.seed, currency=doc.currency, budget=budget, expectations=tuple(doc.expect),
        label=name, long_label=name, overrides=overrides, description=doc.description,
        holiday_country=doc.holidays.country, holiday_subdivision=doc.holidays.subdivision,
        capacity=capacity)


def _overrides_text(overrides: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in overrides.items())


def _value_label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fields_label(point: dict[str, Any], *, whole_keys: bool) -> str:
    """A sweep point's fields as text: ``channels.voice.aht=240, ...`` (its name) or, each
    path cut to its last key, ``aht=240, ...`` (its label)."""
    return ", ".join(f"{key if whole_keys else key.rsplit('.', 1)[-1]}={_value_label(value)}"
                     for key, value in point.items())


def load_scenarios(path: str | Path, *, variants: bool = True,
                   overrides: dict[str, Any] | None = None,
                   confine_to: str | Path | None = None) -> list[Scenario]:
    """Read a scenario file: the base scenario, then each variant, then each sweep point.

    Parameters
    ----------
    path : str or pathlib.Path
        The scenario YAML file.
    variants : bool, optional
        Also build the variants and sweep points (default ``True``).
    overrides : dict, optional
        Fields changed on top of the file (the dashboard's knobs), as in a
        variant: nested mappings, or dotted paths such as
        ``{"channels.voice.aht": 300, "staffing.shrinkage": 0.3}``. ``None``
        removes a key (back to its default). They apply before the variants
        and sweep points, which build on them. The hash stays the file's.
    confine_to : str or pathlib.Path, optional
        A folder the file and every file it reads (``extends``,
        ``volume.file``, ``volume.history``) must lie in, after following
        symlinks and ``..``; the file's own ``allow_outside_folder`` is
        ignored. For files the caller does not trust: the dashboard passes
        the folder of an upload, which holds only the user's own uploads, so
        no message can quote another file. ``None`` (default): the rules of
        the file (its folder tree, unless ``allow_outside_folder: true``).

    Returns
    -------
    list of Scenario
        The base first.

    Raises
    ------
    InputFileError
        The file (or one it extends) is missing, not YAML, or breaks the
        schema; the message names the file, line, column, field, value and fix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "s.yaml").write_text(
    ...     "horizon: {start: 2026-03-02, days: 1}\\n"
    ...     "channels: {voice: {volume: {daily: 500}, aht: 4m, target: 80% in 20s}}\\n"
    ...     "variants: {busy: {volume_scale: 1.2}}\\n")
    >>> [s.name for s in load_scenarios(folder / "s.yaml")]
    ['s', 's / busy']
    """
    sandbox = confine_to is not None
    try:
        path = Path(path).resolve()
        root = Path(confine_to).resolve() if confine_to is not None else path.parent
    except (OSError, RuntimeError) as err:   # a symlink loop, a name too long
        raise InputFileError(f"{path}: cannot be read ({type(err).__name__}). Give the path "
                             "of a scenario YAML file.") from None
    if sandbox and is_outside(path, root):
        raise InputFileError(f"{path.name}: the file lies outside the folder it is "
                             f"confined to: {CONFINED}.")
    sources = read_sources(path, root, False, [path], sandbox=sandbox)
    data: dict[str, Any] = {}
    overs: dict[str, Any] = {}   # the variants so far, their nulls kept
    for src in reversed(sources):
        data = merge(data, {k: v for k, v in src.data.items() if k != "extends"})
        if isinstance(src.data.get("variants"), dict) and isinstance(data.get("variants"), dict):
            # A variant's nulls remove keys from the scenario it makes, not from the variant.
            data["variants"] = merge(overs, src.data["variants"], keep_null=True)
        overs = data.get("variants") or {}
    sha = hashlib.sha256(b"".join(src.raw for src in sources)).hexdigest()
    if overrides:
        for key, value in overrides.items():
            data = set_path(data, str(key), value)
        try:
            doc = ScenarioDocument.model_validate(data)
        except ValidationError as err:
            detail = err.errors()[0]
            field_path = path_text(field_loc(detail["loc"]))
            rule = str(detail["msg"]).removeprefix("Value error, ").replace(
                "Input should be", "must be")
            raise InputFileError(f"{path}: with the settings {_overrides_text(overrides)}: "
                                 f"{field_path} {rule}. Change the setting.") from None
    else:
        doc = validate(sources, data)
    base_name = doc.name or path.stem
    try:
        out = [_build_scenario(sources, doc, base_name, sha, root, dict(overrides or {}),
                               sandbox)]
    except InputFileError as err:
        if not overrides:
            raise
        raise InputFileError(f"with the settings {_overrides_text(overrides)}: {err}") from None
    if not variants:
        return out
    base_data = {k: v for k, v in data.items() if k not in ("variants", "sweep")}
    for vname, over in doc.variants.items():
        if not isinstance(over, dict):
            raise fail_in(sources, ("variants", vname), "must be a mapping of the fields it "
                          "changes, e.g. 24x7: {hours: 24x7}.")
        merged = merge(base_data, over)
        vdoc = validate(sources, merged, ("variants", vname))
        try:
            vfull = f"{base_name} / {vname}"
            out.append(dataclasses.replace(_build_scenario(
                sources, vdoc, vfull, sha, root, dict(over), sandbox),
                kind="variant", label=vname, long_label=vfull))
        except InputFileError as err:
            vsrc, _ = where(sources, ("variants", vname))
            line, col = vsrc.pos.keys.get(("variants", vname), (1, 1))
            raise InputFileError(f"{vsrc.path}:{line}:{col}: variants.{vname}: the scenario it "
                                 f"makes is not valid: {err}") from None
    if doc.sweep:
        keys = list(doc.sweep)
        grids = [sweep_values(sources, k, doc.sweep[k]) for k in keys]
        n_points = math.prod(len(g) for g in grids)
        if n_points > 10_000:
            raise fail_in(sources, ("sweep",), f"has {n_points} points; at most 10,000. Use fewer "
                          "values or split the sweep.")
        for combo in itertools.product(*grids):
            merged = base_data
            for k, value in zip(keys, combo, strict=True):
                merged = set_path(merged, k, value)
            point_fields = dict(zip(keys, combo, strict=True))
            label = _fields_label(point_fields, whole_keys=True)
            try:
                pdoc = ScenarioDocument.model_validate(merged)
            except ValidationError as err:
                detail = err.errors()[0]
                field_path = ".".join(str(x) for x in field_loc(detail["loc"]))
                at_fault = next((k for k in keys if field_path == k
                                 or field_path.startswith(k + ".")
                                 or k.startswith(field_path + ".")), keys[0])
                if detail["type"] == "unknown_key":
                    at_fault = next((k for k in keys if detail["ctx"]["key"] in k.split(".")),
                                    at_fault)
                src, _ = where(sources, ("sweep",))
                line, col = src.pos.keys.get(("sweep", at_fault), (1, 1))
                rule = str(detail["msg"]).removeprefix("Value error, ")
                raise InputFileError(
                    f"{src.path}:{line}:{col}: sweep point {label}: {field_path} "
                    f"{rule.replace('Input should be', 'must be')}. Check the "
                    "dotted field names and the values of the sweep.") from None
            try:
                point = _build_scenario(sources, pdoc, f"{base_name} / {label}", sha, root,
                                        dict(point_fields), sandbox)
            except InputFileError as err:
                src, _ = where(sources, ("sweep",))
                line, col = src.pos.keys.get(("sweep", keys[0]), (1, 1))
                raise InputFileError(f"{src.path}:{line}:{col}: sweep point {label}: the "
                                     f"scenario it makes is not valid: {err}") from None
            short = _fields_label(point_fields, whole_keys=False)
            out.append(dataclasses.replace(point, kind="sweep", label=short,
                                           long_label=f"{base_name} / {short}"))
    return out

