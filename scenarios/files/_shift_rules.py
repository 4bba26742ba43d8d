"""The shift templates and rules file: YAML in, staffing's frozen dataclasses out.

A rules file has three top-level keys; only ``templates`` is required::

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
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from staffing.shifts import BreakRule, PayRates, ScheduleRules, ShiftTemplate

from .._errors import InputFileError

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_S = 86400.0

# ---------------------------------------------------------------------------------------------
# Human-friendly scalars
# ---------------------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m(?:in)?)?\s*"
                       r"(?:(\d+(?:\.\d+)?)\s*s)?\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")


def format_duration(seconds: float) -> str:
    """Seconds as the file writes durations.

    Examples
    --------
    >>> format_duration(30600), format_duration(1800), format_duration(45)
    ('8h30m', '30m', '45s')
    """
    s = float(seconds)
    h, rest = divmod(s, 3600.0)
    m, sec = divmod(rest, 60.0)
    parts = []
    if h:
        parts.append(f"{h:g}h")
    if m:
        parts.append(f"{m:g}m")
    if sec or not parts:
        parts.append(f"{sec:g}s")
    return "".join(parts)


def format_clock(seconds: float) -> str:
    """Seconds after midnight as ``HH:MM``.

    Examples
    --------
    >>> format_clock(25200)
    '07:00'
    """
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}"


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    return None


def parse_duration(value: Any) -> float:
    """A duration as seconds: ``"8h30m"``, ``"30m"``, ``"90s"``, ``"1.5h"`` or a number of seconds.

    Examples
    --------
    >>> parse_duration("8h30m"), parse_duration("30m"), parse_duration(900)
    (30600.0, 1800.0, 900.0)
    """
    number = _number(value)
    if number is not None:
        if not (math.isfinite(number) and number >= 0):
            raise ValueError("must be a duration >= 0, e.g. 8h30m, 30m or a number of seconds")
        return number
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match and any(match.groups()):
            h, m, s = (float(g) if g else 0.0 for g in match.groups())
            return h * 3600 + m * 60 + s
        if _CLOCK.match(value):
            raise ValueError("must be a duration such as 8h30m or 30m (a clock time such as "
                             "08:30 is ambiguous here)")
    raise ValueError("must be a duration such as 8h30m, 30m, 45s or a number of seconds")


def _parse_time(value: Any, *, allow_24: bool) -> float:
    top = "24:00" if allow_24 else "23:59"
    number = _number(value)
    if number is None and isinstance(value, str):
        match = _CLOCK.match(value)
        if match:
            h, m, s = (int(g) if g else 0 for g in match.groups())
            number = float(h * 3600 + m * 60 + s) if m < 60 and s < 60 else None
    if number is None:
        raise ValueError(f"must be a time of day such as \"07:00\" (00:00 to {top}) or seconds "
                         "after midnight")
    if not (0 <= number < _DAY_S or (allow_24 and number == _DAY_S)):
        raise ValueError(f"must be a time of day from 00:00 to {top} (seconds after midnight "
                         f"in [0, {86400 if allow_24 else 86399}])")
    return number


def parse_time(value: Any) -> float:
    """A time of day as seconds after midnight: ``"07:00"``, ``"07:00:30"`` or seconds.

    Examples
    --------
    >>> parse_time("07:00"), parse_time(3600)
    (25200.0, 3600.0)
    """
    return _parse_time(value, allow_24=False)


def _parse_time_24(value: Any) -> float:
    return _parse_time(value, allow_24=True)


def _day(text: str) -> int:
    word = text.strip().lower()
    for i, (short, full) in enumerate(zip(DAY_NAMES, _FULL_DAY_NAMES, strict=True)):
        if word in (short.lower(), full):
            return i
    raise ValueError(f"has an unknown day {text.strip()!r}; use Mon, Tue, Wed, Thu, Fri, Sat, "
                     "Sun, a range such as Mon-Fri, or all")


def parse_days(value: Any) -> tuple[int, ...]:
    """Weekdays as numbers (0 = Monday): ``"Mon-Fri"``, ``["Sat", "Sun"]``, ``"all"``.

    Examples
    --------
    >>> parse_days("Mon-Fri"), parse_days(["Sat", "sun"]), parse_days("Fri-Mon")
    ((0, 1, 2, 3, 4), (5, 6), (0, 4, 5, 6))
    """
    items = value if isinstance(value, list | tuple) else [value]
    days: set[int] = set()
    for item in items:
        if not isinstance(item, str):
            raise ValueError("must be day names such as [Mon, Tue] or a range such as Mon-Fri "
                             "(day numbers are not accepted: is 0 Monday or Sunday?)")
        for part in item.split(","):
            if part.strip().lower() in ("all", "daily", "every day"):
                days.update(range(7))
            elif "-" in part:
                first, last = part.split("-", 1)
                lo, hi = _day(first), _day(last)
                days.update((lo + k) % 7 for k in range((hi - lo) % 7 + 1))
            elif part.strip():
                days.add(_day(part))
    if not days:
        raise ValueError("must name at least one day, e.g. Mon-Fri")
    return tuple(sorted(days))


# JSON Schema (for editors) of the human-friendly scalars: what is written, not what is parsed.
_DURATION_JSON = {"anyOf": [{"type": "number", "minimum": 0},
                            {"type": "string", "pattern": r"^\s*(\d+(\.\d+)?\s*(h|m|min|s)\s*)+$"}],
                  "description": "a duration: 8h30m, 30m, 45s, 1.5h or a number of seconds"}
_CLOCK_JSON = {"anyOf": [{"type": "number", "minimum": 0},
                         {"type": "string", "pattern": r"^\s*\d{1,2}:\d{2}(:\d{2})?\s*$"}],
               "description": "a time of day \"HH:MM\" (quoted) or seconds after midnight"}
_DAYS_JSON = {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
              "description": "days: Mon-Fri, [Mon, Wed], Sat-Sun or all"}

Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(_DURATION_JSON)]
TimeOfDay = Annotated[float, BeforeValidator(parse_time), WithJsonSchema(_CLOCK_JSON)]
TimeOfDay24 = Annotated[float, BeforeValidator(_parse_time_24), WithJsonSchema(_CLOCK_JSON)]
Days = Annotated[tuple[int, ...], BeforeValidator(parse_days), WithJsonSchema(_DAYS_JSON)]
Fraction = Annotated[float, Field(ge=0, le=1)]
NonNegative = Annotated[float, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]

# ---------------------------------------------------------------------------------------------
# The schema
# ---------------------------------------------------------------------------------------------


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if key not in cls.model_fields:
                    allowed = ", ".join(cls.model_fields)
                    close = difflib.get_close_matches(str(key), list(cls.model_fields), n=1)
                    maybe = f" (did you mean {close[0]!r}?)" if close else ""
                    text = f"{str(key)!r} is not a known key{maybe}; allowed here: {allowed}"
                    raise PydanticCustomError("unknown_key", text.replace("{", "{{").replace(
                        "}", "}}"), {"key": str(key)})
        return data


class _Start(_Section):
    earliest: TimeOfDay
    latest: TimeOfDay | None = None
    step: Duration | None = None


class _Break(_Section):
    name: str
    duration: Duration
    window: tuple[Duration, Duration]
    paid: bool = False


class _Template(_Section):
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


class _Rules(_Section):
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


class _Night(_Section):
    start: TimeOfDay24 = 22 * 3600.0
    end: TimeOfDay24 = 6 * 3600.0


class _Holidays(_Section):
    country: str | None = None
    subdivision: str | None = None
    dates: list[dt.date] = []


def _holidays_spec(value: Any) -> Any:
    return {"dates": value} if isinstance(value, list | tuple) else value


class _Pay(_Section):
    hourly_rates: dict[str, NonNegative] = {"agent": 20.0}
    overhead_per_paid_hour: NonNegative = 0.0
    night_premium: NonNegative = 0.0
    night: _Night = _Night()
    weekend_premium: NonNegative = 0.0
    weekend_days: Days = (5, 6)
    holiday_premium: NonNegative = 0.0
    holidays: Annotated[_Holidays, BeforeValidator(_holidays_spec), WithJsonSchema(
        {"anyOf": [{"type": "array", "items": {"type": "string", "format": "date"}},
                   {"type": "object", "properties": {"country": {"type": "string"},
                                                     "subdivision": {"type": "string"},
                                                     "dates": {"type": "array"}}}]})
    ] = _Holidays()


class _RulesFile(_Section):
    templates: Annotated[list[_Template], Field(min_length=1)]
    rules: _Rules = _Rules()
    pay: _Pay = _Pay()


#: What to write, by field name: appended to schema errors as the fix.
_EXAMPLES = {
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

_TYPE_RULES = {
    "int_type": "must be a whole number", "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number", "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "bool_type": "must be true or false", "bool_parsing": "must be true or false",
    "string_type": "must be text", "list_type": "must be a list, e.g. [a, b]",
    "tuple_type": "must be a list", "dict_type": "must be a mapping (key: value lines)",
    "model_type": "must be a mapping (key: value lines)",
    "model_attributes_type": "must be a mapping (key: value lines)",
    "date_type": "must be a date such as 2026-12-25",
    "date_parsing": "must be a date such as 2026-12-25",
    "date_from_datetime_parsing": "must be a date such as 2026-12-25",
    "date_from_datetime_inexact": "must be a date such as 2026-12-25 (no time of day)",
}

# ---------------------------------------------------------------------------------------------
# YAML with positions
# ---------------------------------------------------------------------------------------------

Loc = tuple[str | int, ...]


@dataclass
class _Positions:
    """Where each value (and each mapping key) of the document is: 1-based line and column."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    texts: dict[Loc, str] = field(default_factory=dict)
    kinds: dict[Loc, str] = field(default_factory=dict)


_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


_NULL_TAG = "tag:yaml.org,2002:null"

#: Bounds on every YAML document ccplan reads (scenario and rules files, the dashboard's
#: uploads: all go through :func:`load_yaml`). They are checked while the document is
#: composed, before any value is built, and a file is refused as soon as it passes one: an
#: alias bomb ("billion laughs": a few hundred bytes whose aliases expand to billions of
#: values) in about 2 ms of CPU, a recursive alias and collections nested thousands deep at
#: once, 500,000 characters of small values within about 2 s.
MAX_YAML_CHARS = 500_000
#: Values in the document once every alias (``*name``) is expanded, keys included.
MAX_YAML_NODES = 50_000
#: Collections (mappings and lists) nested inside one another.
MAX_YAML_DEPTH = 50


class _YamlRefusedError(Exception):
    """The document breaks a bound or uses a feature ccplan does not read."""

    def __init__(self, message: str, mark: Any, loc: Loc):
        super().__init__(message)
        self.message, self.mark, self.loc = message, mark, loc


class _BoundedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses explicit tags and documents beyond the bounds.

    Each node's size (1 + the sizes of its children, an alias counting as the
    whole collection it names) is known as soon as the node is composed, so
    an alias bomb is refused at the first level whose expansion passes
    :data:`MAX_YAML_NODES`, without expanding anything.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._sizes: dict[int, int] = {}
        self._total = 0  # values so far, aliases expanded: refused as soon as it passes
        self._open_anchors: list[str | None] = []
        self._loc: list[str | int] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        step: list[str | int] = []
        if isinstance(index, yaml.ScalarNode):
            step = [str(index.value)]
        elif isinstance(index, int) and not isinstance(index, bool):
            step = [index]
        self._loc.extend(step)
        try:
            return self._compose_bounded(parent, index)
        finally:
            del self._loc[len(self._loc) - len(step):]

    def _compose_bounded(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        loc: Loc = tuple(self._loc)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open_anchors:
                raise _YamlRefusedError(
                    f"the alias *{event.anchor} is inside the collection &{event.anchor} "
                    "names (a recursive alias), which has no end. Write the values out "
                    "instead.", event.start_mark, loc)
            node = super().compose_node(parent, index)
            self._total += self._sizes.get(id(node), 1)
            self._count(self._total, event.start_mark, ())
            return node
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            value = getattr(event, "value", None)
            got = f" {shown} {value!r}" if isinstance(value, str) else f" {shown}"
            raise _YamlRefusedError(
                f"has the explicit YAML tag {shown}, which ccplan does not read (got{got}). "
                "Remove the tag: write numbers and true/false plainly (2600, true) and text "
                "in quotes if it could be read as something else (\"007\").",
                event.start_mark, loc)
        collection = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
        if collection and len(self._open_anchors) >= MAX_YAML_DEPTH:
            raise _YamlRefusedError(
                f"nests lists and mappings more than {MAX_YAML_DEPTH} deep. ccplan refuses "
                "documents nested deeper (a scenario needs fewer than 10 levels); check the "
                "brackets and the indentation.", event.start_mark, loc)
        self._total += 1
        self._count(self._total, event.start_mark, ())
        self._open_anchors.append(event.anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._open_anchors.pop()
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self._sizes.get(id(item), 1) for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1)
                        for k, v in node.value)
        self._sizes[id(node)] = size
        self._count(size, node.start_mark, loc)
        return node

    def _count(self, size: int, mark: Any, loc: Loc) -> None:
        if size > MAX_YAML_NODES:
            raise _YamlRefusedError(
                f"holds more than {MAX_YAML_NODES:,} values once its aliases (*name) are "
                "expanded, the most ccplan reads from one file. Write the values out instead "
                "of repeating aliases, or split the file (an alias that expands without end "
                "would exhaust memory).", mark, loc)


def _flow_key_has_value(key_node: yaml.Node, source: str) -> bool:
    """Whether a key in a flow mapping (``{...}``) is followed by ``:``."""
    rest = source[key_node.end_mark.index:key_node.end_mark.index + 200].lstrip()
    return rest.startswith(":")


def _stray_key(node: yaml.MappingNode, k: int, loc: Loc, source: str) -> _YamlRefusedError:
    """The error for the k-th key of a flow mapping written without ``: value``.

    ``{Tue-Thu: 2,600}`` is read by YAML as ``Tue-Thu: 2`` and a stray key
    ``600``: a number followed by keys of three digits, each directly after a
    comma, is a number written with thousands separators.
    """
    key_node = node.value[k][0]
    key = str(key_node.value)
    if k > 0:
        prev_key, prev_value = node.value[k - 1]
        digits = [str(prev_value.value)]
        j = k
        while (j < len(node.value) and isinstance(node.value[j][0], yaml.ScalarNode)
               and re.fullmatch(r"\d{3}(\.\d+)?", str(node.value[j][0].value))
               and source[node.value[j - 1][1].end_mark.index:
                          node.value[j][0].start_mark.index] == ","
               and not _flow_key_has_value(node.value[j][0], source)):
            digits.append(str(node.value[j][0].value))
            j += 1
        number_before = (isinstance(prev_value, yaml.ScalarNode) and prev_value.tag == _INT_TAG
                         and prev_value.style is None
                         and re.fullmatch(r"[+-]?\d{1,3}", str(prev_value.value)))
        if len(digits) > 1 and number_before:
            written, meant = ",".join(digits), "".join(digits)
            field_loc = (*loc, str(prev_key.value))
            return _YamlRefusedError(
                f"{_path_text(field_loc)} is written {written}: YAML reads the comma as the "
                f"end of the value, giving {digits[0]} and a stray key {digits[1]}. Write "
                f"{meant}, without the comma.", prev_value.start_mark, ())
    return _YamlRefusedError(
        f"{_path_text(loc) or 'the top level'} has a key {key!r} with no value (no ':' after "
        f"it); YAML would read it as an empty key and drop it. Write {key}: <value>, or remove "
        "it (a comma inside a number is read as the end of the value).",
        key_node.start_mark, ())


def _check_list_separators(node: yaml.SequenceNode, loc: Loc, source: str) -> None:
    """``[1,200, 1,500]`` is YAML for [1, 200, 1, 500]: in a list whose items are otherwise
    separated by ", ", a three-digit number right after a comma is a thousands separator."""
    items = node.value
    gaps = [source[a.end_mark.index:b.start_mark.index]
            for a, b in zip(items[:-1], items[1:], strict=True)]
    if not any(gap.strip() == "," and gap != "," for gap in gaps):
        return  # [240,270,300]: no spaces anywhere, read as written
    for k, gap in enumerate(gaps):
        a, b = items[k], items[k + 1]
        if (gap == "," and all(isinstance(x, yaml.ScalarNode) and x.style is None
                               and x.tag == _INT_TAG for x in (a, b))
                and re.fullmatch(r"[-+]?\d{1,3}", a.value) and re.fullmatch(r"\d{3}", b.value)):
            raise _YamlRefusedError(
                f"{_path_text((*loc, k))} is written {a.value},{b.value}: YAML reads the comma "
                f"as the end of the item, giving {a.value} and {b.value}. Write "
                f"{a.value}{b.value}, without the comma.", a.start_mark, ())


def _walk(node: yaml.Node, loc: Loc, pos: _Positions, source: str) -> None:
    mark = node.start_mark
    pos.values[loc] = (mark.line + 1, mark.column + 1)
    if isinstance(node, yaml.ScalarNode):
        # YAML 1.1 reads 7:00 as the base-60 number 420: keep clock-like scalars as text.
        if node.tag in (_INT_TAG, _FLOAT_TAG) and ":" in node.value:
            node.tag = _STR_TAG
        # Dates stay text too: the schema parses them, so a bad one is named with its field.
        if node.tag == _TIMESTAMP_TAG:
            node.tag = _STR_TAG
        if (node.tag == _INT_TAG and node.style is None
                and re.fullmatch(r"[-+]?0[0-7_]+", node.value)):
            digits = node.value.replace("_", "").lstrip("+-")
            raise _YamlRefusedError(
                f"{_path_text(loc) or 'the value'} is written {node.value}: YAML reads a "
                f"whole number with a leading 0 as octal ({int(digits, 8)}), or a comma inside "
                "a number as the end of the value (1,050 is 1 and 050). Write the number "
                f"without the leading 0 ({int(digits, 10)}), without commas, or quote text.",
                mark, ())
        pos.texts[loc] = node.value
        pos.kinds[loc] = "scalar"
    elif isinstance(node, yaml.SequenceNode):
        pos.kinds[loc] = "sequence"
        pos.texts[loc] = source[mark.index:node.end_mark.index]
        if node.flow_style:
            _check_list_separators(node, loc, source)
        for i, item in enumerate(node.value):
            _walk(item, (*loc, i), pos, source)
    elif isinstance(node, yaml.MappingNode):
        pos.kinds[loc] = "mapping"
        seen: dict[str, tuple[int, int]] = {}
        for k, (key_node, value_node) in enumerate(node.value):
            if node.flow_style and not _flow_key_has_value(key_node, source):
                raise _stray_key(node, k, loc, source)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL_TAG:
                raise _YamlRefusedError(
                    f"{_path_text(loc) or 'the top level'} has an empty key (null, ~ or a "
                    "list or mapping as a key). Keys are names such as Mon or voice; quote "
                    "a key that YAML would read as something else (\"null\").",
                    key_node.start_mark, ())
            key = str(key_node.value)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                raise _DuplicateKeyError(key, where, seen[key], loc)
            seen[key] = where
            pos.keys[(*loc, key)] = where
            _walk(value_node, (*loc, key), pos, source)


class _DuplicateKeyError(Exception):
    def __init__(self, key: str, where: tuple[int, int], first: tuple[int, int], loc: Loc):
        super().__init__(key)
        self.key, self.where, self.first, self.loc = key, where, first, loc


def _path_text(loc: Loc) -> str:
    out = ""
    for item in loc:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out


def _resolve(loc: Loc, pos: _Positions) -> tuple[Loc, Loc]:
    """Split a schema location into the part found in the document and the rest.

    Schema-only steps are dropped: ``dates`` under a list written as
    ``holidays: [...]`` and anything below a scalar written for a mapping
    (``start: "07:00"``).
    """
    found: Loc = ()
    for k, item in enumerate(loc):
        kind = pos.kinds.get(found)
        if kind == "sequence" and isinstance(item, str):
            continue
        if kind == "scalar":
            return found, ()
        if (*found, item) in pos.values:
            found = (*found, item)
        else:
            return found, loc[k:]
    return found, ()


def _value_text(loc: Loc, pos: _Positions) -> str:
    text = pos.texts.get(loc, "")
    text = " ".join(text.split())
    if len(text) > 60:
        text = text[:57] + "..."
    return repr(text) if pos.kinds.get(loc) == "scalar" else text


def load_yaml(path: Path, source: str) -> tuple[Any, _Positions]:
    """Load YAML safely, with the line and column of every value (errors name them).

    The document is bounded (:data:`MAX_YAML_CHARS`, :data:`MAX_YAML_NODES`
    after expanding aliases, :data:`MAX_YAML_DEPTH`); explicit tags (``!!int``,
    ``!!binary``, ``!custom``), null or collection keys and keys without a
    value in a flow mapping (``{Tue-Thu: 2,600}`` reads as ``Tue-Thu: 2`` and a
    key ``600``) are refused. Each refusal is an :class:`InputFileError` naming
    the file, line, column and field.
    """
    pos = _Positions()
    if len(source) > MAX_YAML_CHARS:
        raise InputFileError(f"{path}: the file has {len(source):,} characters, more than the "
                             f"{MAX_YAML_CHARS:,} ccplan reads from one YAML file. Put volumes "
                             "in a CSV file (volume: {file: voice.csv}) or split the file.")
    try:
        loader = _BoundedLoader(source)
        try:
            node = loader.get_single_node()
            if node is not None:
                _walk(node, (), pos, source)
                data = loader.construct_document(node)
            else:
                data = None
        finally:
            loader.dispose()  # type: ignore[no-untyped-call]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        what = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise InputFileError(f"{where}: not valid YAML: {what}. Check the indentation and "
                             "quote values that contain ': ' or start with a special "
                             "character.") from None
    except yaml.YAMLError as err:
        raise InputFileError(f"{path}: not valid YAML: {err}.") from None
    except _YamlRefusedError as refused:
        mark = refused.mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        field_path = f"{_path_text(refused.loc)} " if refused.loc else ""
        if len(field_path) > 80:
            field_path = field_path[:76] + "... "
        if not field_path and refused.message.startswith(("has ", "nests ", "holds ")):
            field_path = "the document "
        raise InputFileError(f"{where}: {field_path}{refused.message}") from None
    except _DuplicateKeyError as dup:
        raise InputFileError(
            f"{path}:{dup.where[0]}:{dup.where[1]}: {_path_text((*dup.loc, dup.key))} is given "
            f"twice (first on line {dup.first[0]}). Keep one.") from None
    return data, pos


def _short(text: Any, limit: int = 160) -> str:
    """``text`` for a message, cut in the middle when longer than ``limit`` characters."""
    text = str(text)
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return f"{text[:half]}...{text[-half:]}"


def _file_problem(path: Path) -> str | None:
    """Why ``path`` is not a file ccplan can open (``None``: it is one).

    A name the system refuses (longer than 255 characters, a path longer
    than 4096) says so instead of raising ``OSError``.
    """
    try:
        return None if path.is_file() else "no such file"
    except OSError as err:
        return f"cannot be opened ({err.strerror or type(err).__name__})"


def _read_file_bytes(path: Path, what: str) -> bytes:
    """The bytes of a file :func:`_file_problem` accepted; an unreadable one is an error."""
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputFileError(f"{_short(path)}: cannot read the {what} file "
                             f"({err.strerror or type(err).__name__}). Check its "
                             "permissions.") from None


def load_yaml_mapping(path: Path, raw: bytes, *, what: str, empty_hint: str,
                      mapping_rule: str) -> tuple[dict[str, Any], _Positions]:
    """A YAML file's bytes as a mapping with positions; errors say what the file must be.

    ``what`` names the file's kind ("rules", "scenario") in the UTF-8
    message, ``empty_hint`` follows "the file is empty.", ``mapping_rule``
    is the rule broken by a file that is not a mapping.
    """
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: not a UTF-8 text file. Save the {what} as UTF-8 "
                             "YAML.") from None
    data, pos = load_yaml(path, source)
    if data is None:
        raise InputFileError(f"{path}: the file is empty. {empty_hint}")
    if not isinstance(data, dict):
        raise InputFileError(f"{path}:1:1: {mapping_rule}; got a {type(data).__name__}.")
    return data, pos


# ---------------------------------------------------------------------------------------------
# Public entry
# ---------------------------------------------------------------------------------------------


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
    """

    templates: tuple[ShiftTemplate, ...]
    rules: ScheduleRules
    rates: PayRates
    path: Path | None = None
    template_lines: dict[str, int] = field(default_factory=dict, compare=False)
    allow_time_limit: bool = False

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
    problem = _file_problem(path)
    if problem is not None:
        raise InputFileError(f"{_short(path)}: {problem}. Give the shift templates and rules "
                             "YAML (see scenarios/examples/schedule/rules.yaml).")
    data, pos = load_yaml_mapping(
        path, _read_file_bytes(path, "rules"), what="rules",
        empty_hint="It needs at least a 'templates' list, e.g. templates: [{name: FT8, "
                   "length: 8h30m, start: \"07:00\"}].",
        mapping_rule="the file must be a mapping with the keys templates, rules and pay")
    try:
        doc = _RulesFile.model_validate(data)
    except ValidationError as err:
        raise _schema_error(path, err, pos) from None
    _cross_check(path, doc, pos)
    return _build(path, doc, pos, years)


#: How pydantic names the branch of a union in an error's location (``daily: 3000`` or
#: ``daily: {Mon: 3000}``): not a field of the file.
_UNION_BRANCH = re.compile(r"^(constrained-\w+|str|int|float|bool|literal\[.*\]|"
                           r"(dict|list|tuple)\[.*\])$")


def _first_error(err: ValidationError, pos: _Positions) -> Any:
    """The error to report: the first, or for a field that may take several forms, the error
    of the form the file wrote (a mapping's error for a mapping), without the branch's name."""
    errors = err.errors()
    detail = errors[0]
    loc = tuple(detail["loc"])
    branch = next((i for i, x in enumerate(loc) if isinstance(x, str)
                   and _UNION_BRANCH.match(x) and loc[:i + 1] not in pos.values), None)
    if branch is None:
        return detail
    found, rest = _resolve(loc[:branch], pos)
    written = pos.kinds.get(found) if not rest else None
    want = {"mapping": ("dict[",), "sequence": ("list[", "tuple[")}.get(str(written), ())

    def fits(tag: str) -> bool:
        return tag.startswith(want) if want else not tag.startswith(("dict[", "list[", "tuple["))

    same = [e for e in errors if tuple(e["loc"])[:branch] == loc[:branch]
            and len(e["loc"]) > branch and _UNION_BRANCH.match(str(e["loc"][branch]))]
    chosen: dict[str, Any] = dict(next((e for e in same if fits(str(e["loc"][branch]))),
                                       detail))
    chosen["loc"] = tuple(x for k, x in enumerate(chosen["loc"]) if k != branch)
    return chosen


def _separator_hint(text: str) -> str:
    """The fix for a number written with thousands separators (``2,600``, ``2 600``)."""
    if re.fullmatch(r"[+-]?\d{1,3}([, ]\d{3})+(\.\d+)?", text.strip()):
        meant = text.strip().replace(",", "").replace(" ", "")
        mark = "comma" if "," in text else "space"
        return f" Write {meant}, without the {mark}."
    return ""


def _schema_error(path: Path, err: ValidationError, pos: _Positions,
                  examples: dict[str, str] | None = None) -> InputFileError:
    examples = _EXAMPLES if examples is None else examples
    detail = _first_error(err, pos)
    loc: Loc = tuple(x for x in detail["loc"] if isinstance(x, str | int))
    found, rest = _resolve(loc, pos)
    kind = detail["type"]
    line, col = pos.values.get(found, (1, 1))
    field_name = next((x for x in reversed(found + rest) if isinstance(x, str)), "")
    names = [x for x in found + rest if isinstance(x, str)]
    if len(names) >= 2 and f"{names[-2]}.{field_name}" in examples:
        field_name_key = f"{names[-2]}.{field_name}"   # e.g. horizon.days vs a template's days
    else:
        field_name_key = field_name
    if kind == "unknown_key":
        key = detail["ctx"]["key"]
        line, col = pos.keys.get((*found, key), (line, col))
        where_in = _path_text(found) or "the top level"
        return InputFileError(f"{path}:{line}:{col}: {where_in}: {detail['msg']}.")
    if kind == "missing" and loc and isinstance(loc[-1], int):
        kind = "too_short"  # a fixed-length list (window) with an item missing
        rest = tuple(x for x in rest if not isinstance(x, int))
    if kind == "missing":
        parent = _path_text(found) or "the file"
        example = examples.get(field_name_key)
        fix = f" Add it, e.g. {example}." if example else " Add it."
        return InputFileError(f"{path}:{line}:{col}: {parent} has no {field_name!r}, which is "
                              f"required.{fix}")
    rule = _TYPE_RULES.get(kind) or str(detail["msg"])
    rule = rule.removeprefix("Value error, ").replace("Input should be", "must be")
    if kind == "too_short" and field_name == "templates":
        rule = "must list at least one shift template"
    elif kind in ("too_short", "too_long", "tuple_type") and field_name == "window":
        rule = "must be two durations [earliest, latest] after the shift starts"
    elif kind == "literal_error":
        rule = rule.replace("must be", "must be one of").replace(" or ", ", ")
    shown = _path_text(found + rest)
    example = examples.get(field_name_key)
    fix = f" E.g. {example}." if example else ""
    if pos.kinds.get(found) == "scalar":
        fix = _separator_hint(pos.texts.get(found, "")) or fix
    return InputFileError(f"{path}:{line}:{col}: {shown} {rule}, got "
                          f"{_value_text(found, pos)}.{fix}")


def _fail(path: Path, pos: _Positions, loc: Loc, message: str) -> InputFileError:
    found, _ = _resolve(loc, pos)
    line, col = pos.values.get(found, (1, 1))
    return InputFileError(f"{path}:{line}:{col}: {_path_text(loc)} {message}")


def _cross_check(path: Path, doc: _RulesFile, pos: _Positions) -> None:
    """Rules between fields, named by the field that has to change."""
    seen: dict[str, int] = {}
    for i, t in enumerate(doc.templates):
        here: Loc = ("templates", i)
        if t.name in seen:
            raise _fail(path, pos, (*here, "name"),
                        f"{t.name!r} is already the name of templates[{seen[t.name]}]. "
                        "Template names must be unique.")
        seen[t.name] = i
        if not t.length > 0:
            raise _fail(path, pos, (*here, "length"), f"must be > 0, got "
                        f"{_value_text((*here, 'length'), pos)}. E.g. length: 8h30m.")
        if t.start.latest is not None and t.start.latest < t.start.earliest:
            raise _fail(path, pos, (*here, "start", "latest"),
                        f"{format_clock(t.start.latest)} is before start.earliest "
                        f"{format_clock(t.start.earliest)}. Swap them; for shifts starting "
                        "around midnight use two templates.")
        if t.start.step is not None and not t.start.step > 0:
            raise _fail(path, pos, (*here, "start", "step"),
                        f"must be > 0, got {_value_text((*here, 'start', 'step'), pos)}. E.g. "
                        "step: 30m.")
        previous_end, previous = -1.0, ""
        for k, b in enumerate(t.breaks):
            bl: Loc = (*here, "breaks", k)
            if not b.duration > 0:
                raise _fail(path, pos, (*bl, "duration"),
                            f"must be > 0, got {_value_text((*bl, 'duration'), pos)}. E.g. "
                            "duration: 30m.")
            lo, hi = b.window
            if hi < lo:
                raise _fail(path, pos, (*bl, "window"),
                            f"must be [earliest, latest] with earliest <= latest, got "
                            f"{_value_text((*bl, 'window'), pos)}. Swap the two.")
            if hi + b.duration > t.length:
                raise _fail(path, pos, (*bl, "window"),
                            f"lets break {b.name!r} start {format_duration(hi)} into the shift "
                            f"and end at {format_duration(hi + b.duration)}, after the "
                            f"{format_duration(t.length)} shift ends; got "
                            f"{_value_text((*bl, 'window'), pos)}. Make the latest start at "
                            f"most {format_duration(t.length - b.duration)}, or shorten the "
                            "break.")
            if lo < previous_end:
                raise _fail(path, pos, (*bl, "window"),
                            f"opens {format_duration(lo)} into the shift, before break "
                            f"{previous!r} can end ({format_duration(previous_end)}), so two "
                            f"breaks could overlap; got {_value_text((*bl, 'window'), pos)}. "
                            "List breaks in order and make their windows follow each other.")
            previous_end, previous = hi + b.duration, b.name
        if t.max_headcount is not None and t.max_headcount < t.min_headcount:
            raise _fail(path, pos, (*here, "max_headcount"),
                        f"({t.max_headcount}) is below min_headcount ({t.min_headcount}). "
                        "Raise it or lower min_headcount.")
        if t.days_per_week is not None and t.days_per_week > len(t.days):
            raise _fail(path, pos, (*here, "days_per_week"),
                        f"is {t.days_per_week} but days allows only {len(t.days)} "
                        f"({', '.join(DAY_NAMES[d] for d in t.days)}). Allow more days or "
                        "lower days_per_week.")
        if t.hourly_rate is None and t.agent_type not in doc.pay.hourly_rates:
            known = ", ".join(sorted(doc.pay.hourly_rates)) or "none"
            raise _fail(path, pos, (*here, "agent_type"),
                        f"{t.agent_type!r} has no rate in pay.hourly_rates (known: {known}). "
                        "Add it there, or give the template an hourly_rate.")
    lo_share, hi_share = doc.rules.min_part_time_share, doc.rules.max_part_time_share
    if lo_share is not None and hi_share is not None and lo_share > hi_share:
        raise _fail(path, pos, ("rules", "min_part_time_share"),
                    f"({lo_share:g}) is above max_part_time_share ({hi_share:g}). Lower it or "
                    "raise the maximum.")


def _country_holidays(path: Path, pos: _Positions, spec: _Holidays,
                      years: Iterable[int] | None) -> list[dt.date]:
    import holidays

    loc: Loc = ("pay", "holidays", "country")
    if years is None:
        raise _fail(path, pos, loc, f"{spec.country!r} needs the years of the planning horizon: "
                    "pass years= to read_shift_rules (ccplan schedule takes them from the "
                    "requirements), or list the dates under pay.holidays.dates.")
    try:
        calendar = holidays.country_holidays(str(spec.country), subdiv=spec.subdivision,
                                             years=sorted(set(years)))
    except NotImplementedError as err:
        which = "subdivision" if spec.subdivision and "subdiv" in str(err).lower() else "country"
        loc = ("pay", "holidays", which)
        value = spec.subdivision if which == "subdivision" else spec.country
        raise _fail(path, pos, loc, f"{value!r} is not a {which} the holidays package knows "
                    f"({err}). Use an ISO 3166 code such as FR, US or IL"
                    + (" and one of its subdivision codes." if which == "subdivision" else ".")
                    ) from None
    return sorted(calendar)


def _start_step(t: _Template) -> float:
    """The step between starts: as written; 30 minutes by default; moot for a single start."""
    if t.start.step is not None:
        return t.start.step
    single = t.start.latest is None or t.start.latest == t.start.earliest
    return t.length if single and t.length > 0 else 1800.0


def _build(path: Path, doc: _RulesFile, pos: _Positions,
           years: Iterable[int] | None) -> ShiftRules:
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
                      allow_time_limit=r.allow_time_limit)
