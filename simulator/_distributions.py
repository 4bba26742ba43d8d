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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from ._errors import SimulationInputError

_KINDS = ("exponential", "lognormal", "empirical", "none")


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
        if self.kind == "lognormal":
            sigma2 = math.log1p(float(self.cv or 0.0) ** 2)
            return rng.lognormal(math.log(mean_s) - sigma2 / 2.0, math.sqrt(sigma2), n)
        values = cast(np.ndarray, self._values)  # an empirical law has values (checked)
        draws = values[rng.integers(0, values.size, n)]
        return draws * (mean_s / self._values_mean) if rescale else draws


def parse_distribution(where: str, spec, *, patience: bool) -> tuple[Distribution, float]:
    """Check a channel's ``handle_time`` or ``patience`` setting.

    Returns the distribution and, for patience, its mean in seconds (inf for
    none); for handle times the mean comes from the forecast (returned as nan).
    """
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
