"""A week whose shift schedule the safety net cuts, and the clock jump that cuts it.

Shared by the scheduler's, the CLI's and the dashboard's time-limit tests (issue 14): the
solver's clock (``staffing._schedule._clock``, private: it is what these tests move) jumps a
year ahead as soon as a solve finds its first schedule, so the wall-clock safety net fires at
its next reading, deterministically, far from the 1% gap the week asks.
"""

from __future__ import annotations

import time

import pytest

import staffing._schedule as schedule_module

#: A 24x7 week with 8h30 shifts and lunch windows; ``EXTRA`` is where a test adds rules keys.
CUT_WEEK = """\
name: cut
interval: 30m
horizon: {start: 2026-01-05, days: 7}
hours: 24x7
channels:
  voice:
    volume:
      daily: {Mon: 3000, Tue: 2800, Wed: 2900, Thu: 3000, Fri: 3100, Sat: 1800, Sun: 1200}
      profile: {"00:00": 0.2, "07:00": 3, "09:00": 10, "12:00": 8, "14:00": 9, "18:00": 4,
                "21:00": 1}
    aht: 4m
    target: 80% in 20s
staffing: {method: erlang_c}
shifts:
  templates:
    - name: FT8
      length: 8h30m
      start: {earliest: "05:00", latest: "14:00", step: 30m}
      days_per_week: 5
      breaks: [{name: lunch, duration: 30m, window: [3h, 5h], paid: false}]
    - name: PT4
      length: 4h
      start: {earliest: "07:00", latest: "19:00", step: 30m}
      days_per_week: 5
      part_time: true
  rules: {mip_rel_gap: 0.01, max_nodes: 500, max_part_time_share: 0.3, time_limit_s: 60EXTRA}
"""


def jump_after_first_schedule(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make the solver's clock jump a year when a solve finds its first schedule.

    Returns the list of jumps made (empty until the first schedule is found).
    """
    jumps: list[float] = []
    real_new = schedule_module._new_highs

    def new_highs():
        h = real_new()
        first: list[bool] = []

        def jump(event):
            if not first:
                first.append(True)
                jumps.append(365 * 86400.0)

        h.cbMipImprovingSolution.subscribe(jump)
        return h

    monkeypatch.setattr(schedule_module, "_new_highs", new_highs)
    monkeypatch.setattr(schedule_module, "_clock", lambda: time.monotonic() + sum(jumps))
    return jumps
