"""The simulator's bookkeeping: what one replication counts, and the tables made from it.

A :class:`Ledger` is filled by the engine (``simulator._engine``) while a
replication runs, through a handful of methods, one per kind of happening:
a contact offered, answered, abandoned or still waiting at the end, a
callback offered, made or still pending (``simulator._callbacks``), the
queue length, agent time (busy and paid) and overtime. Nothing else writes
to it. Counts are kept per (channel, interval in which the contact arrived);
agent time per (group, interval in which it is worked). Contacts are not
kept: memory grows with channels x intervals, not with contacts. Answered
contacts and the waits for the histograms (for the percentiles) are noted as
they come (cell, times) and counted in blocks with numpy by
:meth:`Ledger.fold_waits` (at an interval's start, once ``FOLD_EVERY`` are
noted) and at the end: per cell the answered, those within the threshold and
each band, the sum and maximum of the waits, the queue time; the waits binned
with ``searchsorted(side="right")``, the same comparisons as ``bisect_right``
one at a time. Counts come out the same as one contact at a time; sums of
waits are the same numbers added in another order (deterministic, equal to
the last few bits).

:func:`intervals_table` and :func:`summary_table` turn the ledgers of the
replications into the ``sim_intervals`` table and the summary with
confidence intervals (``simulator._intervals``).
"""

from __future__ import annotations

import math

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
    "redials_after_horizon", "callbacks_offered", "callbacks_accepted", "callbacks_made",
    "callbacks_kept", "callbacks_pending", "callback_wait_total_s",
)
#: Edges of the wait histogram kept per interval (seconds): 0 exactly, then log-spaced bins
#: from 0.5 s to a week, each about 5% wide; percentiles interpolate inside a bin.
WAIT_EDGES = np.concatenate([[0.0], np.geomspace(0.5, 7 * 86400.0, 300)])

# Per-interval counters kept for each channel (index into a row).
_OFFERED, _ANSWERED, _ABANDONED, _WITHIN, _WAIT_ALL, _WAIT_ANSWERED, _BUSY_S, _DUTY_S, \
    _OVERTIME_S, _MAX_WAIT, _WAITING_END, _QUEUE_S, _MAX_QUEUE, _HUNG_UP, _REDIALS, \
    _REDIALS_ANSWERED, _LATER_ANSWERED, _REDIALS_LATE = range(18)
# Callbacks (simulator._callbacks), and two filled by close(): the denominator of the service
# level and abandon rate, and the callbacks counted as answered within the threshold.
_CB_OFFERED, _CB_ACCEPTED, _CB_MADE, _CB_KEPT, _CB_PENDING, _CB_WAIT, _SL_BASE, \
    _SL_KEPT = range(18, 26)
_N_COUNTERS = 26
# The answered contacts' sums kept per cell by fold_waits(), and the counters they go to.
_ANSWER_SUMS = (_ANSWERED, _WITHIN, _WAIT_ANSWERED, _QUEUE_S)
_N_ANSWER_SUMS = len(_ANSWER_SUMS)
#: Contacts noted (answered, or waits) before they are counted in a block (numpy), about.
FOLD_EVERY = 2048
_N_BINS = WAIT_EDGES.size
_SUMMARY_KPIS = ("service_level", "asa_s", "mean_wait_s", "abandon_rate", "occupancy")
_REDIAL_KPIS = ("redial_share", "first_attempts_answered_share", "customers_answered_share")
_KPI_KIND = {"service_level": "fraction", "asa_s": "nonnegative", "mean_wait_s": "nonnegative",
             "abandon_rate": "fraction", "occupancy": "fraction",
             "callback_accept_share": "fraction", "callback_kept_share": "fraction",
             "callback_wait_s": "nonnegative"}
# Summary KPIs of a channel with callbacks: (numerator, denominator) counters.
_CALLBACK_KPIS = {"callback_accept_share": (_CB_ACCEPTED, _CB_OFFERED),
                  "callback_kept_share": (_CB_KEPT, _CB_MADE),
                  "callback_wait_s": (_CB_WAIT, _CB_MADE)}


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
    callbacks : sequence, optional
        Per channel, its ``simulator._callbacks.CallbackSpec`` or None (no callbacks).
    """

    def __init__(self, n_channels, n_intervals, n_groups, interval_s, within_s, log=None,
                 bands_s=(), callbacks=()):
        self.rows = [[[0.0] * _N_COUNTERS for _ in range(n_intervals)]
                     for _ in range(n_channels)]
        # wait counts per (channel x interval, bin); the waits are noted as they come (the
        # cell, channel x intervals + interval, and the wait) and binned in blocks by
        # fold_waits(), with numpy: the same bins as one at a time (the same comparisons).
        n_cells = n_channels * n_intervals
        self.hist = np.zeros((n_cells, _N_BINS), dtype=np.int64)
        self._cell0 = [c * n_intervals for c in range(n_channels)]
        self._wait_cells: list[int] = []
        self._waits: list[float] = []
        # Answered contacts, noted as they come (cell, arrived, answered at) and counted in
        # blocks by fold_waits() into per-cell arrays, added to the counters by close().
        self._answer_cells: list[int] = []
        self._answer_arrived: list[float] = []
        self._answer_at: list[float] = []
        self._note_answer = (self._answer_cells.append, self._answer_arrived.append,
                             self._answer_at.append)
        self._within_of_cell = np.repeat(np.asarray(within_s, dtype=float), n_intervals)
        self._answers = np.zeros((n_cells, _N_ANSWER_SUMS))
        self._answer_max = np.zeros(n_cells)
        self._answer_bands = np.zeros((n_cells, len(bands_s)), dtype=np.int64)
        self.group_time = [[[0.0, 0.0] for _ in range(n_intervals)] for _ in range(n_groups)]
        self.group_overtime = [[0.0] * n_intervals for _ in range(n_groups)]
        self.interval_s = float(interval_s)
        self.n_intervals = n_intervals
        self.last_interval = n_intervals - 1
        self.within_s = list(within_s)
        self.log = log
        self.bands_s = list(bands_s)
        self.callbacks = list(callbacks) or [None] * n_channels

    def offered(self, c, iv, n=1):
        """``n`` contacts of channel ``c`` arrive in interval ``iv``."""
        self.rows[c][iv][_OFFERED] += n

    def answered(self, c, iv, arrived, now, handle_s=math.nan, cls=0, tag=None):
        """A contact that arrived at ``arrived`` (s) is answered at ``now`` (s, after its
        pick-up delay); its wait counts in the queue time up to ``arrived + wait``, as an
        abandoned one's. ``tag``: its attempt (``simulator._behaviour``), None for a first
        attempt of a channel without issue 16's behaviours. Noted here, counted in blocks by
        :meth:`fold_waits`."""
        if self.log is not None:
            self.log.add(c, iv, arrived, now - arrived, 0, handle_s, cls, tag)
        if tag is not None and tag[0] > 1:  # a redial: its customer was first in tag[1]
            rows = self.rows[c]
            rows[iv][_REDIALS_ANSWERED] += 1
            rows[tag[1]][_LATER_ANSWERED] += 1
        note_cell, note_arrived, note_at = self._note_answer
        note_cell(self._cell0[c] + iv)
        note_arrived(arrived)
        note_at(now)

    def abandoned(self, c, iv, arrived, wait, handle_s=math.nan, cls=0, tag=None):
        """A contact gives up after waiting ``wait`` s (its patience); a hang-up (``tag``)
        that leaves before an agent takes it counts also as ``hung_up``."""
        if self.log is not None:
            self.log.add(c, iv, arrived, wait, 1, handle_s, cls, tag)
        if tag is not None and tag[4]:
            self.rows[c][iv][_HUNG_UP] += 1
        self._wait_cells.append(self._cell0[c] + iv)
        self._waits.append(wait)
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
        self._wait_cells.append(self._cell0[c] + iv)
        self._waits.append(0.0)
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
        self._wait_cells.append(self._cell0[c] + iv)
        self._waits.append(wait)
        self._spread(self.rows[c], _QUEUE_S, arrived, horizon_s)

    def redial(self, c, iv):
        """A contact of channel ``c`` arriving in interval ``iv`` is a redial (also offered)."""
        self.rows[c][iv][_REDIALS] += 1

    def redial_after_horizon(self, c, iv):
        """A contact that arrived in interval ``iv`` abandoned, and its customer would call
        again after the end of the horizon (not simulated; counted apart)."""
        self.rows[c][iv][_REDIALS_LATE] += 1

    def callback_offered(self, c, iv, accepted):
        """A caller of channel ``c`` who arrived in interval ``iv`` is offered a callback
        (and ``accepted`` it or not)."""
        row = self.rows[c][iv]
        row[_CB_OFFERED] += 1
        if accepted:
            row[_CB_ACCEPTED] += 1

    def callback_made(self, c, iv, arrived, now, work_s, cls=0, tag=None):
        """An agent starts the callback of a caller who accepted it at ``arrived`` (s); the
        agent's work on it is ``work_s`` (dial + handle time)."""
        wait = now - arrived
        if self.log is not None:
            self.log.add(c, iv, arrived, wait, 3, work_s, cls, tag)
        row = self.rows[c][iv]
        row[_CB_MADE] += 1
        row[_CB_WAIT] += wait
        if wait <= self.callbacks[c].promise_s:
            row[_CB_KEPT] += 1

    def callback_pending(self, c, iv, arrived, horizon_s, work_s, cls=0, tag=None):
        """A callback accepted at ``arrived`` (s) is still to be made at the end."""
        if self.log is not None:
            self.log.add(c, iv, arrived, horizon_s - arrived, 4, work_s, cls, tag)
        self.rows[c][iv][_CB_PENDING] += 1

    def queue_length(self, c, iv, length):
        """Channel ``c`` has ``length`` contacts queued during interval ``iv``."""
        row = self.rows[c][iv]
        if length > row[_MAX_QUEUE]:
            row[_MAX_QUEUE] = length

    def fold_waits(self):
        """Count the answered contacts and bin the waits noted so far, once ``FOLD_EVERY`` or
        more are noted (the engine calls it at each interval's start, so memory stays small;
        close() counts the rest)."""
        if len(self._answer_cells) + len(self._waits) >= FOLD_EVERY:
            self._fold()

    def _fold(self):
        """Count the noted answered contacts and bin the noted waits, with numpy.

        Per cell: answered, answered within the channel's threshold (and within each band:
        ``wait <= t``, as ``bisect_left`` on the bands), the sum and maximum of the waits
        (``np.bincount`` adds in the order noted), and the queue time (a wait inside its
        arrival interval, or arriving in the last one, at once; one spanning an edge by
        :meth:`_spread`, one at a time). The waits are binned with
        ``searchsorted(side="right")``, the same comparisons as ``bisect_right`` one at a
        time; counts, so the order does not matter."""
        waits = self._waits
        cells = self._wait_cells
        if self._answer_cells:
            n = self.hist.shape[0]
            answer_cells = np.array(self._answer_cells)
            arrived = np.array(self._answer_arrived)
            wait = np.array(self._answer_at) - arrived
            end = arrived + wait
            i0 = np.floor_divide(arrived, self.interval_s).astype(np.int64)
            inside = (wait > 0.0) & ((i0 == self.last_interval)
                                     | (np.floor_divide(end, self.interval_s) == i0))
            start_cells = answer_cells - answer_cells % self.n_intervals + i0
            sums = self._answers
            sums[:, 0] += np.bincount(answer_cells, minlength=n)
            sums[:, 1] += np.bincount(answer_cells[wait <= self._within_of_cell[answer_cells]],
                                      minlength=n)
            sums[:, 2] += np.bincount(answer_cells, weights=wait, minlength=n)
            sums[:, 3] += np.bincount(start_cells[inside], weights=(end - arrived)[inside],
                                      minlength=n)
            np.maximum.at(self._answer_max, answer_cells, wait)
            for k, t in enumerate(self.bands_s):
                self._answer_bands[:, k] += np.bincount(answer_cells[wait <= t], minlength=n)
            for k in np.flatnonzero((wait > 0.0) & ~inside).tolist():  # spanning an edge
                self._spread(self.rows[int(answer_cells[k]) // self.n_intervals], _QUEUE_S,
                             float(arrived[k]), float(end[k]))
            cells = np.concatenate([np.array(cells, dtype=np.int64), answer_cells])
            waits = np.concatenate([np.array(waits, dtype=float), wait])
            self._answer_cells.clear()
            self._answer_arrived.clear()
            self._answer_at.clear()
        if len(waits):
            bins = np.searchsorted(WAIT_EDGES, waits, side="right") - 1  # = bisect_right
            np.add.at(self.hist, (np.asarray(cells, dtype=np.int64), bins), 1)
            self._wait_cells.clear()
            self._waits.clear()

    def agent_time_cells(self, g):
        """Group ``g``'s agent time, per interval a list [busy, paid] (agent-seconds): the
        engine adds the paid time as the number of agents paid changes (busy time comes
        through :meth:`busy`)."""
        return self.group_time[g]

    def busy(self, g, start, end):
        """An agent of group ``g`` was busy (one contact or several in a row, or at once)
        from ``start`` to ``end`` (s): busy agent-seconds, in the intervals it spans."""
        self._spread(self.group_time[g], 0, start, end)

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
        i1 = int(end // interval_s)
        if i1 > self.last_interval:
            i1 = self.last_interval
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
        self._fold()
        counters = np.array(self.rows, dtype=float)
        shape = counters.shape[:2]
        for k, col in enumerate(_ANSWER_SUMS):
            counters[:, :, col] += self._answers[:, k].reshape(shape)
        counters[:, :, _WAIT_ALL] += self._answers[:, 2].reshape(shape)
        counters[:, :, _MAX_WAIT] = np.maximum(counters[:, :, _MAX_WAIT],
                                               self._answer_max.reshape(shape))
        if self.bands_s:
            counters = np.concatenate(
                [counters, self._answer_bands.reshape(*shape, -1).astype(float)], axis=2)
        group_time = np.array(self.group_time, dtype=float).reshape(len(self.group_time),
                                                                    self.n_intervals, 2)
        overtime = np.array(self.group_overtime, dtype=float)
        for g, skills in enumerate(group_skills):
            for c in skills:
                counters[c, :, _OVERTIME_S] += overtime[g] / len(skills)
        for c in range(counters.shape[0]):
            spec = self.callbacks[c]
            x = counters[c]
            if spec is not None and spec.sl_promise:  # callbacks kept count as answered in time
                x[:, _SL_BASE] = x[:, _OFFERED]
                x[:, _SL_KEPT] = x[:, _CB_KEPT]
            else:  # the callers who stayed on the line
                x[:, _SL_BASE] = x[:, _OFFERED] - x[:, _CB_ACCEPTED]
            g = pools.get(c)
            if g is None:
                counters[c, :, _MAX_QUEUE] = math.nan
            else:
                counters[c, :, _BUSY_S] = group_time[g, :, 0]
                counters[c, :, _DUTY_S] = group_time[g, :, 1]
        hist = self.hist.astype(float).reshape(len(self.rows), self.n_intervals, _N_BINS)
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
            base = x[:, _SL_BASE]  # offered, less the callbacks that leave the service level
            on_line = offered - x[:, _CB_ACCEPTED]
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
                    "service_level": np.where(base > 0, (x[:, _WITHIN] + x[:, _SL_KEPT]) / base,
                                              np.nan),
                    "asa_s": np.where(answered > 0, x[:, _WAIT_ANSWERED] / answered, np.nan),
                    "mean_wait_s": np.where(on_line > 0, x[:, _WAIT_ALL] / on_line, np.nan),
                    "p90_wait_s": _percentile(hist[c], 0.9),
                    "max_wait_s": x[:, _MAX_WAIT],
                    "mean_queue": x[:, _QUEUE_S] / interval_s,
                    "max_queue": x[:, _MAX_QUEUE].astype(np.int64),
                    "abandon_rate": np.where(base > 0, x[:, _ABANDONED] / base, np.nan),
                    "occupancy": np.where(x[:, _DUTY_S] > 0, x[:, _BUSY_S] / x[:, _DUTY_S],
                                          np.nan),
                    "agents_on_duty": agents[c],
                    "overtime_s": x[:, _OVERTIME_S],
                    "redials": x[:, _REDIALS].astype(np.int64),
                    "first_attempts_answered": first_answered.astype(np.int64),
                    "customers_answered": (first_answered + x[:, _LATER_ANSWERED]
                                           ).astype(np.int64),
                    "redials_after_horizon": x[:, _REDIALS_LATE].astype(np.int64),
                    **{name: x[:, k].astype(np.int64) for name, k in (
                        ("callbacks_offered", _CB_OFFERED), ("callbacks_accepted", _CB_ACCEPTED),
                        ("callbacks_made", _CB_MADE), ("callbacks_kept", _CB_KEPT),
                        ("callbacks_pending", _CB_PENDING))},
                    "callback_wait_total_s": x[:, _CB_WAIT],
                    **{name: x[:, _N_COUNTERS + k].astype(np.int64)
                       for k, name in enumerate(band_columns)},
                }))
    return pd.concat(frames, ignore_index=True)[[*SIM_INTERVAL_COLUMNS, *band_columns]]


def summary_table(counters, names, confidence, bands_s=(), redials=False, callbacks=()):
    """Per channel and KPI over the horizon: mean over replications and its interval (with
    bands, ``service_level_<t>s``: answered within ``t`` / offered, after the five KPIs; with
    ``redials``, then ``redial_share`` (redials / offered), ``first_attempts_answered_share``
    and ``customers_answered_share`` (first attempts answered on that attempt, and customers
    answered at some attempt, per first attempt); then, for the channels whose ``callbacks``
    entry is set, the three callback KPIs)."""
    rows = []
    per = np.stack([c.sum(axis=1) for c in counters])  # (replications, channels, counters)
    base = per[..., _SL_BASE]  # offered, less the callbacks that leave the service level
    on_line = per[..., _OFFERED] - per[..., _CB_ACCEPTED]
    with np.errstate(divide="ignore", invalid="ignore"):
        kpis = {
            "service_level": (per[..., _WITHIN] + per[..., _SL_KEPT]) / base,
            "asa_s": per[..., _WAIT_ANSWERED] / per[..., _ANSWERED],
            "mean_wait_s": per[..., _WAIT_ALL] / on_line,
            "abandon_rate": per[..., _ABANDONED] / base,
            "occupancy": per[..., _BUSY_S] / per[..., _DUTY_S],
        }
        band_kpis = band_names(bands_s, "service_level")
        for k, name in enumerate(band_kpis):
            kpis[name] = (per[..., _N_COUNTERS + k] + per[..., _SL_KEPT]) / base
        first = per[..., _OFFERED] - per[..., _REDIALS]
        first_answered = per[..., _ANSWERED] - per[..., _REDIALS_ANSWERED]
        redial_kpis = _REDIAL_KPIS if redials else ()
        if redials:
            kpis["redial_share"] = per[..., _REDIALS] / per[..., _OFFERED]
            kpis["first_attempts_answered_share"] = first_answered / first
            kpis["customers_answered_share"] = (first_answered + per[..., _LATER_ANSWERED]) / first
        for kpi, (num, den) in _CALLBACK_KPIS.items():
            kpis[kpi] = per[..., num] / per[..., den]
    counts = {"asa_s": per[..., _ANSWERED], "mean_wait_s": on_line,
              "redial_share": per[..., _OFFERED],
              **dict.fromkeys(_REDIAL_KPIS[1:], first),
              **{kpi: per[..., den] for kpi, (_, den) in _CALLBACK_KPIS.items()}}
    callbacks = list(callbacks) or [None] * len(names)
    for c, name in enumerate(names):
        extra = tuple(_CALLBACK_KPIS) if callbacks[c] is not None else ()
        for kpi in (*_SUMMARY_KPIS, *band_kpis, *redial_kpis, *extra):
            # A replication where the measure is undefined (no contact of the channel, so no
            # service level; no agent time, so no occupancy) is left out of its mean and
            # interval rather than making them NaN. One replication (a part of a split run)
            # has no interval: NaN, quietly. The interval stays in the KPI's range
            # (simulator._intervals).
            values = kpis[kpi][:, c]
            values = values[np.isfinite(values)]
            counted = float(counts.get(kpi, base)[:, c].sum())
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
