"""The optional per-contact log, streamed to Parquet.

Schema (one row per contact, in the order contacts are resolved)::

    replication   int32    replication number, from 0
    channel       string   the contact's channel
    interval      int32    index of the interval it arrived in (0 = first interval)
    arrival_s     float64  arrival, seconds after the start of the first interval
    wait_s        float64  time in queue: until answered, until abandoning, or until
                           the end of the horizon for contacts still waiting
    outcome       string   "answered", "abandoned" or "waiting_at_end"
    handle_s      float64  handle time drawn for the contact (also for those not answered)
    priority_class string  the contact's priority class ("" when the channel has none)
    attempt       int32    1 for a customer's first attempt, 2, 3, ... for its redials
    customer      int64    the customer, numbered from 0 per replication and channel (null
                           for channels without hang-ups within a time, pick-up delay or
                           redials, whose every contact is its own customer's only attempt)
    pickup_s      float64  the pick-up delay included in wait_s (0 when none, and for
                           contacts not answered)

Dedicated pools and shared groups alike (a shared group's channels resolve their
contacts interleaved, so each row names its own channel). Rows are buffered and
written in row groups of 65,536, so memory stays flat.
The file is written under a temporary name and renamed when complete: a crash
never leaves a half-written log.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA = pa.schema([
    ("replication", pa.int32()), ("channel", pa.string()), ("interval", pa.int32()),
    ("arrival_s", pa.float64()), ("wait_s", pa.float64()), ("outcome", pa.string()),
    ("handle_s", pa.float64()), ("priority_class", pa.string()), ("attempt", pa.int32()),
    ("customer", pa.int64()), ("pickup_s", pa.float64()),
])
OUTCOMES = ("answered", "abandoned", "waiting_at_end")
_ROWS = 65_536


class ContactLog:
    """Buffered writer of the per-contact log (see the module docstring for the schema)."""

    def __init__(self, path: Path, channels: tuple[str, ...],
                 class_names: tuple[tuple[str, ...], ...]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._writer = pq.ParquetWriter(self._tmp, SCHEMA)
        self.replication = 0
        self.channels = channels          # channel names, by channel index
        self.class_names = class_names    # per channel, its priority classes' names
        self._rows: list[tuple] = []

    def add(self, channel: int, interval: int, arrival_s: float, wait_s: float, outcome: int,
            handle_s: float, priority_class: int = 0, tag: list | None = None) -> None:
        """Record one resolved contact of channel index ``channel`` (``outcome`` indexes
        OUTCOMES, ``priority_class`` the channel's class names, ``tag`` its attempt as in
        ``simulator._behaviour``)."""
        if tag is None:
            more: tuple = (1, None, 0.0)
        else:
            more = (tag[0], tag[2], tag[3] if outcome == 0 else 0.0)
        self._rows.append((channel, interval, arrival_s, wait_s, outcome, handle_s,
                           priority_class, *more))
        if len(self._rows) >= _ROWS:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        channel, interval, arrival, wait, outcome, handle, cls, attempt, customer, pickup = zip(
            *self._rows, strict=True)
        n = len(self._rows)
        table = pa.table({
            "replication": pa.array([self.replication] * n, pa.int32()),
            "channel": pa.array([self.channels[c] for c in channel], pa.string()),
            "interval": pa.array(interval, pa.int32()),
            "arrival_s": pa.array(arrival, pa.float64()),
            "wait_s": pa.array(wait, pa.float64()),
            "outcome": pa.array([OUTCOMES[o] for o in outcome], pa.string()),
            "handle_s": pa.array(handle, pa.float64()),
            "priority_class": pa.array([self.class_names[c][k] for c, k in zip(
                channel, cls, strict=True)], pa.string()),
            "attempt": pa.array(attempt, pa.int32()),
            "customer": pa.array(customer, pa.int64()),
            "pickup_s": pa.array(pickup, pa.float64()),
        }, schema=SCHEMA)
        self._writer.write_table(table)
        self._rows = []

    def start(self, replication: int) -> None:
        """Flush, then label the following rows with ``replication``."""
        self._flush()
        self.replication = replication

    def close(self, ok: bool = True) -> None:
        """Finish the file and rename it into place (or drop it when ``ok`` is False)."""
        if ok:
            self._flush()
        self._writer.close()
        if ok:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)
