"""Exceptions raised by :mod:`scenarios`.

The tree::

    ScenarioError                    base of everything raised on purpose here
    └── InputFileError(ValueError)   a file or command-line value is missing or malformed

Messages name the file, row or option, the value, and the fix.
"""

from __future__ import annotations


class ScenarioError(Exception):
    """Base class of the errors :mod:`scenarios` raises on purpose."""


class InputFileError(ScenarioError, ValueError):
    """An input file or command-line value is missing or malformed."""
