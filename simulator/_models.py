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

from ._callbacks import CallbackSpec, callback_spec
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
    callback : mapping or None, optional
        Callbacks ("virtual hold"): ``{"offer_above_s": seconds >= 0,
        "accept_share": fraction, "rule": "after_queue" | "in_turn" |
        "promise", "promise_s": seconds > 0, "dial_s": seconds >= 0,
        "service_level": "excluded" | "promise"}`` (rule, dial and service
        level optional: ``after_queue``, 0, ``excluded``). A caller who must
        queue with an expected wait above ``offer_above_s`` is offered a
        callback and accepts with probability ``accept_share``; the rules,
        the counts and how a callback counts in the service level are in
        ``simulator._callbacks``. Default ``None``: no callbacks.

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
    callback: Mapping[str, Any] | None = None


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
    callback: CallbackSpec | None = None


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
                       hang_up_share=float(hang),
                       callback=callback_spec(f"{where}.callback", model.callback), **classes)


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
