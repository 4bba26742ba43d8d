"""Argument checks shared by the public functions of :mod:`staffing`."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import InvalidParameterError


def as_float_array(
    func: str,
    name: str,
    value: Any,
    *,
    ge: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    le: float | None = None,
    allow_inf: bool = False,
    hint: str = "",
) -> np.ndarray:
    """Return ``value`` as a float array after checking it; raise a named error otherwise."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"{func}: {name} must be a number or an array of numbers, got {value!r}. {hint}"
        ) from None
    bad = np.isnan(arr)
    if not allow_inf:
        bad |= np.isinf(arr)
    rules = []
    if ge is not None:
        bad |= arr < ge
        rules.append(f">= {ge:g}")
    if gt is not None:
        bad |= arr <= gt
        rules.append(f"> {gt:g}")
    if le is not None:
        bad |= arr > le
        rules.append(f"<= {le:g}")
    if lt is not None:
        bad |= arr >= lt
        rules.append(f"< {lt:g}")
    if np.any(bad):
        first = np.argwhere(bad)[0] if arr.ndim else None
        got = float(arr[tuple(first)] if first is not None else arr.item())
        where = f"[{', '.join(str(i) for i in first)}]" if first is not None else ""
        rule = " and ".join(rules) if rules else "a finite number"
        what = "a finite number " + rule if rules else rule
        nan_note = " (NaN: missing values are not read as zero)" if np.isnan(got) else ""
        raise InvalidParameterError(
            f"{func}: {name}{where} must be {what}, got {got!r}{nan_note}. {hint}".rstrip()
        )
    return arr


def as_int_array(func: str, name: str, value: Any, *, ge: int = 0, hint: str = "") -> np.ndarray:
    """Return ``value`` as an int64 array of whole numbers ``>= ge`` and ``<= 2**53``.

    Above ``2**53`` whole numbers are no longer exact in float64, and int64 overflows
    soon after (1e300 would become a negative count).
    """
    arr = as_float_array(func, name, value, ge=ge, le=float(2**53), hint=hint)
    frac = arr != np.floor(arr)
    if np.any(frac):
        got = float(arr[tuple(np.argwhere(frac)[0])] if arr.ndim else arr.item())
        raise InvalidParameterError(
            f"{func}: {name} must be a whole number of agents, got {got!r}. "
            f"Round it (e.g. numpy.ceil) before passing it. {hint}".rstrip()
        )
    return arr.astype(np.int64)


def broadcast(func: str, **arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast the named arrays together or raise an error naming their shapes."""
    try:
        return list(np.broadcast_arrays(*arrays.values()))
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise InvalidParameterError(
            f"{func}: the array arguments have shapes that do not match ({shapes}). "
            "Give one value per interval, with the same length for every array, or a scalar."
        ) from None
