"""Writing result files: atomically, and CSV that spreadsheets cannot run as formulas.

Every CSV that ccplan writes (the ``ccplan`` commands and the dashboard's
downloads) goes through :func:`safe_csv_text`: text cells that a spreadsheet
would read as a formula get a leading apostrophe (OWASP's advice on CSV
injection); numbers stay numbers. The readers of ccplan's own files take the
apostrophe off again (:func:`csv_unescape`), so a channel named ``=x``
survives ``ccplan forecast`` -> ``ccplan cost``.

Files are written under a temporary name beside the target and renamed into
place, so a crash never leaves a half-written file. The temporary name holds
the writing process's host and pid; the next write into the same folder
removes the ones whose process is gone (:func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pandas as pd

__all__ = [
    "safe_csv_text",
    "csv_unescape",
    "write_csv_atomic",
    "write_text_atomic",
    "temporary_prefix",
    "remove_stale_temporaries",
    "current_umask",
]


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Temporary files and folders without a pid (older ccplan) are removed after this long, s.
_LEGACY_STALE_AFTER_S = 24 * 3600.0


def current_umask() -> int:
    """The process umask (read by setting it and setting it back).

    Returns
    -------
    int
        The mask, e.g. ``0o022``: the permissions a new file or folder does not get.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------------
# Formula-safe CSV
# ---------------------------------------------------------------------------------------------


def _needs_quote(text: str) -> bool:
    # A cell already starting with apostrophes gets one more when a formula character follows
    # them, so that csv_unescape gives back exactly the text written.
    return text.lstrip("'").startswith(FORMULA_START)


def _escape(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and _needs_quote(value) else value


def _safe_cells(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names cannot run as formulas."""
    out = table.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            out.isetitem(i, values.map(_escape))
    out.columns = [_escape(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def safe_csv_text(table: pd.DataFrame) -> str:
    """The table as CSV text that a spreadsheet shows as written and never runs as formulas.

    The one CSV writer of ccplan: the ``ccplan`` commands write it to their
    files and the dashboard offers it as downloads. Text cells (and column
    names) that begin with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return, possibly after apostrophes, get a leading apostrophe, which
    spreadsheets take as "this is text" (OWASP's advice on CSV injection).
    Numbers (numeric columns, and numbers inside object columns) are
    written as numbers, negative ones too. Lines end with CRLF (RFC 4180),
    so a cell holding a line break or a carriage return is quoted.

    Parameters
    ----------
    table : pandas.DataFrame
        Any table; written without its index. It is not changed.

    Returns
    -------
    str
        The CSV text, one header row.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"channel": ["=HYPERLINK(1)", "voice"], "cost": [-1.5, 2.0]})
    >>> print(safe_csv_text(table).replace("\\r\\n", "\\n"), end="")
    channel,cost
    '=HYPERLINK(1),-1.5
    voice,2.0
    """
    return _safe_cells(table).to_csv(index=False, lineterminator="\r\n")


def csv_unescape(values: pd.Series) -> pd.Series:
    """Text cells as they were before :func:`safe_csv_text` (its apostrophe taken off).

    Parameters
    ----------
    values : pandas.Series
        A text column read from a CSV file (other values pass unchanged).

    Returns
    -------
    pandas.Series
        A new series; ``"'=x"`` becomes ``"=x"``, ``"'abc"`` stays.
    """
    def one(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("'") and _needs_quote(value):
            return value[1:]
        return value

    return values.map(one)


# ---------------------------------------------------------------------------------------------
# Atomic writes, and the temporaries a killed process leaves
# ---------------------------------------------------------------------------------------------


def _owner_tag() -> str:
    """``host-pid`` of this process, as it appears in the names of its temporaries."""
    host = re.sub(r"[^A-Za-z0-9]+", "_", socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}"


def temporary_prefix(name: str) -> str:
    """The prefix of the temporary file or folder written for ``name`` by this process.

    Parameters
    ----------
    name : str
        The file or folder's final name.

    Returns
    -------
    str
        ``.NAME.HOST-PID.``: :func:`remove_stale_temporaries` finds it by that.
    """
    return f".{name}.{_owner_tag()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    except OSError:
        return True
    return True


def remove_stale_temporaries(folder: Path, name: str) -> list[Path]:
    """Remove the temporaries of ``name`` in ``folder`` left by writers that were killed.

    A temporary is ``.NAME.HOST-PID.XXXXXXXX.tmp`` (a file or a folder). It is
    removed when HOST is this machine and process PID no longer lives. Ones
    without a host and pid (``.NAME.XXXXXXXX.tmp`` and ``.NAME.old``, as
    earlier versions named them) are removed when older than a day.
    Temporaries of live processes, of other machines and anything else are
    left alone.

    Parameters
    ----------
    folder : pathlib.Path
        The folder the target is written into.
    name : str
        The target's file or folder name.

    Returns
    -------
    list of pathlib.Path
        The temporaries removed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return []
    host = _owner_tag().rsplit("-", 1)[0]
    ours = re.compile(rf"^\.{re.escape(name)}\.(?P<host>[A-Za-z0-9_]+)-(?P<pid>\d+)\.[^.]+\.tmp$")
    legacy = re.compile(rf"^\.{re.escape(name)}\.(?:[A-Za-z0-9_]{{8}}\.tmp|old)$")
    removed = []
    now = time.time()
    for entry in folder.iterdir():
        match = ours.match(entry.name)
        try:
            if match is not None:
                stale = match["host"] == host and not _alive(int(match["pid"]))
            elif legacy.match(entry.name):
                stale = now - entry.lstat().st_mtime > _LEGACY_STALE_AFTER_S
            else:
                continue
            if not stale:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:  # gone meanwhile, or not ours to remove: leave it
            continue
        removed.append(entry)
    return removed


def _write_atomic(path: Path, write: Callable[[IO[str]], object]) -> None:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it over ``path``.

    The temporary file lives in the destination folder, so the final
    ``os.replace`` is a rename within one file system (atomic).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path.parent, path.name)
    fd, tmp = tempfile.mkstemp(prefix=temporary_prefix(path.name), suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            write(handle)
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_csv_atomic(table: pd.DataFrame, path: Path) -> None:
    """Write ``table`` as formula-safe CSV (:func:`safe_csv_text`) to ``path`` atomically.

    Parameters
    ----------
    table : pandas.DataFrame
        The table; written without its index.
    path : pathlib.Path
        Destination; its folder is created if missing.
    """
    text = safe_csv_text(table)
    _write_atomic(path, lambda handle: handle.write(text))


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
