"""What the simulator is told about each channel and each agent group, and its checks.

:class:`ChannelModel` and :class:`GroupModel` are the public, frozen
descriptions passed to :func:`simulator.simulate`; they store what they are
given. ``simulate`` checks them on entry (``channel_spec``, ``check_groups``)
and hands the engine a :class:`ChannelSpec`, the checked form.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._distributions import Distribution, parse_distribution
from ._errors import SimulationInputError


@dataclass(frozen=True)
class ChannelModel:
    """How contacts of one channel behave in the simulation.

    Every field has a default, so ``ChannelModel()`` is a channel of Erlang C:
    Poisson arrivals, exponential handle times, nobody abandons. The fields
    are checked by :func:`simulator.simulate`, whose errors name the channel
    and the field.

    Parameters
    ----------
    answer_within_s : float, optional
        Service-level threshold, seconds, >= 0 (the "20" of "80% in 20 s");
        default 20.
    mean_patience_s : float or None, optional
        MEAN of an exponential patience, seconds, > 0 (Erlang A). ``None``
        (default): see ``patience``; give one of the two, not both.
    patience : mapping or None, optional
        Patience of any law: ``{"kind": "exponential" | "lognormal" |
        "empirical" | "none", "mean_s": seconds, "cv": coefficient of
        variation, "values_s": [seconds, ...]}`` (``simulator._distributions``).
        ``None`` with no ``mean_patience_s``: nobody abandons.
    handle_time : mapping or None, optional
        Law of the handle time, as ``patience`` without ``"none"``; its mean
        is the forecast's ``aht_s`` of the interval. ``None``: exponential.
    overdispersion_cv : float, optional
        Coefficient of variation, >= 0, of one gamma volume multiplier (mean
        1) per calendar day: forecast error shared by a day's intervals.
        Default 0 (plain Poisson).
    initial_backlog : int, optional
        Contacts already waiting at the start, >= 0 (counted in the first
        interval). Default 0.
    priority_classes : sequence of mapping or None, optional
        ``[{"name": str, "share": fraction, "head_start_s": seconds >= 0},
        ...]``, shares adding up to 1: each contact belongs to a class with
        probability ``share`` and is queued as if it had arrived
        ``head_start_s`` earlier. Dedicated pools only. Default: one class.
    concurrency : int, optional
        Contacts of this channel one agent works at once, >= 1 (e.g. 3 for
        chat); above 1 needs groups (shared-agent routing). Default 1.
    stretch : float, optional
        >= 0: each contact an agent already has in hand makes a new one last
        longer, handle time x (1 + stretch x (contacts in hand - 1)); the
        forecast's ``aht_s`` is the time of a contact worked alone. Default 0.
    hang_up_share : float, optional
        Share of arriving contacts, in [0, 1), that hang up at once whatever the
        wait (misdials, IVR drop-outs, "ghost" calls): they never reach the
        queue, and count as abandoned with a wait of 0 (and apart, as
        ``hung_up``). Drawn from a stream of their own, so the other contacts
        are the same as without. Default 0.
    hang_up_within_s : float, optional
        >= 0 seconds. 0 (default): the hang-ups leave at once, as above. Above
        0: each hang-up's patience is uniform in [0, ``hang_up_within_s``]
        (a stream of its own); it queues like any contact and is answered if
        an agent takes it first; if it leaves, it counts as abandoned and as
        ``hung_up``.
    pickup_delay : mapping or None, optional
        Law of the pick-up delay between an agent taking a contact and the
        answer (ring time, system delay), seconds: as ``patience`` without
        ``"none"``, with its own ``mean_s`` (or ``values_s``), plus ``{"kind":
        "fixed", "value_s": s}`` and ``{"kind": "bands", "bands": [[upper_s,
        share], ...]}`` (uniform inside each band, from the previous upper or
        0; shares add up to 1). The agent is held for delay + handle time; the
        contact's wait includes the delay (service level, ASA, waits), its
        handle time does not; nobody abandons during the delay. ``None``
        (default): no delay.
    redial_probability : float or sequence of (float, float), optional
        Probability, in [0, 1], that a contact that abandoned (hang-ups
        included) calls again; or a table of ``(wait_up_to_s, probability)``
        rows with increasing bounds (the last may be ``inf``), the probability
        by how long the caller waited before abandoning (a wait above the
        last bound: no redial). Default 0.
    redial_delay : mapping or None, optional
        Law of the time from the abandon to the redial, seconds (as
        ``pickup_delay``; every draw must be > 0); required when a redial
        probability is above 0. A redial is a new arrival of the same
        customer (new patience, the same handle time and priority class), and
        may abandon and redial again.

    Examples
    --------
    >>> ChannelModel(answer_within_s=60.0, mean_patience_s=300.0).concurrency
    1
    """

    answer_within_s: float = 20.0
    mean_patience_s: float | None = None
    patience: Mapping[str, Any] | None = None
    handle_time: Mapping[str, Any] | None = None
    overdispersion_cv: float = 0.0
    initial_backlog: int = 0
    priority_classes: Sequence[Mapping[str, Any]] | None = None
    concurrency: int = 1
    stretch: float = 0.0
    hang_up_share: float = 0.0
    hang_up_within_s: float = 0.0
    pickup_delay: Mapping[str, Any] | None = None
    redial_probability: float | Sequence[tuple[float, float]] = 0.0
    redial_delay: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class GroupModel:
    """A group of agents with the same skills (shared-agent routing).

    Parameters
    ----------
    skills : sequence of str
        The channels its agents serve, at least one; each a channel of the
        forecast.

    Examples
    --------
    >>> GroupModel(skills=("voice", "chat")).skills
    ('voice', 'chat')
    """

    skills: Sequence[str]


@dataclass(frozen=True)
class ChannelSpec:
    """A channel's checked settings, in the engine's terms (seconds)."""

    within_s: float
    handle: Distribution
    patience: Distribution
    patience_mean_s: float
    overdispersion_cv: float
    initial_backlog: int
    concurrency: int
    stretch: float
    class_names: tuple[str, ...] = ("",)
    class_shares: tuple[float, ...] = ()
    head_starts_s: tuple[float, ...] = ()
    hang_up_share: float = 0.0
    hang_up_within_s: float = 0.0
    pickup: Distribution | None = None
    pickup_mean_s: float = 0.0
    # redial probability by wait: bounds (seconds, increasing) and probabilities; none: off
    redial_bounds_s: tuple[float, ...] = ()
    redial_probabilities: tuple[float, ...] = ()
    redial_delay: Distribution | None = None


def channel_spec(func: str, name: str, model: ChannelModel) -> ChannelSpec:
    """Check one channel's model and turn it into what the engine needs."""
    where = f"{func}: channels[{name!r}]"
    if not isinstance(model, ChannelModel):
        raise SimulationInputError(f"{where} must be a ChannelModel, got {model!r}.")
    within = model.answer_within_s
    if not (isinstance(within, int | float) and within >= 0):
        raise SimulationInputError(f"{where}.answer_within_s must be >= 0 seconds, got "
                                   f"{within!r}.")
    if model.mean_patience_s is not None and model.patience is not None:
        raise SimulationInputError(f"{where}: give mean_patience_s (exponential) or patience "
                                   "(any distribution), not both.")
    patience_spec = model.patience
    if model.mean_patience_s is not None:
        patience_spec = {"kind": "exponential", "mean_s": model.mean_patience_s}
    patience, patience_mean = parse_distribution(f"{where}.patience", patience_spec,
                                                 patience=True)
    handle, _ = parse_distribution(f"{where}.handle_time", model.handle_time, patience=False)
    cv = model.overdispersion_cv
    if not (isinstance(cv, int | float) and cv >= 0 and math.isfinite(cv)):
        raise SimulationInputError(f"{where}.overdispersion_cv must be a number >= 0 (0: plain "
                                   f"Poisson), got {cv!r}.")
    backlog = model.initial_backlog
    if not (isinstance(backlog, int) and backlog >= 0):
        raise SimulationInputError(f"{where}.initial_backlog must be a whole number >= 0 of "
                                   f"contacts, got {backlog!r}.")
    classes = {}
    if model.priority_classes is not None:
        classes = _priority_classes(where, model.priority_classes)
    k = model.concurrency
    if not (isinstance(k, int) and not isinstance(k, bool) and k >= 1):
        raise SimulationInputError(f"{where}.concurrency must be a whole number >= 1 (contacts "
                                   f"one agent works at once), got {k!r}.")
    stretch = model.stretch
    if not (isinstance(stretch, int | float) and stretch >= 0 and math.isfinite(stretch)):
        raise SimulationInputError(f"{where}.stretch must be a number >= 0 (0: chats do not slow "
                                   f"each other), got {stretch!r}.")
    hang = model.hang_up_share
    if not (isinstance(hang, int | float) and not isinstance(hang, bool) and 0 <= hang < 1):
        raise SimulationInputError(f"{where}.hang_up_share must be a fraction in [0, 1) of the "
                                   f"arriving contacts (e.g. 0.03), got {hang!r}.")
    return ChannelSpec(within_s=float(within), handle=handle, patience=patience,
                       patience_mean_s=patience_mean, overdispersion_cv=float(cv),
                       initial_backlog=backlog, concurrency=k, stretch=float(stretch),
                       hang_up_share=float(hang), **classes, **_behaviours(where, model))


def _behaviours(where, model):
    """Check hang-ups within a time, the pick-up delay and redials (issue 16)."""
    within = model.hang_up_within_s
    if not (isinstance(within, int | float) and not isinstance(within, bool)
            and 0 <= within < math.inf):
        raise SimulationInputError(f"{where}.hang_up_within_s must be a finite number >= 0 "
                                   f"seconds (0: the hang-ups leave at once), got {within!r}.")
    out: dict[str, Any] = {"hang_up_within_s": float(within)}
    if model.pickup_delay is not None:
        out["pickup"], out["pickup_mean_s"] = parse_distribution(
            f"{where}.pickup_delay", model.pickup_delay, patience=False, delay=True)
    bounds, probs = _redial_table(where, model.redial_probability)
    if any(p > 0 for p in probs):
        if model.redial_delay is None:
            raise SimulationInputError(f"{where}.redial_delay is required when "
                                       "redial_probability is above 0: the law of the time to "
                                       "the redial, e.g. {'kind': 'exponential', 'mean_s': 600}.")
        law, _ = parse_distribution(f"{where}.redial_delay", model.redial_delay,
                                    patience=False, delay=True)
        if (law.kind == "fixed" and not law.mean_s) or (
                law.kind == "empirical" and min(law.values_s or (0.0,)) <= 0):
            raise SimulationInputError(f"{where}.redial_delay must give delays > 0 seconds (a "
                                       "redial comes after the abandon), got "
                                       f"{model.redial_delay!r}.")
        out.update(redial_bounds_s=bounds, redial_probabilities=probs, redial_delay=law)
    return out


def _redial_table(where, value):
    """``redial_probability`` as (bounds, probabilities): a number is one row up to inf."""
    rule = ("must be a probability in [0, 1] or a list of (wait_up_to_s, probability) rows with "
            "increasing bounds > 0 (the last may be inf), e.g. [(10, 0.05), (inf, 0.4)]")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 0 <= value <= 1:
            raise SimulationInputError(f"{where}.redial_probability {rule}; got {value!r}.")
        return (math.inf,), (float(value),)
    rows = list(value) if isinstance(value, list | tuple) else []
    ok = bool(rows) and all(
        isinstance(r, list | tuple) and len(r) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in r)
        and r[0] > 0 and 0 <= r[1] <= 1 for r in rows)
    bounds = [float(r[0]) for r in rows] if ok else []
    if not ok or any(b <= a for a, b in zip(bounds, bounds[1:], strict=False)):
        raise SimulationInputError(f"{where}.redial_probability {rule}; got {value!r}.")
    return tuple(bounds), tuple(float(r[1]) for r in rows)


def _priority_classes(where, classes):
    """Check ``priority_classes``: [{"name", "share", "head_start_s"}, ...], shares sum to 1."""
    rule = ("must be a list of {'name': str, 'share': fraction, 'head_start_s': seconds >= 0} "
            "whose shares add up to 1")
    if not isinstance(classes, list | tuple) or not classes:
        raise SimulationInputError(f"{where}.priority_classes {rule}, got {classes!r}.")
    names, shares, heads = [], [], []
    for k, item in enumerate(classes):
        ok = (isinstance(item, Mapping) and set(item) <= {"name", "share", "head_start_s"}
              and isinstance(item.get("share"), int | float) and 0 < item["share"] <= 1
              and isinstance(item.get("head_start_s", 0), int | float)
              and item.get("head_start_s", 0) >= 0)
        if not ok:
            raise SimulationInputError(f"{where}.priority_classes[{k}] {rule}; got {item!r}.")
        names.append(str(item.get("name", f"class{k}")))
        shares.append(float(item["share"]))
        heads.append(float(item.get("head_start_s", 0.0)))
    if abs(sum(shares) - 1.0) > 1e-9:
        raise SimulationInputError(f"{where}.priority_classes: the shares add up to "
                                   f"{sum(shares):g}, not 1. Adjust them.")
    return {"class_names": tuple(names), "class_shares": tuple(shares),
            "head_starts_s": tuple(heads)}


def check_groups(func: str, groups, names: list[str]) -> list[str]:
    """Group names, sorted; every group is a GroupModel with a non-empty list of known
    skills."""
    if not isinstance(groups, Mapping) or not groups:
        raise SimulationInputError(f"{func}: groups must map group names to GroupModel(skills="
                                   f"[channel, ...]), got {groups!r}.")
    for name, model in groups.items():
        skills = model.skills if isinstance(model, GroupModel) else None
        if not skills or not isinstance(skills, list | tuple):
            raise SimulationInputError(f"{func}: groups[{name!r}] needs 'skills', a non-empty "
                                       "list of channels (a GroupModel).")
        unknown = [c for c in skills if c not in names]
        if unknown:
            raise SimulationInputError(
                f"{func}: groups[{name!r}] has skills {unknown} that are not channels of the "
                f"forecast ({', '.join(names)}). Fix the skill names."
            )
    return sorted(map(str, groups))
