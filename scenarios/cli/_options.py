"""The options of the ``ccplan`` commands that take the files' units: durations and targets.

A duration option has the name of the files' field (``--aht``, ``--interval``,
``--patience``) and, as a second name, the seconds form the commands always had
(``--aht-s``); both take what a file takes: ``3m``, ``90s``, ``1.5h`` or a
number of seconds (:func:`scenarios.files.units.parse_duration`). ``--target``
takes ``"80% in 20s"`` or ``80/20`` (:func:`scenarios.files.units.parse_target`).
One grammar, one owner: the files layer. A bad value is the one-line error
(exit 2) naming the option, the value and an example.
"""

from __future__ import annotations

from typing import Any

import typer

from .._errors import InputFileError
from ..files.units import parse_duration, parse_target
from ._console import fail

#: What ``--target`` takes, for help texts.
TARGET_HELP = ("Service-level target as the files write it, e.g. \"80% in 20s\" or "
               "PERCENT/SECONDS as 80/20.")


def duration_option(name: str, *, help: str, seconds_name: bool = True,
                    show_default: bool = True) -> Any:
    """A typer option ``NAME`` (and ``NAME-s``) taking a duration; the value in seconds.

    Parameters
    ----------
    name : str
        The option as the files name the field, e.g. ``--aht``.
    help : str
        The help text (what the duration is; the accepted forms are added).
    seconds_name : bool
        Also accept ``NAME-s`` (``--aht-s``), the name the option had when it
        took seconds only.
    show_default : bool
        Show the default (seconds) in the help.

    Returns
    -------
    typer.models.OptionInfo
        For ``Annotated[float, duration_option(...)]``.
    """
    seconds = f" or {name}-s 180 in seconds" if seconds_name else " or 180 in seconds"

    def parse(value: Any) -> float:
        text = str(value).strip()
        try:
            return parse_duration(text)
        except ValueError as err:
            fail(f"{name} {text!r} {err}. E.g. {name} 3m{seconds}.")

    names = (name, f"{name}-s") if seconds_name else (name,)
    return typer.Option(*names, parser=parse, metavar="DURATION",
                        help=f"{help} A duration: 3m, 90s, 1.5h or seconds.",
                        show_default=show_default)


def target_option(text: str) -> tuple[float, float]:
    """The value of ``--target`` as (service level 0-1, answer within seconds).

    Parameters
    ----------
    text : str
        ``"80% in 20s"``, ``"80% within 1m"`` or ``"80/20"``.

    Returns
    -------
    tuple of (float, float)
        The service level as a fraction in (0, 1) and the threshold in seconds.

    Raises
    ------
    InputFileError
        The message names ``--target``, the value, the rule and an example.
    """
    try:
        return parse_target(text)
    except ValueError as err:
        raise InputFileError(f"--target {text!r} {err}. E.g. --target \"80% in 20s\" or "
                             "--target 80/20 (PERCENT/SECONDS).") from None
