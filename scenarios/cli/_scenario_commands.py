"""``ccplan run``, ``compare``, ``check``, ``schema`` and ``demo``: scenario files in the CLI.

Registered on the ``ccplan`` app by :mod:`scenarios.cli`. Exit codes: 0 all
good; 1 an expectation failed (``check``, ``demo``); 2 bad input (a file
error, printed as one line naming the file, line and field). The pipeline,
the reports and the scenario model are imported by the commands that use
them, so that ``ccplan --help`` and the engine commands start without them.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from .._errors import ScenarioError
from ._console import fail, fmt, money, number, progress_bar, stdout_console, warnings_to_stderr

if TYPE_CHECKING:
    from ..compare import CheckOutcome
    from ..files import Scenario
    from ..pipeline import ScenarioResult, TaskFailure


def run_files(files: Sequence[Path], *, quiet: bool = False, workers: int | None = 1,
              dask: str | None = None) -> tuple[list[ScenarioResult], list[TaskFailure]]:
    """Load every scenario (base, variants, sweep points) of the files; run them with progress.

    Every file is read (and checked) before anything runs. ``workers=1``
    runs here with a bar per stage and replication; more workers or ``dask``
    run the scenarios in parallel (:func:`run_many`) with one bar over them.
    A scenario that fails is reported and the others are kept; the results
    come back in file order.
    """
    from ..files import load_scenarios
    from ..pipeline import TaskFailure, default_workers, run_many, run_scenario

    scenarios: list[Scenario] = []
    for f in files:
        scenarios.extend(load_scenarios(f))
    progress = progress_bar(disable=quiet)
    if workers is None:
        workers = default_workers()
    with progress:
        overall = progress.add_task("scenarios", total=len(scenarios))
        if workers > 1 or dask is not None:
            where = (f"Dask {dask}" if dask is not None
                     else f"{min(workers, len(scenarios))} processes")
            progress.update(overall, description=f"scenarios ({where})")
            found, failures = run_many(
                scenarios, workers=workers, dask=dask,
                on_done=lambda done, total: progress.update(overall, completed=done))
            return [r for r in found if r is not None], failures
        results: list[ScenarioResult] = []
        failures = []
        for i, scn in enumerate(scenarios):
            stage = progress.add_task(f"{scn.name}: start", total=max(scn.n_replications, 1))

            def on_stage(name: str, scn: Scenario = scn, stage: Any = stage) -> None:
                progress.update(stage, description=f"{scn.name}: {name}", completed=0)

            def on_rep(done: int, stage: Any = stage) -> None:
                progress.update(stage, completed=done)

            try:
                results.append(run_scenario(scn, on_stage=on_stage, on_replication=on_rep))
            except (ScenarioError, ValueError) as err:
                failures.append(TaskFailure(i, scn.name, str(err), True))
            progress.remove_task(stage)
            progress.advance(overall)
    return results, failures


def _report_failures(failures: Sequence[TaskFailure]) -> None:
    for f in failures:
        typer.echo(f"ccplan: error: scenario {f.scenario!r} failed: {f.message}", err=True)


def _report_time_limits(results: Sequence[ScenarioResult]) -> None:
    """One visible line per scenario whose schedule solve was cut by the safety net."""
    from ..compare import schedule_time_limit

    for r in results:
        cut = schedule_time_limit(r)
        if cut is None:
            continue
        gap = "unknown" if cut["gap"] != cut["gap"] else f"{100 * cut['gap']:.2f}%"
        typer.secho(f"ccplan: warning: {r.name}: the schedule solver stopped at its time limit "
                    f"({cut['time_limit_s']:g} s, a safety net) with gap {gap} (asked "
                    f"{100 * cut['asked']:.2f}%): this plan depends on the machine's speed and "
                    "load. Raise shifts.rules.time_limit_s or lower shifts.rules.max_nodes.",
                    err=True, fg="yellow", bold=True)


def _run_reported(files: Sequence[Path], workers: int | None, dask: str | None
                  ) -> tuple[list[ScenarioResult], list[TaskFailure]]:
    """Run the scenario files for a command: bad input is the one-line error (exit 2); each
    failed scenario and each schedule cut by the time limit gets its line."""
    with warnings_to_stderr():
        try:
            results, failures = run_files(files, workers=workers, dask=dask)
        except (ScenarioError, ValueError) as err:
            fail(str(err))
    _report_failures(failures)
    _report_time_limits(results)
    return results, failures


def _finish(failures: Sequence[TaskFailure]) -> None:
    """Exit 2 when a scenario failed (after the others' results were written)."""
    if failures:
        typer.echo(f"ccplan: {len(failures)} scenario(s) failed; the others' results were "
                   "kept.", err=True)
        raise typer.Exit(code=2)


Workers = Annotated[int | None, typer.Option(
    help="Scenarios run in parallel on this many local processes (default: the number of "
    "cores; 1 runs them one after the other here).", show_default=False)]
DaskAddress = Annotated[str | None, typer.Option(
    "--dask", help="Run on a Dask cluster: a scheduler address (tcp://HOST:PORT) or 'local' "
    "for a LocalCluster (" + escape('pip install "ccplan[dask]"') + ").", show_default=False)]


def print_comparison(results: Sequence[ScenarioResult], title: str) -> None:
    from ..compare import comparison_table, solver_text

    table = comparison_table(results)
    console = stdout_console(width=200)
    out = Table(title=title)
    # Money carries its currency: in the header when every scenario has the same, else per cell.
    currencies = list(dict.fromkeys(table["currency"].astype(str)))
    head = f" {currencies[0]}" if len(currencies) == 1 else ""
    for col, justify in (("scenario", "left"), (f"cost{head}", "right"),
                         (f"cost/contact{head}", "right"), (f"cost/handled{head}", "right"),
                         ("service level", "right"), ("ASA s", "right"), ("abandon", "right"),
                         ("occupancy", "right"), ("FTE", "right"), ("paid hours", "right"),
                         ("schedule", "left")):
        out.add_column(col, justify=justify)  # type: ignore[arg-type]
    groups = list(dict.fromkeys(table["comparison_group"].astype(str)))
    if len(groups) > 1:
        out.add_column("compared within", justify="left")
    for _, row in table.iterrows():
        status, gap = row["schedule_status"], row["schedule_gap"]
        schedule = "-" if not status else solver_text(status, gap)
        unit = "" if head else f" {row['currency']}"
        cells = [str(row["scenario"]) + (" *" if row.get("is_efficient") else ""),
                 money(row["cost"]) + unit, money(row["cost_per_contact"]) + unit,
                 money(row["cost_per_handled"]) + unit,
                 fmt(row["service_level"], "pct"), number(row["asa_s"]),
                 fmt(row["abandon_rate"], "pct"), fmt(row["occupancy"], "pct"),
                 number(row["fte"]), number(row["paid_hours"], 0),
                 schedule]
        if len(groups) > 1:
            cells.append(str(row["comparison_group"]))
        out.add_row(*cells)
    console.print(out)
    for group in groups:
        basis = table.loc[table["comparison_group"].astype(str) == group,
                          "frontier_basis"].iloc[0]
        judged = ("total cost (every scenario offers the same volume)" if basis == "cost"
                  else "cost per handled contact (the volumes offered differ)")
        where = f" among {group}" if len(groups) > 1 else ""
        console.print(f"* on the efficient frontier{where}: no other scenario is cheaper with at "
                      f"least the same service level, judged on {judged}.")
    if table["schedule_status"].astype(bool).any():
        console.print("schedule: the shift solver's status and certified gap (TIME LIMIT: cut "
                      "by its safety net, the plan depends on the machine).")


def _print_outcomes(outcomes: Sequence[CheckOutcome]) -> None:
    for o in outcomes:
        mark = "PASS" if o.passed else "FAIL"
        typer.echo(f"{mark}  {o.message}")


def run_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", show_default=False,
                                         help="Scenario YAML file.")],
    out: Annotated[Path | None, typer.Option(
        help="Output folder (default: FILE's name + '-results' in the current folder); "
        "replaced atomically.", show_default=False)] = None,
    workers: Workers = None,
    dask: DaskAddress = None,
) -> None:
    """Run a scenario and its variants and sweep points: forecast, requirements, schedule,
    simulation and cost.

    Writes DIR/intervals, channels and totals (CSV and Parquet), cost_breakdown.csv,
    shifts.csv, summary.json (ccplan version, the file's SHA-256, the seed) and a
    self-contained report.html, then prints the comparison table.

    Example: ccplan run scenarios/examples/retail_bank.yaml --out bank/
    """
    from ..compare import check_expectations
    from ..report import run_report_html, write_bundle

    started = time.perf_counter()
    results, failures = _run_reported([file], workers, dask)
    if not results:
        _finish(failures)
    outcomes = [o for r in results for o in check_expectations(r)]
    folder = out if out is not None else Path(f"{file.stem}-results")
    html = run_report_html(results, outcomes=outcomes)
    write_bundle(results, folder, report_html=html, outcomes=outcomes)
    print_comparison(results, f"{file.name}: {len(results)} scenario(s)")
    typer.echo(f"Wrote the tables, summary.json and report.html to {folder} "
               f"({time.perf_counter() - started:.1f} s).")
    _finish(failures)


def compare_command(
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", show_default=False,
                                                help="Scenario YAML files (or folders).")],
    out: Annotated[Path, typer.Option(
        help="Folder for comparison.csv and comparison.html (written atomically).")]
    = Path("comparison"),
    workers: Workers = None,
    dask: DaskAddress = None,
) -> None:
    """Compare scenarios (with their variants and sweep points) on cost and service level.

    Prints cost, cost per contact, service level, ASA, abandonment, occupancy, FTE and paid
    hours per scenario, and writes comparison.csv and comparison.html (cost against
    service level, with the efficient frontier).

    Example: ccplan compare scenarios/examples/retail_bank.yaml scenarios/examples/blended.yaml
    """
    from ..compare import comparison_table
    from ..files import scenario_files
    from ..files.output import write_csv_atomic, write_text_atomic
    from ..report import comparison_report_html

    try:
        found = scenario_files(files)
    except ScenarioError as err:
        fail(str(err))
    results, failures = _run_reported(found, workers, dask)
    if not results:
        _finish(failures)
    table = comparison_table(results)
    write_csv_atomic(table, out / "comparison.csv")
    write_text_atomic(comparison_report_html(results), out / "comparison.html")
    print_comparison(results, f"{len(results)} scenario(s)")
    typer.echo(f"Wrote comparison.csv and comparison.html to {out}.")
    _finish(failures)


def check_command(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", show_default=False,
                                                help="Scenario files or folders.")],
    junit: Annotated[Path | None, typer.Option(
        help="Also write the outcomes as JUnit XML (for CI test reports).",
        show_default=False)] = None,
    workers: Workers = None,
    dask: DaskAddress = None,
) -> None:
    """Run every scenario's expect: block; exit 1 when any expectation fails.

    Prints each expectation with its value and limit. Files whose name starts with '_' are
    bases for extends and are not run on their own. Exit codes: 0 all pass, 1 an
    expectation failed, 2 bad input.

    Example: ccplan check scenarios/examples --junit ccplan-check.xml
    """
    from ..compare import check_expectations, junit_xml
    from ..files import scenario_files
    from ..files.output import write_text_atomic

    try:
        files = scenario_files(paths)
    except ScenarioError as err:
        fail(str(err))
    results, failures = _run_reported(files, workers, dask)
    outcomes = [o for r in results for o in check_expectations(r)]
    _print_outcomes(outcomes)
    if junit is not None:
        write_text_atomic(junit_xml(outcomes), junit)
    failed = [o for o in outcomes if not o.passed]
    without = [r.name for r in results if not r.expectations]
    typer.echo(f"{len(outcomes) - len(failed)} of {len(outcomes)} expectation(s) passed in "
               f"{len(results)} scenario(s) from {len(files)} file(s)"
               + (f"; {len(without)} scenario(s) have no expect: block" if without else "")
               + ".")
    _finish(failures)
    if failed:
        raise typer.Exit(code=1)


def schema_command() -> None:
    """Print the JSON Schema of scenario files (point your editor's YAML plugin at it).

    Example: ccplan schema > ccplan-scenario.schema.json
    """
    from ..files import scenario_json_schema

    typer.echo(json.dumps(scenario_json_schema(), indent=2))


def _leading_comment(path: Path) -> str:
    """The comment block at the top of a scenario file, as one line (its 'Run:' line left out)."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if not text.startswith("Run:"):
            lines.append(text)
    return " ".join(t for t in lines if t)


def demo_command(
    out: Annotated[Path, typer.Option(
        help="Folder for the report: report.html (the index) and one folder per example "
        "with its report and tables; each replaced atomically.")] = Path("ccplan-demo"),
) -> None:
    """Run the bundled example scenarios end to end, print the comparison and the checks, and
    write a report folder.

    Writes DIR/report.html (every example's key figures and checks, with links) and one
    folder per example (its report.html, tables and summary.json), then prints the path of
    DIR/report.html. Exit codes: 0 all checks pass, 1 an expectation failed, 2 an error.

    Example: ccplan demo --out /tmp/ccplan-demo
    """
    from ..compare import check_expectations
    from ..files import EXAMPLES_DIR, load_scenarios, scenario_files
    from ..files.output import write_text_atomic
    from ..report import demo_index_html, run_report_html, write_bundle

    started = time.perf_counter()
    with warnings_to_stderr():
        try:
            files = scenario_files([EXAMPLES_DIR])
            for f in files:
                load_scenarios(f)   # every file checked before anything runs
            per_file = []
            for f in files:
                found, failures = run_files([f])
                _report_failures(failures)
                _report_time_limits(found)
                if failures:
                    _finish(failures)
                per_file.append((f, found))
        except (ScenarioError, ValueError) as err:
            fail(str(err))
            return
    results = [r for _f, rs in per_file for r in rs]
    outcomes = [o for r in results for o in check_expectations(r)]
    index = out / "report.html"
    try:
        if out.exists() and not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a folder")
        for f, rs in per_file:
            mine = [o for o in outcomes if any(o.scenario == r.name for r in rs)]
            write_bundle(rs, out / f.stem, report_html=run_report_html(rs, outcomes=mine),
                         outcomes=mine)
        examples = [(f.stem, f.name, _leading_comment(f), rs) for f, rs in per_file]
        write_text_atomic(demo_index_html(examples, outcomes=outcomes), index)
    except OSError as err:
        reason = str(err).split(". Choose")[0].rstrip(".")
        fail(f"cannot write the demo's report folder {out}: {reason}. Choose another folder "
              "with --out DIR.")
        return
    for f, rs in per_file:
        print_comparison(rs, f"{f.name}: {len(rs)} scenario(s)")
    failed = [o for o in outcomes if not o.passed]
    typer.echo(f"Checks: {len(outcomes) - len(failed)} of {len(outcomes)} expectation(s) "
               f"passed. ({time.perf_counter() - started:.1f} s)")
    for o in failed:
        typer.echo(f"FAIL  {o.message}")
    typer.echo(f"Wrote one folder per example (report.html, tables, summary.json) under {out}.")
    typer.echo(f"Open the report: {index.resolve()}")
    if failed:
        raise typer.Exit(code=1)


def dashboard_command(
    path: Annotated[Path | None, typer.Argument(
        metavar="PATH", show_default=False,
        help="A folder of scenario files (or one file) to offer besides the bundled "
        "examples.")] = None,
    host: Annotated[str, typer.Option(
        help="Address the web server listens on: 127.0.0.1 serves this computer only; "
        "0.0.0.0 shares it on the network, with no login: only on a trusted network or "
        "behind a reverse proxy (docs/dashboard.md).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port of the web server.")] = 8501,
) -> None:
    """Start the dashboard (Streamlit) on the bundled examples and, if given, PATH's scenarios.

    Opens http://127.0.0.1:PORT (this computer only; --host 0.0.0.0 shares it on the
    network, see docs/dashboard.md); stop it with Ctrl+C.

    Example: ccplan dashboard my-scenarios/
    """
    import importlib.util
    import subprocess

    if path is not None and not path.exists():
        fail(f"{path}: no such file or folder. Give a folder of scenario YAML files, or "
              "leave PATH out for the bundled examples.")
    if not 1 <= port <= 65535:
        fail(f"--port must be a port number from 1 to 65535, got {port}. E.g. --port 8501.")
    spec = importlib.util.find_spec("dashboard")
    if spec is None or spec.origin is None:
        fail("the dashboard package is not installed. Reinstall ccplan: pip install -e .")
        return
    command = dashboard_server_command(Path(spec.origin).parent / "app.py", host=host,
                                       port=port, path=path)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Starting the dashboard on http://{shown}:{port} (Ctrl+C stops it).")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"ccplan: warning: --host {host} serves the dashboard to other computers, "
                   "with no login: use it only on a trusted network or behind a reverse "
                   "proxy.", err=True)
    raise typer.Exit(code=subprocess.call(command))


def dashboard_server_command(app: Path, *, host: str, port: int,
                             path: Path | None) -> list[str]:
    """The ``streamlit run`` command line of ``ccplan dashboard``.

    Parameters
    ----------
    app : pathlib.Path
        The dashboard's ``app.py``.
    host : str
        Address the server listens on (``--server.address``), e.g. 127.0.0.1.
    port : int
        Port of the server (``--server.port``).
    path : pathlib.Path or None
        Scenario folder or file handed to the app after ``--``.

    Returns
    -------
    list of str
        The command, starting with this Python interpreter.
    """
    command = [sys.executable, "-m", "streamlit", "run", str(app),
               "--server.address", host, "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer"]
    if path is not None:
        command += ["--", str(path.resolve())]
    return command
