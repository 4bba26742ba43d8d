"""The scenario file's model: its pydantic sections, and the channel they describe.

:class:`ScenarioDocument` is what a scenario file may say (after ``extends``
is merged): sections built on :class:`Section`, durations and days in the
units of :mod:`._units`, the shift templates and pay of :mod:`._shift_rules`.
:func:`scenario_json_schema` publishes it for editors. :class:`ChannelSpec` is
one channel as the pipeline sees it (seconds, fractions 0-1); the loader
(:mod:`._scenario`) builds it, and the :class:`Scenario` that holds it, from a
validated document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from ._capacity_model import CAPACITY_EXAMPLES, CapacitySection
from ._shift_rules import (
    RULES_EXAMPLES,
    HolidaysSection,
    PaySection,
    RulesSection,
    TemplateSection,
)
from ._yaml import Section
from .units import (
    DURATION_JSON,
    Count,
    Duration,
    Fraction,
    NonNegative,
    PositiveDuration,
    Share,
    parse_target,
)


def _target_spec(value: Any) -> Any:
    """A target written as text (``80% in 20s``, ``80/20``: :func:`.units.parse_target`) as the
    mapping the section holds; a mapping passes as written."""
    if isinstance(value, str):
        level, within = parse_target(value)
        return {"service_level": level, "within": within}
    return value


_TARGET_JSON = {"anyOf": [{"type": "string",
                           "pattern": r"^\s*\d+(\.\d+)?\s*(%\s*(in|within)\s+|%?\s*/)"},
                          {"type": "object", "properties": {
                              "service_level": {"type": "number"}, "within": DURATION_JSON}}],
                "description": "a target such as '80% in 20s', '95% in 24h' or '80/20'"}


#: A day's opening hours in the typed form: ``[open_s, close_s]``, seconds after midnight (the
#: loader checks the pair, so a wrong one is reported with its rule).
_OpenClose = Annotated[list[Any], WithJsonSchema({
    "type": "array", "items": {"type": "number", "minimum": 0, "maximum": 86400},
    "minItems": 2, "maxItems": 2,
    "description": "[open_s, close_s]: opening and closing time in seconds after midnight, "
                   "e.g. [28800, 72000] for 08:00-20:00"})]


class _Target(Section):
    service_level: Annotated[float, Field(gt=0, lt=1)]
    within: Duration


class _Volume(Section):
    file: str | None = None
    daily: NonNegative | dict[str, NonNegative] | None = None
    profile: Literal["flat"] | dict[str, NonNegative] | None = None
    history: str | None = None
    method: str = "auto"


class _Band(Section):
    up_to: PositiveDuration
    share: Share


class _Law(Section):
    """A delay's law as written: ``{law: lognormal, mean: 4s, cv: 0.5}`` and the like (the keys
    each law takes are checked by :func:`._sections.channel_behaviour`)."""

    law: Literal["fixed", "exponential", "lognormal", "empirical", "bands"]
    value: Duration | None = None
    mean: PositiveDuration | None = None
    cv: Annotated[float, Field(gt=0)] | None = None
    values: Annotated[list[Duration], Field(min_length=1)] | None = None
    bands: Annotated[list[_Band], Field(min_length=1)] | None = None


class _HangUp(Section):
    share: Share
    within: Duration = 0.0


class _RedialStep(Section):
    wait_up_to: Duration | None = None
    probability: Share


class _Redial(Section):
    probability: Share | Annotated[list[_RedialStep], Field(min_length=1)]
    delay: PositiveDuration | _Law


class _Callback(Section):
    offer_above: Duration
    accept: Share
    rule: Literal["after_queue", "in_turn", "promise"] = "after_queue"
    promise: PositiveDuration
    dial: Duration = 0.0
    service_level: Literal["excluded", "promise"] = "excluded"


class _Channel(Section):
    volume: _Volume
    aht: PositiveDuration
    target: Annotated[_Target, BeforeValidator(_target_spec), WithJsonSchema(_TARGET_JSON)]
    patience: PositiveDuration | None = None
    concurrency: Annotated[int, Field(ge=1, le=20)] = 1
    deferred: bool = False
    max_occupancy: Annotated[float, Field(gt=0, le=1)] | None = None
    hang_up: Share | _HangUp | None = None
    pickup_delay: Duration | _Law | None = None
    redial: _Redial | None = None
    callback: _Callback | None = None


class _Group(Section):
    skills: Annotated[list[str], Field(min_length=1)]


class _Horizon(Section):
    start: dt.date
    days: Annotated[int, Field(ge=1, le=371)] = 7


class _Staffing(Section):
    method: Literal["erlang_c", "erlang_a", "simulation"] = "erlang_c"
    shrinkage: Annotated[float, Field(ge=0, lt=1)] = 0.0
    max_rounds: Annotated[int, Field(ge=1, le=20)] = 4


class _Shifts(Section):
    templates: Annotated[list[TemplateSection], Field(min_length=1)]
    rules: RulesSection = RulesSection()


class _OutOfHours(Section):
    lost_share: Fraction = 0.0
    retry_share: Fraction = 0.0
    retry_spread: PositiveDuration = 7200.0


class _Simulation(Section):
    replications: Count = 0


class _Budget(Section):
    per_week: NonNegative | None = None
    per_year: NonNegative | None = None


class _ChannelShift(Section):
    from_channel: str
    to_channel: str
    share: Fraction


class _ScenarioHolidays(HolidaysSection):
    closed: bool = True


class ScenarioDocument(Section):
    name: str | None = None
    description: str = ""
    extends: str | None = None
    allow_outside_folder: bool = False
    timezone: str = "UTC"
    interval: PositiveDuration = 1800.0
    horizon: _Horizon
    hours: str | dict[str, str | _OpenClose] = "24x7"
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
    pay: PaySection = PaySection()
    out_of_hours: _OutOfHours = _OutOfHours()
    simulation: _Simulation = _Simulation()
    budget: _Budget | None = None
    capacity: CapacitySection | None = None
    expect: list[str] = []
    variants: dict[str, dict[str, Any]] = {}
    sweep: dict[str, list[Any] | dict[str, float]] = {}

SCENARIO_EXAMPLES = {
    **CAPACITY_EXAMPLES,
    **RULES_EXAMPLES,
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
    "hours": "hours: extended (8x5, extended, 24x7), {Mon-Fri: \"08:00-20:00\"} or, in "
             "seconds after midnight, {Mon-Fri: [28800, 72000]}",
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
    "hang_up": "hang_up: 4% (or {share: 4%, within: 5s})",
    "hang_up.share": "share: 4%",
    "hang_up.within": "within: 5s",
    "pickup_delay": "pickup_delay: 4s (fixed) or {law: exponential, mean: 4s}",
    "law": "law: exponential (fixed, exponential, lognormal, empirical or bands)",
    "mean": "mean: 4s",
    "cv": "cv: 0.5",
    "value": "value: 4s",
    "values": "values: [2s, 3s, 5s]",
    "bands": "bands: [{up_to: 5s, share: 60%}, {up_to: 10s, share: 40%}]",
    "up_to": "up_to: 5s",
    "bands.share": "share: 60%",
    "redial": "redial: {probability: 35%, delay: 10m}",
    "redial.probability": "probability: 35% (or [{wait_up_to: 10s, probability: 5%}, "
                          "{probability: 40%}])",
    "probability": "probability: 40%",
    "wait_up_to": "wait_up_to: 10s",
    "delay": "delay: 10m (the mean of an exponential) or {law: lognormal, mean: 10m, cv: 1}",
    "callback": "callback: {offer_above: 2m, accept: 40%, promise: 1h}",
    "offer_above": "offer_above: 2m",
    "accept": "accept: 40%",
    "callback.rule": "rule: after_queue (after_queue, in_turn or promise)",
    "promise": "promise: 1h",
    "dial": "dial: 20s",
    "callback.service_level": "service_level: excluded (excluded or promise)",
}


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
    hang_up_share : float
        Share of arriving contacts, in [0, 1), that hang up whatever the wait
        (``hang_up``); 0: none.
    hang_up_within_s : float
        The hang-ups' patience is uniform in [0, this], seconds; 0: they leave at once.
    pickup_delay : dict or None
        Law of the delay between an agent taking a contact and the answer, in
        the simulator's form: ``{"kind": "fixed", "value_s": s}``,
        ``{"kind": "exponential", "mean_s": s}``, ``{"kind": "lognormal",
        "mean_s": s, "cv": c}``, ``{"kind": "empirical", "values_s": (s, ...)}``
        or ``{"kind": "bands", "bands": ((upper_s, share), ...)}``; ``None``: none.
    redial_probability : float or tuple of (float, float)
        Probability, 0-1, that a contact that abandons calls again, or rows of
        ``(wait_up_to_s, probability)`` by the wait before abandoning (bounds
        increasing, the last ``inf``); 0: no redials.
    redial_delay : dict or None
        Law (as ``pickup_delay``) of the time from the abandon to the redial;
        given with redials.
    callback : dict or None
        ``{"offer_above_s", "accept_share", "rule", "promise_s", "dial_s",
        "service_level"}`` (seconds, fractions); ``None``: no callbacks.
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
    hang_up_share: float = 0.0
    hang_up_within_s: float = 0.0
    pickup_delay: dict[str, Any] | None = None
    redial_probability: float | tuple[tuple[float, float], ...] = 0.0
    redial_delay: dict[str, Any] | None = None
    callback: dict[str, Any] | None = None


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
    schema = _standard_keywords(ScenarioDocument.model_json_schema(by_alias=True))
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

