"""Exceptions raised by :mod:`simulator`.

The tree::

    SimulatorError                          base of everything raised on purpose here
    └── SimulationInputError(ValueError)    a bad argument: names it, its value and the rule
"""

from __future__ import annotations


class SimulatorError(Exception):
    """Base class of the errors :mod:`simulator` raises on purpose."""


class SimulationInputError(SimulatorError, ValueError):
    """An argument of a simulation breaks its documented range or type."""
