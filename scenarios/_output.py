"""Writing result files atomically: a crash never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pandas as pd


def _umask() -> int:
    """The process umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_atomic(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it over ``path``.

    The temporary file lives in the destination folder, so the final
    ``os.replace`` is a rename within one file system (atomic).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            write(handle)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv_atomic(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as CSV to ``path`` through a temporary file and an atomic rename.

    Parameters
    ----------
    table : pandas.DataFrame
        The table; written without its index.
    path : pathlib.Path
        Destination; its folder is created if missing.
    """
    _write_atomic(path, lambda handle: table.to_csv(handle, index=False))


def write_text_atomic(text: str, path: Path) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and an atomic rename.

    Used for the HTML charts (``plotly`` figures rendered with ``to_html``).

    Parameters
    ----------
    text : str
        The whole file content.
    path : pathlib.Path
        Destination; its folder is created if missing.
    """
    _write_atomic(path, lambda handle: handle.write(text))
