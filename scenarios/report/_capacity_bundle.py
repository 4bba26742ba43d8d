"""The output folder of ``ccplan capacity``: the plan's tables, ``summary.json`` and the report.

Layout of ``DIR``::

    weekly.csv    weekly.parquet     per scenario, agent group and week
    channels.csv                     per scenario, channel and week
    monthly.csv   monthly.parquet    per scenario, month and group (and group "all")
    classes.csv                      per scenario and hiring class
    summary.json                     each plan's summary, by scenario
    capacity.html                    the report, self-contained (plotly inlined)

Every table carries the ``scenario`` column first (the base, then its variants
and sweep points), so one file holds them all; the other columns are those of
``CapacityResult`` (``scenarios.pipeline.contracts``). CSV files are
formula-safe, Parquet keeps the types, and the folder is replaced as a whole
(written beside ``DIR`` and renamed into place, as ``ccplan run``'s).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..files.output import safe_csv_text
from ..pipeline import CapacityResult
from ._bundle import replace_folder


def _tagged(results: Sequence[CapacityResult], name: str) -> pd.DataFrame:
    """The ``name`` tables of every plan, one after the other, ``scenario`` first."""
    parts = [getattr(r, name).assign(scenario=str(r.scenario)) for r in results]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return table[["scenario", *[c for c in table.columns if c != "scenario"]]]


def _jsonable(value: Any) -> Any:
    """A summary value as JSON: NaN and missing as null, numpy numbers as numbers, dates as
    ISO text, mappings and sequences element by element."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(float(value)) else None
    if value is None or value is pd.NaT:
        return None
    return value if isinstance(value, str) else str(value)


def capacity_summary_document(results: Sequence[CapacityResult]) -> dict[str, Any]:
    """The content of ``summary.json``: one entry per plan, its scenario named.

    Parameters
    ----------
    results : sequence of CapacityResult
        The plans, the base first.

    Returns
    -------
    dict
        JSON-able: ``{"scenarios": [{"scenario", "currency", "start", "n_weeks",
        ...the plan's summary}]}``; NaN is ``null``.
    """
    return {"scenarios": [
        _jsonable({"scenario": str(r.scenario), "currency": str(r.currency),
                   "start": pd.Timestamp(r.start), "n_weeks": int(r.n_weeks),
                   **{k: v for k, v in r.summary.items()
                      if k not in ("scenario", "currency", "start", "n_weeks")}})
        for r in results]}


def write_capacity_bundle(results: Sequence[CapacityResult], out_dir: str | Path, *,
                          report_html: str) -> Path:
    """Write the tables, ``summary.json`` and ``capacity.html`` of capacity plans into a folder.

    Parameters
    ----------
    results : sequence of CapacityResult
        The plans (``scenarios.pipeline.run_capacity``), the base first.
    out_dir : str or pathlib.Path
        The folder; replaced as a whole (atomically) if it exists.
    report_html : str
        The report (:func:`scenarios.report.capacity_report_html`).

    Returns
    -------
    pathlib.Path
        The folder written; its files are listed in the module docstring.

    Raises
    ------
    ValueError
        No plan given.
    FileExistsError
        ``out_dir`` is a file.
    """
    if not results:
        raise ValueError("write_capacity_bundle(): no capacity plan given; nothing to write.")

    def fill(tmp: Path) -> None:
        for name, parquet in (("weekly", True), ("channels", False), ("monthly", True),
                              ("classes", False)):
            table = _tagged(results, name)
            (tmp / f"{name}.csv").write_text(safe_csv_text(table), encoding="utf-8",
                                             newline="")
            if parquet:
                table.to_parquet(tmp / f"{name}.parquet", index=False)
        doc = capacity_summary_document(results)
        (tmp / "summary.json").write_text(json.dumps(doc, indent=2, allow_nan=False) + "\n",
                                          encoding="utf-8")
        (tmp / "capacity.html").write_text(report_html, encoding="utf-8")

    return replace_folder(out_dir, fill)
