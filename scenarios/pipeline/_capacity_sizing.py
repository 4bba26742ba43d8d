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
interval gets the representative week's required agents at the nearest grid point times the
group's ratio ``(available + overtime) / required``, rounded down to whole agents, and the
summary stage's analytic prediction (:func:`._kpis.interval_kpis`) gives the service level
(contacts-weighted over the judged intervals) and the contacts handled; cached on the grid
point and the ratio rounded to :data:`RATIO_STEP`.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from ..files import Scenario
from ._demand import centre_demand, scenario_demand
from ._kpis import interval_kpis
from ._requirements import channel_requirements
from ._tables import scenario_grid

#: Relative step of the volume grid the representative week is sized on.
GRID_STEP = 0.01
#: The ratio of available to required agents is rounded to this for the service cache.
RATIO_STEP = 0.005


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
        self._service: dict[tuple[str, float, float, float], tuple[float, float]] = {}
        self.n_sized = 0

    def _week(self, channel: str, scale: float, aht_factor: float) -> pd.DataFrame:
        rows = self._rows[channel]
        return rows.assign(offered=rows["offered"] * scale, aht_s=rows["aht_s"] * aht_factor)

    def agents(self, channel: str, scale: float, aht_factor: float) -> np.ndarray:
        """Agents required on the queue per interval of the week at ``scale`` (cached)."""
        key = (channel, round(scale, 12), round(aht_factor, 9))
        if key not in self._agents:
            self.n_sized += 1
            req = channel_requirements(self._one[channel], self._week(channel, scale, aht_factor))
            self._agents[key] = req["agents_required"].to_numpy(dtype=float)
        return self._agents[key]

    def _hours(self, channel: str, scale: float, aht_factor: float) -> float:
        return float(self.agents(channel, scale, aht_factor).sum()) * self.scn.interval_s / 3600

    def _bracket(self, scale: float) -> tuple[float, float]:
        k = math.log(scale) / math.log1p(self.grid_step)
        lo, hi = math.floor(k + 1e-9), math.ceil(k - 1e-9)
        return (1 + self.grid_step) ** lo, (1 + self.grid_step) ** hi

    def required_fte(self, channel: str, arrivals: float, aht_s: float | None = None) -> float:
        """Productive FTE a week of ``arrivals`` contacts (at ``aht_s``) needs on ``channel``."""
        base = self.arrivals.get(channel, 0.0)
        if arrivals <= 0 or base <= 0:
            return 0.0
        scale = arrivals / base
        factor = 1.0 if aht_s is None else aht_s / self.aht_s[channel]
        if self.grid_step <= 0:
            hours = self._hours(channel, scale, factor)
        else:
            lo, hi = self._bracket(scale)
            h_lo = self._hours(channel, lo, factor)
            if hi == lo:
                hours = h_lo
            else:
                h_hi = self._hours(channel, hi, factor)
                hours = h_lo + (h_hi - h_lo) * (scale - lo) / (hi - lo)
        return hours / self.hours_per_fte_week

    def service(self, channel: str, arrivals: float, aht_s: float | None,
                ratio: float) -> tuple[float, float, float]:
        """Expected service level (0-1), contacts offered and handled in a week, at ``ratio``
        times the agents required (NaN service level when nothing is offered)."""
        base = self.arrivals.get(channel, 0.0)
        if arrivals <= 0 or base <= 0:
            return float("nan"), 0.0, 0.0
        scale = arrivals / base
        factor = 1.0 if aht_s is None else aht_s / self.aht_s[channel]
        if self.grid_step > 0:
            k = round(math.log(scale) / math.log1p(self.grid_step))
            point = (1 + self.grid_step) ** k
        else:
            point = scale
        ratio_key = round(round(ratio / RATIO_STEP) * RATIO_STEP, 9)
        key = (channel, round(point, 12), round(factor, 9), ratio_key)
        if key not in self._service:
            self._service[key] = self._kpis(channel, point, factor, ratio_key)
        level, handled_share = self._service[key]
        offered = self.offered[channel] * scale
        return level, offered, offered * handled_share

    def _kpis(self, channel: str, point: float, factor: float, ratio: float
              ) -> tuple[float, float]:
        week = self._week(channel, point, factor)
        agents = np.floor(self.agents(channel, point, factor) * ratio + 1e-9)
        staffing = pd.DataFrame({"channel": channel, "interval_start": week["interval_start"],
                                 "agents_on_queue": agents})
        kpis = interval_kpis(self._one[channel], week, staffing, None)
        offered = week["offered"].to_numpy(dtype=float)
        level = kpis["service_level_erlang"].to_numpy(dtype=float)
        judged = kpis["is_judged"].to_numpy(dtype=bool) & np.isfinite(level) & (offered > 0)
        total = float(offered.sum())
        sl = (float(np.sum(level[judged] * offered[judged]) / np.sum(offered[judged]))
              if judged.any() else float("nan"))
        handled = float(kpis["handled_erlang"].sum()) / total if total > 0 else 0.0
        return sl, min(handled, 1.0)

    def week_agents(self, channels: tuple[str, ...]) -> tuple[pd.DatetimeIndex, np.ndarray]:
        """The representative week's interval starts and the agents ``channels`` require."""
        starts = pd.DatetimeIndex(self._rows[channels[0]]["interval_start"])
        return starts, np.sum([self.agents(c, 1.0, 1.0) for c in channels], axis=0)
