"""Opening hours: when the centre is open, by weekday, with closed holidays.

A value object of the scenario files (``hours:``), used by the demand stage
(:mod:`scenarios.pipeline`) to split arrivals into open and closed intervals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from staffing.shifts import clock_seconds

from .._errors import InputFileError
from .units import DAY_NAMES, DAY_S, format_clock

_CLOSED = (0.0, 0.0)


@dataclass(frozen=True)
class OpeningHours:
    """When the centre is open: one opening range per weekday, and closed holidays.

    Build one with :meth:`weekly` or :meth:`preset`; the fields are checked
    when the object is made.

    Parameters
    ----------
    name : str
        Label used in result tables, e.g. ``"extended"``.
    hours_by_weekday_s : tuple of 7 (float, float)
        Monday first: ``(open_s, close_s)`` in seconds after midnight (local
        wall-clock time), ``0 <= open_s <= close_s <= 86400``; ``(0, 0)`` for a
        closed day, ``(0, 86400)`` for all day. Ranges past midnight are not
        supported: split them over two days.
    holidays : tuple of datetime.date, optional
        Dates on which the centre is closed all day (default none).

    Examples
    --------
    >>> OpeningHours.preset("extended").describe()
    'Mon-Sat 08:00-20:00'
    """

    name: str
    hours_by_weekday_s: tuple[tuple[float, float], ...]
    holidays: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        where = f"OpeningHours {self.name!r}"
        hours = self.hours_by_weekday_s
        if not isinstance(hours, tuple | list) or len(hours) != 7:
            raise InputFileError(
                f"{where}: hours_by_weekday_s must hold 7 (open_s, close_s) pairs, Monday first, "
                f"got {hours!r}. Use (0, 0) for a closed day.")
        for d, pair in enumerate(hours):
            ok = isinstance(pair, tuple | list) and len(pair) == 2
            if ok:
                lo, hi = pair
                ok = all(isinstance(v, int | float) and math.isfinite(v) for v in pair)
                ok = ok and 0 <= lo <= hi <= DAY_S
            if not ok:
                raise InputFileError(
                    f"{where}: {DAY_NAMES[d]} hours must be (open_s, close_s) with 0 <= open_s "
                    f"<= close_s <= 86400 seconds after midnight, got {pair!r}. Write 08:00-20:00 "
                    "as (28800, 72000); split ranges past midnight over two days.")
        if not all(isinstance(h, date) for h in self.holidays):
            raise InputFileError(f"{where}: holidays must be datetime.date values, got "
                                 f"{self.holidays!r}.")

    @classmethod
    def weekly(cls, name: str, open_s: float, close_s: float,
               days: Sequence[int] = (0, 1, 2, 3, 4),
               holidays: Sequence[date] = ()) -> OpeningHours:
        """The same hours on the given weekdays, closed on the others.

        Parameters
        ----------
        name : str
            Label of the option.
        open_s, close_s : float
            Opening and closing time, seconds after midnight,
            ``0 <= open_s <= close_s <= 86400``.
        days : sequence of int, optional
            Open weekdays, 0 = Monday ... 6 = Sunday (default Monday to Friday).
        holidays : sequence of datetime.date, optional
            Dates closed all day.

        Returns
        -------
        OpeningHours
            The opening hours.

        Examples
        --------
        >>> OpeningHours.weekly("late", 10 * 3600, 22 * 3600, days=(0, 1)).describe()
        'Mon-Tue 10:00-22:00'
        """
        bad = [d for d in days if d not in range(7)]
        if bad:
            raise InputFileError(f"OpeningHours {name!r}: days must be weekday numbers 0 "
                                 f"(Monday) to 6 (Sunday), got {list(days)!r}.")
        pairs = tuple((float(open_s), float(close_s)) if d in days else _CLOSED
                      for d in range(7))
        return cls(name, pairs, tuple(holidays))

    @classmethod
    def preset(cls, name: str, holidays: Sequence[date] = ()) -> OpeningHours:
        """One of the three standard options of the business case.

        Parameters
        ----------
        name : {"8x5", "extended", "24x7"}
            ``"8x5"``: Monday to Friday 09:00-17:00 (office hours: eight hours
            a day, five days, inside the extended hours so the three options
            are nested); ``"extended"``: Monday to Saturday 08:00-20:00;
            ``"24x7"``: always open.
        holidays : sequence of datetime.date, optional
            Dates closed all day (also for ``"24x7"`` if given).

        Returns
        -------
        OpeningHours
            The preset, named ``name``.

        Examples
        --------
        >>> OpeningHours.preset("8x5").describe()
        'Mon-Fri 09:00-17:00'
        >>> OpeningHours.preset("24x7").describe()
        'Mon-Sun 00:00-24:00'
        """
        if name == "8x5":
            return cls.weekly(name, 9 * 3600, 17 * 3600, (0, 1, 2, 3, 4), holidays)
        if name == "extended":
            return cls.weekly(name, 8 * 3600, 20 * 3600, (0, 1, 2, 3, 4, 5), holidays)
        if name == "24x7":
            return cls.weekly(name, 0, DAY_S, tuple(range(7)), holidays)
        raise InputFileError(f"OpeningHours.preset(): unknown preset {name!r}; choose '8x5', "
                             "'extended' or '24x7', or build other hours with "
                             "OpeningHours.weekly().")

    def describe(self) -> str:
        """Short text such as ``'Mon-Sat 08:00-20:00'`` (runs of days with equal hours).

        Returns
        -------
        str
            The open days and hours, ``'closed'`` if never open.
        """
        parts = []
        d = 0
        while d < 7:
            pair = tuple(self.hours_by_weekday_s[d])
            e = d
            while e + 1 < 7 and tuple(self.hours_by_weekday_s[e + 1]) == pair:
                e += 1
            if pair[1] > pair[0]:
                days = DAY_NAMES[d] if d == e else f"{DAY_NAMES[d]}-{DAY_NAMES[e]}"
                parts.append(f"{days} {format_clock(pair[0])}-{format_clock(pair[1])}")
            d = e + 1
        text = ", ".join(parts) or "closed"
        if self.holidays:
            text += f" (closed on {len(self.holidays)} holiday(s))"
        return text

    def is_open(self, interval_start: Any, interval_s: float) -> np.ndarray:
        """Which intervals are open: their start falls inside the day's opening range.

        Parameters
        ----------
        interval_start : sequence of timestamps
            Left edges of the intervals (local wall-clock time is used).
        interval_s : float
            Interval length, seconds, > 0. Opening and closing times must fall
            on the interval grid, so an interval is either wholly open or
            wholly closed.

        Returns
        -------
        numpy.ndarray of bool
            One value per interval.

        Examples
        --------
        >>> starts = pd.date_range("2026-01-05 07:00", periods=3, freq="h")
        >>> OpeningHours.preset("extended").is_open(starts, 3600).tolist()
        [False, True, True]
        """
        for d, (lo, hi) in enumerate(self.hours_by_weekday_s):
            for label, v in (("open", lo), ("close", hi)):
                ratio = v / interval_s
                if abs(ratio - round(ratio)) > 1e-9:
                    raise InputFileError(
                        f"OpeningHours {self.name!r}: {DAY_NAMES[d]} {label}s at "
                        f"{format_clock(v)}, which is not on the {interval_s:g}-second interval "
                        "grid. Move it to "
                        "an interval boundary, or use shorter intervals.")
        starts = pd.DatetimeIndex(pd.to_datetime(interval_start))
        tod = clock_seconds(starts)
        weekday = starts.day_of_week.to_numpy()
        lo_hi = np.asarray(self.hours_by_weekday_s, dtype=float)
        lo, hi = lo_hi[weekday, 0], lo_hi[weekday, 1]
        mask = (tod >= lo) & (tod < hi)
        if self.holidays:
            mask &= ~np.isin(np.asarray(starts.date), np.asarray(self.holidays))
        return np.asarray(mask, dtype=bool)


