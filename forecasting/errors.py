"""Exceptions raised by :mod:`forecasting`.

The tree::

    ForecastingError                      base of everything raised on purpose here
    ├── HistoryError(ValueError)          the history table is missing a column or holds bad values
    └── NotFittedError(ValueError)        a model was asked to predict before fit()

This module is public: catch a subclass by importing it from here
(``from forecasting.errors import HistoryError``); the base class is also
``forecasting.ForecastingError``.
"""

from __future__ import annotations

__all__ = ["ForecastingError", "HistoryError", "NotFittedError"]


class ForecastingError(Exception):
    """Base class of the errors :mod:`forecasting` raises on purpose."""


class HistoryError(ForecastingError, ValueError):
    """The history breaks its contract (columns, types, duplicates, negative counts)."""


class NotFittedError(ForecastingError, ValueError):
    """A model was used before ``fit``."""
