"""Exceptions raised by :mod:`staffing`.

The tree::

    StaffingError                       base of everything raised on purpose here
    ├── InvalidParameterError(ValueError)   a bad argument: names it, its value, the rule
    ├── InfeasibleTargetError(ValueError)   a target no staffing up to ``max_agents`` meets
    ├── ContractError(ValueError)           a table lacks a column or breaks its contract
    └── InfeasibleScheduleError(ValueError) shift rules that no schedule can meet

Every message says where (function), which parameter or column, what value,
which rule, and how to fix it.

This module is public: catch a subclass by importing it from here
(``from staffing.errors import InfeasibleTargetError``); the base class is
also ``staffing.StaffingError``.
"""

from __future__ import annotations

__all__ = [
    "ContractError",
    "InfeasibleScheduleError",
    "InfeasibleTargetError",
    "InvalidParameterError",
    "StaffingError",
]


class StaffingError(Exception):
    """Base class of the errors :mod:`staffing` raises on purpose."""


class InvalidParameterError(StaffingError, ValueError):
    """An argument breaks its documented range, type or shape.

    Attributes
    ----------
    interval : int or None
        Position (0-based, in the flattened input) of the first interval at
        fault, when the error is about one interval's values.
    """

    interval: int | None = None


class InfeasibleTargetError(StaffingError, ValueError):
    """A service target cannot be met within the allowed number of agents.

    Attributes
    ----------
    interval : int or None
        Position (0-based, in the flattened input) of the first interval that
        cannot be staffed, when known.
    """

    interval: int | None = None


class ContractError(StaffingError, ValueError):
    """A table handed to :mod:`staffing` breaks its documented contract."""


class InfeasibleScheduleError(StaffingError, ValueError):
    """No schedule meets the shift templates and labour rules together.

    The message says why in planner's terms (which interval, which rule),
    never as a solver status code.
    """
