"""Scenarios: pick a scenario file (bundled, folder or upload) and turn the knobs."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import scenarios
from dashboard import _cached, _knobs, _state, _tables
from scenarios.files import units


def widget_key(name: str, file_key: str) -> str:
    """The widget key of a knob for one file: ``k_volume|<first 12 of the file's key>``."""
    return f"{name}|{file_key[:12]}"


def knob_widgets(k: _knobs.Knobs) -> dict[str, object]:
    """Each knob widget's session-state value for these knobs (its key: its value)."""
    return {
        "k_volume": float(k.volume_scale), "k_aht": float(k.aht_scale),
        "k_shrinkage": float(k.shrinkage_pct), "k_sl": float(k.service_level_pct),
        "k_within": float(k.answer_within_s),
        "k_patience": float(k.patience_s) if k.patience_s else 180.0,
        "k_hours": k.hours, "k_open": units.format_clock(k.custom_open_s),
        "k_close": units.format_clock(k.custom_close_s), "k_days": list(k.custom_days),
        "k_wage": float(k.wage_scale), "k_night": float(k.night_premium_pct),
        "k_weekend": float(k.weekend_premium_pct),
    }


st.title("Scenarios")

with st.expander("Upload a scenario file (YAML)", expanded=False):
    upload = st.file_uploader("Scenario YAML", type=["yaml", "yml"], key="upload",
                              help=f"At most {_state.MAX_UPLOAD_BYTES // 1024} KB. It is checked "
                                   "as ccplan check would; files it names must sit beside it "
                                   "(uploads cannot reach other folders).")
    if upload is not None and st.session_state.get("upload_seen") != upload.file_id:
        # A new upload becomes the picked file once; the user may pick another afterwards.
        st.session_state["upload_seen"] = upload.file_id
        st.session_state.pop("upload_error", None)
        try:
            saved = _state.save_upload(upload.name, upload.getvalue())
            st.session_state["picked"] = f"uploaded: {saved.name}"
            st.session_state["picked_box"] = f"uploaded: {saved.name}"
        except ValueError as err:
            st.session_state["upload_error"] = str(err)
    if upload is not None and st.session_state.get("upload_error"):
        st.error(st.session_state["upload_error"], icon=":material/error:")

options = _state.sources()
if st.session_state.get("folder_error"):
    st.warning(st.session_state["folder_error"])
labels = list(options)
picked = st.selectbox("Scenario file", labels, index=labels.index(_state.picked_label(options)),
                      key="picked_box")
st.session_state["picked"] = picked

cur = _state.current()
if cur is None:
    st.stop()
k = cur.knobs


def key_of(name: str) -> str:
    """The picked file's widget key of a knob."""
    return widget_key(name, cur.key)


# Each file has widgets of its own (keys end in the file's key), which take their values from
# session state only (no value= argument), set here from the file's stored knobs when a widget
# is new. Shared widgets reset on a change of file left the browser showing the last file's
# values, and sending them back with the next change.
for name, value in knob_widgets(k).items():
    if key_of(name) not in st.session_state:
        st.session_state[key_of(name)] = value
if cur.base.description:
    st.caption(cur.base.description)

st.subheader("Knobs")
st.caption("They apply to every scenario of the file (variants and sweep points build on "
           "them). Untouched, they change nothing.")
c1, c2, c3 = st.columns(3)
with c1:
    volume = st.slider("Volume scale", 0.5, 2.0, step=0.05, key=key_of("k_volume"),
                       help="Multiplies every channel's contacts.")
    aht = st.slider("AHT scale", 0.5, 2.0, step=0.05, key=key_of("k_aht"),
                    help="Multiplies every channel's average handle time.")
    shrinkage = st.slider("Shrinkage (%)", 0.0, 60.0, step=1.0, key=key_of("k_shrinkage"),
                          format="%.0f")
with c2:
    sl = st.slider("Service-level target (%)", 50.0, 99.0, step=1.0, key=key_of("k_sl"),
                   format="%.0f",
                   help="For the live channels (not deferred work such as email).")
    within = st.number_input("Answered within (s)", 1.0, 3600.0, step=5.0, key=key_of("k_within"),
                             format="%.0f")
    patience = st.number_input("Mean patience (s)", 1.0, 7200.0, step=10.0,
                               key=key_of("k_patience"), disabled=k.patience_s is None,
                               format="%.0f",
                               help="Used by Erlang A and the simulation; disabled when the "
                                    "file sizes with Erlang C and gives no patience.")
with c3:
    hours = st.selectbox("Opening hours", _knobs.HOURS_CHOICES, key=key_of("k_hours"),
                         help="8x5: Mon-Fri 09-17; extended: Mon-Sat 08-20; 24x7; custom.")
    custom_open_s, custom_close_s, custom_days = k.custom_open_s, k.custom_close_s, k.custom_days
    if hours == "custom":
        a, b = st.columns(2)
        opens = a.text_input("Opens (HH:MM)", key=key_of("k_open"))
        closes = b.text_input("Closes (HH:MM)", key=key_of("k_close"))
        try:   # text that is not a time keeps the last valid hours, and says why
            custom_open_s, custom_close_s = (_knobs.clock_s(opens),
                                             _knobs.clock_s(closes, closing=True))
        except ValueError as err:
            st.error(f"Opening hours {opens!r} to {closes!r}: each time {err} (closing may "
                     "also be 24:00). The last valid hours are kept.", icon=":material/error:")
        custom_days = tuple(st.multiselect("Open days", units.DAY_NAMES, key=key_of("k_days")))
    wage = st.slider("Wage scale", 0.5, 2.0, step=0.05, key=key_of("k_wage"),
                     help="Multiplies every hourly rate of the file.")
    night = st.number_input("Night premium (%)", 0.0, 200.0, step=5.0, key=key_of("k_night"),
                            format="%.0f")
    weekend = st.number_input("Weekend premium (%)", 0.0, 200.0, step=5.0, key=key_of("k_weekend"),
                              format="%.0f")

knobs = replace(k, volume_scale=volume, aht_scale=aht, shrinkage_pct=shrinkage,
                service_level_pct=sl, answer_within_s=within,
                patience_s=patience if k.patience_s is not None else None, hours=hours,
                custom_open_s=custom_open_s, custom_close_s=custom_close_s,
                custom_days=custom_days,
                wage_scale=wage, night_premium_pct=night, weekend_premium_pct=weekend)
_state.store_knobs(cur.key, knobs)
cur = _state.current()
if cur is None:
    st.stop()
if st.button("Reset the knobs", key="k_reset"):
    _state.store_knobs(cur.key, _knobs.defaults(cur.base))
    for name in [n for n in st.session_state if str(n).startswith("k_")]:
        del st.session_state[name]
    st.rerun()

st.subheader("Quick view")
st.caption("Erlang staffing paid interval by interval, for every scenario of the file: no shift "
           "schedule, no simulation (both in the full run below). Quick figures, not the plan: "
           "once the full plan has run, the other pages show it by default.")
n_sweep = sum(1 for s in _cached.load(str(cur.path), cur.key, cur.knobs_json, "quick")
              if s.kind == "sweep")
with_sweep = True
if n_sweep:
    with_sweep = st.toggle(f"Include the {n_sweep} sweep points (about 0.2 s each per change; "
                           "the Compare page shows them all)", value=n_sweep <= 4,
                           key="quick_sweep")
try:
    results = cur.quick(sweep=with_sweep)
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()
st.dataframe(_tables.summary(results, cur.base.currency), hide_index=True,
             width="stretch", key="quick_table",
             column_config=_tables.summary_config(cur.base.currency))

st.subheader("Full run")
st.caption("The scenario as written: shift schedule (integer programme) and simulation with "
           "confidence intervals. Takes seconds to a minute.")
_state.full_run_button(cur, "full_button")
full = cur.full_if_run()
if full is not None:
    st.dataframe(_tables.summary(full, cur.base.currency), hide_index=True,
                 width="stretch", key="full_table",
                 column_config=_tables.summary_config(cur.base.currency))
    _state.show_ranking_warning(cur)
    outcomes = _cached.checks(full)
    failed = [o for o in outcomes if not o.passed]
    if outcomes:
        (st.success if not failed else st.warning)(
            f"Expectations: {len(outcomes) - len(failed)} of {len(outcomes)} passed.")
        for o in failed:
            st.write(f"FAIL: {o.message}")
else:
    st.info("Not run yet for these settings.", icon=":material/info:")

with st.expander("The scenario's expectations (expect:)"):
    lines = cur.base.expectations
    st.code("\n".join(lines) if lines else "(none)", language="yaml")
