"""Every chart of ccplan as a plotly figure, for the dashboard (``scenarios.figures``).

The HTML reports draw the same figures: one frontier chart, one colour
palette and one way of labelling a scenario
(``scenarios.report.scenario_label``, the label its loader gave it). The figures reshape tables the
pipeline produced (``scenarios.pipeline.scenario_forecast``, a ``ScenarioResult``) and
convert units for display only (fractions to percent, seconds to clock
times); they compute no requirement, service level or forecast.

By page of the dashboard:

- Forecast: :func:`forecast_figure`, :func:`demand_figure`,
  :func:`backtest_table`.
- Staffing: :func:`staffing_figure`, :func:`coverage_heatmap`,
  :func:`coverage_summary`, :func:`shifts_timeline`.
- Simulation: :func:`kpi_figure` for each measure of :data:`KPIS`.
- Capacity: :func:`capacity_figure` (required against available FTE, headcount
  stock and flows, overtime, cost by month, expected service level) and
  :func:`capacity_comparison_figure` (cost by month of several plans).
- Compare and Finance: :func:`frontier_figure`, :func:`cost_per_contact_figure`,
  :func:`breakdown_figure`, :func:`budget_figure`; the labels of
  scenarios come from ``scenarios.report.scenario_label``.
"""

from ._capacity_figures import capacity_comparison_figure, capacity_figure
from ._interval_figures import (
    KPIS,
    backtest_table,
    coverage_heatmap,
    coverage_summary,
    demand_figure,
    forecast_figure,
    kpi_figure,
    shifts_timeline,
    staffing_figure,
)
from ._money_figures import (
    breakdown_figure,
    budget_figure,
    cost_per_contact_figure,
    frontier_figure,
)

__all__ = [
    "KPIS",
    "backtest_table",
    "breakdown_figure",
    "budget_figure",
    "capacity_comparison_figure",
    "capacity_figure",
    "cost_per_contact_figure",
    "coverage_heatmap",
    "coverage_summary",
    "demand_figure",
    "forecast_figure",
    "frontier_figure",
    "kpi_figure",
    "shifts_timeline",
    "staffing_figure",
]
