"""Argument checks shared by the public functions and models of :mod:`forecasting`."""

from __future__ import annotations

import numpy as np

from .errors import HistoryError, NotFittedError

#: Most intervals a forecast may ask for (57 years of 30-minute intervals); more is a typo.
MAX_HORIZON = 1_000_000


def check_count(value, label: str, where: str, unit: str = "") -> int:
    """``value`` as an int when it is a whole number >= 1, else a HistoryError naming it."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise HistoryError(f"{where}: {label} must be a whole number{unit} >= 1, got "
                           f"{value!r}.")
    return int(value)


def check_horizon(horizon, where: str) -> int:
    """``horizon`` as an int: a whole number of intervals from 1 to ``MAX_HORIZON``."""
    horizon = check_count(horizon, "horizon", where, " of intervals")
    if horizon > MAX_HORIZON:
        raise HistoryError(f"{where}: horizon must be at most {MAX_HORIZON:,} intervals, got "
                           f"{horizon:,}. E.g. 336 for one week of 30-minute intervals.")
    return horizon


def check_predict(model, horizon) -> int:
    """The checks every ``predict(horizon)`` makes: fitted, and a horizon of whole intervals."""
    where = f"{type(model).__name__}.predict()"
    if not hasattr(model, "channels_"):
        raise NotFittedError(f"{where}: fit the model first, e.g. "
                             "model.fit(history).predict(96).")
    return check_horizon(horizon, where)
