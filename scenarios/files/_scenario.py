"""The scenario file: one YAML file describes a contact centre and what to check.

A scenario file (all keys but ``horizon`` and ``channels`` optional)::

    name: Retail bank voice line
    extends: base.yaml              # build on another file (relative to this one)
    timezone: Europe/London
    interval: 30m                   # 15m, 30m or 1h
    horizon: {start: 2026-03-02, days: 7}
    hours: extended                 # 8x5, extended, 24x7, or {Mon-Fri: "08:00-20:00", Sat: closed}
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

import copy
import dataclasses
import datetime as dt
import hashlib
import itertools
import math
import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, cast

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, Field, ValidationError, WithJsonSchema

from forecasting.contracts import METHODS
from staffing.shifts import PayRates

from .._errors import InputFileError, ScenarioError
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
from ._hours import OpeningHours
from ._shift_rules import (
    _DURATION_JSON,
    _EXAMPLES,
    DAY_NAMES,
    Count,
    Duration,
    Fraction,
    Loc,
    NonNegative,
    ShiftRules,
    _build,
    _cross_check,
    _file_problem,
    _Holidays,
    _path_text,
    _Pay,
    _Positions,
    _read_file_bytes,
    _resolve,
    _Rules,
    _RulesFile,
    _schema_error,
    _Section,
    _short,
    _Template,
    load_yaml_mapping,
    parse_days,
    parse_duration,
)

# ---------------------------------------------------------------------------------------------
# The schema
# ---------------------------------------------------------------------------------------------

_TARGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*(?:in|within)\s+(.+?)\s*$", re.IGNORECASE)


def _target_spec(value: Any) -> Any:
    if isinstance(value, str):
        match = _TARGET.match(value)
        if not match:
            raise ValueError("must look like '80% in 20s' (a percentage, 'in', a duration)")
        percent = float(match.group(1))
        if not 0 < percent < 100:
            raise ValueError(f"needs a percentage above 0% and below 100%, got {percent:g}%")
        return {"service_level": percent / 100.0, "within": match.group(2)}
    return value


def _positive_duration(value: Any) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError:
        seconds = -1.0
    if not seconds > 0:
        raise ValueError("must be a duration > 0, e.g. 4m, 30s or a number of seconds")
    return seconds


PositiveDuration = Annotated[float, BeforeValidator(_positive_duration),
                             WithJsonSchema(_DURATION_JSON)]
_TARGET_JSON = {"anyOf": [{"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*%\s*(in|within)\s+"},
                          {"type": "object", "properties": {
                              "service_level": {"type": "number"}, "within": _DURATION_JSON}}],
                "description": "a target such as '80% in 20s' or '95% in 24h'"}


class _Target(_Section):
    service_level: Annotated[float, Field(gt=0, lt=1)]
    within: Duration


class _Volume(_Section):
    file: str | None = None
    daily: NonNegative | dict[str, NonNegative] | None = None
    profile: Literal["flat"] | dict[str, NonNegative] | None = None
    history: str | None = None
    method: str = "auto"


class _Channel(_Section):
    volume: _Volume
    aht: PositiveDuration
    target: Annotated[_Target, BeforeValidator(_target_spec), WithJsonSchema(_TARGET_JSON)]
    patience: PositiveDuration | None = None
    concurrency: Annotated[int, Field(ge=1, le=20)] = 1
    deferred: bool = False
    max_occupancy: Annotated[float, Field(gt=0, le=1)] | None = None


class _Group(_Section):
    skills: Annotated[list[str], Field(min_length=1)]


class _Horizon(_Section):
    start: dt.date
    days: Annotated[int, Field(ge=1, le=371)] = 7


class _Staffing(_Section):
    method: Literal["erlang_c", "erlang_a", "simulation"] = "erlang_c"
    shrinkage: Annotated[float, Field(ge=0, lt=1)] = 0.0
    max_rounds: Annotated[int, Field(ge=1, le=20)] = 4


class _Shifts(_Section):
    templates: Annotated[list[_Template], Field(min_length=1)]
    rules: _Rules = _Rules()


class _OutOfHours(_Section):
    lost_share: Fraction = 0.0
    retry_share: Fraction = 0.0
    retry_spread: PositiveDuration = 7200.0


class _Simulation(_Section):
    replications: Count = 0


class _Budget(_Section):
    per_week: NonNegative | None = None
    per_year: NonNegative | None = None


class _ChannelShift(_Section):
    from_channel: str
    to_channel: str
    share: Fraction


class _ScenarioHolidays(_Holidays):
    closed: bool = True


class _ScenarioFile(_Section):
    name: str | None = None
    description: str = ""
    extends: str | None = None
    allow_outside_folder: bool = False
    timezone: str = "UTC"
    interval: PositiveDuration = 1800.0
    horizon: _Horizon
    hours: str | dict[str, str] = "24x7"
    holidays: _ScenarioHolidays = _ScenarioHolidays()
    currency: str = "EUR"
    seed: Annotated[int, Field(ge=0)] = 0
    channels: dict[str, _Channel]
    agents: dict[str, _Group] | None = None
    volume_scale: Annotated[float, Field(gt=0)] = 1.0
    aht_scale: Annotated[float, Field(gt=0)] = 1.0
    channel_shift: list[_ChannelShift] = []
    staffing: _Staffing = _Staffing()
    shifts: _Shifts | None = None
    pay: _Pay = _Pay()
    out_of_hours: _OutOfHours = _OutOfHours()
    simulation: _Simulation = _Simulation()
    budget: _Budget | None = None
    expect: list[str] = []
    variants: dict[str, dict[str, Any]] = {}
    sweep: dict[str, list[Any] | dict[str, float]] = {}

_SCENARIO_EXAMPLES = {
    **_EXAMPLES,
    "horizon": "horizon: {start: 2026-03-02, days: 7}",
    "start": "start: 2026-03-02",
    "channels": "channels: {voice: {volume: {daily: 1000, profile: flat}, aht: 4m, "
                "target: 80% in 20s}}",
    "volume": "volume: {daily: 1000, profile: flat} or volume: {file: voice.csv}",
    "aht": "aht: 4m (or 240)",
    "target": "target: 80% in 20s",
    "patience": "patience: 3m",
    "concurrency": "concurrency: 2",
    "interval": "interval: 30m",
    "hours": "hours: extended (8x5, extended, 24x7) or {Mon-Fri: \"08:00-20:00\"}",
    "method": "method: erlang_a (erlang_c, erlang_a or simulation)",
    "replications": "replications: 10",
    "skills": "skills: [voice, chat]",
    "lost_share": "lost_share: 0.3 (a fraction)",
    "retry_share": "retry_share: 0.5 (a fraction)",
    "per_week": "per_week: 50000",
    "per_year": "per_year: 2600000",
    "volume_scale": "volume_scale: 1.1",
    "seed": "seed: 7",
    "horizon.days": "days: 7",
    "max_rounds": "max_rounds: 4",
}

_VOLUME_FILES = ("file", "history")


# ---------------------------------------------------------------------------------------------
# The domain object
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelSpec:
    """One channel of a scenario (durations in seconds, fractions 0-1).

    Attributes
    ----------
    name : str
    volume : dict
        Where volumes come from: ``file`` (path), ``history`` (path) and
        ``method``, or ``daily`` (contacts per day, one number or by weekday
        0-6) and ``profile`` (``"flat"`` or weights by second of day).
    aht_s : float
    service_level_target : float
    answer_within_s : float
        The "20" of 80/20; for deferred work the response time.
    mean_patience_s : float or None
    concurrency : int
    is_deferred : bool
    max_occupancy : float or None
    """

    name: str
    volume: dict[str, Any]
    aht_s: float
    service_level_target: float
    answer_within_s: float
    mean_patience_s: float | None
    concurrency: int
    is_deferred: bool
    max_occupancy: float | None


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
    overrides : dict
        The variant's or sweep point's fields (empty for the base).
    description : str
    holiday_country, holiday_subdivision : str or None
        The public-holiday calendar (the daily forecasting models use it).
    kind : {"base", "variant", "sweep"}
        Which of the file's scenarios this is.
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
    overrides: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    kind: str = "base"

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


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


@dataclass
class _Source:
    path: Path
    pos: _Positions
    data: dict[str, Any]
    raw: bytes


#: What the messages say when a confined file (``confine_to``) names a file outside its folder.
_CONFINED = ("an uploaded (confined) file may only use files in its own folder, and "
             "allow_outside_folder does not apply to it. Put the data in the file itself, or "
             "open the folder that holds both with ccplan dashboard FOLDER or ccplan run")


def _outside(target: Path, root: Path) -> bool:
    """Whether ``target`` (resolved: symlinks and ``..`` followed) lies outside ``root``."""
    return not target.is_relative_to(root)


def _read(path: Path, root: Path, allow_outside: bool, chain: list[Path], *,
          sandbox: bool = False) -> list[_Source]:
    """The file and the files it extends, child first.

    ``sandbox``: nothing outside ``root`` is read, whatever ``allow_outside_folder`` says.
    """
    problem = _file_problem(path)
    if problem is not None:
        raise InputFileError(f"{_short(path)}: {problem}. Give the path of a scenario YAML file "
                             "(see scenarios/examples/).")
    raw = _read_file_bytes(path, "scenario")
    data, pos = load_yaml_mapping(
        path, raw, what="scenario",
        empty_hint="A scenario needs at least 'horizon' and 'channels', e.g. horizon: "
                   "{start: 2026-03-02, days: 7}.",
        mapping_rule="a scenario file must be a mapping of keys (name, horizon, channels, ...)")
    here = _Source(path, pos, data, raw)
    _check_value_maps(here)
    parent = data.get("extends")
    if parent is None:
        return [here]
    line, col = pos.values.get(("extends",), (1, 1))
    if not isinstance(parent, str) or not parent.strip():
        raise InputFileError(f"{path}:{line}:{col}: extends must be the path of another "
                             f"scenario file, got {parent!r}. E.g. extends: base.yaml.")
    target = (path.parent / parent).resolve()
    if sandbox and _outside(target, root):
        raise InputFileError(f"{path}:{line}:{col}: extends {parent!r} points outside the "
                             f"file's folder: {_CONFINED}.")
    allow = allow_outside or bool(data.get("allow_outside_folder", False))
    if not allow and not target.is_relative_to(root):
        raise InputFileError(
            f"{path}:{line}:{col}: extends {_short(parent)!r} points outside the scenario's "
            f"folder {root}. Move the base file into that folder tree, or set "
            "allow_outside_folder: true in the file to allow it.")
    problem = _file_problem(target)
    if problem is not None:
        raise InputFileError(f"{path}:{line}:{col}: extends {_short(parent)!r}: {problem} "
                             f"(looked for {_short(target)}). Give the base file's path "
                             f"relative to {path.name}.")
    if target in chain:
        raise InputFileError(f"{path}:{line}:{col}: extends {parent!r} loops back to "
                             f"{target.name} ({' -> '.join(p.name for p in chain)}). Remove "
                             "one of the extends.")
    return [here, *_read(target, root, allow, [*chain, target], sandbox=sandbox)]


#: Mappings of values (numbers, or opening times) by key, and what a key set to null there
#: should say instead. The merge removes a null key (back to its default), which inside these
#: would silently leave a day, a time of day or a rate out: there a null is an error.
_VALUE_MAPS: tuple[tuple[Loc, str], ...] = (
    (("channels", "*", "volume", "daily"),
     "the day's contacts, 0 for a day without contacts: {key}: 0"),
    (("channels", "*", "volume", "profile"),
     "a weight, 0 for no contacts from that time on: \"{key}\": 0"),
    (("pay", "hourly_rates"), "a rate per paid hour, e.g. {key}: 20, or leave the key out"),
    (("hours",), "the hours or closed: {key}: \"08:00-20:00\" or {key}: closed"),
)


def _value_maps(data: Any, pattern: Loc, loc: Loc = ()) -> list[tuple[Loc, dict[Any, Any]]]:
    """The mappings of ``data`` at ``pattern`` (``"*"`` matches every key), with their paths."""
    if not pattern:
        return [(loc, data)] if isinstance(data, dict) else []
    if not isinstance(data, dict):
        return []
    head, rest = pattern[0], pattern[1:]
    keys = list(data) if head == "*" else [head] if head in data else []
    return [found for key in keys for found in _value_maps(data[key], rest, (*loc, str(key)))]


def _check_value_maps(src: _Source) -> None:
    """A key set to null inside a mapping of values is an error (in the file and its variants)."""
    variants = src.data.get("variants")
    parts: list[tuple[Loc, Any]] = [((), src.data)]
    if isinstance(variants, dict):
        parts += [(("variants", str(v)), over) for v, over in variants.items()]
    for prefix, base in parts:
        for pattern, fix in _VALUE_MAPS:
            for loc, mapping in _value_maps(base, pattern, prefix):
                for key, value in mapping.items():
                    if value is None:
                        field_loc = (*loc, str(key))
                        line, col = src.pos.keys.get(field_loc, src.pos.values.get(loc, (1, 1)))
                        raise InputFileError(
                            f"{src.path}:{line}:{col}: {_path_text(field_loc)} is empty (null), "
                            f"which would leave {key!r} out without a word. Give "
                            f"{fix.format(key=key)}.")


def _merge(base: Any, over: Any) -> Any:
    """``over`` merged into ``base``: mappings key by key, anything else replaced.

    A key set to ``null`` in ``over`` is removed (back to its default), e.g.
    ``variants: null`` in a file that extends one with variants.
    """
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            if value is None:
                out.pop(key, None)
            else:
                # A new mapping is merged into an empty one, so its nulls are removed too.
                out[key] = _merge(base.get(key, {}), value)
        return out
    return copy.deepcopy(over)


def _where(sources: list[_Source], loc: Loc) -> tuple[_Source, Loc]:
    """The file (child first) where the deepest part of ``loc`` is written."""
    best, best_found = sources[0], cast(Loc, ())
    for src in sources:
        found, _rest = _resolve(loc, src.pos)
        if len(found) > len(best_found):
            best, best_found = src, found
    return best, best_found


def _fail(sources: list[_Source], loc: Loc, message: str) -> InputFileError:
    src, found = _where(sources, loc)
    line, col = src.pos.values.get(found, (1, 1))
    return InputFileError(f"{src.path}:{line}:{col}: {_path_text(loc)} {message}")


def _validate(sources: list[_Source], data: dict[str, Any], prefix: Loc = ()) -> _ScenarioFile:
    try:
        return _ScenarioFile.model_validate(data)
    except ValidationError as err:
        detail = err.errors()[0]
        loc = (*prefix, *(x for x in detail["loc"] if isinstance(x, str | int)))
        if prefix:
            # An override (a variant): point at the line of the variant that sets the field.
            vsrc, _ = _where(sources, prefix)
            sub = _sub_positions(vsrc.pos, prefix)
            found, _rest = _resolve(loc[len(prefix):], sub)
            if found:
                raise _schema_error(vsrc.path, err, sub, _SCENARIO_EXAMPLES) from None
            line, col = vsrc.pos.values.get(prefix, (1, 1))
            raise InputFileError(
                f"{vsrc.path}:{line}:{col}: {_path_text(prefix)}: the scenario it makes is not "
                f"valid: {str(_schema_error(vsrc.path, err, sub, _SCENARIO_EXAMPLES))}"
            ) from None
        src, _found = _where(sources, loc)
        raise _schema_error(src.path, err, src.pos, _SCENARIO_EXAMPLES) from None


def _file_in_tree(sources: list[_Source], loc: Loc, value: str, allow: bool,
                  root: Path, sandbox: bool = False) -> Path:
    src, _ = _where(sources, loc)
    target = (src.path.parent / value).resolve()
    if sandbox and _outside(target, root):
        raise _fail(sources, loc, f"{value!r} is outside the file's folder: {_CONFINED}.")
    if not allow and not target.is_relative_to(root):
        raise _fail(sources, loc, f"{_short(value)!r} is outside the scenario's folder {root}. "
                    "Copy the file into that folder tree, or set allow_outside_folder: true.")
    problem = _file_problem(target)
    if problem is not None:
        raise _fail(sources, loc, f"{_short(value)!r}: {problem} (looked for {_short(target)})."
                    " Give a path relative to the scenario file that names it.")
    return target


def _weekday_map(sources: list[_Source], loc: Loc, mapping: dict[str, Any]) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for key, value in mapping.items():
        try:
            days = parse_days(key)
        except ValueError as err:
            raise _fail(sources, (*loc, key), f"{err}. Keys are days such as Mon, Mon-Fri or "
                        "all.") from None
        for d in days:
            out[d] = value
    return out


def _hours(sources: list[_Source], doc: _ScenarioFile, holidays: tuple[dt.date, ...]
           ) -> OpeningHours:
    closed = holidays if doc.holidays.closed else ()
    if isinstance(doc.hours, str):
        if doc.hours in ("8x5", "extended", "24x7"):
            return OpeningHours.preset(doc.hours, closed)
        raise _fail(sources, ("hours",), f"must be 8x5, extended, 24x7 or a mapping of days to "
                    f"hours, got {doc.hours!r}. E.g. hours: {{Mon-Fri: \"08:00-20:00\", "
                    f"Sat: \"09:00-13:00\"}}.")
    if not doc.hours:
        raise _fail(sources, ("hours",), "is an empty mapping, which would keep the centre "
                    "closed every day without a word. Name the days and their hours, e.g. "
                    "hours: {Mon-Fri: \"08:00-20:00\", Sat-Sun: closed}, or use 24x7.")
    by_day = _weekday_map(sources, ("hours",), doc.hours)
    pairs: list[tuple[float, float]] = []
    for d in range(7):
        text = str(by_day.get(d, "closed")).strip()
        if text.lower() == "closed":
            pairs.append((0.0, 0.0))
            continue
        match = re.match(r"^(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$", text)
        key = next(k for k in doc.hours if d in parse_days(k)) if d in by_day else ""
        if not match:
            raise _fail(sources, ("hours", key), f"must be \"HH:MM-HH:MM\" or closed, got "
                        f"{text!r}. E.g. \"08:00-20:00\".")
        lo, hi = (_clock_or_none(match.group(1)), _clock_or_none(match.group(2), allow_24=True))
        if lo is None or hi is None:
            raise _fail(sources, ("hours", key), f"{text!r} has a time that is not on the clock "
                        "(hours 00 to 23, or 24:00 for midnight at the end; minutes 00 to 59). "
                        "E.g. \"08:00-20:00\".")
        if hi == 0.0:
            hi = 86400.0
        if not 0 <= lo < hi <= 86400:
            raise _fail(sources, ("hours", key), f"{text!r} must open before it closes, "
                        "within one day (24:00 is written 00:00 or 24:00). Split a night "
                        "over two days.")
        pairs.append((lo, hi))
    return OpeningHours("custom", tuple(pairs), tuple(closed))


def _clock_or_none(text: str, *, allow_24: bool = False) -> float | None:
    """``"HH:MM"`` as seconds after midnight; ``None`` unless 00:00 to 23:59 (or 24:00)."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match:
        return None
    hh, mm = int(match.group(1)), int(match.group(2))
    if mm >= 60 or not (hh < 24 or (allow_24 and hh == 24 and mm == 0)):
        return None
    return hh * 3600.0 + mm * 60.0


def _holiday_dates(sources: list[_Source], doc: _ScenarioFile, years: list[int]
                   ) -> tuple[dt.date, ...]:
    dates = set(doc.holidays.dates)
    if doc.holidays.country is not None:
        import holidays

        try:
            calendar = holidays.country_holidays(doc.holidays.country,
                                                 subdiv=doc.holidays.subdivision, years=years)
        except NotImplementedError as err:
            which = "subdivision" if doc.holidays.subdivision else "country"
            raise _fail(sources, ("holidays", which), f"is not known to the holidays package "
                        f"({err}). Use an ISO 3166 code such as GB, FR or IL and one of its "
                        "subdivision codes.") from None
        dates.update(calendar)
    return tuple(sorted(dates))


def _profile(sources: list[_Source], loc: Loc, profile: Any) -> Any:
    if profile is None or profile == "flat":
        return "flat"
    out: dict[float, float] = {}
    for key, weight in profile.items():
        seconds = _clock_or_none(str(key))
        if seconds is None:
            raise _fail(sources, (*loc, key), "profile keys must be times of day \"HH:MM\" "
                        "from \"00:00\" to \"23:59\" (the weight holds from that time to the "
                        f"next key, the last one to midnight), got {key!r}. A key at or after "
                        "24:00 would take the day's volume with it; to end the day early give "
                        "a key with weight 0, e.g. \"22:00\": 0.")
        out[seconds] = float(weight)
    if sum(out.values()) <= 0:
        raise _fail(sources, loc, "needs a weight above 0. E.g. profile: {\"08:00\": 5, "
                    "\"12:00\": 8, \"18:00\": 0}.")
    return dict(sorted(out.items()))


def _days_text(days: list[int]) -> str:
    """Weekdays as the file writes them: ``[1, 2, 3, 6]`` -> ``"Tue-Thu, Sun"``."""
    runs: list[list[int]] = []
    for d in sorted(days):
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(DAY_NAMES[r[0]] if len(r) == 1 else f"{DAY_NAMES[r[0]]}-{DAY_NAMES[r[-1]]}"
                     for r in runs)


def _daily_totals(sources: list[_Source], loc: Loc, daily: Any,
                  horizon: _Horizon) -> dict[int, float]:
    """Contacts per weekday (0 = Monday): one number for every day, or each day of the
    horizon by name (a day the horizon includes may not be left out)."""
    if not isinstance(daily, dict):
        return dict.fromkeys(range(7), daily)
    by_day = _weekday_map(sources, loc, daily)
    needed = {(horizon.start.weekday() + k) % 7 for k in range(min(horizon.days, 7))}
    missing = sorted(d for d in needed if by_day.get(d) is None)
    if missing:
        written = [f"{k}: {v:g}" for k, v in daily.items() if isinstance(v, int | float)]
        added = [f"{run}: 0" for run in _days_text(missing).split(", ")]
        raise _fail(sources, loc, f"gives no number for {_days_text(missing)}, which the "
                    f"horizon ({horizon.start}, {horizon.days} days) includes; a day left out "
                    "is not read as 0. Give every day, 0 for a day without contacts, e.g. "
                    f"daily: {{{', '.join(written + added)}}}, or one number for every day.")
    return by_day


def _day_start(day: dt.date, timezone: str) -> pd.Timestamp:
    """The first instant of a local calendar day.

    Local midnight, or where the clocks skip it (a clock change at 00:00, as in
    Africa/Cairo on 2026-04-24) the first time the day has (01:00 there); where midnight
    comes twice (the clocks go back at 01:00 to 00:00) the first of the two.
    """
    return pd.Timestamp(day).tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")


def _build_scenario(sources: list[_Source], doc: _ScenarioFile, name: str, sha: str,
                    root: Path, overrides: dict[str, Any], sandbox: bool = False) -> Scenario:
    path = sources[0].path
    allow = doc.allow_outside_folder and not sandbox
    try:
        zoneinfo.ZoneInfo(doc.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _fail(sources, ("timezone",), f"{doc.timezone!r} is not a time zone. Use an IANA "
                    "name such as Europe/London or America/New_York.") from None
    first, last = PLANNING_FIRST_DAY, PLANNING_LAST_DAY
    if not first <= doc.horizon.start <= last:
        raise _fail(sources, ("horizon", "start"), f"must be a date from {first} to {last} "
                    f"(the planning range ccplan accepts), got {doc.horizon.start}. Check the "
                    "year, e.g. start: 2026-03-02.")
    interval_s = float(doc.interval)
    if interval_s < 60:
        raise _fail(sources, ("interval",), f"must be at least 60 s (one minute), got "
                    f"{interval_s:g} s. Use 15m, 30m or 1h.")
    if 86400 % interval_s:
        raise _fail(sources, ("interval",), f"must divide a day into whole intervals, got "
                    f"{interval_s:g} s. Use 15m, 30m or 1h.")
    if not doc.channels:
        raise _fail(sources, ("channels",), "lists no channel. Add one, e.g. channels: {voice: "
                    "{volume: {daily: 1000, profile: flat}, aht: 4m, target: 80% in 20s}}.")
    # Whole local days: a day with a clock change has 23 or 25 hours of intervals, and a
    # day whose midnight the clocks skip (Africa/Cairo, 2026-04-24) starts at its first
    # instant (01:00 there).
    start = _day_start(doc.horizon.start, doc.timezone)
    end = _day_start(doc.horizon.start + dt.timedelta(days=doc.horizon.days), doc.timezone)
    n_intervals = int(round((end - start).total_seconds() / interval_s))
    if n_intervals * len(doc.channels) > MAX_CHANNEL_INTERVALS:
        raise _fail(sources, ("interval",), f"{interval_s:g} s over {doc.horizon.days} day(s) "
                    f"for {len(doc.channels)} channel(s) makes {n_intervals * len(doc.channels):,} "
                    f"channel-intervals; at most {MAX_CHANNEL_INTERVALS:,}. Use longer intervals "
                    "(e.g. 30m), fewer days, or split the horizon into several files.")
    for key, scale in (("volume_scale", doc.volume_scale), ("aht_scale", doc.aht_scale)):
        if scale > MAX_SCALE:
            raise _fail(sources, (key,), f"must be at most {MAX_SCALE:,.0f}, got {scale:g}. It "
                        f"multiplies every channel's {key.removesuffix('_scale')} (1.1: 10% "
                        "more); give the volumes or handle times themselves for a change "
                        "this large.")
    years = sorted({(doc.horizon.start + dt.timedelta(days=k)).year
                    for k in range(doc.horizon.days + 1)})
    holidays = _holiday_dates(sources, doc, years)
    hours = _hours(sources, doc, holidays)
    channels = []
    for cname, ch in doc.channels.items():
        loc: Loc = ("channels", cname, "volume")
        v = ch.volume
        given = [k for k in ("file", "daily", "history") if getattr(v, k) is not None]
        if len(given) != 1:
            raise _fail(sources, loc, "must give exactly one of file (volumes per interval), "
                        "daily (totals with a profile) or history (forecast from it), got "
                        f"{given or 'none'}. E.g. volume: {{daily: 1000, profile: flat}}.")
        volume: dict[str, Any] = {"kind": given[0]}
        if v.file is not None:
            volume["path"] = _file_in_tree(sources, (*loc, "file"), v.file, allow, root,
                                           sandbox)
        elif v.history is not None:
            volume["path"] = _file_in_tree(sources, (*loc, "history"), v.history, allow,
                                           root, sandbox)
            if v.method != "auto" and v.method not in METHODS:
                raise _fail(sources, (*loc, "method"), f"{v.method!r} is not a forecasting "
                            f"method; use auto or one of {', '.join(METHODS)}.")
            volume["method"] = v.method
        else:
            volume["daily"] = _daily_totals(sources, (*loc, "daily"), v.daily, doc.horizon)
            volume["profile"] = _profile(sources, (*loc, "profile"), v.profile)
        if ch.deferred and ch.concurrency != 1:
            raise _fail(sources, ("channels", cname, "concurrency"), "must be 1 for deferred "
                        "work (deferred: true). Remove it or set deferred: false.")
        patience = ch.patience
        if float(ch.aht) * doc.aht_scale > MAX_AHT_S:
            raise _fail(sources, ("channels", cname, "aht"), f"must be at most "
                        f"{MAX_AHT_S / 3600:g}h, got {float(ch.aht) * doc.aht_scale:g} s"
                        f"{' (after aht_scale)' if doc.aht_scale != 1 else ''}. It is the mean "
                        "time to handle one contact, e.g. aht: 4m.")
        if patience is not None and float(patience) > MAX_PATIENCE_S:
            raise _fail(sources, ("channels", cname, "patience"), f"must be at most "
                        f"{MAX_PATIENCE_S / 86400:g} days, got {float(patience):g} s. It is the "
                        "mean time callers wait before hanging up, e.g. patience: 3m; leave it "
                        "out (and use method: erlang_c) for callers who never hang up.")
        channels.append(ChannelSpec(
            name=cname, volume=volume, aht_s=float(ch.aht),
            service_level_target=ch.target.service_level,
            answer_within_s=float(ch.target.within),
            mean_patience_s=None if patience is None else float(patience),
            concurrency=ch.concurrency, is_deferred=ch.deferred,
            max_occupancy=ch.max_occupancy))
        if ch.target.within < 0:
            raise _fail(sources, ("channels", cname, "target"), "needs a time >= 0.")
    names = [c.name for c in channels]
    if doc.staffing.method in ("erlang_a", "simulation"):
        for c, ch in zip(channels, doc.channels.values(), strict=True):
            if ch.patience is None and not c.is_deferred:
                raise _fail(sources, ("channels", c.name), f"has no patience, which method "
                            f"{doc.staffing.method} needs (mean time callers wait before "
                            "hanging up). Add e.g. patience: 3m, or use method: erlang_c.")
    for i, shift in enumerate(doc.channel_shift):
        for key in ("from_channel", "to_channel"):
            value = getattr(shift, key)
            if value not in names:
                raise _fail(sources, ("channel_shift", i, key), f"{value!r} is not a channel "
                            f"of the scenario ({', '.join(names)}).")
    groups = None
    if doc.agents is not None:
        groups = {}
        covered: set[str] = set()
        for gname, g in doc.agents.items():
            for j, skill in enumerate(g.skills):
                if skill not in names:
                    raise _fail(sources, ("agents", gname, "skills", j), f"{skill!r} is not a "
                                f"channel of the scenario ({', '.join(names)}).")
            groups[gname] = tuple(g.skills)
            covered.update(g.skills)
        missing = [n for n in names if n not in covered]
        if missing:
            raise _fail(sources, ("agents",), f"no group has the skill for {missing}; every "
                        "channel needs agents. Add it to a group's skills.")
    money: list[tuple[Loc, float]] = [
        *((("pay", "hourly_rates", k), v) for k, v in doc.pay.hourly_rates.items()),
        (("pay", "overhead_per_paid_hour"), doc.pay.overhead_per_paid_hour),
        *(((("shifts", "templates", i, "hourly_rate"), t.hourly_rate)
           for i, t in enumerate(doc.shifts.templates) if t.hourly_rate is not None)
          if doc.shifts is not None else ())]
    for where, amount in money:
        if amount > MAX_HOURLY_RATE:
            raise _fail(sources, where, f"must be at most {MAX_HOURLY_RATE:,.0f} per hour, got "
                        f"{amount:g}. Give the pay per paid hour in the scenario's currency, "
                        "e.g. 20.")
    for key in ("night_premium", "weekend_premium", "holiday_premium"):
        premium = getattr(doc.pay, key)
        if premium > MAX_PREMIUM:
            raise _fail(sources, ("pay", key), f"must be at most {MAX_PREMIUM:g} (a fraction "
                        f"added to the rate: 0.25 is 25% more), got {premium:g}.")
    shift_rules = None
    pay_pos = _sub_positions(sources[0].pos, ())
    if doc.shifts is not None:
        rules_doc = _RulesFile(templates=doc.shifts.templates, rules=doc.shifts.rules,
                               pay=doc.pay)
        src, _ = _where(sources, ("shifts",))
        sub = _sub_positions(src.pos, ("shifts",))
        _cross_check(src.path, rules_doc, sub)
        shift_rules = _build(src.path, rules_doc, sub, years)
        rates = shift_rules.rates
    else:
        # Interval staffing pays every agent the 'agent' rate.
        if "agent" not in doc.pay.hourly_rates:
            teams = (f"the groups {', '.join(doc.agents)}" if doc.agents
                     else f"one team per channel: {', '.join(names)}")
            known = ", ".join(doc.pay.hourly_rates) or "none"
            raise _fail(sources, ("pay", "hourly_rates"), f"has no 'agent' rate (found: "
                        f"{known}); without shifts every agent ({teams}) is paid the 'agent' "
                        "rate per hour. Add it, e.g. hourly_rates: {agent: 20}.")
        # Only the pay section is needed (a placeholder template).
        placeholder = _Template.model_validate({"name": "pay", "length": 3600,
                                                "start": {"earliest": 0}})
        rates = _build(path, _RulesFile(templates=[placeholder], pay=doc.pay), pay_pos,
                       years).rates
    if holidays:
        rates = dataclasses.replace(
            rates, holidays=tuple(sorted(set(rates.holidays) | set(holidays))))
    n_rep = doc.simulation.replications
    if n_rep > MAX_REPLICATIONS:
        raise _fail(sources, ("simulation", "replications"), f"must be at most "
                    f"{MAX_REPLICATIONS:,}, got {n_rep:,}. 10 to 50 give confidence intervals "
                    "of a few percent; e.g. replications: 20.")
    if n_rep == 1:
        raise _fail(sources, ("simulation", "replications"), "must be 0 (no simulation) or at "
                    "least 2 (confidence intervals need two), got 1.")
    if doc.staffing.method == "simulation" and n_rep < 2:
        raise _fail(sources, ("staffing", "method"), f"simulation needs "
                    f"simulation.replications >= 2 (it corrects the staffing by simulating), "
                    f"got {n_rep}. Add simulation: {{replications: 10}}.")
    ooh = doc.out_of_hours
    if ooh.lost_share + ooh.retry_share > 1 + 1e-12:
        raise _fail(sources, ("out_of_hours",), f"lost_share ({ooh.lost_share:g}) + retry_share "
                    f"({ooh.retry_share:g}) = {ooh.lost_share + ooh.retry_share:g}, above 1: "
                    "they are shares of the same contacts that arrive while closed (the rest "
                    "use another channel). Lower one, e.g. lost_share: 0.3, retry_share: 0.5.")
    budget = None
    if doc.budget is not None:
        given_b = [(v, k) for k, v in (("week", doc.budget.per_week),
                                       ("year", doc.budget.per_year)) if v is not None]
        if len(given_b) != 1:
            raise _fail(sources, ("budget",), "must give exactly one of per_week or per_year, "
                        "e.g. budget: {per_week: 50000}.")
        amount, period = float(given_b[0][0]), given_b[0][1]
        if not amount > 0:
            raise _fail(sources, ("budget", f"per_{period}"), f"must be above 0, got "
                        f"{amount:g}: the plan's cost is compared with it. Give the budget "
                        f"for a {period}, e.g. per_{period}: "
                        f"{50000 if period == 'week' else 2600000}, or remove budget: to "
                        "plan without one.")
        budget = (amount, period)
    for i, line in enumerate(doc.expect):
        from ._expectations import parse_expectation

        try:
            parse_expectation(line)
        except ValueError as err:
            raise _fail(sources, ("expect", i), str(err)) from None
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
        overrides=overrides, description=doc.description,
        holiday_country=doc.holidays.country, holiday_subdivision=doc.holidays.subdivision)


def _sub_positions(pos: _Positions, prefix: Loc) -> _Positions:
    """The positions below ``prefix``, with the prefix removed (a section read as a file)."""
    n = len(prefix)
    out = _Positions()
    for attr in ("values", "keys", "texts", "kinds"):
        src, dst = getattr(pos, attr), getattr(out, attr)
        for loc, value in src.items():
            if loc[:n] == prefix:
                dst[loc[n:]] = value
    return out


def _set_path(data: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    keys = dotted.split(".")
    over: dict[str, Any] = {}
    node = over
    for k in keys[:-1]:
        node[k] = {}
        node = node[k]
    node[keys[-1]] = value
    return _merge(data, over)


def _sweep_values(sources: list[_Source], key: str, spec: Any) -> list[Any]:
    if isinstance(spec, list):
        if not spec:
            raise _fail(sources, ("sweep", key), "lists no values. Give at least one, e.g. "
                        "[240, 270, 300], or {from: 240, to: 360, step: 30}.")
        return list(spec)
    ok = isinstance(spec, dict) and set(spec) == {"from", "to", "step"}
    lo = hi = step = 0.0
    if ok:
        try:
            lo, hi, step = (float(spec["from"]), float(spec["to"]), float(spec["step"]))
        except (TypeError, ValueError):
            ok = False
    if not ok or not step > 0 or not all(map(math.isfinite, (lo, hi, step))):
        raise _fail(sources, ("sweep", key), "must be a list of values or {from: A, to: B, "
                    "step: S} with numbers and step > 0, e.g. {from: 240, to: 360, step: 30}.")
    if hi < lo:
        raise _fail(sources, ("sweep", key), f"runs from {lo:g} down to {hi:g}; 'to' must not "
                    "be below 'from'.")
    n = int(math.floor((hi - lo) / step + 1e-9)) + 1
    if n > 1000:
        raise _fail(sources, ("sweep", key), f"has {n} points; at most 1000 per field.")
    return [float(np.round(lo + k * step, 10)) for k in range(n)]


def _overrides_text(overrides: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in overrides.items())


def _value_label(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
    if sandbox and _outside(path, root):
        raise InputFileError(f"{path.name}: the file lies outside the folder it is "
                             f"confined to: {_CONFINED}.")
    sources = _read(path, root, False, [path], sandbox=sandbox)
    data: dict[str, Any] = {}
    for src in reversed(sources):
        data = _merge(data, {k: v for k, v in src.data.items() if k != "extends"})
    sha = hashlib.sha256(b"".join(src.raw for src in sources)).hexdigest()
    if overrides:
        for key, value in overrides.items():
            data = _set_path(data, str(key), value)
        try:
            doc = _ScenarioFile.model_validate(data)
        except ValidationError as err:
            detail = err.errors()[0]
            field_path = _path_text(tuple(x for x in detail["loc"] if isinstance(x, str | int)))
            rule = str(detail["msg"]).removeprefix("Value error, ").replace(
                "Input should be", "must be")
            raise InputFileError(f"{path}: with the settings {_overrides_text(overrides)}: "
                                 f"{field_path} {rule}. Change the setting.") from None
    else:
        doc = _validate(sources, data)
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
            raise _fail(sources, ("variants", vname), "must be a mapping of the fields it "
                        "changes, e.g. 24x7: {hours: 24x7}.")
        merged = _merge(base_data, over)
        vdoc = _validate(sources, merged, ("variants", vname))
        try:
            out.append(dataclasses.replace(_build_scenario(
                sources, vdoc, f"{base_name} / {vname}", sha, root, dict(over), sandbox),
                kind="variant"))
        except InputFileError as err:
            vsrc, _ = _where(sources, ("variants", vname))
            line, col = vsrc.pos.keys.get(("variants", vname), (1, 1))
            raise InputFileError(f"{vsrc.path}:{line}:{col}: variants.{vname}: the scenario it "
                                 f"makes is not valid: {err}") from None
    if doc.sweep:
        keys = list(doc.sweep)
        grids = [_sweep_values(sources, k, doc.sweep[k]) for k in keys]
        n_points = math.prod(len(g) for g in grids)
        if n_points > 10_000:
            raise _fail(sources, ("sweep",), f"has {n_points} points; at most 10,000. Use fewer "
                        "values or split the sweep.")
        for combo in itertools.product(*grids):
            merged = base_data
            for k, value in zip(keys, combo, strict=True):
                merged = _set_path(merged, k, value)
            label = ", ".join(f"{k}={_value_label(v)}" for k, v in zip(keys, combo, strict=True))
            try:
                pdoc = _ScenarioFile.model_validate(merged)
            except ValidationError as err:
                detail = err.errors()[0]
                field_path = ".".join(str(x) for x in detail["loc"])
                at_fault = next((k for k in keys if field_path == k
                                 or field_path.startswith(k + ".")
                                 or k.startswith(field_path + ".")), keys[0])
                if detail["type"] == "unknown_key":
                    at_fault = next((k for k in keys if detail["ctx"]["key"] in k.split(".")),
                                    at_fault)
                src, _ = _where(sources, ("sweep",))
                line, col = src.pos.keys.get(("sweep", at_fault), (1, 1))
                raise InputFileError(
                    f"{src.path}:{line}:{col}: sweep point {label}: {field_path} "
                    f"{str(detail['msg']).replace('Input should be', 'must be')}. Check the "
                    "dotted field names and the values of the sweep.") from None
            try:
                point = _build_scenario(sources, pdoc, f"{base_name} / {label}", sha, root,
                                        dict(zip(keys, combo, strict=True)), sandbox)
            except InputFileError as err:
                src, _ = _where(sources, ("sweep",))
                line, col = src.pos.keys.get(("sweep", keys[0]), (1, 1))
                raise InputFileError(f"{src.path}:{line}:{col}: sweep point {label}: the "
                                     f"scenario it makes is not valid: {err}") from None
            out.append(dataclasses.replace(point, kind="sweep"))
    return out


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files (for editors: autocomplete and checks).

    Returns
    -------
    dict
        A JSON Schema (draft 2020-12) document.

    Examples
    --------
    >>> "channels" in scenario_json_schema()["properties"]
    True
    """
    schema = _standard_keywords(_ScenarioFile.model_json_schema(by_alias=True))
    # horizon and channels may come from a file this one extends: ccplan checks them after
    # merging, so the schema does not mark a file without them as wrong.
    schema.pop("required", None)
    # A key set to null removes it when merging (back to its default).
    schema["properties"] = {key: {"anyOf": [prop, {"type": "null"}]}
                            for key, prop in schema["properties"].items()}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "ccplan scenario"
    return schema


_KEYWORDS = {"gt": "exclusiveMinimum", "ge": "minimum", "lt": "exclusiveMaximum", "le": "maximum"}


def _standard_keywords(node: Any) -> Any:
    """pydantic leaves constraints it cannot place as 'gt'/'ge'/...: give them their JSON names."""
    if isinstance(node, dict):
        return {_KEYWORDS.get(k, k) if not isinstance(v, dict | list) else k:
                _standard_keywords(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_standard_keywords(v) for v in node]
    return node


#: The bundled example scenarios (installed with the package).
EXAMPLES_DIR = Path(__file__).parent.parent / "examples"


def example_files() -> list[Path]:
    """The bundled example scenario files, by name (bases starting with ``_`` left out).

    Returns
    -------
    list of pathlib.Path
        ``scenarios/examples/*.yaml``.

    Examples
    --------
    >>> "retail_bank.yaml" in [p.name for p in example_files()]
    True
    """
    return sorted(p for p in EXAMPLES_DIR.glob("*.yaml") if not p.name.startswith("_"))


def scenario_files(paths: Sequence[Path]) -> list[Path]:
    """The scenario files named; a folder gives its ``*.yaml``/``*.yml`` files (not subfolders).

    Files whose name starts with ``_`` are partial bases (read through
    ``extends``) and are not run on their own. Subfolders hold data and
    other inputs (e.g. ``examples/schedule/``); name them to include them.

    Parameters
    ----------
    paths : sequence of pathlib.Path
        Scenario files and folders.

    Returns
    -------
    list of pathlib.Path
        The files, folders expanded in name order.

    Raises
    ------
    ScenarioError
        A path does not exist, or no scenario file was found.
    """
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
            out.extend(f for f in found if not f.name.startswith("_"))
        elif p.is_file():
            out.append(p)
        else:
            raise ScenarioError(f"{p}: no such file or folder. Give scenario YAML files or "
                                "folders that hold them.")
    if not out:
        raise ScenarioError(f"no scenario files (*.yaml) in {', '.join(map(str, paths))}.")
    return out
