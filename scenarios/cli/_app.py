"""The ``ccplan`` command line: the app, and every command registered on it.

The commands live by family: :mod:`._engine_commands` (erlang, simulate,
schedule, cost), :mod:`._forecast_commands` (forecast, forecast backtest),
:mod:`._calibrate_command` (calibrate), :mod:`._capacity_command` (capacity) and
:mod:`._scenario_commands` (run, compare, check, schema, demo, dashboard);
what they print with (one-line errors with exit code 2, warnings, progress)
is :mod:`._console`.
"""

from __future__ import annotations

import inspect
import sys
from typing import Annotated

import typer

from ._calibrate_command import calibrate_command
from ._capacity_command import capacity_command
from ._console import Command, Group
from ._engine_commands import cost, erlang, schedule, simulate
from ._forecast_commands import backtest_command, forecast_app, forecast_command
from ._scenario_commands import (
    check_command,
    compare_command,
    dashboard_command,
    demo_command,
    run_command,
    schema_command,
)

app = typer.Typer(
    name="ccplan",
    cls=Group,
    help="Contact-centre workforce planning: forecast, Erlang staffing, shift scheduling, "
    "simulation and cost, from scenario files (start with: ccplan demo).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"ccplan {version('ccplan')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version_callback,
                                          is_eager=True, help="Print the version.")] = False,
) -> None:
    """ccplan: contact-centre workforce planning and simulation."""


def _reflow(doc: str | None) -> str:
    """A docstring as command help: one line per paragraph (typer keeps single line breaks)."""
    return "\n\n".join(" ".join(part.split()) for part in inspect.cleandoc(doc or "").split("\n\n"))


# Registered in the order `ccplan --help` lists them.
app.command(cls=Command)(erlang)
app.command(cls=Command)(simulate)
app.add_typer(forecast_app, name="forecast")
app.command(cls=Command)(schedule)
app.command(cls=Command)(cost)
forecast_app.callback(invoke_without_command=True, cls=Group,
                      help=_reflow(forecast_command.__doc__))(forecast_command)
forecast_app.command("backtest", cls=Command,
                     help=_reflow(backtest_command.__doc__))(backtest_command)
app.command("calibrate", cls=Command,
            help=_reflow(calibrate_command.__doc__))(calibrate_command)
for _name, _command in (("run", run_command), ("compare", compare_command),
                        ("check", check_command), ("capacity", capacity_command),
                        ("schema", schema_command),
                        ("demo", demo_command), ("dashboard", dashboard_command)):
    app.command(_name, cls=Command, help=_reflow(_command.__doc__))(_command)


def main() -> None:
    """Entry point of the ``ccplan`` console script."""
    try:
        app()
    except KeyboardInterrupt:  # pragma: no cover - interactive
        sys.exit(130)

