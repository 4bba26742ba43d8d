"""staffing page (placeholder until built)."""

import streamlit as st

st.title("staffing")
st.info("This page is being built.")
