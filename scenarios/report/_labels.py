"""The one way a scenario is labelled on a chart or a picker: from its overrides.

A sweep point's label is built from its overrides (the fields it sets and their
values: ``{"channels.voice.aht": 240, "pay.hourly_rates.agent": 19}`` reads
``aht=240, agent=19``), never parsed back out of its name; a variant is
labelled by its own name, the base scenario by the file's scenario name.
``overrides`` is ``Scenario.overrides`` (``ScenarioResult.summary["overrides"]``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from ..files._scenario import _value_label

#: Longest label drawn on a chart before it is cut with an ellipsis (the hover has it whole).
MAX_LABEL_CHARS = 28


def _fields_text(overrides: Mapping[str, Any], *, whole_keys: bool) -> str:
    return ", ".join(f"{key if whole_keys else str(key).rsplit('.', 1)[-1]}={_value_label(value)}"
                     for key, value in overrides.items())


def scenario_label(name: str, overrides: Mapping[str, Any], *, short: bool = True) -> str:
    """The label that tells a scenario apart from the others of its file.

    Parameters
    ----------
    name : str
        The scenario's name (``Scenario.name``): ``"base"``, ``"base / variant"``
        or ``"base / field=value, ..."`` for a sweep point.
    overrides : mapping
        The scenario's overrides (``Scenario.overrides``, or
        ``ScenarioResult.summary["overrides"]``): empty for the base, the
        variant's fields, or the sweep point's dotted field paths and values.
    short : bool, default True
        True: only the part that differs (a sweep point's fields with each
        path cut to its last key, the variant's name), cut with an ellipsis
        past :data:`MAX_LABEL_CHARS`; for charts. False: the whole name with a
        sweep point's field paths cut to their last key; for pickers and tables.

    Returns
    -------
    str
        Plain text (escape it before plotly draws it).

    Examples
    --------
    >>> point = {"channels.voice.aht": 240.0, "pay.hourly_rates.agent": 19}
    >>> scenario_label("bank / channels.voice.aht=240, pay.hourly_rates.agent=19", point)
    'aht=240, agent=19'
    >>> scenario_label("bank / channels.voice.aht=240, pay.hourly_rates.agent=19", point,
    ...                short=False)
    'bank / aht=240, agent=19'
    >>> scenario_label("bank / 24x7", {"hours": "24x7"})
    '24x7'
    >>> scenario_label("bank", {})
    'bank'
    """
    point = " / " + _fields_text(overrides, whole_keys=True)
    if overrides and name.endswith(point):
        # A sweep point (the loader names it "<base> / <its fields>"): fields from the overrides.
        fields = _fields_text(overrides, whole_keys=False)
        text = fields if short else f"{name[:-len(point)]} / {fields}"
    elif short and overrides and " / " in name:
        text = name.split(" / ", 1)[1]                 # a variant: the name it has in the file
    else:
        text = name
    if not short:
        return text
    return text if len(text) <= MAX_LABEL_CHARS else text[:MAX_LABEL_CHARS - 1] + "…"


def axis_labels(names: Sequence[str], overrides: Sequence[Mapping[str, Any]]) -> list[str]:
    """Short labels (:func:`scenario_label`, escaped) when they stay distinct, else the whole
    names (escaped).

    Parameters
    ----------
    names : sequence of str
        The scenarios' names.
    overrides : sequence of mapping
        Their overrides, in the same order.

    Returns
    -------
    list of str
        One HTML-escaped label per name.

    Examples
    --------
    >>> axis_labels(["a / v=1", "b / v=1"], [{"v": 1}, {"v": 1}])
    ['a / v=1', 'b / v=1']
    """
    short = [html.escape(scenario_label(str(n), o)) for n, o in zip(names, overrides, strict=True)]
    return short if len(set(short)) == len(short) else [html.escape(str(n)) for n in names]
