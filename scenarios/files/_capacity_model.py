"""The scenario file's ``capacity:`` block as written: its pydantic sections and examples.

The long-range capacity plan (docs/scenarios.md "capacity:", docs/capacity.md): weeks,
demand source, planner events, the shrinkage plan, the agent groups (headcount, attrition,
ramp, overtime, hiring rules, given classes), transfers, the plan's kind, risk and budget.
What is written here is checked for its form (types, ranges, known keys); the rules that need
several fields (a channel in two groups, a class above its maximum, an event outside the
weeks) are checked by :mod:`._capacity_section`, which also turns the block into the
typed :class:`._capacity_section.CapacitySpec`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ._yaml import Section
from .units import Duration, NonNegative, Share

_WEEKS = re.compile(r"^\s*(\d+)\s*w\s*$")


def parse_weeks(value: Any) -> int:
    """A whole number of weeks: ``6w`` or ``6``; ``ValueError`` with the rule otherwise."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number of weeks, e.g. 6w or 6")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and _WEEKS.match(value):
        number = int(_WEEKS.match(value).group(1))  # type: ignore[union-attr]
    else:
        raise ValueError("must be a whole number of weeks, e.g. 6w or 6")
    if number < 0:
        raise ValueError("must be a whole number of weeks >= 0, e.g. 6w")
    return number


_CHANGE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")


def parse_change(value: Any) -> float:
    """A signed change as a fraction: ``+25%``, ``-10%`` or the fraction ``0.25`` (> -100%)."""
    if isinstance(value, bool):
        raise ValueError("must be a change such as +25% or -10% (or the fraction 0.25)")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _CHANGE.match(value):
        number = float(_CHANGE.match(value).group(1)) / 100.0  # type: ignore[union-attr]
    else:
        raise ValueError("must be a change such as +25% or -10% (or the fraction 0.25)")
    if not (math.isfinite(number) and number > -1.0):
        raise ValueError("must be a change above -100%, e.g. +25% or -10%")
    return number


_WEEKS_JSON = {"anyOf": [{"type": "integer", "minimum": 0},
                         {"type": "string", "pattern": r"^\s*\d+\s*w\s*$"}],
               "description": "a whole number of weeks: 6w or 6"}
_CHANGE_JSON = {"anyOf": [{"type": "number", "exclusiveMinimum": -1},
                          {"type": "string", "pattern": r"^\s*[+-]?\d+(\.\d+)?\s*%\s*$"}],
                "description": "a change: +25%, -10% or the fraction 0.25"}
#: Whole weeks, written ``6w`` or ``6``.
Weeks = Annotated[int, BeforeValidator(parse_weeks), WithJsonSchema(_WEEKS_JSON)]
#: A signed change, ``+25%`` or the fraction ``0.25``, above -100%.
Change = Annotated[float, BeforeValidator(parse_change), WithJsonSchema(_CHANGE_JSON)]
_Positive = Annotated[float, Field(gt=0)]
_ShareBelow1 = Annotated[Share, Field(lt=1)]


class _AliasSection(Section):
    """A section with keys Python cannot name (``from``, ``to``): known keys are the aliases."""

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            names = [f.alias or n for n, f in cls.model_fields.items()]
            for key in data:
                if key not in names:
                    close = difflib.get_close_matches(str(key), names, n=1)
                    maybe = f" (did you mean {close[0]!r}?)" if close else ""
                    text = (f"{str(key)!r} is not a known key{maybe}; allowed here: "
                            f"{', '.join(names)}")
                    raise PydanticCustomError("unknown_key", text.replace("{", "{{").replace(
                        "}", "}}"), {"key": str(key)})
        return data


class _Demand(Section):
    history: str | None = None
    table: str | None = None
    growth: Change = 0.0
    level: Annotated[Share, Field(gt=0, lt=1)] = 0.8


class _Event(_AliasSection):
    name: str = ""
    from_: dt.date = Field(alias="from")
    to: dt.date
    channel: str
    volume: Change = 0.0
    aht: Annotated[Duration, Field(gt=0)] | None = None


class _PerHoliday(Section):
    per_holiday: Duration


class _PerWeek(Section):
    per_week: Duration


class _TenureBand(Section):
    tenure: Weeks
    heads: NonNegative


class _PartTime(Section):
    share: Share
    fte: Annotated[Share, Field(gt=0)]


class _Attrition(Section):
    annual: _ShareBelow1
    first_weeks: list[_ShareBelow1] = []


class _Overtime(Section):
    limit: Share = 0.0
    premium: Annotated[float, Field(ge=0, le=100)] | Share = 0.5


class _Hiring(Section):
    training: Weeks
    graduate: Share = 1.0
    min_class: Annotated[int, Field(ge=1)] = 1
    max_class: Annotated[int, Field(ge=1)] = 20
    lead_time: Weeks = 0
    every: Annotated[Weeks, Field(ge=1)] = 1
    cost_per_hire: NonNegative = 0.0
    training_cost_per_week: NonNegative = 0.0


class _Class(Section):
    start: dt.date | Annotated[int, Field(ge=0)]
    size: Annotated[int, Field(ge=1)]


class _CapacityGroup(Section):
    channels: Annotated[list[str], Field(min_length=1)]
    headcount: NonNegative | Annotated[list[_TenureBand], Field(min_length=1)]
    part_time: _PartTime | None = None
    attrition: _ShareBelow1 | _Attrition = 0.0
    ramp: list[Annotated[Share, Field(gt=0)]] = []
    overtime: _Overtime = _Overtime()
    hiring: _Hiring | None = None
    classes: list[_Class] = []


class _CapacityTransfer(_AliasSection):
    week: Annotated[int, Field(ge=0)]
    from_: str = Field(alias="from")
    to: str
    headcount: _Positive


class _Risk(Section):
    probability: Annotated[Share, Field(gt=0, lt=1)] = 0.9
    runs: Annotated[int, Field(ge=2, le=5000)] = 1000


class _CapacityBudget(Section):
    by_month: dict[str, _Positive]


class CapacitySection(Section):
    """The ``capacity:`` block as written (checked for form; :mod:`._capacity_section` reads it)."""

    weeks: Annotated[int, Field(ge=13, le=78)]
    start: dt.date | None = None
    demand: _Demand = _Demand()
    events: list[_Event] = []
    service_level_floor: Annotated[Share, Field(gt=0, lt=1)] | None = None
    hours_per_fte_week: Annotated[float, Field(gt=0, le=168)] = 37.5
    shrinkage: dict[str, _ShareBelow1 | _PerHoliday | _PerWeek
                    | dict[str, _ShareBelow1]] | None = None
    groups: dict[str, _CapacityGroup] | None = None
    transfers: list[_CapacityTransfer] = []
    plan: Literal["given", "optimise"] | None = None
    short_penalty: _Positive = 10_000.0
    mip_gap: Annotated[Share, Field(lt=1)] = 0.001
    max_nodes: Annotated[int, Field(ge=1, le=10_000_000)] = 20_000
    risk: _Risk | None = None
    budget: _CapacityBudget | None = None


#: What to write, by field name, for the messages of the ``capacity:`` block.
CAPACITY_EXAMPLES = {
    "capacity": "capacity: {weeks: 52}",
    "weeks": "weeks: 78 (13 to 78)",
    "capacity.start": "start: 2027-01-04 (a Monday)",
    "demand": "demand: {history: data/voice_weekly.csv, growth: 3%}",
    "history": "history: data/voice_weekly.csv",
    "table": "table: data/plan.csv",
    "growth": "growth: 3% (a year)",
    "level": "level: 80%",
    "events": "events: [{name: price letter, from: 2027-03-01, to: 2027-03-14, "
              "channel: voice, volume: +25%}]",
    "from": "from: 2027-03-01",
    "to": "to: 2027-03-14",
    "events.volume": "volume: +25%",
    "events.aht": "aht: 6m",
    "service_level_floor": "service_level_floor: 70%",
    "hours_per_fte_week": "hours_per_fte_week: 37.5",
    "capacity.shrinkage": "shrinkage: {sickness: 4%, annual_leave: {Jan: 6%, Feb-Dec: 8%}}",
    "per_holiday": "per_holiday: 7.5h",
    "groups": "groups: {voice_team: {channels: [voice], headcount: 120}}",
    "headcount": "headcount: 120 (or [{tenure: 0w, heads: 10}, {tenure: 26w, heads: 110}])",
    "tenure": "tenure: 26w",
    "heads": "heads: 110",
    "part_time": "part_time: {share: 30%, fte: 0.5}",
    "attrition": "attrition: 30% (a year) or {annual: 30%, first_weeks: [3%, 3%, 2%]}",
    "annual": "annual: 30%",
    "first_weeks": "first_weeks: [3%, 3%, 2%]",
    "ramp": "ramp: [60%, 60%, 80%]",
    "overtime": "overtime: {limit: 5%, premium: 50%}",
    "limit": "limit: 5%",
    "premium": "premium: 50%",
    "hiring": "hiring: {training: 6w, graduate: 85%, min_class: 5, max_class: 20}",
    "training": "training: 6w",
    "graduate": "graduate: 85%",
    "min_class": "min_class: 5",
    "max_class": "max_class: 20",
    "lead_time": "lead_time: 8w",
    "every": "every: 2w",
    "cost_per_hire": "cost_per_hire: 3000",
    "training_cost_per_week": "training_cost_per_week: 400",
    "classes": "classes: [{start: 2027-03-01, size: 12}]",
    "classes.start": "start: 2027-03-01 (a Monday) or a week number, e.g. 8",
    "size": "size: 12",
    "transfers": "transfers: [{week: 10, from: voice_team, to: chat_team, headcount: 3}]",
    "week": "week: 10",
    "plan": "plan: optimise (or given)",
    "short_penalty": "short_penalty: 10000",
    "mip_gap": "mip_gap: 1% (the hiring plan's relative gap)",
    "max_nodes": "max_nodes: 20000",
    "risk": "risk: {probability: 90%, runs: 1000}",
    "runs": "runs: 1000",
    "risk.probability": "probability: 90%",
    "budget.by_month": "by_month: {2027-01: 250000, 2027-02: 240000}",
    "by_month": "by_month: {2027-01: 250000, 2027-02: 240000}",
}
