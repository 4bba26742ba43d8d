"""What every ``ccplan`` command prints with: the one-line error and its exit code 2, warnings
as ``ccplan: warning:`` lines, progress bars, number formats for tables, and the command
classes whose help shows no type after a flag.

Expected errors (bad input, bad files, unreachable targets) print one line to
stderr and exit with code 2 (:func:`fail`). Unexpected errors keep their
traceback (exit 1). Tables go to stdout; progress, warnings and errors to stderr.
"""

from __future__ import annotations

import contextlib
import math
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import typer
import typer.core
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def _untyped_flags(params: list[Any]) -> list[Any]:
    """Flags (``--json``, ``--help``) take no value: their help shows no type (typer 0.29
    prints ``<bool>`` there, which reads as a value to give)."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class Command(typer.core.TyperCommand):
    """A ``ccplan`` command: its help shows no type after a flag."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _untyped_flags(super().get_params(ctx))


class Group(typer.core.TyperGroup):
    """A ``ccplan`` command group: its help shows no type after a flag."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _untyped_flags(super().get_params(ctx))


def fail(message: str) -> NoReturn:
    """Print ``ccplan: error: <message>`` to stderr and exit with code 2 (bad input)."""
    typer.echo(f"ccplan: error: {message}", err=True)
    raise typer.Exit(code=2)


@contextlib.contextmanager
def writable(path: Path) -> Iterator[None]:
    """A write that fails (a folder where a file goes, no permission, no such parent) as
    the one-line error, not a raw OSError."""
    try:
        yield
    except OSError as err:
        fail(f"cannot write {path}: {err.strerror or err}. Give a path in a folder you can "
             "write to.")


@contextlib.contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Show each warning raised inside once, as one ``ccplan: warning:`` line (no source lines).

    Every warning is recorded (also one already shown earlier in the process);
    a warning that is not a ``UserWarning`` is prefixed with its category.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            seen = set()
            for item in caught:
                text = str(item.message)
                if item.category is not UserWarning:
                    text = f"{item.category.__name__}: {text}"
                if text not in seen:
                    seen.add(text)
                    typer.echo(f"ccplan: warning: {text}", err=True)


def stdout_console(width: int = 160) -> Console:
    """The console tables print to: the terminal's width, or ``width`` characters when piped
    (rather than the 80-column default)."""
    return Console() if sys.stdout.isatty() else Console(width=width)


def progress_bar(*, disable: bool = False) -> Progress:
    """The bar long commands show on stderr: label, bar, done of total, elapsed; gone after."""
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True),
                    transient=True, disable=disable)


def fmt(value: float | None, kind: str) -> str:
    """A table cell: ``pct`` (fraction as 12.3%), ``s`` (seconds, one decimal), ``int``,
    ``ratio`` (two decimals), else four significant digits; ``-`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if math.isinf(value):
        return "inf"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind == "s":
        return f"{value:.1f}"
    if kind == "int":
        return f"{int(value)}"
    if kind == "ratio":
        return f"{value:.2f}"
    return f"{value:.4g}"


def money(value: float | None) -> str:
    """Money with two decimals and thousands separators; ``-`` when missing or not finite."""
    if value is None or not math.isfinite(float(value)):
        return "-"
    return f"{value:,.2f}"


def number(value: float | None, digits: int = 1) -> str:
    """A count or measure with thousands separators; ``-`` when missing."""
    if value is None or math.isnan(float(value)):
        return "-"
    return f"{value:,.{digits}f}"
