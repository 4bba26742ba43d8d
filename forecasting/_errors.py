"""Exceptions raised by :mod:`forecasting`.

The tree::

    ForecastingError                      base of everything raised on purpose here
    ├── HistoryError(ValueError)          the history table is missing a column or holds bad values
    └── NotFittedError(ValueError)        a model was asked to predict before fit()
"""

from __future__ import annotations


class ForecastingError(Exception):
    """Base class of the errors :mod:`forecasting` raises on purpose."""


class HistoryError(ForecastingError, ValueError):
    """The history breaks its contract (columns, types, duplicates, negative counts)."""


class NotFittedError(ForecastingError, ValueError):
    """A model was used before ``fit``."""
