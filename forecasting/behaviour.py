"""Customer behaviour estimated from per-contact records (``ccplan calibrate``).

Pure functions: arrays and tables in, numbers and tables out; no file is read
here (the reader is ``scenarios.files.calls``). Times are float seconds,
fractions 0-1, confidence levels 0-1 (default 0.95).

The estimators, and what each assumes:

* Patience is censored data: an abandoned contact's wait is its patience, an
  answered contact's wait is a lower bound of it (the caller would have waited
  at least that long). :func:`kaplan_meier` gives the survival curve of
  patience with a Greenwood band; :func:`exponential_patience` the maximum
  likelihood mean of an exponential patience, total time waited by all
  contacts / abandonments, with an exact-Poisson interval. The naive mean
  wait of the abandoned contacts (answered waits left out) is returned beside
  it for comparison only: it ignores the callers who were answered before
  their patience ran out and reads patience far too short.
* :func:`instant_hang_up_share`: abandons after a wait of at most
  ``within_s`` (5 s by default), less those expected of patient callers, as a
  share of all contacts (modelled as callers who leave at once whatever the
  wait). In :func:`calibrate` the exponential patience is fitted on the waits
  beyond ``within_s`` (the excess of an exponential over a bound is the same
  exponential), so the hang-ups do not shorten it.
* :func:`pickup_delays`: the waits of contacts answered by an agent who was
  idle at their arrival while no other contact of the channel waited: the
  time to pick up. Idle agents leave no record, so idleness is inferred from
  the agent's previous contact (ended before the arrival, at most
  ``max_idle_gap_s`` before the answer). :func:`after_contact_gaps` measures
  the same delay under load: from an agent's end of contact to their next
  answer when that contact was already waiting (pick-up delay plus after-call
  work).
* :func:`redials`: an abandon is followed by a redial when the same customer
  arrives again within ``window_s`` (1 h by default) of the abandon; by band
  of the wait before abandoning, with Clopper-Pearson intervals, and the
  delays from abandon to redial.
* :func:`calibrate` runs them all per channel on a table of records, with the
  handle-time law (mean, cv, quantiles) and the arrivals per interval.

Examples
--------
>>> import numpy as np
>>> fit = exponential_patience(np.array([10.0, 30.0, 20.0]), np.array([True, False, False]))
>>> round(fit.value, 1)
60.0
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ._history import aggregate_contacts
from .errors import HistoryError

__all__ = [
    "Estimate",
    "Calibration",
    "RECORD_COLUMNS",
    "kaplan_meier",
    "exponential_patience",
    "instant_hang_up_share",
    "pickup_delays",
    "after_contact_gaps",
    "redials",
    "RedialFit",
    "law_values",
    "calibrate",
]

#: Columns of the records table :func:`calibrate` reads (``customer_id`` and ``agent``
#: optional): arrival (timestamp), channel (text), wait_s (s, >= 0), outcome
#: (``answered`` / ``abandoned``), handle_s (s, > 0 when answered), customer_id (text, None
#: = unknown), agent (text, None = unknown).
RECORD_COLUMNS = ("arrival", "channel", "wait_s", "outcome", "handle_s", "customer_id", "agent")
#: Equally likely values an empirical law is summarised by (its slices' means).
N_LAW_VALUES = 20


@dataclasses.dataclass(frozen=True)
class Estimate:
    """A fitted number with its confidence interval.

    Attributes
    ----------
    value : float
        The estimate (NaN when there is no data: never read as 0).
    low, high : float
        Bounds of the confidence interval (may be ``inf`` for ``high``).
    n : int
        Records the estimate rests on.
    events : int
        Of those, the ones counted (abandons for patience, short abandons for hang-ups,
        redials for the redial probability).
    """

    value: float
    low: float
    high: float
    n: int
    events: int


@dataclasses.dataclass(frozen=True)
class RedialFit:
    """Redials after abandons, as :func:`redials` found them.

    Attributes
    ----------
    probability : Estimate
        Share (0-1) of the abandons (of known customers, not too close to the end of the
        records) followed by a redial within the window.
    bands : pandas.DataFrame
        By wait before abandoning: ``wait_up_to_s`` (inf for the last band),
        ``abandons``, ``redials``, ``probability``, ``probability_low``,
        ``probability_high``.
    delays_s : numpy.ndarray
        Delay from each abandon to its redial, seconds.
    is_redial : numpy.ndarray
        Boolean, one per record: True for the contacts that are such a redial.
    """

    probability: Estimate
    bands: pd.DataFrame
    delays_s: np.ndarray
    is_redial: np.ndarray


def _clopper_pearson(events: int, n: int, level: float) -> Estimate:
    if n == 0:
        return Estimate(float("nan"), float("nan"), float("nan"), 0, 0)
    alpha = 1.0 - level
    low = 0.0 if events == 0 else float(stats.beta.ppf(alpha / 2, events, n - events + 1))
    high = 1.0 if events == n else float(stats.beta.ppf(1 - alpha / 2, events + 1, n - events))
    return Estimate(events / n, low, high, n, events)


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise HistoryError(f"level must be in (0, 1), got {level!r}; e.g. 0.95.")


def kaplan_meier(waits_s: np.ndarray, abandoned: np.ndarray, *,
                 level: float = 0.95) -> pd.DataFrame:
    """Kaplan-Meier survival curve of patience, with a Greenwood confidence band.

    Abandoned waits are observed patience; answered waits are right-censored
    (at a tie, abandons count before answers: an answered caller at t was at
    risk at t). The band is the log(-log) transform of Greenwood's variance
    (as lifelines and R's ``conf.type = "log-log"``), inside [0, 1].

    Parameters
    ----------
    waits_s : numpy.ndarray
        Waits, seconds, >= 0.
    abandoned : numpy.ndarray
        True where the contact abandoned, False where it was answered.
    level : float, optional
        Confidence level of the band, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        One row per distinct wait: ``time_s``, ``at_risk``, ``abandoned``, ``censored``
        (counts), ``survival`` (P(patience > time_s)), ``survival_low``,
        ``survival_high``.

    Examples
    --------
    >>> import numpy as np
    >>> km = kaplan_meier(np.array([1.0, 2.0, 2.0, 3.0]), np.array([True, True, False, True]))
    >>> km["survival"].round(3).tolist()
    [0.75, 0.5, 0.0]
    """
    _check_level(level)
    waits = np.asarray(waits_s, dtype=float)
    events = np.asarray(abandoned, dtype=bool)
    times, inverse = np.unique(waits, return_inverse=True)
    total = np.bincount(inverse, minlength=times.size)
    died = np.bincount(inverse, weights=events.astype(float), minlength=times.size).astype(int)
    at_risk = waits.size - np.concatenate([[0], np.cumsum(total)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = 1.0 - died / at_risk
        survival = np.cumprod(factor)
        terms = np.where(at_risk > died, died / (at_risk * (at_risk - died)), 0.0)
        greenwood = np.cumsum(terms)
        log_s = np.log(survival)
        z = stats.norm.ppf(0.5 + level / 2)
        spread = z * np.sqrt(greenwood) / np.abs(log_s)
        low = survival ** np.exp(spread)
        high = survival ** np.exp(-spread)
    flat = (survival >= 1.0) | (survival <= 0.0) | ~np.isfinite(spread)
    low = np.where(flat, survival, low)
    high = np.where(flat, survival, high)
    table = pd.DataFrame({"time_s": times, "at_risk": at_risk, "abandoned": died,
                          "censored": total - died, "survival": survival,
                          "survival_low": np.clip(low, 0.0, 1.0),
                          "survival_high": np.clip(high, 0.0, 1.0)})
    return table[table["abandoned"] > 0].reset_index(drop=True) if events.any() else \
        table.iloc[:0].reset_index(drop=True)


def exponential_patience(waits_s: np.ndarray, abandoned: np.ndarray, *,
                         level: float = 0.95) -> Estimate:
    """Maximum-likelihood mean of an exponential patience from censored waits.

    With abandons d and total time waited T (all contacts, answered ones
    included), the likelihood of a rate r is r^d exp(-r T), so the mean
    patience is T / d. The interval is the exact Poisson one for d events in
    exposure T: the rate lies in [chi2(a/2, 2d) / 2T, chi2(1 - a/2, 2d + 2) / 2T].

    Parameters
    ----------
    waits_s : numpy.ndarray
        Waits, seconds, >= 0.
    abandoned : numpy.ndarray
        True where the contact abandoned.
    level : float, optional
        Confidence level, in (0, 1).

    Returns
    -------
    Estimate
        Mean patience, seconds; ``inf`` with ``high = inf`` when nobody abandoned,
        NaN when there are no waits.
    """
    _check_level(level)
    waits = np.asarray(waits_s, dtype=float)
    d = int(np.count_nonzero(abandoned))
    total = float(waits.sum())
    if waits.size == 0 or total <= 0.0:
        return Estimate(float("nan"), float("nan"), float("nan"), int(waits.size), d)
    alpha = 1.0 - level
    low = 2.0 * total / float(stats.chi2.ppf(1 - alpha / 2, 2 * d + 2))
    if d == 0:
        return Estimate(float("inf"), low, float("inf"), int(waits.size), 0)
    high = 2.0 * total / float(stats.chi2.ppf(alpha / 2, 2 * d))
    return Estimate(total / d, low, high, int(waits.size), d)


def instant_hang_up_share(waits_s: np.ndarray, abandoned: np.ndarray, *, within_s: float = 5.0,
                          mean_patience_s: float | None = None,
                          level: float = 0.95) -> Estimate:
    """Share of contacts that hang up at once: abandons within ``within_s``, less the patient ones.

    Short abandons (wait <= ``within_s``, 5 s by default) are hang-ups, save for
    the patient callers whose patience ran out that early. Given the mean of an
    exponential patience, those are expected to number (1 / mean) times the time
    all contacts spent waiting within the first ``within_s`` (constant hazard),
    and are taken off. The interval is Clopper-Pearson on the short abandons,
    shifted by the same amount. The share is a lower bound when would-be
    hang-ups were answered within ``within_s`` (they are not seen).

    Parameters
    ----------
    waits_s : numpy.ndarray
        Waits, seconds, >= 0.
    abandoned : numpy.ndarray
        True where the contact abandoned.
    within_s : float, optional
        Longest wait of a hang-up, seconds, >= 0.
    mean_patience_s : float or None, optional
        Mean patience of the other callers, seconds (see :func:`exponential_patience`
        on the waits beyond ``within_s``); None counts every short abandon.
    level : float, optional
        Confidence level, in (0, 1).

    Returns
    -------
    Estimate
        The share (0-1) of all contacts; ``events`` = short abandons.
    """
    _check_level(level)
    waits = np.asarray(waits_s, dtype=float)
    short = int(np.count_nonzero(np.asarray(abandoned, dtype=bool) & (waits <= within_s)))
    raw = _clopper_pearson(short, int(waits.size), level)
    if mean_patience_s is None or not np.isfinite(mean_patience_s) or waits.size == 0:
        return raw
    patient = float(np.minimum(waits, within_s).sum()) / mean_patience_s / waits.size
    return Estimate(max(raw.value - patient, 0.0), max(raw.low - patient, 0.0),
                    max(raw.high - patient, 0.0), raw.n, raw.events)


def _successions(arrival: np.ndarray, wait: np.ndarray, answered: np.ndarray,
                 handle_s: np.ndarray, agent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each answered contact that followed another of the same agent, and that one's end.

    Returns the follower's record index and the end (arrival + wait + handle) of the same
    agent's previous contact, seconds.
    """
    busy = np.flatnonzero(answered & (agent >= 0))
    start = arrival[busy] + wait[busy]
    end = start + np.asarray(handle_s, dtype=float)[busy]
    order = np.lexsort((start, agent[busy]))
    busy, end = busy[order], end[order]
    same = agent[busy][1:] == agent[busy][:-1]
    return busy[1:][same], end[:-1][same]


def _waiting_at(times: np.ndarray, arrival: np.ndarray, leave: np.ndarray) -> np.ndarray:
    """How many contacts had arrived before each time and not yet left (answered or gone)."""
    return np.searchsorted(np.sort(arrival), times, side="left") - \
        np.searchsorted(np.sort(leave), times, side="right")


def pickup_delays(arrival_s: np.ndarray, wait_s: np.ndarray, answered: np.ndarray,
                  handle_s: np.ndarray, agent: np.ndarray, of_channel: np.ndarray, *,
                  max_idle_gap_s: float = 600.0) -> np.ndarray:
    """Which contacts of a channel were answered by an agent idle at their arrival, none waiting.

    Their waits are then pick-up delays (ring time, system delay). Idle agents
    leave no record, so idleness is inferred from the records: an agent's busy
    times are [arrival + wait, arrival + wait + handle] of every contact they
    answered (any channel); the agent who answered a contact was idle at its
    arrival when their previous contact had ended by then and the gap from
    that end to this answer is at most ``max_idle_gap_s`` (a longer gap is
    read as a break or a new shift). The contact also counts only when no
    other contact of the channel was waiting at its arrival (else the agent
    might have been held by another contact). Limits: an agent's first
    contact of a shift is never counted; a short break inside the gap reads
    as delay; after-call work is mostly over by then (see
    :func:`after_contact_gaps`).

    Parameters
    ----------
    arrival_s : numpy.ndarray
        Arrival times, seconds from any origin, all records.
    wait_s : numpy.ndarray
        Waits, seconds, >= 0.
    answered : numpy.ndarray
        True where the contact was answered.
    handle_s : numpy.ndarray
        Handle times, seconds (read where answered).
    agent : numpy.ndarray
        Integer agent codes, -1 where unknown.
    of_channel : numpy.ndarray
        True for the contacts of the channel studied.
    max_idle_gap_s : float, optional
        Longest gap between two contacts of an agent that counts as idle, seconds.

    Returns
    -------
    numpy.ndarray
        Boolean, True for the contacts of the channel answered while idle.
    """
    arrival = np.asarray(arrival_s, dtype=float)
    wait = np.asarray(wait_s, dtype=float)
    of_channel = np.asarray(of_channel, dtype=bool)
    follower, previous_end = _successions(arrival, wait, np.asarray(answered, dtype=bool),
                                          handle_s, np.asarray(agent, dtype=np.int64))
    answer = arrival[follower] + wait[follower]
    idle = ((previous_end <= arrival[follower]) & (answer - previous_end <= max_idle_gap_s)
            & of_channel[follower])
    chosen = follower[idle]
    none_waiting = _waiting_at(arrival[chosen], arrival[of_channel],
                               arrival[of_channel] + wait[of_channel]) <= 0
    out = np.zeros(arrival.size, dtype=bool)
    out[chosen[none_waiting]] = True
    return out


def after_contact_gaps(arrival_s: np.ndarray, wait_s: np.ndarray, answered: np.ndarray,
                       handle_s: np.ndarray, agent: np.ndarray, of_channel: np.ndarray, *,
                       max_idle_gap_s: float = 600.0) -> np.ndarray:
    """Gaps from an agent's end of contact to their next answer, that contact already waiting.

    When the agent's next contact (of the channel) had arrived by the time the
    agent finished the previous one, it was waiting: an agent who took it at
    once and without delay would leave no gap. The gap is the pick-up delay
    plus whatever holds agents between contacts under load (after-call work
    not in the handle time, short breaks). Where it is much longer than the
    delay seen at idle answers (:func:`pickup_delays`), the centre loses
    capacity between contacts that a pick-up delay drawn at idle answers does
    not show. Gaps above ``max_idle_gap_s`` (breaks, shift ends) are left out.
    With several contacts waiting, first come first served makes the
    agent's next contact the one they took at once (priorities that reorder
    the queue break that, and the gap then reads longer).

    Parameters
    ----------
    arrival_s : numpy.ndarray
        Arrival times, seconds from any origin, all records.
    wait_s : numpy.ndarray
        Waits, seconds, >= 0.
    answered : numpy.ndarray
        True where the contact was answered.
    handle_s : numpy.ndarray
        Handle times, seconds (read where answered).
    agent : numpy.ndarray
        Integer agent codes, -1 where unknown.
    of_channel : numpy.ndarray
        True for the contacts of the channel studied.
    max_idle_gap_s : float, optional
        Longest gap kept, seconds.

    Returns
    -------
    numpy.ndarray
        The gaps, seconds, >= 0, one per next contact (of the channel) so found.
    """
    arrival = np.asarray(arrival_s, dtype=float)
    wait = np.asarray(wait_s, dtype=float)
    of_channel = np.asarray(of_channel, dtype=bool)
    follower, previous_end = _successions(arrival, wait, np.asarray(answered, dtype=bool),
                                          handle_s, np.asarray(agent, dtype=np.int64))
    gap = arrival[follower] + wait[follower] - previous_end
    keep = (of_channel[follower] & (arrival[follower] <= previous_end) & (gap >= 0)
            & (gap <= max_idle_gap_s))
    return gap[keep]


def redials(arrival_s: np.ndarray, wait_s: np.ndarray, abandoned: np.ndarray,
            customer: np.ndarray, *, window_s: float = 3600.0,
            wait_bands_s: Sequence[float] = (5.0, 30.0, 120.0),
            level: float = 0.95) -> RedialFit:
    """Redial probability after an abandon (overall and by wait band) and redial delays.

    An abandon of a known customer at time a (arrival + wait) is followed by a
    redial when that customer's next arrival after a comes at most
    ``window_s`` later. Abandons less than ``window_s`` before the last arrival
    of the records are left out (their redial could fall after the records
    end). Unknown customers (-1) are no customer: neither counted nor redials.

    Parameters
    ----------
    arrival_s : numpy.ndarray
        Arrival times, seconds from any origin.
    wait_s : numpy.ndarray
        Waits, seconds, >= 0.
    abandoned : numpy.ndarray
        True where the contact abandoned.
    customer : numpy.ndarray
        Integer customer codes, -1 where unknown.
    window_s : float, optional
        Longest delay from abandon to redial, seconds (> 0).
    wait_bands_s : sequence of float, optional
        Increasing upper bounds of the wait bands, seconds; a last band without
        bound follows.
    level : float, optional
        Confidence level of the Clopper-Pearson intervals, in (0, 1).

    Returns
    -------
    RedialFit
        The probability overall and by band, the delays, and which contacts are redials.
    """
    _check_level(level)
    arrival = np.asarray(arrival_s, dtype=float)
    leave = arrival + np.asarray(wait_s, dtype=float)
    customer = np.asarray(customer, dtype=np.int64)
    known = customer >= 0
    bounds = np.append(np.asarray(wait_bands_s, dtype=float), np.inf)
    if np.any(np.diff(bounds) <= 0) or bounds[0] < 0:
        raise HistoryError(f"wait_bands_s must increase from >= 0 s, got {list(wait_bands_s)}.")
    if arrival.size == 0:
        origin, horizon = 0.0, 0.0
    else:
        origin, horizon = float(arrival.min()), float(arrival.max())
    span = horizon - origin + 2 * window_s + leave.max(initial=0.0) - horizon + 1.0
    keys = customer[known] * span + (arrival[known] - origin)
    order = np.argsort(keys, kind="stable")
    keys, positions = keys[order], np.flatnonzero(known)[order]
    ask = np.asarray(abandoned, dtype=bool) & known & (leave + window_s <= horizon)
    probe = customer[ask] * span + (leave[ask] - origin)
    j = np.searchsorted(keys, probe, side="right")
    has_next = j < keys.size
    nxt = np.where(has_next, keys[np.minimum(j, keys.size - 1)], np.inf)
    delay = nxt - probe
    redialled = has_next & (delay <= window_s)
    is_redial = np.zeros(arrival.size, dtype=bool)
    is_redial[positions[j[redialled]]] = True
    band = np.searchsorted(bounds, np.asarray(wait_s, dtype=float)[ask], side="left")
    rows = []
    for k, upper in enumerate(bounds):
        inside = band == k
        est = _clopper_pearson(int(redialled[inside].sum()), int(inside.sum()), level)
        rows.append({"wait_up_to_s": float(upper), "abandons": est.n, "redials": est.events,
                     "probability": est.value, "probability_low": est.low,
                     "probability_high": est.high})
    overall = _clopper_pearson(int(redialled.sum()), int(ask.sum()), level)
    return RedialFit(overall, pd.DataFrame(rows), delay[redialled], is_redial)


def law_values(samples_s: np.ndarray, n_values: int = N_LAW_VALUES) -> np.ndarray:
    """An empirical law as ``n_values`` equally likely values: the means of its equal-probability
    slices.

    Slice ``i`` holds the samples between the quantiles at ``i / n_values`` and ``(i + 1) /
    n_values`` (a sample on a slice edge shared by the two slices in proportion), so the values
    keep the samples' mean exactly; the mid-rank quantiles would not for a skewed law (a
    pick-up delay that is 0 s nine times in ten and sometimes half a minute).

    Parameters
    ----------
    samples_s : numpy.ndarray
        Observed durations, seconds.
    n_values : int, optional
        How many values, >= 1.

    Returns
    -------
    numpy.ndarray
        The slices' means, ascending, seconds (empty when there are no samples).

    Examples
    --------
    >>> law_values(np.arange(8.0), 4).tolist()
    [0.5, 2.5, 4.5, 6.5]
    >>> float(law_values(np.array([0.0] * 9 + [30.0]), 4).mean())
    3.0
    """
    samples = np.sort(np.asarray(samples_s, dtype=float))
    m = samples.size
    if m == 0:
        return samples
    # m x the integral of the empirical quantile function from 0 to each slice edge
    edges = np.arange(n_values + 1) * (m / n_values)
    whole = np.minimum(np.floor(edges).astype(int), m)
    sums = np.concatenate(([0.0], np.cumsum(samples)))
    part = (edges - whole) * samples[np.minimum(whole, m - 1)]
    integral = sums[whole] + np.where(whole < m, part, 0.0)
    return np.diff(integral) * (n_values / m)


@dataclasses.dataclass(frozen=True)
class Calibration:
    """What :func:`calibrate` found, per channel.

    Attributes
    ----------
    fits : pandas.DataFrame
        One row per channel and quantity: ``channel``, ``quantity``, ``value``, ``low``,
        ``high`` (confidence bounds, NaN when none), ``n`` (records used), ``events``
        (abandons, short abandons or redials counted; 0 otherwise), ``unit`` (``s``,
        ``share``, ``ratio`` or ``count``). Quantities: contacts, answered, abandoned,
        aht_s, handle_cv, handle_p10_s, handle_p50_s, handle_p90_s, mean_patience_s
        (exponential, censored), naive_mean_patience_s (mean wait of the abandoned: for
        comparison only), hang_up_share, pickup_delay_mean_s, after_contact_gap_mean_s,
        redial_probability, redial_delay_mean_s.
    survival : pandas.DataFrame
        :func:`kaplan_meier` per channel (a ``channel`` column first).
    redial_bands : pandas.DataFrame
        The bands of :func:`redials` per channel.
    samples : pandas.DataFrame
        The observations the laws are drawn from: ``channel``, ``kind``
        (``handle_s``, ``pickup_delay_s``, ``after_contact_gap_s``, ``redial_delay_s``),
        ``value_s``.
    arrivals : pandas.DataFrame
        Contacts per channel and interval (the ``history`` table: ``channel``,
        ``interval_start``, ``offered``).
    notes : tuple of str
        What could not be estimated, and why.
    settings : dict
        ``hang_up_within_s``, ``redial_window_s``, ``max_idle_gap_s``, ``level``,
        ``interval_s``.
    """

    fits: pd.DataFrame
    survival: pd.DataFrame
    redial_bands: pd.DataFrame
    samples: pd.DataFrame
    arrivals: pd.DataFrame
    notes: tuple[str, ...]
    settings: dict


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes of text values, -1 where missing."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int64)


def calibrate(records: pd.DataFrame, *, interval_s: float = 1800.0, hang_up_within_s: float = 5.0,
              redial_window_s: float = 3600.0, wait_bands_s: Sequence[float] = (5.0, 30.0, 120.0),
              max_idle_gap_s: float = 600.0, level: float = 0.95) -> Calibration:
    """Estimate every behaviour per channel from checked per-contact records.

    Patience (Kaplan-Meier and exponential) is fitted on the contacts that are
    not short abandons (those are the hang-ups); the pick-up delay needs an
    ``agent`` column and the redials a ``customer_id`` column, else each is
    left out with a note.

    Parameters
    ----------
    records : pandas.DataFrame
        Columns of :data:`RECORD_COLUMNS` (``customer_id`` and ``agent`` optional),
        already checked (the files layer reports bad rows).
    interval_s : float, optional
        Interval length of the arrivals table, seconds.
    hang_up_within_s : float, optional
        Longest wait of a hang-up, seconds.
    redial_window_s : float, optional
        Longest delay from abandon to redial, seconds.
    wait_bands_s : sequence of float, optional
        Upper bounds of the redial wait bands, seconds.
    max_idle_gap_s : float, optional
        Longest gap between an agent's contacts counted as idle, seconds.
    level : float, optional
        Confidence level, in (0, 1).

    Returns
    -------
    Calibration
        The fits, curves, samples and notes.
    """
    _check_level(level)
    missing = [c for c in RECORD_COLUMNS[:5] if c not in records.columns]
    if missing:
        raise HistoryError(f"calibrate(): no column {', '.join(missing)} (found: "
                           f"{', '.join(map(str, records.columns))}).")
    arrival_ts = pd.to_datetime(records["arrival"])
    arrival = ((arrival_ts - arrival_ts.min()).dt.total_seconds().to_numpy()
               if len(records) else np.zeros(0))
    wait = records["wait_s"].to_numpy(dtype=float)
    abandoned = (records["outcome"] == "abandoned").to_numpy()
    answered = ~abandoned
    handle = records["handle_s"].to_numpy(dtype=float)
    channel = records["channel"].astype(str).to_numpy()
    agent = _codes(records["agent"]) if "agent" in records.columns else None
    customer = _codes(records["customer_id"]) if "customer_id" in records.columns else None
    notes = []
    if agent is None:
        notes.append("pick-up delay not estimated: the records have no agent column (idle "
                     "agents cannot be inferred).")
    if customer is None:
        notes.append("redials not estimated: the records have no customer_id column.")
    fits, curves, bands, samples = [], [], [], []

    def add(name: str, quantity: str, value: float, low: float = np.nan, high: float = np.nan,
            n: int = 0, unit: str = "s", events: int = 0) -> None:
        fits.append({"channel": name, "quantity": quantity, "value": float(value),
                     "low": float(low), "high": float(high), "n": int(n), "events": int(events),
                     "unit": unit})

    for name in sorted(set(channel)):
        mine = channel == name
        n_mine = int(mine.sum())
        add(name, "contacts", n_mine, n=n_mine, unit="count")
        add(name, "answered", int((mine & answered).sum()), n=n_mine, unit="count")
        add(name, "abandoned", int((mine & abandoned).sum()), n=n_mine, unit="count")
        talk = handle[mine & answered]
        if talk.size:
            mean, sd = float(talk.mean()), float(talk.std(ddof=1)) if talk.size > 1 else 0.0
            half = float(stats.norm.ppf(0.5 + level / 2)) * sd / np.sqrt(talk.size)
            add(name, "aht_s", mean, mean - half, mean + half, talk.size)
            add(name, "handle_cv", sd / mean if mean > 0 else np.nan, n=talk.size, unit="ratio")
            for q in (10, 50, 90):
                add(name, f"handle_p{q}_s", float(np.percentile(talk, q)), n=talk.size)
            samples.append(pd.DataFrame({"channel": name, "kind": "handle_s", "value_s": talk}))
        # patience from the waits beyond the hang-up window (memoryless: the excess
        # over within_s is exponential with the same mean), hang-ups net of it
        beyond = mine & (wait > hang_up_within_s)
        exp_fit = exponential_patience(np.maximum(wait[mine] - hang_up_within_s, 0.0),
                                       (abandoned & beyond)[mine], level=level)
        add(name, "mean_patience_s", exp_fit.value, exp_fit.low, exp_fit.high, exp_fit.n,
            events=exp_fit.events)
        gone = wait[beyond & abandoned]
        add(name, "naive_mean_patience_s", gone.mean() if gone.size else np.nan, n=gone.size)
        hang = instant_hang_up_share(wait[mine], abandoned[mine], within_s=hang_up_within_s,
                                     mean_patience_s=exp_fit.value, level=level)
        add(name, "hang_up_share", hang.value, hang.low, hang.high, hang.n, "share", hang.events)
        patient = mine & ~(abandoned & (wait <= hang_up_within_s))
        km = kaplan_meier(wait[patient], abandoned[patient], level=level)
        curves.append(km.assign(channel=name))
        if agent is not None:
            idle = pickup_delays(arrival, wait, answered, handle, agent, mine,
                                 max_idle_gap_s=max_idle_gap_s)
            delays = wait[idle]
            if delays.size:
                mean = float(delays.mean())
                half = (float(stats.norm.ppf(0.5 + level / 2)) * float(delays.std(ddof=1))
                        / np.sqrt(delays.size)) if delays.size > 1 else np.nan
                add(name, "pickup_delay_mean_s", mean, mean - half, mean + half, delays.size)
                samples.append(pd.DataFrame({"channel": name, "kind": "pickup_delay_s",
                                             "value_s": delays}))
            else:
                notes.append(f"{name}: pick-up delay not estimated: no contact was answered "
                             "while an agent was seen idle.")
            gaps = after_contact_gaps(arrival, wait, answered, handle, agent, mine,
                                      max_idle_gap_s=max_idle_gap_s)
            if gaps.size:
                mean = float(gaps.mean())
                half = (float(stats.norm.ppf(0.5 + level / 2)) * float(gaps.std(ddof=1))
                        / np.sqrt(gaps.size)) if gaps.size > 1 else np.nan
                add(name, "after_contact_gap_mean_s", mean, mean - half, mean + half, gaps.size)
                samples.append(pd.DataFrame({"channel": name, "kind": "after_contact_gap_s",
                                             "value_s": gaps}))
        if customer is not None:
            keep = mine
            fit = redials(arrival[keep], wait[keep], abandoned[keep], customer[keep],
                          window_s=redial_window_s, wait_bands_s=wait_bands_s, level=level)
            overall, table, delays = fit.probability, fit.bands, fit.delays_s
            add(name, "redial_probability", overall.value, overall.low, overall.high, overall.n,
                "share", overall.events)
            if delays.size:
                mean = float(delays.mean())
                add(name, "redial_delay_mean_s", mean, n=delays.size)
                samples.append(pd.DataFrame({"channel": name, "kind": "redial_delay_s",
                                             "value_s": delays}))
            bands.append(table.assign(channel=name))
    arrivals = aggregate_contacts(pd.DataFrame({"arrival": arrival_ts, "channel": channel}),
                                  interval_s=interval_s, time_column="arrival",
                                  channel_column="channel")

    def stack(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        if not parts:
            return pd.DataFrame(columns=columns)
        out = pd.concat(parts, ignore_index=True)
        return out[["channel"] + [c for c in out.columns if c != "channel"]]

    return Calibration(
        fits=pd.DataFrame(fits, columns=["channel", "quantity", "value", "low", "high", "n",
                                         "events", "unit"]),
        survival=stack(curves, ["channel", "time_s", "at_risk", "abandoned", "censored",
                                "survival", "survival_low", "survival_high"]),
        redial_bands=stack(bands, ["channel", "wait_up_to_s", "abandons", "redials",
                                   "probability", "probability_low", "probability_high"]),
        samples=stack(samples, ["channel", "kind", "value_s"]),
        arrivals=arrivals, notes=tuple(notes),
        settings={"hang_up_within_s": hang_up_within_s, "redial_window_s": redial_window_s,
                  "max_idle_gap_s": max_idle_gap_s, "level": level, "interval_s": interval_s})
