"""Scenarios: the one package that joins forecasting, staffing and simulation.

For now it holds the ``ccplan`` command line (``scenarios.cli``) and the
readers of its input files; the scenario schema and pipeline arrive with
later issues.
"""

from ._errors import InputFileError, ScenarioError
from ._intervals import parse_target, read_intervals_csv

__all__ = ["InputFileError", "ScenarioError", "parse_target", "read_intervals_csv"]
