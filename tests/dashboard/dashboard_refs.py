"""Independent references shared by the dashboard's page tests (imported by bare name)."""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path

import mpmath as mp
import numpy as np
from streamlit.testing.v1 import AppTest

#: The app the page tests drive.
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
#: A YAML syntax error: the flow mapping opened on line 2 is never closed; the parser finds
#: out at the ':' of 'channels:' (line 3, column 9).
SYNTAX_ERROR = """\
name: broken
horizon: {start: 2026-03-02, days: 1
channels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
"""
#: Valid YAML with a misspelt top-level key at line 2, column 1.
UNKNOWN_KEY = """\
horizon: {start: 2026-03-02, days: 1}
chanels:
  voice: {volume: {daily: 2400, profile: flat}, aht: 4m, target: 80% in 20s}
"""
#: The quick run (Scenario.analytic) of a file whose method is not "simulation".
QUICK = {"shifts": None, "simulation": None}


def erlang_c_service_level(n_agents: int, offered_load_erl: float, within_over_aht: float):
    """``1 - C(N, A) exp(-(N - A) T / AHT)``, C the Erlang C waiting probability (0 if N <= A)."""
    n = int(n_agents)
    with mp.workdps(40):
        a = mp.mpf(offered_load_erl)
        if n <= a:
            return mp.mpf(0)
        top = a**n / mp.factorial(n) * n / (n - a)
        wait = top / (mp.fsum(a**k / mp.factorial(k) for k in range(n)) + top)
        return +(1 - wait * mp.exp(-(n - a) * mp.mpf(within_over_aht)))


def chart(at: AppTest, key: str) -> dict:
    """The plotly spec (JSON) of the chart with this widget key."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, [c.proto.id for c in at.get("plotly_chart")]
    return json.loads(found[0].proto.spec)


def trace(spec: dict, name: str) -> dict:
    found = [d for d in spec["data"] if d.get("name") == name]
    assert len(found) == 1, [d.get("name") for d in spec["data"]]
    return found[0]


def values(data: dict, axis: str = "y") -> np.ndarray:
    """A trace's numbers, whether plotly wrote a list or a typed array (``dtype``, ``bdata``)."""
    raw = data[axis]
    if isinstance(raw, dict):                          # plotly >= 6 encodes numpy arrays
        return np.frombuffer(base64.b64decode(raw["bdata"]), dtype=raw["dtype"]).astype(float)
    return np.array([math.nan if v is None else float(v) for v in raw])


def knob(at: AppTest, label: str):
    """The Scenarios page's knob slider with this label (its key names the file: ``k_...|``)."""
    found = [s for s in at.slider if s.label == label]
    assert len(found) == 1, [s.label for s in at.slider]
    return found[0]
