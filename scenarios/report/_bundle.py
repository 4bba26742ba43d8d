"""The output folder of ``ccplan run``: tidy tables, ``summary.json`` and the HTML report.

Layout of ``DIR``::

    intervals.csv  intervals.parquet     per scenario, channel and interval
    channels.csv   channels.parquet      per scenario and channel
    totals.csv     totals.parquet        per scenario
    cost_breakdown.csv                   per scenario and cost component or use
    shifts.csv                           per scenario and shift (scenarios with shifts)
    summary.json                         ccplan version, file hash, seed, totals per scenario
    report.html                          self-contained (plotly inlined), opens offline

Every table carries the ``scenario`` column (the base, then its variants and
sweep points), so one file holds them all. The CSV files are formula-safe
(:func:`scenarios.files.output.safe_csv_text`); the Parquet files keep the types. The
folder is written beside ``DIR`` under a temporary name
(``.DIR.HOST-PID.XXXXXXXX.tmp``) and renamed into place at the end: a crash
leaves the previous ``DIR`` (or none), never a half-written one. A process
killed meanwhile (``kill -9``) leaves its temporary folder; the next run into
``DIR`` removes it once that process is gone.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..files.output import current_umask, remove_stale_temporaries, safe_csv_text, temporary_prefix
from ..pipeline import ScenarioResult

#: Files written by :func:`write_bundle`.
BUNDLE_FILES = ("intervals.csv", "intervals.parquet", "channels.csv", "channels.parquet",
                "totals.csv", "totals.parquet", "cost_breakdown.csv", "shifts.csv",
                "summary.json", "report.html")


def _concat(results: Sequence[ScenarioResult], name: str) -> pd.DataFrame:
    parts = [getattr(r, name) for r in results]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return getattr(results[0], name).iloc[0:0]
    return pd.concat(parts, ignore_index=True)


def _shifts(results: Sequence[ScenarioResult]) -> pd.DataFrame:
    parts = []
    for r in results:
        if not r.shifts.empty:
            parts.append(r.shifts.assign(scenario=r.name)[["scenario", *r.shifts.columns]])
    if not parts:
        return pd.DataFrame(columns=["scenario", "shift_id", "template", "shift_start",
                                     "duration_s", "headcount"])
    return pd.concat(parts, ignore_index=True)


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    path.write_text(safe_csv_text(table), encoding="utf-8", newline="")


def summary_document(results: Sequence[ScenarioResult], *,
                     outcomes: Sequence[Any] = ()) -> dict[str, Any]:
    """The content of ``summary.json``: one entry per scenario and the check outcomes.

    Parameters
    ----------
    results : sequence of ScenarioResult
        The base scenario first.
    outcomes : sequence, optional
        Expectation outcomes (objects with ``scenario``, ``expectation``,
        ``scope``, ``value``, ``limit``, ``passed``, ``message``).

    Returns
    -------
    dict
        JSON-able.
    """
    first = results[0].summary
    return {
        "ccplan_version": first.get("ccplan_version"),
        "file": first.get("file"),
        "scenario_sha256": first.get("scenario_sha256"),
        "seed": first.get("seed"),
        "scenarios": [r.summary for r in results],
        "checks": [{"scenario": o.scenario, "expectation": o.expectation, "scope": o.scope,
                    "value": None if o.value != o.value else float(o.value),
                    "limit": float(o.limit), "passed": bool(o.passed), "message": o.message}
                   for o in outcomes],
    }


def write_bundle(results: Sequence[ScenarioResult], out_dir: str | Path, *, report_html: str,
                 outcomes: Sequence[Any] = ()) -> Path:
    """Write the tables, ``summary.json`` and ``report.html`` of a run into ``out_dir``.

    Parameters
    ----------
    results : sequence of ScenarioResult
        The base scenario first, then variants and sweep points.
    out_dir : str or pathlib.Path
        The folder; replaced as a whole (atomically) if it exists.
    report_html : str
        The self-contained HTML report.
    outcomes : sequence, optional
        Expectation outcomes for ``summary.json``.

    Returns
    -------
    pathlib.Path
        The folder written.
    """
    def fill(tmp: Path) -> None:
        for name in ("intervals", "channels", "totals"):
            table = _concat(results, name)
            _write_csv(table, tmp / f"{name}.csv")
            table.to_parquet(tmp / f"{name}.parquet", index=False)
        _write_csv(_concat(results, "cost_breakdown"), tmp / "cost_breakdown.csv")
        _write_csv(_shifts(results), tmp / "shifts.csv")
        doc = summary_document(results, outcomes=outcomes)
        (tmp / "summary.json").write_text(json.dumps(doc, indent=2, sort_keys=False,
                                                     allow_nan=False) + "\n", encoding="utf-8")
        (tmp / "report.html").write_text(report_html, encoding="utf-8")

    return replace_folder(out_dir, fill)


def replace_folder(out_dir: str | Path, fill: Callable[[Path], None]) -> Path:
    """Fill a new folder with ``fill(tmp)`` beside ``out_dir``, then rename it into place.

    The folder of ``ccplan run`` and ``ccplan capacity``: a crash leaves the previous
    folder (or none), never a half-written one; see the module docstring.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder. Choose another --out.")
    remove_stale_temporaries(out.parent, out.name)
    tmp = Path(tempfile.mkdtemp(prefix=temporary_prefix(out.name), suffix=".tmp",
                                dir=out.parent))
    try:
        fill(tmp)
        os.chmod(tmp, 0o777 & ~current_umask())
        old = None
        if out.exists():
            # The previous folder steps aside under a name of this process too, so that a
            # kill between the two renames leaves a temporary the next run removes.
            old = out.with_name(f"{temporary_prefix(out.name)}old.tmp")
            if old.exists():
                shutil.rmtree(old)
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
