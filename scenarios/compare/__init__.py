"""Judging results: the comparison table and efficient frontier across
scenarios, the differences between them (cost per incremental contact), and
the ``expect:`` checks (with JUnit XML for CI)."""

from ._expect import CheckOutcome, check_expectations, junit_xml, schedule_time_limit
from ._table import (
    comparison_table,
    cost_per_incremental_contact,
    deltas,
    pareto_efficient,
    solver_text,
)

__all__ = [
    "CheckOutcome",
    "check_expectations",
    "comparison_table",
    "cost_per_incremental_contact",
    "deltas",
    "junit_xml",
    "pareto_efficient",
    "schedule_time_limit",
    "solver_text",
]
