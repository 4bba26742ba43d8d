"""The one way a scenario is labelled on a chart or a picker: the label its loader gave it.

The loader words each scenario's labels as data (``Scenario.label`` and
``Scenario.long_label``, carried onto ``ScenarioResult``): the base is
labelled by the file's scenario name, a variant by its key in the file, a
sweep point by its fields (``aht=240, agent=19``). Nothing here parses a
name.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..files import Scenario
from ..pipeline import ScenarioResult

#: Longest label drawn on a chart before it is cut with an ellipsis (the hover has it whole).
MAX_LABEL_CHARS = 28


def _clipped(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[:MAX_LABEL_CHARS - 1] + "…"


def scenario_label(scenario: Scenario | ScenarioResult, *, short: bool = True) -> str:
    """The label that tells a scenario apart from the others of its file.

    Parameters
    ----------
    scenario : Scenario or ScenarioResult
        The scenario, or its result (which carries the scenario's labels).
    short : bool, default True
        True: only the part that differs (``label``: a sweep point's fields
        with each path cut to its last key, the variant's key, the base's
        name), cut with an ellipsis past :data:`MAX_LABEL_CHARS`; for charts.
        False: ``long_label``, the whole name with a sweep point's field paths
        cut to their last key; for pickers and tables.

    Returns
    -------
    str
        Plain text (escape it before plotly draws it).

    Examples
    --------
    >>> import pandas as pd
    >>> empty = pd.DataFrame()
    >>> point = ScenarioResult("bank / channels.voice.aht=240", empty, empty, empty, empty,
    ...                        empty, label="aht=240", long_label="bank / aht=240")
    >>> scenario_label(point), scenario_label(point, short=False)
    ('aht=240', 'bank / aht=240')
    """
    return _clipped(scenario.label) if short else scenario.long_label


def axis_labels(names: Sequence[str], labels: Sequence[str]) -> list[str]:
    """Short labels (cut as :func:`scenario_label` cuts them, escaped) when they stay
    distinct, else the whole names (escaped).

    Parameters
    ----------
    names : sequence of str
        The scenarios' names.
    labels : sequence of str
        Their labels (``ScenarioResult.label``), in the same order.

    Returns
    -------
    list of str
        One HTML-escaped label per name.

    Examples
    --------
    >>> axis_labels(["a / v=1", "b / v=1"], ["v=1", "v=1"])
    ['a / v=1', 'b / v=1']
    """
    short = [html.escape(_clipped(str(label))) for label in labels]
    if len(short) != len(names):
        raise ValueError(f"axis_labels(): {len(names)} names but {len(labels)} labels; give "
                         "one label per name, in the same order.")
    return short if len(set(short)) == len(short) else [html.escape(str(n)) for n in names]
