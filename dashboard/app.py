"""ccplan's dashboard: cost and service-level trade-offs across scenarios.

Start it with ``ccplan dashboard [PATH]`` (or ``streamlit run dashboard/app.py -- PATH``).
This file is the router and the frame shared by every page (STYLE.md section 11):
page config and ``st.navigation``; the pages live in ``dashboard/views/``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

VIEWS = Path(__file__).parent / "views"

st.set_page_config(page_title="ccplan", page_icon=":material/support_agent:", layout="wide")

PAGES = [
    st.Page(VIEWS / "scenarios.py", title="Scenarios", icon=":material/tune:", default=True),
    st.Page(VIEWS / "compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page(VIEWS / "forecast.py", title="Forecast", icon=":material/trending_up:"),
    st.Page(VIEWS / "staffing.py", title="Staffing and schedule", icon=":material/groups:"),
    st.Page(VIEWS / "simulation.py", title="Simulation", icon=":material/query_stats:"),
    st.Page(VIEWS / "finance.py", title="Finance", icon=":material/payments:"),
    st.Page(VIEWS / "capacity.py", title="Capacity", icon=":material/event_upcoming:"),
    st.Page(VIEWS / "downloads.py", title="Downloads", icon=":material/download:"),
]

st.navigation(PAGES).run()
