"""Handle-time and patience distributions of a channel.

``exponential``
    Memoryless, the Erlang assumption. Handle time: mean = the interval's
    ``aht_s``. Patience: mean = ``mean_s``.
``lognormal``
    With mean ``m`` and coefficient of variation ``cv``: ``sigma^2 = log(1 +
    cv^2)``, ``mu = log(m) - sigma^2 / 2``. Call-centre handle times are close
    to lognormal (Brown et al. 2005).
``empirical``
    Resampled with replacement from ``values_s``. For handle times the values
    are scaled by ``aht_s / mean(values_s)`` so that each interval keeps its
    forecast AHT while the shape comes from the data. For patience the values
    are used as given.
``none``
    Patience only: nobody abandons.
``fixed``
    Delays only (pick-up delay, redial delay): always ``value_s``.
``bands``
    Delays only: ``bands`` = ``[[upper_s, share], ...]``, uppers increasing,
    shares adding up to 1; a draw falls in band k with probability
    ``share_k`` and is uniform inside it, in ``(previous upper (0 for the
    first), upper_k]``.

Delays (``delay=True`` in :func:`parse_distribution`) take every kind but
``none``, with their own mean (``mean_s``) or values, used as given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ._errors import SimulationInputError

_KINDS = ("exponential", "lognormal", "empirical", "none")
_DELAY_KINDS = ("exponential", "lognormal", "empirical", "fixed", "bands")


@dataclass(frozen=True)
class Distribution:
    """A positive duration distribution: ``kind`` with its ``mean_s``, ``cv`` or ``values_s``."""

    kind: str = "exponential"
    mean_s: float | None = None
    cv: float | None = None
    values_s: tuple[float, ...] | None = None
    # An empirical law's values as an array and their mean, built once: rebuilding them on
    # every draw cost ~350 us per interval for 20,000 values (issue 16).
    _values: np.ndarray | None = field(default=None, init=False, repr=False, compare=False)
    _values_mean: float = field(default=math.nan, init=False, repr=False, compare=False)
    #: ``bands`` kind: ((upper_s, share), ...), checked.
    bands: tuple[tuple[float, float], ...] | None = None

    def __post_init__(self) -> None:
        if self.values_s is not None:
            values = np.asarray(self.values_s, dtype=float)
            values.flags.writeable = False
            object.__setattr__(self, "_values", values)
            object.__setattr__(self, "_values_mean", float(values.mean()))

    def sample(self, rng: np.random.Generator, mean_s: float, n: int,
               rescale: bool) -> np.ndarray:
        """``n`` draws with mean ``mean_s`` (seconds); ``rescale`` scales empirical values."""
        if self.kind == "none":
            return np.full(n, math.inf)
        if self.kind == "exponential":
            return rng.exponential(mean_s, n)
        if self.kind == "fixed":
            return np.full(n, mean_s)
        if self.kind == "bands":
            uppers = np.array([b[0] for b in cast(tuple, self.bands)])
            lowers = np.concatenate([[0.0], uppers[:-1]])
            cum = np.cumsum([b[1] for b in cast(tuple, self.bands)])
            k = np.minimum(np.searchsorted(cum / cum[-1], rng.random(n), side="right"),
                           uppers.size - 1)
            return uppers[k] - rng.random(n) * (uppers[k] - lowers[k])
        if self.kind == "lognormal":
            sigma2 = math.log1p(float(self.cv or 0.0) ** 2)
            return rng.lognormal(math.log(mean_s) - sigma2 / 2.0, math.sqrt(sigma2), n)
        values = cast(np.ndarray, self._values)  # an empirical law has values (checked)
        draws = values[rng.integers(0, values.size, n)]
        return draws * (mean_s / self._values_mean) if rescale else draws


def parse_distribution(where: str, spec, *, patience: bool,
                       delay: bool = False) -> tuple[Distribution, float]:
    """Check a channel's ``handle_time`` or ``patience`` setting (or, with ``delay``, a
    delay law: ``pickup_delay``, ``redial_delay``; ``spec`` not None).

    Returns the distribution and, for patience and delays, its mean in seconds (inf for
    none); for handle times the mean comes from the forecast (returned as nan).
    """
    if delay:
        return _parse_delay(where, spec)
    if spec is None:
        return (Distribution("none"), math.inf) if patience else (Distribution(), math.nan)
    if not isinstance(spec, dict):
        raise SimulationInputError(f"{where} must be a mapping such as {{'kind': 'lognormal', "
                                   f"'cv': 1.0}}, got {spec!r}.")
    unknown = sorted(set(spec) - {"kind", "mean_s", "cv", "values_s"})
    if unknown:
        raise SimulationInputError(f"{where} has unknown keys {unknown}; allowed: kind, mean_s, "
                                   "cv, values_s.")
    kind = spec.get("kind", "exponential")
    if kind not in _KINDS or (kind == "none" and not patience):
        allowed = _KINDS if patience else _KINDS[:3]
        raise SimulationInputError(f"{where}.kind must be one of {', '.join(allowed)}, got "
                                   f"{kind!r}.")
    cv = spec.get("cv")
    values = spec.get("values_s")
    mean = spec.get("mean_s")
    if kind == "lognormal" and not (isinstance(cv, int | float) and cv > 0):
        raise SimulationInputError(f"{where}.cv must be a number > 0 for a lognormal, got "
                                   f"{cv!r} (e.g. 1.0).")
    if kind == "empirical":
        arr = np.asarray(values if values is not None else [], dtype=float)
        if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 0) or arr.sum() <= 0:
            raise SimulationInputError(f"{where}.values_s must be a non-empty list of durations "
                                       ">= 0 seconds (not all zero).")
        values = tuple(arr.tolist())
        if patience:
            mean = float(arr.mean())
    positive = isinstance(mean, int | float) and mean > 0 and math.isfinite(mean)
    if patience and kind in ("exponential", "lognormal") and not positive:
        raise SimulationInputError(f"{where}.mean_s must be a number > 0 seconds, got "
                                   f"{mean!r}.")
    dist = Distribution(kind, None if mean is None else float(mean),
                        None if cv is None else float(cv), values)
    if not patience:
        return dist, math.nan
    return dist, (math.inf if kind == "none" or mean is None else float(mean))


def _parse_delay(where: str, spec) -> tuple[Distribution, float]:
    """A delay law: any kind but ``none``, with its own mean; also ``fixed`` and ``bands``."""
    example = "{'kind': 'fixed', 'value_s': 4.0} or {'kind': 'exponential', 'mean_s': 600.0}"
    if not isinstance(spec, Mapping):
        raise SimulationInputError(f"{where} must be a mapping such as {example}, got {spec!r}.")
    kind = spec.get("kind", "exponential")
    if kind not in _DELAY_KINDS:
        raise SimulationInputError(f"{where}.kind must be one of {', '.join(_DELAY_KINDS)}, got "
                                   f"{kind!r}.")
    allowed = {"fixed": {"value_s"}, "bands": {"bands"}}.get(kind, {"mean_s", "cv", "values_s"})
    unknown = sorted(set(spec) - allowed - {"kind"})
    if unknown:
        raise SimulationInputError(f"{where} has unknown keys {unknown} for kind {kind!r}; "
                                   f"allowed: kind, {', '.join(sorted(allowed))}.")
    if kind == "fixed":
        value = spec.get("value_s")
        if not (_number(value) and float(cast(float, value)) >= 0):
            raise SimulationInputError(f"{where}.value_s must be a finite number >= 0 seconds, "
                                       f"got {value!r}.")
        return Distribution("fixed", float(cast(float, value))), float(cast(float, value))
    if kind == "bands":
        return _parse_bands(where, spec.get("bands"))
    dist, _ = parse_distribution(where, dict(spec), patience=True)
    return dist, (float(dist._values_mean) if kind == "empirical" else float(dist.mean_s or 0))


def _parse_bands(where: str, bands) -> tuple[Distribution, float]:
    rule = ("must be a list of [upper_s, share] rows, uppers finite and increasing from > 0 "
            "seconds, shares >= 0 adding up to 1, e.g. [[5, 0.6], [10, 0.4]]")
    rows = []
    ok = isinstance(bands, list | tuple) and len(bands) > 0
    for row in bands if ok else ():
        if not (isinstance(row, list | tuple) and len(row) == 2 and _number(row[0])
                and _number(row[1]) and row[1] >= 0):
            ok = False
            break
        rows.append((float(row[0]), float(row[1])))
    uppers = [r[0] for r in rows]
    if (not ok or uppers[0] <= 0 or any(b <= a for a, b in zip(uppers, uppers[1:], strict=False))
            or abs(sum(r[1] for r in rows) - 1.0) > 1e-9):
        raise SimulationInputError(f"{where}.bands {rule}; got {bands!r}.")
    lowers = [0.0, *uppers[:-1]]
    mean = sum(share * (lo + hi) / 2 for (hi, share), lo in zip(rows, lowers, strict=True))
    return Distribution("bands", mean, bands=tuple(rows)), mean


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
