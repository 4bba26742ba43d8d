"""The shift templates and rules file: YAML in, staffing's frozen dataclasses out.

A rules file has four top-level keys; only ``templates`` is required::

    currency: GBP                    # of every amount in the file (default EUR)
    templates:                       # one or more shift templates
      - name: FT8                    # unique
        length: 8h30m                # from start to end, breaks included
        start: {earliest: "07:00", latest: "11:00", step: 30m}   # or start: "07:00"
        breaks:                      # in order; windows may not overlap
          - {name: lunch, duration: 30m, window: [3h, 5h], paid: false}
        days: Mon-Fri                # or [Mon, Wed, Fri], "Sat-Sun", all (default)
        days_per_week: 5             # weekly tours (one-week horizon); omit for a daily plan
        consecutive_days_off: true
        agent_type: agent            # key of pay.hourly_rates
        hourly_rate: 21.5            # overrides the agent type's rate
        part_time: false
        min_headcount: 0
        max_headcount: 40
        channels: [voice]            # with rules.blend: false
    rules:                           # labour rules and solver settings (all optional)
      coverage: soft                 # or hard
      under_penalty: 200             # currency per agent-interval short
      blend: true
      shrinkage: 0.15                # fraction in [0, 1)
      min_agents_on_duty: 1
      max_total_headcount: 60
      max_part_time_share: 0.4
      min_part_time_share: 0.1
      wrap_around: false
      contracted_hours_per_week: 37.5
      mip_rel_gap: 0.001             # the solver stops at this gap ...
      max_nodes: 5000                # ... or after this many branch-and-bound nodes
      time_limit_s: 600              # or 10m: a safety net only (see below)
      allow_time_limit: false        # true: `ccplan check` accepts a schedule cut by it
    pay:                             # all optional
      hourly_rates: {agent: 20, senior: 26}
      overhead_per_paid_hour: 8
      night_premium: 0.25            # +25% of the base rate in the night window
      night: {start: "22:00", end: "06:00"}
      weekend_premium: 0.5
      weekend_days: Sat-Sun
      holiday_premium: 1.0
      holidays: [2026-12-25]         # or {country: FR, subdivision: null, dates: [...]}

The solver stops on ``mip_rel_gap`` or ``max_nodes``: both deterministic, so
the same file gives the same schedule on any machine under any load.
``time_limit_s`` is a safety net: a solve still running after it is
interrupted, its schedule then depends on the machine's speed and load, the
terminal says so and ``ccplan check`` fails the scenario unless
``allow_time_limit: true``.

Times of day are ``"HH:MM"`` strings or seconds after midnight; durations are
``"8h30m"``, ``"30m"``, ``"90s"``, ``"1.5h"`` or seconds; days are ``Mon`` ..
``Sun`` (full names too), ranges such as ``Mon-Fri`` (``Fri-Mon`` wraps), or
``all``. Fractions are 0-1, never percent. ``7:00`` without quotes is read as
the time 07:00, not as YAML's base-60 number 420.

Errors name the file, line and column, the field path
(``templates[1].breaks[0].window``), the value as written and what is allowed.
Checks that need the interval grid (lengths and starts on the grid, shifts
that fit the horizon) happen in :func:`staffing.schedule_shifts`; turn its
:class:`staffing.errors.InvalidParameterError` into a message about the file with
:meth:`ShiftRules.error_in_file`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationError, WithJsonSchema, field_validator

from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

from .._errors import InputFileError
from ._yaml import (
    Loc,
    Positions,
    Section,
    fail_at,
    file_problem,
    load_yaml_mapping,
    read_file_bytes,
    schema_error,
    short,
    value_text,
)
from .units import (
    DAY_NAMES,
    Count,
    Days,
    Duration,
    Fraction,
    NonNegative,
    TimeOfDay,
    TimeOfDay24,
    format_clock,
    format_duration,
)

# ---------------------------------------------------------------------------------------------
# The schema
# ---------------------------------------------------------------------------------------------


class _Start(Section):
    earliest: TimeOfDay
    latest: TimeOfDay | None = None
    step: Duration | None = None


class _Break(Section):
    name: str
    duration: Duration
    window: tuple[Duration, Duration]
    paid: bool = False


class TemplateSection(Section):
    name: str
    length: Duration
    start: _Start
    breaks: list[_Break] = []
    days: Days = (0, 1, 2, 3, 4, 5, 6)
    days_per_week: Annotated[int, Field(ge=1, le=7)] | None = None
    consecutive_days_off: bool = True
    same_start_time: bool = True
    agent_type: str = "agent"
    hourly_rate: NonNegative | None = None
    part_time: bool = False
    min_headcount: Count = 0
    max_headcount: Count | None = None
    channels: list[str] | None = None

    @field_validator("start", mode="before")
    @classmethod
    def _one_start(cls, value: Any) -> Any:
        return value if isinstance(value, dict) else {"earliest": value}

    @field_validator("channels", mode="before")
    @classmethod
    def _one_channel(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class RulesSection(Section):
    coverage: Literal["soft", "hard"] = "soft"
    under_penalty: Annotated[float, Field(gt=0)] | None = None
    blend: bool = True
    shrinkage: Annotated[float, Field(ge=0, lt=1)] = 0.0
    min_agents_on_duty: Count = 0
    max_total_headcount: Count | None = None
    max_part_time_share: Fraction | None = None
    min_part_time_share: Fraction | None = None
    wrap_around: bool = False
    contracted_hours_per_week: Annotated[float, Field(gt=0, le=168)] = 37.5
    time_limit_s: Annotated[Duration, Field(gt=0)] = 600.0
    mip_rel_gap: Annotated[float, Field(ge=0, lt=1)] = 0.001
    max_nodes: Annotated[int, Field(ge=0, le=2**31 - 1)] = 5000
    allow_time_limit: bool = False
    method: Literal["auto", "direct", "two_stage"] = "auto"


class _Night(Section):
    start: TimeOfDay24 = 22 * 3600.0
    end: TimeOfDay24 = 6 * 3600.0


class HolidaysSection(Section):
    country: str | None = None
    subdivision: str | None = None
    dates: list[dt.date] = []


def _holidays_spec(value: Any) -> Any:
    return {"dates": value} if isinstance(value, list | tuple) else value


class PaySection(Section):
    hourly_rates: dict[str, NonNegative] = {"agent": 20.0}
    overhead_per_paid_hour: NonNegative = 0.0
    night_premium: NonNegative = 0.0
    night: _Night = _Night()
    weekend_premium: NonNegative = 0.0
    weekend_days: Days = (5, 6)
    holiday_premium: NonNegative = 0.0
    holidays: Annotated[HolidaysSection, BeforeValidator(_holidays_spec), WithJsonSchema(
        {"anyOf": [{"type": "array", "items": {"type": "string", "format": "date"}},
                   {"type": "object", "properties": {"country": {"type": "string"},
                                                     "subdivision": {"type": "string"},
                                                     "dates": {"type": "array"}}}]})
    ] = HolidaysSection()


class RulesDocument(Section):
    templates: Annotated[list[TemplateSection], Field(min_length=1)]
    rules: RulesSection = RulesSection()
    pay: PaySection = PaySection()
    currency: str = "EUR"


#: What to write, by field name: appended to schema errors as the fix.
RULES_EXAMPLES = {
    "currency": "currency: GBP",
    "templates": "templates: [{name: FT8, length: 8h30m, start: \"07:00\"}]",
    "name": "name: FT8",
    "length": "length: 8h30m",
    "start": "start: {earliest: \"07:00\", latest: \"11:00\", step: 30m}",
    "earliest": "earliest: \"07:00\"",
    "latest": "latest: \"11:00\"",
    "step": "step: 30m",
    "breaks": "breaks: [{name: lunch, duration: 30m, window: [3h, 5h]}]",
    "duration": "duration: 30m",
    "window": "window: [3h, 5h] (earliest and latest start after the shift starts)",
    "paid": "paid: true",
    "days": "days: Mon-Fri",
    "weekend_days": "weekend_days: Sat-Sun",
    "days_per_week": "days_per_week: 5 (or leave it out for a daily plan)",
    "hourly_rate": "hourly_rate: 21.5",
    "hourly_rates": "hourly_rates: {agent: 20, senior: 26}",
    "min_headcount": "min_headcount: 2",
    "max_headcount": "max_headcount: 40",
    "channels": "channels: [voice, chat]",
    "coverage": "coverage: soft",
    "under_penalty": "under_penalty: 200",
    "shrinkage": "shrinkage: 0.15 (a fraction: 15% is 0.15)",
    "max_part_time_share": "max_part_time_share: 0.4 (a fraction)",
    "min_part_time_share": "min_part_time_share: 0.1 (a fraction)",
    "contracted_hours_per_week": "contracted_hours_per_week: 37.5",
    "time_limit_s": "time_limit_s: 600 (a safety net; the solver stops on mip_rel_gap or "
                    "max_nodes)",
    "max_nodes": "max_nodes: 5000",
    "allow_time_limit": "allow_time_limit: true",
    "mip_rel_gap": "mip_rel_gap: 0.001",
    "night": "night: {start: \"22:00\", end: \"06:00\"}",
    "holidays": "holidays: [2026-12-25] or holidays: {country: FR}",
    "dates": "dates: [2026-12-25]",
    "country": "country: FR",
    "night_premium": "night_premium: 0.25 (+25%)",
    "weekend_premium": "weekend_premium: 0.5 (+50%)",
    "holiday_premium": "holiday_premium: 1.0 (+100%)",
}

#: The rule a schema error states instead of pydantic's, by (error type, field name).
RULES_FIELD_RULES = {
    ("too_short", "templates"): "must list at least one shift template",
    **{(kind, "window"): "must be two durations [earliest, latest] after the shift starts"
       for kind in ("too_short", "too_long", "tuple_type")},
}


@dataclass(frozen=True)
class ShiftRules:
    """The shift templates, labour rules and pay of one rules file.

    Built by :func:`read_shift_rules`; hand the three parts to
    :func:`staffing.schedule_shifts`.

    Attributes
    ----------
    templates : tuple of staffing.shifts.ShiftTemplate
        The templates, in file order.
    rules : staffing.shifts.ScheduleRules
        Labour rules and solver settings.
    rates : staffing.shifts.PayRates
        Pay, premiums and holidays (a country calendar expanded for the years
        asked for).
    path : pathlib.Path or None
        The file read, for messages.
    template_lines : dict of str to int
        Line of each template in the file, by name (for messages).
    allow_time_limit : bool
        ``rules.allow_time_limit``: ``ccplan check`` accepts a schedule whose
        solve was cut by ``rules.time_limit_s`` (default False: it fails).
    currency : str
        The currency of the pay and of the penalties (the file's ``currency``).
    """

    templates: tuple[ShiftTemplate, ...]
    rules: ScheduleRules
    rates: PayRates
    path: Path | None = None
    template_lines: dict[str, int] = field(default_factory=dict, compare=False)
    allow_time_limit: bool = False
    currency: str = "EUR"

    def error_in_file(self, err: Exception) -> InputFileError:
        """A staffing error about these templates or rules, as an error about the file.

        Parameters
        ----------
        err : Exception
            Usually a :class:`staffing.errors.InvalidParameterError` raised by
            :func:`staffing.schedule_shifts` for one of the templates.

        Returns
        -------
        InputFileError
            The message prefixed with the file name, and the template's line
            when the message names a template.
        """
        message = str(err)
        where = str(self.path) if self.path is not None else "shift rules"
        match = re.match(r"shift template '([^']*)'", message)
        if match and match.group(1) in self.template_lines:
            where += f":{self.template_lines[match.group(1)]}"
        return InputFileError(f"{where}: {message}")


def read_shift_rules(path: str | Path, *, years: Iterable[int] | None = None) -> ShiftRules:
    """Read a shift templates and rules YAML file (format in the module docstring).

    Parameters
    ----------
    path : str or pathlib.Path
        The YAML file.
    years : iterable of int, optional
        Years of the planning horizon, for ``pay.holidays.country``: that
        country's public holidays in these years become ``PayRates.holidays``.
        Required when the file names a country.

    Returns
    -------
    ShiftRules
        Templates, rules and rates as :mod:`staffing` dataclasses.

    Raises
    ------
    InputFileError
        The file is missing, not YAML, or breaks the schema; the message
        names the file, line and column, the field path, the value and what
        is allowed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "rules.yaml").write_text(
    ...     "templates:\\n  - {name: FT8, length: 8h30m, start: '07:00',\\n"
    ...     "     breaks: [{name: lunch, duration: 30m, window: [3h, 5h]}]}\\n")
    >>> found = read_shift_rules(folder / "rules.yaml")
    >>> found.templates[0].length_s, found.templates[0].breaks[0].latest_start_s
    (30600.0, 18000.0)
    """
    path = Path(path)
    problem = file_problem(path)
    if problem is not None:
        raise InputFileError(f"{short(path)}: {problem}. Give the shift templates and rules "
                             "YAML (see scenarios/examples/schedule/rules.yaml).")
    data, pos = load_yaml_mapping(
        path, read_file_bytes(path, "rules"), what="rules",
        empty_hint="It needs at least a 'templates' list, e.g. templates: [{name: FT8, "
                   "length: 8h30m, start: \"07:00\"}].",
        mapping_rule="the file must be a mapping with the keys templates, rules and pay")
    try:
        doc = RulesDocument.model_validate(data)
    except ValidationError as err:
        raise schema_error(path, err, pos, examples=RULES_EXAMPLES,
                           field_rules=RULES_FIELD_RULES) from None
    check_rules_document(path, doc, pos)
    return build_shift_rules(path, doc, pos, years)


def check_rules_document(path: Path, doc: RulesDocument, pos: Positions) -> None:
    """Check the rules between fields; the error names the field that has to change.

    Parameters
    ----------
    path : pathlib.Path
        The file, for messages.
    doc : RulesDocument
        The validated templates, rules and pay (a rules file, or a
        scenario's ``shifts:`` and ``pay:`` sections).
    pos : Positions
        Where ``doc``'s values are written (:func:`sub_positions` for a section).

    Raises
    ------
    InputFileError
        E.g. two templates of one name, a break window past the shift's end.
    """
    seen: dict[str, int] = {}
    for i, t in enumerate(doc.templates):
        here: Loc = ("templates", i)
        if t.name in seen:
            raise fail_at(path, pos, (*here, "name"),
                          f"{t.name!r} is already the name of templates[{seen[t.name]}]. "
                          "Template names must be unique.")
        seen[t.name] = i
        if not t.length > 0:
            raise fail_at(path, pos, (*here, "length"), f"must be > 0, got "
                          f"{value_text((*here, 'length'), pos)}. E.g. length: 8h30m.")
        if t.start.latest is not None and t.start.latest < t.start.earliest:
            raise fail_at(path, pos, (*here, "start", "latest"),
                          f"{format_clock(t.start.latest)} is before start.earliest "
                          f"{format_clock(t.start.earliest)}. Swap them; for shifts starting "
                          "around midnight use two templates.")
        if t.start.step is not None and not t.start.step > 0:
            raise fail_at(path, pos, (*here, "start", "step"),
                          f"must be > 0, got {value_text((*here, 'start', 'step'), pos)}. E.g. "
                          "step: 30m.")
        previous_end, previous = -1.0, ""
        for k, b in enumerate(t.breaks):
            bl: Loc = (*here, "breaks", k)
            if not b.duration > 0:
                raise fail_at(path, pos, (*bl, "duration"),
                              f"must be > 0, got {value_text((*bl, 'duration'), pos)}. E.g. "
                              "duration: 30m.")
            lo, hi = b.window
            if hi < lo:
                raise fail_at(path, pos, (*bl, "window"),
                              f"must be [earliest, latest] with earliest <= latest, got "
                              f"{value_text((*bl, 'window'), pos)}. Swap the two.")
            if hi + b.duration > t.length:
                raise fail_at(path, pos, (*bl, "window"),
                              f"lets break {b.name!r} start {format_duration(hi)} into the shift "
                              f"and end at {format_duration(hi + b.duration)}, after the "
                              f"{format_duration(t.length)} shift ends; got "
                              f"{value_text((*bl, 'window'), pos)}. Make the latest start at "
                              f"most {format_duration(t.length - b.duration)}, or shorten the "
                              "break.")
            if lo < previous_end:
                raise fail_at(path, pos, (*bl, "window"),
                              f"opens {format_duration(lo)} into the shift, before break "
                              f"{previous!r} can end ({format_duration(previous_end)}), so two "
                              f"breaks could overlap; got {value_text((*bl, 'window'), pos)}. "
                              "List breaks in order and make their windows follow each other.")
            previous_end, previous = hi + b.duration, b.name
        if t.max_headcount is not None and t.max_headcount < t.min_headcount:
            raise fail_at(path, pos, (*here, "max_headcount"),
                          f"({t.max_headcount}) is below min_headcount ({t.min_headcount}). "
                          "Raise it or lower min_headcount.")
        if t.days_per_week is not None and t.days_per_week > len(t.days):
            raise fail_at(path, pos, (*here, "days_per_week"),
                          f"is {t.days_per_week} but days allows only {len(t.days)} "
                          f"({', '.join(DAY_NAMES[d] for d in t.days)}). Allow more days or "
                          "lower days_per_week.")
        if t.hourly_rate is None and t.agent_type not in doc.pay.hourly_rates:
            known = ", ".join(sorted(doc.pay.hourly_rates)) or "none"
            raise fail_at(path, pos, (*here, "agent_type"),
                          f"{t.agent_type!r} has no rate in pay.hourly_rates (known: {known}). "
                          "Add it there, or give the template an hourly_rate.")
    lo_share, hi_share = doc.rules.min_part_time_share, doc.rules.max_part_time_share
    if lo_share is not None and hi_share is not None and lo_share > hi_share:
        raise fail_at(path, pos, ("rules", "min_part_time_share"),
                      f"({lo_share:g}) is above max_part_time_share ({hi_share:g}). Lower it or "
                      "raise the maximum.")


def _country_holidays(path: Path, pos: Positions, spec: HolidaysSection,
                      years: Iterable[int] | None) -> list[dt.date]:
    import holidays

    loc: Loc = ("pay", "holidays", "country")
    if years is None:
        raise fail_at(path, pos, loc, f"{spec.country!r} needs the years of the planning horizon: "
                      "pass years= to read_shift_rules (ccplan schedule takes them from the "
                      "requirements), or list the dates under pay.holidays.dates.")
    try:
        calendar = holidays.country_holidays(str(spec.country), subdiv=spec.subdivision,
                                             years=sorted(set(years)))
    except NotImplementedError as err:
        which = "subdivision" if spec.subdivision and "subdiv" in str(err).lower() else "country"
        loc = ("pay", "holidays", which)
        value = spec.subdivision if which == "subdivision" else spec.country
        raise fail_at(path, pos, loc, f"{value!r} is not a {which} the holidays package knows "
                      f"({err}). Use an ISO 3166 code such as FR, US or IL"
                      + (" and one of its subdivision codes." if which == "subdivision" else ".")
                      ) from None
    return sorted(calendar)


def _start_step(t: TemplateSection) -> float:
    """The step between starts: as written; 30 minutes by default; moot for a single start."""
    if t.start.step is not None:
        return t.start.step
    single = t.start.latest is None or t.start.latest == t.start.earliest
    return t.length if single and t.length > 0 else 1800.0


def build_shift_rules(path: Path, doc: RulesDocument, pos: Positions,
                      years: Iterable[int] | None) -> ShiftRules:
    """A checked rules document as :class:`ShiftRules` (staffing's dataclasses).

    ``years``: the planning horizon's years, for a holiday country (``None``
    when the file names none); ``path`` and ``pos`` name the file in errors.
    """
    templates = tuple(
        ShiftTemplate(
            name=t.name, length_s=t.length, earliest_start_s=t.start.earliest,
            latest_start_s=t.start.latest if t.start.latest is not None else t.start.earliest,
            start_step_s=_start_step(t),
            breaks=tuple(BreakRule(b.name, b.duration, b.window[0], b.window[1],
                                   is_paid=b.paid) for b in t.breaks),
            days=t.days, days_per_week=t.days_per_week,
            consecutive_days_off=t.consecutive_days_off, same_start_time=t.same_start_time,
            agent_type=t.agent_type,
            hourly_rate=t.hourly_rate, is_part_time=t.part_time,
            min_headcount=t.min_headcount, max_headcount=t.max_headcount,
            channels=tuple(t.channels) if t.channels is not None else None)
        for t in doc.templates)
    r = doc.rules
    rules = ScheduleRules(
        coverage=r.coverage, under_penalty=r.under_penalty, blend=r.blend,
        shrinkage=r.shrinkage, min_agents_on_duty=r.min_agents_on_duty,
        max_total_headcount=r.max_total_headcount, max_part_time_share=r.max_part_time_share,
        min_part_time_share=r.min_part_time_share, wrap_around=r.wrap_around,
        contracted_hours_per_week=r.contracted_hours_per_week, time_limit_s=r.time_limit_s,
        mip_rel_gap=r.mip_rel_gap, max_nodes=r.max_nodes, method=r.method)
    p = doc.pay
    dates = set(p.holidays.dates)
    if p.holidays.country is not None:
        dates.update(_country_holidays(path, pos, p.holidays, years))
    rates = PayRates(
        hourly_rates=dict(p.hourly_rates), overhead_per_paid_hour=p.overhead_per_paid_hour,
        night_premium=p.night_premium, night_start_s=p.night.start, night_end_s=p.night.end,
        weekend_premium=p.weekend_premium, weekend_days=p.weekend_days,
        holiday_premium=p.holiday_premium, holidays=tuple(sorted(dates)))
    lines = {t.name: pos.values.get(("templates", i), (0, 0))[0]
             for i, t in enumerate(doc.templates)}
    return ShiftRules(templates, rules, rates, path, lines,
                      allow_time_limit=r.allow_time_limit, currency=doc.currency)
