"""Capacity plan, the representative week: each week's required FTE and expected service.

A long-range plan has one volume (and handle time) per channel and week; the queue needs
intervals. The scenario's own first 7 days (its intraday and weekday profile, opening hours
and closed-hours rules, the ``centre_demand`` table) are the **representative week**: a week
of volume ``V`` is that week with every interval's contacts scaled by ``V / V_rep`` (``V_rep``
the representative week's arrivals) and its handle times by ``aht / aht_rep``, sized by the
pipeline's own requirements stage (:func:`._requirements.channel_requirements`: Erlang C or A,
chat concurrency, deferred work's backlog rule; ``method: simulation`` is sized analytically,
by Erlang A, as :meth:`Scenario.analytic` does). Required productive FTE = agent-hours on the
queue / ``hours_per_fte_week``.

**The cache.** Sizing every week of a 78-week plan directly costs a requirements run per
channel and week. Instead the week is sized on a grid of volume scales ``(1 + step) ** k``
(``step`` = :data:`GRID_STEP`, 1%) per channel and handle-time factor, and a week between two
grid points takes the linear interpolation of their agent-hours. Agents required never fall
as the volume rises, so the interpolated hours and the directly sized hours both lie between
the two grid points' hours: the error is at most their difference (about ``step`` of the
requirement, plus whole-agent steps). ``grid_step=0`` sizes every week directly.

The expected service level of a week at the agents available (step 4 of the plan): each
interval gets the required agents of the representative week at the grid point nearest the
week's volume times the group's ratio ``(available + overtime) / required`` (a fractional
number: the prediction at the whole agents below and above, blended by the fraction), and the
summary stage's analytic prediction (:func:`._kpis.interval_kpis`) gives the service level
(contacts-weighted over the judged intervals) and the contacts handled, in one run over the
plan's weeks laid end to end (deferred work's backlog carries from one week to the next there,
as it would).

Live channels without redials are sized for all their grid points in one run too (their
intervals are independent of each other); deferred work and redials week by week, in the
steady state (the week three times in a row, the middle one kept: a week alone would leave
its last contacts, due after it, to nobody, and the backlog would grow from week to week).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from .._errors import ScenarioError
from .._limits import MAX_OFFERED_PER_INTERVAL
from ..files import Scenario
from ._demand import centre_demand, scenario_demand
from ._kpis import interval_kpis
from ._requirements import channel_requirements
from ._tables import scenario_grid

#: Relative step of the volume grid the representative week is sized on.
GRID_STEP = 0.01


def representative_scenario(scn: Scenario, floor: float | None) -> Scenario:
    """The scenario cut to its first 7 days and sized analytically (at ``floor`` if given)."""
    base = scn.analytic()
    grid = scenario_grid(base)
    # Whole local days: the intervals before local midnight 7 days on.
    wall = grid.tz_localize(None) if grid.tz is not None else grid
    n7 = int(np.sum(wall < wall[0].normalize() + pd.Timedelta(days=7)))
    channels = base.channels
    if floor is not None:
        channels = tuple(ch if ch.is_deferred else dataclasses.replace(
            ch, service_level_target=floor) for ch in channels)
    return dataclasses.replace(base, n_intervals=n7, channels=channels)


class WeekSizer:
    """Required FTE and expected service of a week of given volume, per channel (cached).

    Parameters
    ----------
    scn : Scenario
        The representative week's scenario (:func:`representative_scenario`).
    hours_per_fte_week : float
        Contracted hours of one FTE.
    grid_step : float
        Relative step of the volume grid; 0 sizes every week directly.
    """

    def __init__(self, scn: Scenario, hours_per_fte_week: float, grid_step: float = GRID_STEP):
        self.scn = scn
        self.hours_per_fte_week = hours_per_fte_week
        self.grid_step = grid_step
        demand = scenario_demand(scn)
        self.centre, _flows = centre_demand(scn, demand)
        self.arrivals = demand.groupby("channel", sort=False)["offered"].sum().to_dict()
        self._rows: dict[str, pd.DataFrame] = {}
        self._one: dict[str, Scenario] = {}
        self.offered: dict[str, float] = {}
        self.aht_s: dict[str, float] = {}
        for ch in scn.channels:
            rows = self.centre[self.centre["channel"] == ch.name].reset_index(drop=True)
            self._rows[ch.name] = rows
            self._one[ch.name] = dataclasses.replace(scn, channels=(ch,), groups=None)
            off = float(rows["offered"].sum())
            self.offered[ch.name] = off
            self.aht_s[ch.name] = (float((rows["offered"] * rows["aht_s"]).sum() / off)
                                   if off > 0 else ch.aht_s)
        self._agents: dict[tuple[str, float, float], np.ndarray] = {}
        self.n_sized = 0

    def _long(self, scn: Scenario, names: list[str], blocks: int
              ) -> tuple[Scenario, pd.DatetimeIndex]:
        """``scn`` over ``blocks`` representative weeks laid end to end, and its grid."""
        n7 = len(self._rows[names[0]])
        long = dataclasses.replace(scn, n_intervals=n7 * blocks)
        return long, scenario_grid(long)

    def _centre(self, channel: str, grid: pd.DatetimeIndex, scales: np.ndarray,
                factors: np.ndarray) -> pd.DataFrame:
        """The channel's representative week, once per scale, on consecutive weeks of ``grid``."""
        rows = self._rows[channel]
        n = len(scales)
        return pd.DataFrame({
            "channel": channel, "interval_start": grid,
            "offered": (scales[:, None] * rows["offered"].to_numpy()[None, :]).ravel(),
            "aht_s": (factors[:, None] * rows["aht_s"].to_numpy()[None, :]).ravel(),
            "is_open": np.tile(rows["is_open"].to_numpy(dtype=bool), n)})

    def _size(self, channel: str, keys: list[tuple[float, float]]) -> None:
        """Size the representative week at each (scale, handle-time factor) not yet sized.

        Live channels without redials are sized in one run over the weeks laid end to end
        (their intervals are independent). Deferred work (whose backlog carries from one
        interval to the next, and whose last contacts are due after the week) and redials
        (which spill into later intervals) are sized in the steady state: the week three
        times in a row, keeping the middle one (backlog and redials carried in from the week
        before, every contact's deadline inside the run).
        """
        todo = list(dict.fromkeys(k for k in keys if (channel, *k) not in self._agents))
        if not todo:
            return
        ch = self._one[channel].channels[0]
        peak = float(self._rows[channel]["offered"].max()) * max(k[0] for k in todo)
        if not peak <= MAX_OFFERED_PER_INTERVAL:
            raise ScenarioError(
                f"capacity: channel {channel!r} would be offered {peak:,.0f} contacts in one "
                f"interval of a week of the plan, more than the {MAX_OFFERED_PER_INTERVAL:,.0f} "
                "ccplan sizes. Check capacity.demand (its volumes, growth) and the events' "
                "volume changes.")
        steady = ch.is_deferred or ch.redial_delay is not None
        batches = [[k, k, k] for k in todo] if steady else [todo]
        for batch in batches:
            scn, grid = self._long(self._one[channel], [channel], len(batch))
            scales = np.array([k[0] for k in batch])
            factors = np.array([k[1] for k in batch])
            req = channel_requirements(scn, self._centre(channel, grid, scales, factors))
            need = req["agents_required"].to_numpy(dtype=float).reshape(len(batch), -1)
            kept = [(batch[1], need[1])] if steady else zip(batch, need, strict=True)
            for k, row in kept:
                self._agents[(channel, *k)] = row
            self.n_sized += 1 if steady else len(batch)

    def _point(self, scale: float) -> tuple[float, float]:
        """The grid points around ``scale`` (``scale`` itself when sizing directly)."""
        if self.grid_step <= 0:
            return scale, scale
        k = math.log(scale) / math.log1p(self.grid_step)
        lo, hi = math.floor(k + 1e-9), math.ceil(k - 1e-9)
        return (round((1 + self.grid_step) ** lo, 12), round((1 + self.grid_step) ** hi, 12))

    def _scales(self, channel: str, arrivals: np.ndarray, aht_s: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        base = self.arrivals.get(channel, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            scales = np.where(base > 0, arrivals / base, 0.0) if base > 0 else \
                np.zeros(len(arrivals))
        factors = np.round(np.asarray(aht_s, dtype=float) / self.aht_s[channel], 9)
        return scales, factors

    def required_fte(self, channel: str, arrivals: np.ndarray, aht_s: np.ndarray,
                     grid_step: float | None = None) -> np.ndarray:
        """Productive FTE each week of ``arrivals`` contacts (at ``aht_s``) needs on
        ``channel``: agent-hours on the queue / ``hours_per_fte_week``, interpolated between
        the grid points around the week's volume.

        ``arrivals`` may have any shape (weeks, or runs x weeks for sample paths);
        ``aht_s`` broadcasts against it. ``grid_step`` overrides the sizer's (the sample
        paths are always sized on a grid: thousands of distinct volumes).
        """
        step = self.grid_step if grid_step is None else grid_step
        arrivals = np.asarray(arrivals, dtype=float)
        out = np.zeros(arrivals.shape)
        base = self.arrivals.get(channel, 0.0)
        if base <= 0:
            return out
        scales = arrivals / base
        factors = np.round(np.broadcast_to(np.asarray(aht_s, dtype=float), arrivals.shape)
                           / self.aht_s[channel], 9)
        pos = scales > 0
        scale, factor = scales[pos], factors[pos]
        if step > 0:
            k = np.log(scale) / math.log1p(step)
            lo = np.round((1 + step) ** np.floor(k + 1e-9), 12)
            hi = np.round((1 + step) ** np.ceil(k - 1e-9), 12)
        else:
            lo = hi = scale
        keys, inverse = np.unique(np.column_stack([np.concatenate([lo, hi]),
                                                   np.concatenate([factor, factor])]),
                                  axis=0, return_inverse=True)
        wanted = [(float(p), float(f)) for p, f in keys]
        self._size(channel, wanted)
        per_hour = self.scn.interval_s / 3600.0 / self.hours_per_fte_week
        fte = np.array([self._agents[(channel, *key)].sum() * per_hour for key in wanted])
        f_lo, f_hi = fte[inverse.ravel()[:len(lo)]], fte[inverse.ravel()[len(lo):]]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[pos] = np.where(hi > lo, f_lo + (f_hi - f_lo) * (scale - lo) / (hi - lo), f_lo)
        return out

    def service(self, table: pd.DataFrame) -> pd.DataFrame:
        """Expected service per channel and week at ``ratio`` times the agents required.

        ``table``: ``channel``, ``week`` (0 .. n-1, every channel every week), ``offered``
        (arrivals), ``aht_s``, ``ratio``. Returns ``expected_service_level`` (0-1, NaN when
        nothing is offered), ``offered`` (contacts the centre sees) and ``handled``, in the
        order of ``table``: each week's representative week at the grid point nearest its
        volume, its agents times the ratio (fractional: blended between whole agents),
        priced by the summary stage's analytic prediction in one run over the weeks laid end
        to end.
        """
        names = [ch.name for ch in self.scn.channels]
        n_weeks = int(table["week"].max()) + 1
        scn, grid = self._long(self.scn, names, n_weeks)
        n7 = len(self._rows[names[0]])
        centres, staffing, parts = [], [], {}
        for c in names:
            rows = table[table["channel"] == c].sort_values("week")
            scales, factors = self._scales(c, rows["offered"].to_numpy(dtype=float),
                                           rows["aht_s"].to_numpy(dtype=float))
            nearest = []
            for s, f in zip(scales, factors, strict=True):
                lo, hi = self._point(s) if s > 0 else (0.0, 0.0)
                nearest.append((lo if s <= 0 or s / lo <= hi / s else hi, f))
            self._size(c, [k for k, s in zip(nearest, scales, strict=True) if s > 0])
            agents = np.array([self._agents[(c, *k)] if s > 0 else np.zeros(n7)
                               for k, s in zip(nearest, scales, strict=True)])
            ratio = rows["ratio"].to_numpy(dtype=float)[:, None]
            centre = self._centre(c, grid, scales, factors)
            centres.append(centre)
            staffing.append(pd.DataFrame({"channel": c, "interval_start": grid,
                                          "agents": (agents * ratio).ravel()}))
            parts[c] = rows.index
        centre = pd.concat(centres, ignore_index=True)
        kpis = _fractional_kpis(scn, centre, pd.concat(staffing, ignore_index=True))
        out = pd.DataFrame(index=table.index, columns=["expected_service_level", "offered",
                                                       "handled"], dtype=float)
        for c in names:
            k = kpis[kpis["channel"] == c]
            offered = centre.loc[centre["channel"] == c, "offered"].to_numpy().reshape(-1, n7)
            level = k["service_level_erlang"].to_numpy(dtype=float).reshape(-1, n7)
            judged = (k["is_judged"].to_numpy(dtype=bool).reshape(-1, n7)
                      & np.isfinite(level) & (offered > 0))
            weight = np.where(judged, offered, 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                sl = np.where(weight.sum(axis=1) > 0, np.sum(np.where(judged, level, 0.0)
                                                           * weight, axis=1)
                              / weight.sum(axis=1), np.nan)
            total = offered.sum(axis=1)
            handled = np.minimum(k["handled_erlang"].to_numpy(dtype=float).reshape(-1, n7)
                                 .sum(axis=1), total)
            out.loc[parts[c], "expected_service_level"] = sl
            out.loc[parts[c], "offered"] = total
            out.loc[parts[c], "handled"] = handled
        return out

    def week_agents(self, channels: tuple[str, ...]) -> tuple[pd.DatetimeIndex, np.ndarray]:
        """The representative week's interval starts and the agents ``channels`` require."""
        starts = pd.DatetimeIndex(self._rows[channels[0]]["interval_start"])
        for c in channels:
            self._size(c, [(1.0, 1.0)])
        return starts, np.sum([self._agents[(c, 1.0, 1.0)] for c in channels], axis=0)


def _fractional_kpis(scn: Scenario, centre: pd.DataFrame, staffing: pd.DataFrame
                     ) -> pd.DataFrame:
    """The analytic prediction at a fractional number of agents per interval.

    ``a`` agents (``staffing["agents"]``, real) are ``floor(a)`` agents with one more for the
    share ``a - floor(a)`` of the interval: the prediction is the two whole-agent predictions
    blended by that share (the service level, the contacts handled). Rounding down instead
    would read a week 0.03% short as one agent short in every interval.
    """
    agents = staffing["agents"].to_numpy(dtype=float)
    low = np.floor(agents + 1e-9)
    share = np.clip(agents - low, 0.0, 1.0)
    keys = staffing[["channel", "interval_start"]]
    kpis = interval_kpis(scn, centre, keys.assign(agents_on_queue=low), None)
    if not (share > 1e-9).any():
        return kpis
    up = interval_kpis(scn, centre, keys.assign(agents_on_queue=low + 1.0), None)
    weight = pd.Series(share, index=pd.MultiIndex.from_frame(keys))
    at = pd.MultiIndex.from_frame(kpis[["channel", "interval_start"]])
    w = weight.reindex(at).to_numpy()
    up = up.set_index(["channel", "interval_start"]).reindex(at)
    out = kpis.copy()
    for col in ("service_level_erlang", "handled_erlang"):
        a, b = kpis[col].to_numpy(dtype=float), up[col].to_numpy(dtype=float)
        out[col] = np.where(w > 1e-9, (1.0 - w) * a + w * b, a)
    return out
