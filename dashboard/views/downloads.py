"""downloads page (placeholder until built)."""

import streamlit as st

st.title("downloads")
st.info("This page is being built.")
