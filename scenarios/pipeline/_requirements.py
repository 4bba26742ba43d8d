"""Requirements stage: the agents on the queue each channel needs, interval by interval.

:func:`staffing.requirements` for live channels (Erlang C, or Erlang A with
the channel's patience; chat concurrency; ``max_occupancy``) and
:func:`staffing.deferred_requirements` for deferred work (email), 0 while
closed. With ``method: simulation`` the intervals the simulation found short
(the ``verdict`` table) add agents round after round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from staffing import StaffingError, deferred_requirements, requirements

from .._errors import ScenarioError
from ..files import Scenario
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
                                   concurrency=ch.concurrency)
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
