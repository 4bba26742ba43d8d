"""Reports: the self-contained HTML reports, every figure (``figures``, used by
the CLI and the dashboard alike), and the results folder written by
``ccplan run`` (``write_bundle``); ``scenario_label`` names a scenario on
charts and pickers; ``calibration_report_html`` is the report of ``ccplan calibrate``;
``capacity_report_html`` and ``write_capacity_bundle`` are the report and the folder of
``ccplan capacity``."""

from . import figures
from ._bundle import BUNDLE_FILES, write_bundle
from ._calibration_report import calibration_report_html
from ._capacity_bundle import write_capacity_bundle
from ._capacity_report import capacity_report_html
from ._charts import backtest_chart_html, forecast_chart_html
from ._html import comparison_report_html, demo_index_html, run_report_html
from ._labels import MAX_LABEL_CHARS, axis_labels, scenario_label
from ._scenario_report import scenario_report_html

__all__ = [
    "BUNDLE_FILES",
    "MAX_LABEL_CHARS",
    "axis_labels",
    "backtest_chart_html",
    "calibration_report_html",
    "capacity_report_html",
    "comparison_report_html",
    "demo_index_html",
    "figures",
    "forecast_chart_html",
    "run_report_html",
    "scenario_label",
    "scenario_report_html",
    "write_bundle",
    "write_capacity_bundle",
]
