"""simulation page (placeholder until built)."""

import streamlit as st

st.title("simulation")
st.info("This page is being built.")
