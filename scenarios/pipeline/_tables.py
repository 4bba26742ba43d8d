"""What the stages share: the scenario's interval grid and keyed views of the long tables.

The stages hand each other long tables (:mod:`scenarios.pipeline.contracts`).
Inside a stage the queueing maths runs on arrays; :func:`wide` and
:func:`cube` build them by looking every value up by its key (``channel`` or
``group``, ``interval_start``, ``replication``), so an array's rows and
columns mean what the caller asked for whatever the order of the table's
rows; :func:`long_table` turns arrays back into a long table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..files import Scenario


def scenario_grid(scn: Scenario) -> pd.DatetimeIndex:
    """The horizon's intervals: their starts (tz-aware), ``interval_s`` apart.

    Wall-clock intervals in the scenario's zone (a daylight-saving day has 23
    or 25 hours: the grid follows absolute time from local midnight of the
    first day).
    """
    return pd.date_range(scn.start, periods=scn.n_intervals,
                         freq=pd.Timedelta(seconds=scn.interval_s))


def local_days(grid: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Each interval's local date (naive midnight): zones that skip midnight have no
    tz-aware midnight to normalise to."""
    wall = grid.tz_localize(None) if grid.tz is not None else grid
    return wall.normalize()


def wide(table: pd.DataFrame, column: str, keys: Sequence[str], grid: pd.DatetimeIndex, *,
         key: str = "channel", dtype: Any = float, fill_value: Any = np.nan) -> np.ndarray:
    """``table[column]`` as an array with one row per ``keys`` and one column per ``grid``.

    Parameters
    ----------
    table : pandas.DataFrame
        A long table keyed by ``key`` and ``interval_start``.
    column : str
        The measure to spread out.
    keys : sequence of str
        The channels (or groups) for the rows, in the order wanted.
    grid : pandas.DatetimeIndex
        The interval starts for the columns.
    key : str, optional
        ``"channel"`` (default) or ``"group"``.
    dtype : numpy dtype, optional
        Of the result (default float).
    fill_value : scalar, optional
        For keys the table does not hold (default NaN).

    Returns
    -------
    numpy.ndarray
        C-ordered, shape ``(len(keys), len(grid))``.
    """
    values = table.pivot(index=key, columns="interval_start", values=column)
    values = values.reindex(index=list(keys), columns=grid, fill_value=fill_value)
    return np.ascontiguousarray(values.to_numpy(dtype=dtype))


def cube(table: pd.DataFrame, column: str, replications: Sequence[int], keys: Sequence[str],
         grid: pd.DatetimeIndex) -> np.ndarray:
    """A ``sim_intervals`` measure by replication, channel and interval.

    Returns
    -------
    numpy.ndarray
        Float, shape ``(len(replications), len(keys), len(grid))``; NaN where
        the table has no row.
    """
    index = pd.MultiIndex.from_product([list(replications), list(keys), grid],
                                       names=["replication", "channel", "interval_start"])
    values = table.set_index(["replication", "channel", "interval_start"])[column]
    return np.ascontiguousarray(values.reindex(index).to_numpy(dtype=float).reshape(
        len(replications), len(keys), len(grid)))


def long_table(key: str, keys: Sequence[str], grid: pd.DatetimeIndex,
               columns: dict[str, Any]) -> pd.DataFrame:
    """A long table from arrays shaped ``(len(keys), len(grid))`` (or scalars).

    Rows run by key, then by interval, in the order of ``keys`` and ``grid``.
    """
    n = len(grid)
    # grid[positions], not np.tile(grid): tiling a time-zone-aware index makes an object array
    # of Timestamps that the DataFrame converts back one by one (0.7 s for 78 weeks x 3)
    out = {key: np.repeat(list(keys), n),
           "interval_start": grid[np.tile(np.arange(n), len(keys))]}
    for name, values in columns.items():
        out[name] = np.asarray(values).ravel() if np.ndim(values) else values
    return pd.DataFrame(out)
