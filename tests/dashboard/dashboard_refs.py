"""Independent references shared by the dashboard's page tests (imported by bare name)."""

from __future__ import annotations

from pathlib import Path

import mpmath as mp

#: The app the page tests drive.
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
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
