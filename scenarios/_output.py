"""Writing result files atomically: a crash never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def write_csv_atomic(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as CSV to ``path`` through a temporary file and an atomic rename.

    Parameters
    ----------
    table : pandas.DataFrame
        The table; written without its index.
    path : pathlib.Path
        Destination; its folder is created if missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="") as handle:
            table.to_csv(handle, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
