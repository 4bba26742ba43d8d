"""``ccplan capacity``: the long-range capacity plan of a scenario file (its ``capacity:`` block).

Registered on the ``ccplan`` app by :mod:`scenarios.cli._app`. Runs
``scenarios.pipeline.run_capacity`` for the base scenario and each variant and
sweep point (``--no-variants``: the base only), writes the tables, the
summary and the report (:func:`scenarios.report.write_capacity_bundle`) and
prints the headline numbers. Exit codes: 0 done; 2 bad input (a file error,
printed as one line naming the file, line and field), or a plan that failed
(the others are written).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from .._errors import ScenarioError
from ._console import fail, fmt, money, progress_bar, stdout_console, warnings_to_stderr
from ._scenario_commands import _finish, _report_failures

if TYPE_CHECKING:
    from ..files import Scenario
    from ..pipeline import CapacityResult, TaskFailure


def _plans(file: Path, variants: bool) -> list[Scenario]:
    """The scenarios of the file that have a ``capacity:`` block (every one is read first)."""
    from ..files import load_scenarios

    try:
        found = load_scenarios(file, variants=variants)
    except (ScenarioError, ValueError) as err:
        fail(str(err))
    plans = [s for s in found if s.capacity is not None]
    if not plans:
        fail(f"{file}: no scenario in it has a capacity: block. Add one (docs/scenarios.md, "
             "'capacity:'), e.g. capacity: {weeks: 52, groups: {team: {channels: [voice], "
             "headcount: 100}}}; ccplan run plans the scenario's own week.")
    for s in found:
        if s.capacity is None:
            typer.echo(f"ccplan: warning: scenario {s.name!r} has no capacity: block; it is "
                       "left out of the capacity plan.", err=True)
    return plans


def _run(plans: Sequence[Scenario]) -> tuple[list[CapacityResult], list[TaskFailure]]:
    """Each plan in turn with a bar per step on stderr; a plan that fails is kept aside."""
    from ..pipeline import TaskFailure, run_capacity

    results: list[CapacityResult] = []
    failures: list[TaskFailure] = []
    progress = progress_bar()
    with progress:
        overall = progress.add_task("capacity plans", total=len(plans))
        for i, scn in enumerate(plans):
            task = progress.add_task(f"{scn.name}: start", total=None)

            def step(name: str, scn: Scenario = scn, task: Any = task) -> None:
                progress.update(task, description=f"{scn.name}: {name}")

            try:
                results.append(run_capacity(scn, progress=step))
            except (ScenarioError, ValueError) as err:
                failures.append(TaskFailure(i, scn.name, str(err), True))
            progress.remove_task(task)
            progress.advance(overall)
    return results, failures


def _first_week(result: CapacityResult) -> str:
    import pandas as pd

    value = result.summary.get("first_week_meeting_target")
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "not reached"
    monday = pd.Timestamp(result.start) + pd.Timedelta(days=7 * int(value))
    return f"week {int(value)} ({monday:%Y-%m-%d})"


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def print_capacity(results: Sequence[CapacityResult], title: str) -> None:
    """The headline numbers of each plan as a table on stdout."""
    from ..compare import solver_text

    out = Table(title=title)
    for col in ("scenario", "annual cost", "hires", "min weekly coverage",
                "first week meeting target", "min P(covered)", "insurance cost", "plan"):
        out.add_column(col, justify="left" if col in ("scenario", "plan",
                                                      "first week meeting target") else "right")
    for r in results:
        s = r.summary
        plan = str(s.get("plan", ""))
        if plan == "optimise" and s.get("status"):
            plan += f" ({solver_text(s['status'], _number(s.get('mip_gap')))})"
        out.add_row(str(r.scenario), f"{money(_number(s.get('annual_cost')))} {r.currency}",
                    fmt(_number(s.get("hires_total")), "int"),
                    fmt(_number(s.get("min_weekly_coverage")), "pct"), _first_week(r),
                    fmt(_number(s.get("min_coverage_probability")), "pct"),
                    money(_number(s.get("insurance_cost"))), plan)
    console = stdout_console(width=200)
    console.print(out)
    basis = {str(r.summary.get("annual_cost_basis")) for r in results} - {"None"}
    if basis:
        console.print(f"annual cost: {'; '.join(sorted(basis))}.")


def capacity_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", show_default=False,
                                         help="Scenario YAML file with a capacity: block.")],
    out: Annotated[Path | None, typer.Option(
        help="Output folder (default: FILE's name + '-capacity' in the current folder); "
        "replaced atomically.", show_default=False)] = None,
    variants: Annotated[bool, typer.Option(
        "--variants/--no-variants",
        help="Plan the variants and sweep points too (default), or the base scenario only.")]
    = True,
) -> None:
    """Plan capacity week by week: required against available FTE, hiring classes, attrition,
    overtime and the year's cost by month.

    Runs the file's capacity: block for the base scenario and each variant and sweep point.
    Writes DIR/weekly (per group and week) and monthly (per month and group) as CSV and
    Parquet, channels.csv, classes.csv (the hiring classes), summary.json (each plan's
    summary, by scenario) and a self-contained capacity.html, then prints the annual cost,
    hires, the lowest weekly coverage and the first week meeting every target.

    Example: ccplan capacity scenarios/examples/vancouver_311_capacity.yaml --out plan/
    """
    from ..report import capacity_report_html, write_capacity_bundle

    started = time.perf_counter()
    with warnings_to_stderr():
        plans = _plans(file, variants)
        results, failures = _run(plans)
    _report_failures(failures)
    if not results:
        _finish(failures)
    folder = out if out is not None else Path(f"{file.stem}-capacity")
    try:
        write_capacity_bundle(results, folder, report_html=capacity_report_html(results))
    except OSError as err:
        reason = str(err).split(". Choose")[0].rstrip(".")
        fail(f"cannot write the capacity folder {folder}: {reason}. Choose another folder "
             "with --out DIR.")
    print_capacity(results, f"{file.name}: {len(results)} capacity plan(s)")
    typer.echo(f"Wrote weekly, monthly, channels and classes tables, summary.json and "
               f"capacity.html to {folder} ({time.perf_counter() - started:.1f} s).")
    _finish(failures)
