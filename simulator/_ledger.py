"""The simulator's bookkeeping: what one replication counts, and the tables made from it.

A :class:`Ledger` is filled by the engine (``simulator._engine``) while a
replication runs, through a handful of methods, one per kind of happening:
a contact offered, answered, abandoned or still waiting at the end, the
queue length, agent time (busy and paid) and overtime. Nothing else writes
to it. Counts are kept per (channel, interval in which the contact arrived);
agent time per (group, interval in which it is worked). Contacts are not
kept: memory grows with channels x intervals, not with contacts.

:func:`intervals_table` and :func:`summary_table` turn the ledgers of the
replications into the ``sim_intervals`` table and the summary with
confidence intervals (``simulator._intervals``).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, bisect_right

import numpy as np
import pandas as pd

from ._intervals import mean_interval

#: Columns of the ``sim_intervals`` table, in order.
SIM_INTERVAL_COLUMNS = (
    "replication", "channel", "interval_start", "offered", "answered", "abandoned", "hung_up",
    "answered_within_target", "waiting_at_end", "service_level", "asa_s", "mean_wait_s",
    "p90_wait_s", "max_wait_s", "mean_queue", "max_queue", "abandon_rate", "occupancy",
    "agents_on_duty",
    "overtime_s", "redials", "first_attempts_answered", "customers_answered",
    "redials_after_horizon",
)
#: Edges of the wait histogram kept per interval (seconds): 0 exactly, then log-spaced bins
#: from 0.5 s to a week, each about 5% wide; percentiles interpolate inside a bin.
WAIT_EDGES = np.concatenate([[0.0], np.geomspace(0.5, 7 * 86400.0, 300)])
_EDGE_LIST = WAIT_EDGES.tolist()

# Per-interval counters kept for each channel (index into a row).
_OFFERED, _ANSWERED, _ABANDONED, _WITHIN, _WAIT_ALL, _WAIT_ANSWERED, _BUSY_S, _DUTY_S, \
    _OVERTIME_S, _MAX_WAIT, _WAITING_END, _QUEUE_S, _MAX_QUEUE, _HUNG_UP, _REDIALS, \
    _REDIALS_ANSWERED, _LATER_ANSWERED, _REDIALS_LATE = range(18)
_N_COUNTERS = 18
_N_BINS = WAIT_EDGES.size
_SUMMARY_KPIS = ("service_level", "asa_s", "mean_wait_s", "abandon_rate", "occupancy")
_REDIAL_KPIS = ("redial_share", "first_attempts_answered_share", "customers_answered_share")
_KPI_KIND = {"service_level": "fraction", "asa_s": "nonnegative", "mean_wait_s": "nonnegative",
             "abandon_rate": "fraction", "occupancy": "fraction"}


class Ledger:
    """Counts of one replication, per channel and interval, and agent time per group.

    Parameters
    ----------
    n_channels, n_intervals, n_groups : int
        Sizes of the centre.
    interval_s : float
        Interval length, seconds; times are seconds from the start of interval 0.
    within_s : list of float
        Per channel, the service-level threshold (seconds).
    log : ContactLog, optional
        Receives one row per resolved contact.
    bands_s : sequence of float, optional
        Thresholds (seconds, ascending) for which answered contacts are also counted
        (``answered_within_<t>s``): the service-level bands of an ACD report from one run.
    """

    def __init__(self, n_channels, n_intervals, n_groups, interval_s, within_s, log=None,
                 bands_s=()):
        self.rows = [[[0.0] * _N_COUNTERS for _ in range(n_intervals)]
                     for _ in range(n_channels)]
        # per channel, wait counts per interval and bin (flat: interval x bins + bin)
        self.hist = [array("q", bytes(8 * n_intervals * _N_BINS)) for _ in range(n_channels)]
        self.group_time = [[[0.0, 0.0] for _ in range(n_intervals)] for _ in range(n_groups)]
        self.group_overtime = [[0.0] * n_intervals for _ in range(n_groups)]
        self.interval_s = float(interval_s)
        self.n_intervals = n_intervals
        self.within_s = list(within_s)
        self.log = log
        self.bands_s = list(bands_s)
        self.band_rows = [[[0] * len(self.bands_s) for _ in range(n_intervals)]
                          for _ in range(n_channels)] if self.bands_s else None

    def offered(self, c, iv, n=1):
        """``n`` contacts of channel ``c`` arrive in interval ``iv``."""
        self.rows[c][iv][_OFFERED] += n

    def answered(self, c, iv, arrived, now, handle_s=math.nan, cls=0, tag=None):
        """A contact that arrived at ``arrived`` (s) is answered at ``now`` (s, after its
        pick-up delay); its wait counts in the queue time up to ``arrived + wait``, as an
        abandoned one's. ``tag``: its attempt (``simulator._behaviour``), None for a first
        attempt of a channel without issue 16's behaviours."""
        wait = now - arrived
        if self.log is not None:
            self.log.add(c, iv, arrived, wait, 0, handle_s, cls, tag)
        if tag is not None and tag[0] > 1:  # a redial: its customer was first in tag[1]
            self.rows[c][iv][_REDIALS_ANSWERED] += 1
            self.rows[c][tag[1]][_LATER_ANSWERED] += 1
        self.hist[c][iv * _N_BINS + bisect_right(_EDGE_LIST, wait) - 1] += 1
        if wait > 0.0:
            self._spread(self.rows[c], _QUEUE_S, arrived, arrived + wait)
        row = self.rows[c][iv]
        row[_ANSWERED] += 1
        row[_WAIT_ALL] += wait
        row[_WAIT_ANSWERED] += wait
        if wait <= self.within_s[c]:
            row[_WITHIN] += 1
        if wait > row[_MAX_WAIT]:
            row[_MAX_WAIT] = wait
        if self.band_rows is not None:
            bands = self.band_rows[c][iv]
            for k in range(bisect_left(self.bands_s, wait), len(bands)):  # wait <= t_k
                bands[k] += 1

    def abandoned(self, c, iv, arrived, wait, handle_s=math.nan, cls=0, tag=None):
        """A contact gives up after waiting ``wait`` s (its patience); a hang-up (``tag``)
        that leaves before an agent takes it counts also as ``hung_up``."""
        if self.log is not None:
            self.log.add(c, iv, arrived, wait, 1, handle_s, cls, tag)
        if tag is not None and tag[4]:
            self.rows[c][iv][_HUNG_UP] += 1
        self.hist[c][iv * _N_BINS + bisect_right(_EDGE_LIST, wait) - 1] += 1
        if wait > 0.0:
            self._spread(self.rows[c], _QUEUE_S, arrived, arrived + wait)
        row = self.rows[c][iv]
        row[_ABANDONED] += 1
        row[_WAIT_ALL] += wait
        if wait > row[_MAX_WAIT]:
            row[_MAX_WAIT] = wait

    def hung_up(self, c, iv, arrived, handle_s=math.nan, cls=0, tag=None):
        """A contact hangs up on arrival, whatever the wait: abandoned after 0 s, and counted
        apart (``hung_up``)."""
        if self.log is not None:
            self.log.add(c, iv, arrived, 0.0, 1, handle_s, cls, tag)
        self.hist[c][iv * _N_BINS] += 1  # a wait of 0 exactly
        row = self.rows[c][iv]
        row[_ABANDONED] += 1
        row[_HUNG_UP] += 1

    def waiting_at_end(self, c, iv, arrived, horizon_s, handle_s=math.nan, cls=0, tag=None):
        """A contact still waits at the end of the horizon: its wait so far counts in the
        mean, the maximum and the p90 alike."""
        wait = horizon_s - arrived
        if self.log is not None:
            self.log.add(c, iv, arrived, wait, 2, handle_s, cls, tag)
        row = self.rows[c][iv]
        row[_WAITING_END] += 1
        row[_WAIT_ALL] += wait
        if wait > row[_MAX_WAIT]:
            row[_MAX_WAIT] = wait
        self.hist[c][iv * _N_BINS + bisect_right(_EDGE_LIST, wait) - 1] += 1
        self._spread(self.rows[c], _QUEUE_S, arrived, horizon_s)

    def redial(self, c, iv):
        """A contact of channel ``c`` arriving in interval ``iv`` is a redial (also offered)."""
        self.rows[c][iv][_REDIALS] += 1

    def redial_after_horizon(self, c, iv):
        """A contact that arrived in interval ``iv`` abandoned, and its customer would call
        again after the end of the horizon (not simulated; counted apart)."""
        self.rows[c][iv][_REDIALS_LATE] += 1

    def queue_length(self, c, iv, length):
        """Channel ``c`` has ``length`` contacts queued during interval ``iv``."""
        row = self.rows[c][iv]
        if length > row[_MAX_QUEUE]:
            row[_MAX_QUEUE] = length

    def agent_time_cells(self, g):
        """Group ``g``'s agent time, per interval a list [busy, paid] (agent-seconds) to which
        the engine adds as time passes (the hot path: no call per event)."""
        return self.group_time[g]

    def overtime(self, g, edge, end):
        """An agent of group ``g`` worked from ``edge`` (its time up) to ``end``: overtime, in
        the intervals where it is worked (as its paid time is)."""
        if end > edge:
            self._spread(self.group_overtime[g], None, edge, end)

    def _spread(self, rows, col, begin, end):
        """Add the time from ``begin`` to ``end`` to the intervals it spans (to counter
        ``col`` of each row, or to the row itself when ``col`` is None)."""
        interval_s = self.interval_s
        i0 = int(begin // interval_s)
        i1 = min(int(end // interval_s), self.n_intervals - 1)
        if col is None:
            if i0 == i1:
                rows[i0] += end - begin
                return
            rows[i0] += (i0 + 1) * interval_s - begin
            for i in range(i0 + 1, i1):
                rows[i] += interval_s
            rows[i1] += end - i1 * interval_s
            return
        if i0 == i1:
            rows[i0][col] += end - begin
            return
        rows[i0][col] += (i0 + 1) * interval_s - begin
        for i in range(i0 + 1, i1):
            rows[i][col] += interval_s
        rows[i1][col] += end - i1 * interval_s

    def close(self, group_skills, pools):
        """The replication's arrays, once the run is over.

        Parameters
        ----------
        group_skills : list of list of int
            Per group, the channels it serves: its overtime is reported with them, split
            evenly.
        pools : dict of int to int
            Channels served by a dedicated pool (channel -> group): their busy and paid time,
            and so occupancy and maximum queue, are the pool's. The maximum queue of other
            channels is NaN (not tracked).

        Returns
        -------
        counters : numpy.ndarray
            (channels, intervals, counters): the counters, then one per band (answered
            within ``bands_s[k]``).
        hist : numpy.ndarray
            (channels, intervals, len(WAIT_EDGES)) wait histograms.
        group_time : numpy.ndarray
            (groups, intervals, 2): busy and paid agent-seconds.
        """
        counters = np.array(self.rows, dtype=float)
        if self.band_rows is not None:
            counters = np.concatenate([counters, np.array(self.band_rows, dtype=float)],
                                      axis=2)
        group_time = np.array(self.group_time, dtype=float).reshape(len(self.group_time),
                                                                    self.n_intervals, 2)
        overtime = np.array(self.group_overtime, dtype=float)
        for g, skills in enumerate(group_skills):
            for c in skills:
                counters[c, :, _OVERTIME_S] += overtime[g] / len(skills)
        for c in range(counters.shape[0]):
            g = pools.get(c)
            if g is None:
                counters[c, :, _MAX_QUEUE] = math.nan
            else:
                counters[c, :, _BUSY_S] = group_time[g, :, 0]
                counters[c, :, _DUTY_S] = group_time[g, :, 1]
        n_iv = self.n_intervals
        hist = np.array([np.frombuffer(counts, dtype=np.int64) for counts in self.hist],
                        dtype=float).reshape(len(self.hist), n_iv, _N_BINS)
        return counters, hist, group_time


def band_names(bands_s, prefix):
    """Column (or KPI) names of the bands: ``<prefix>_<t>s``, e.g. ``answered_within_10s``."""
    return [f"{prefix}_{t:g}s" for t in bands_s]


def intervals_table(counters, hists, names, starts, agents, interval_s, labels, bands_s=()):
    """The ``sim_intervals`` table (``SIM_INTERVAL_COLUMNS``, then ``answered_within_<t>s``
    per band) from the replications' arrays."""
    band_columns = band_names(bands_s, "answered_within")
    n_ch, n_iv = agents.shape
    frames = []
    for r, cnt, hist in zip(labels, counters, hists, strict=True):
        for c in range(n_ch):
            x = cnt[c]
            offered = x[:, _OFFERED]
            answered = x[:, _ANSWERED]
            first_answered = answered - x[:, _REDIALS_ANSWERED]
            with np.errstate(divide="ignore", invalid="ignore"):
                frames.append(pd.DataFrame({
                    "replication": r,
                    "channel": names[c],
                    "interval_start": starts,
                    "offered": offered.astype(np.int64),
                    "answered": answered.astype(np.int64),
                    "abandoned": x[:, _ABANDONED].astype(np.int64),
                    "hung_up": x[:, _HUNG_UP].astype(np.int64),
                    "answered_within_target": x[:, _WITHIN].astype(np.int64),
                    "waiting_at_end": x[:, _WAITING_END].astype(np.int64),
                    "service_level": np.where(offered > 0, x[:, _WITHIN] / offered, np.nan),
                    "asa_s": np.where(answered > 0, x[:, _WAIT_ANSWERED] / answered, np.nan),
                    "mean_wait_s": np.where(offered > 0, x[:, _WAIT_ALL] / offered, np.nan),
                    "p90_wait_s": _percentile(hist[c], 0.9),
                    "max_wait_s": x[:, _MAX_WAIT],
                    "mean_queue": x[:, _QUEUE_S] / interval_s,
                    "max_queue": x[:, _MAX_QUEUE].astype(np.int64),
                    "abandon_rate": np.where(offered > 0, x[:, _ABANDONED] / offered, np.nan),
                    "occupancy": np.where(x[:, _DUTY_S] > 0, x[:, _BUSY_S] / x[:, _DUTY_S],
                                          np.nan),
                    "agents_on_duty": agents[c],
                    "overtime_s": x[:, _OVERTIME_S],
                    "redials": x[:, _REDIALS].astype(np.int64),
                    "first_attempts_answered": first_answered.astype(np.int64),
                    "customers_answered": (first_answered + x[:, _LATER_ANSWERED]
                                           ).astype(np.int64),
                    "redials_after_horizon": x[:, _REDIALS_LATE].astype(np.int64),
                    **{name: x[:, _N_COUNTERS + k].astype(np.int64)
                       for k, name in enumerate(band_columns)},
                }))
    return pd.concat(frames, ignore_index=True)[[*SIM_INTERVAL_COLUMNS, *band_columns]]


def summary_table(counters, names, confidence, bands_s=(), redials=False):
    """Per channel and KPI over the horizon: mean over replications and its interval (with
    bands, ``service_level_<t>s``: answered within ``t`` / offered, after the five KPIs; with
    ``redials``, then ``redial_share`` (redials / offered), ``first_attempts_answered_share``
    and ``customers_answered_share`` (first attempts answered on that attempt, and customers
    answered at some attempt, per first attempt))."""
    rows = []
    per = np.stack([c.sum(axis=1) for c in counters])  # (replications, channels, counters)
    with np.errstate(divide="ignore", invalid="ignore"):
        kpis = {
            "service_level": per[..., _WITHIN] / per[..., _OFFERED],
            "asa_s": per[..., _WAIT_ANSWERED] / per[..., _ANSWERED],
            "mean_wait_s": per[..., _WAIT_ALL] / per[..., _OFFERED],
            "abandon_rate": per[..., _ABANDONED] / per[..., _OFFERED],
            "occupancy": per[..., _BUSY_S] / per[..., _DUTY_S],
        }
        band_kpis = band_names(bands_s, "service_level")
        for k, name in enumerate(band_kpis):
            kpis[name] = per[..., _N_COUNTERS + k] / per[..., _OFFERED]
        first = per[..., _OFFERED] - per[..., _REDIALS]
        first_answered = per[..., _ANSWERED] - per[..., _REDIALS_ANSWERED]
        redial_kpis = _REDIAL_KPIS if redials else ()
        if redials:
            kpis["redial_share"] = per[..., _REDIALS] / per[..., _OFFERED]
            kpis["first_attempts_answered_share"] = first_answered / first
            kpis["customers_answered_share"] = (first_answered + per[..., _LATER_ANSWERED]) / first
    for c, name in enumerate(names):
        for kpi in (*_SUMMARY_KPIS, *band_kpis, *redial_kpis):
            # A replication where the measure is undefined (no contact of the channel, so no
            # service level; no agent time, so no occupancy) is left out of its mean and
            # interval rather than making them NaN. One replication (a part of a split run)
            # has no interval: NaN, quietly. The interval stays in the KPI's range
            # (simulator._intervals).
            values = kpis[kpi][:, c]
            values = values[np.isfinite(values)]
            counted = float(per[:, c, _ANSWERED].sum() if kpi == "asa_s"
                            else first[:, c].sum() if kpi in _REDIAL_KPIS[1:]
                            else per[:, c, _OFFERED].sum())
            rows.append(_summary_row(name, kpi, values, _KPI_KIND.get(kpi, "fraction"),
                                     counted if counted > 0 else None, confidence))
    return pd.DataFrame(rows)


def group_summary_table(group_times, groups, confidence):
    """Per group, the occupancy (busy / paid agent-seconds) over replications (``kpi``
    ``group_occupancy``, ``channel`` = the group)."""
    per = np.stack([g.sum(axis=1) for g in group_times])  # (replications, groups, 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = per[..., 0] / per[..., 1]
    return pd.DataFrame([_summary_row(name, "group_occupancy", occ[:, g], "fraction", None,
                                      confidence) for g, name in enumerate(groups)])


def _summary_row(name, kpi, values, kind, n_contacts, confidence):
    mean, low, high = mean_interval(np.asarray(values)[:, None], kind=kind,
                                    n_contacts=n_contacts, confidence=confidence)
    return {"channel": name, "kpi": kpi, "mean": float(mean[0]), "ci_low": float(low[0]),
            "ci_high": float(high[0])}


def _percentile(hist, q):
    """Per interval, the q-quantile of the waits from their histogram (nan with no contact)."""
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    out = np.full(hist.shape[0], np.nan)
    for i in np.flatnonzero(total > 0):
        rank = q * total[i]
        b = int(np.searchsorted(cum[i], rank))
        if b == 0:
            out[i] = 0.0
            continue
        lo, hi = WAIT_EDGES[b], WAIT_EDGES[min(b + 1, WAIT_EDGES.size - 1)]
        below = cum[i][b - 1]
        frac = (rank - below) / max(hist[i][b], 1.0)
        out[i] = lo + frac * (hi - lo)
    return out
