"""Requirements stage: the agents on the queue each channel needs, interval by interval.

:func:`staffing.requirements` for live channels (Erlang C, or Erlang A with
the channel's patience; chat concurrency; ``max_occupancy``) and
:func:`staffing.deferred_requirements` for deferred work (email), 0 while
closed. With ``method: simulation`` the intervals the simulation found short
(the ``verdict`` table) add agents round after round.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from staffing import StaffingError, deferred_requirements, requirements

from .._errors import ScenarioError
from ..files import ChannelSpec, Scenario
from ._tables import scenario_grid, wide
from .contracts import REQUIREMENT_COLUMNS


def channel_requirements(scn: Scenario, centre: pd.DataFrame,
                         added: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``requirements`` table: agents on the queue per channel and interval.

    Parameters
    ----------
    scn : Scenario
        The scenario (targets, patience, concurrency, staffing method).
    centre : pandas.DataFrame
        The ``centre_demand`` table.
    added : pandas.DataFrame, optional
        ``channel``, ``interval_start``, ``agents_added`` (int >= 0): agents
        to add in open intervals (:func:`add_misses`); none by default.

    Returns
    -------
    pandas.DataFrame
        ``REQUIREMENT_COLUMNS``, in the order of ``centre``.

    Raises
    ------
    ScenarioError
        A channel's target cannot be reached (the message names the channel).
    """
    grid = scenario_grid(scn)
    names = [ch.name for ch in scn.channels]
    extra = (wide(added, "agents_added", names, grid, dtype=np.int64, fill_value=0)
             if added is not None else np.zeros((len(names), len(grid)), dtype=np.int64))
    parts = []
    for ci, ch in enumerate(scn.channels):
        rows = centre[centre["channel"] == ch.name].reset_index(drop=True)
        is_open = rows["is_open"].to_numpy()
        if ch.is_deferred:
            try:
                plan = deferred_requirements(rows["offered"].to_numpy(), scn.interval_s,
                                             rows["aht_s"].to_numpy(), ch.answer_within_s,
                                             is_open=is_open)
            except StaffingError as err:
                raise ScenarioError(f"{scn.path}: channel {ch.name!r}: {err}") from None
            need = plan["agents_required"].to_numpy(dtype=np.int64)
        else:
            patience = ch.mean_patience_s if scn.method != "erlang_c" else None
            try:
                req = requirements(rows[["channel", "interval_start", "offered", "aht_s"]],
                                   interval_s=scn.interval_s,
                                   service_level_target=ch.service_level_target,
                                   answer_within_s=ch.answer_within_s,
                                   mean_patience_s=patience, max_occupancy=ch.max_occupancy,
                                   concurrency=ch.concurrency,
                                   **analytic_behaviour(ch, with_delay=True))
            except StaffingError as err:
                raise ScenarioError(f"{scn.path}: channel {ch.name!r}: {err}") from None
            need = req["agents_required"].to_numpy(dtype=np.int64)
        starts = pd.DatetimeIndex(rows["interval_start"])
        plus = extra[ci, grid.get_indexer(starts)]
        need = np.where(is_open, need + plus, 0).astype(np.int64)
        parts.append(pd.DataFrame({"channel": ch.name, "interval_start": rows["interval_start"],
                                   "agents_required": need}))
    return pd.concat(parts, ignore_index=True)[list(REQUIREMENT_COLUMNS)]


def add_misses(added: pd.DataFrame | None, verdict: pd.DataFrame) -> pd.DataFrame:
    """One more agent on the queue in every interval of ``verdict`` that missed its target.

    Parameters
    ----------
    added : pandas.DataFrame or None
        The agents added so far (``channel``, ``interval_start``,
        ``agents_added``), or ``None`` in the first round.
    verdict : pandas.DataFrame
        The ``verdict`` table (``VERDICT_COLUMNS``).

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``interval_start``, ``agents_added`` (int).
    """
    out = verdict[["channel", "interval_start"]].copy()
    more = verdict["is_miss"].to_numpy(dtype=np.int64)
    if added is not None:
        before = added.set_index(["channel", "interval_start"])["agents_added"]
        keys = pd.MultiIndex.from_frame(out[["channel", "interval_start"]])
        more = more + before.reindex(keys, fill_value=0).to_numpy(dtype=np.int64)
    out["agents_added"] = more
    return out


#: Equally likely values a pick-up delay's law is handed to the analytic model by: its
#: quantiles at the probabilities (k + 0.5) / 64, k = 0..63 (an empirical law of at most 64
#: values is handed its values themselves, a fixed delay its one number).
N_DELAY_VALUES = 64


def delay_quantiles(law: Mapping[str, Any]) -> float | np.ndarray:
    """A delay's law (``ChannelSpec.pickup_delay``) as the analytic model takes it.

    Parameters
    ----------
    law : mapping
        ``{"kind": "fixed" | "exponential" | "lognormal" | "empirical" | "bands", ...}``
        (seconds), as :class:`scenarios.files.ChannelSpec` holds it.

    Returns
    -------
    float or numpy.ndarray
        A fixed delay's seconds, or equally likely delays in seconds: the law's
        quantiles at (k + 0.5) / ``N_DELAY_VALUES`` (the values of an empirical
        law of at most ``N_DELAY_VALUES`` values).
    """
    kind = law["kind"]
    if kind == "fixed":
        return float(law["value_s"])
    u = (np.arange(N_DELAY_VALUES) + 0.5) / N_DELAY_VALUES
    if kind == "exponential":
        return -float(law["mean_s"]) * np.log1p(-u)
    if kind == "lognormal":
        sigma2 = math.log1p(float(law["cv"]) ** 2)
        mu = math.log(float(law["mean_s"])) - sigma2 / 2.0
        return np.exp(mu + math.sqrt(sigma2) * stats.norm.ppf(u))
    if kind == "empirical":
        values = np.asarray(law["values_s"], dtype=float)
        return (values if values.size <= N_DELAY_VALUES
                else np.quantile(values, u, method="inverted_cdf"))
    # Bands: uniform inside each band, from the previous upper bound (the first from 0).
    uppers = np.array([b[0] for b in law["bands"]], dtype=float)
    shares = np.array([b[1] for b in law["bands"]], dtype=float)
    lowers = np.concatenate([[0.0], uppers[:-1]])
    cum = np.concatenate([[0.0], np.cumsum(shares)])
    band = np.clip(np.searchsorted(cum, u, side="right") - 1, 0, len(shares) - 1)
    inside = (u - cum[band]) / np.where(shares[band] > 0, shares[band], 1.0)
    return lowers[band] + np.clip(inside, 0.0, 1.0) * (uppers[band] - lowers[band])


def law_mean_s(law: Mapping[str, Any]) -> float:
    """The mean of a delay's law (``ChannelSpec.redial_delay``), seconds."""
    kind = law["kind"]
    if kind == "fixed":
        return float(law["value_s"])
    if kind in ("exponential", "lognormal"):
        return float(law["mean_s"])
    if kind == "empirical":
        return float(np.mean(law["values_s"]))
    lower = 0.0
    mean = 0.0
    for upper, share in law["bands"]:
        mean += share * (lower + upper) / 2.0
        lower = upper
    return mean


def analytic_behaviour(ch: ChannelSpec, *, with_delay: bool = False) -> dict[str, Any]:
    """A channel's customer behaviour as keyword arguments of :func:`staffing.queue_kpis`
    (and, ``with_delay``, :func:`staffing.requirements`): only those switched on.

    Hang-ups count at their share (the analytic model has them leave at once, whatever
    ``hang_up_within_s``); the pick-up delay is its law's equally likely values
    (:func:`delay_quantiles`); redials are the channel's probability (a table by wait: its largest)
    and, for the requirements
    (which spill redials into later intervals), the mean of the redial delay. Callbacks
    are simulated only.
    """
    out: dict[str, Any] = {}
    if ch.hang_up_share > 0:
        out["hang_up_share"] = ch.hang_up_share
    if ch.pickup_delay is not None:
        out["pickup_delay_s"] = delay_quantiles(ch.pickup_delay)
    if ch.redial_delay is not None:
        # The analytic model cannot tell the waits of abandons apart: a table by wait counts
        # at its largest probability (more redials, more agents; the simulation uses the table).
        probability = ch.redial_probability
        out["redial_probability"] = (max(p for _, p in probability)
                                     if isinstance(probability, tuple) else probability)
        if with_delay:
            out["redial_delay_s"] = law_mean_s(ch.redial_delay)
    return out
