"""Compare: cost against service level for every scenario, variant and sweep point.

The picked file's scenarios (its quick view, or the full plan by default once it
has run; every point says which),
and by default those of every other file in the list, each as its own quick
run. Points are compared where it means something: same currency and same
horizon length (one chart and one table per such group); the efficient
frontier and the deltas come from :func:`scenarios.comparison_table` and
:func:`scenarios.deltas`. Reshaping only: no maths here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import streamlit as st

import scenarios
from dashboard import _cached, _knobs, _layout, _point_labels, _state, _tables
from scenarios import figures as figs

#: Widest the scenario column grows to show whole names, px (a 1000 px window has ~540).
MAX_NAME_PX = 300


def pinned(names: list[str]) -> dict[str, object]:
    """The scenario column: wide enough for its longest name (up to :data:`MAX_NAME_PX`), and
    kept in view while the table scrolls sideways."""
    width = min(MAX_NAME_PX, 7 * max((len(n) for n in names), default=8) + 24)
    return {"scenario": st.column_config.TextColumn(pinned=True, width=width)}
MONEY = st.column_config.NumberColumn(format="%,.2f")
WHOLE_MONEY = st.column_config.NumberColumn(format="%,.0f")
#: Knobs that scale a file's own values, so they mean the same for every file.
SHARED_KNOBS = ("volume_scale", "aht_scale", "wage_scale")


@dataclass(frozen=True)
class Entry:
    """One scenario file's results on this page."""

    file: str                                   # its label in the list of files
    results: list[scenarios.ScenarioResult]


def horizon_days(result: scenarios.ScenarioResult) -> float:
    """The horizon's length in days (from the result's summary), for grouping and titles."""
    start = pd.Timestamp(result.summary["horizon_start"])
    end = pd.Timestamp(result.summary["horizon_end"])
    return round((end - start).total_seconds() / 86400.0, 2)


st.title("Compare")
cur = _state.current()
if cur is None:
    st.stop()
_state.caption(cur)

# One under the other: side by side, the checkbox's label was cut at 1000 px.
include_others = st.checkbox(
    "Also compare the other scenario files in the list", value=True, key="cmp_others",
    help="Bundled examples, the folder given to ccplan dashboard, and your uploads.")
full = cur.full_if_run()
kind = "quick"
if full is not None:
    kind = str(st.radio(f"Results of {cur.path.name}", ["quick", "full"], index=1,
                        horizontal=True, key="cmp_kind",
                        captions=[_state.KIND_WORDS["quick"], _state.KIND_WORDS["full"]],
                        help="quick: Erlang staffing paid interval by "
                        "interval. full: the shift schedule and the simulation."))
_state.show_ranking_warning(cur)
st.caption(
    f"**{cur.path.name}**: its {_state.KIND_WORDS[kind]} with all the knobs. Other files: "
    "their quick view (Erlang, no shifts, no simulation) with only the knobs that scale a "
    "file's own values (volume, AHT, wage); the ones that set a value (target, opening "
    "hours, patience, premiums, shrinkage) belong to the picked file, so the other files "
    "keep their own. Scenarios are compared within one currency and horizon length.")

try:
    picked_results = full if kind == "full" and full is not None else cur.quick()
except (scenarios.ScenarioError, ValueError) as err:
    st.error(str(err), icon=":material/error:")
    st.stop()
sources = _state.sources()
file_names = [path.name for path in sources.values()]


def file_label(label: str, path: Path) -> str:
    """The file's name, or its label in the list when two files share the name."""
    return path.name if file_names.count(path.name) == 1 else label


# Every point says which run it comes from: the other files are always quick views.
entries = [Entry(f"{file_label(cur.label, cur.path)} ({_state.KIND_SHORT[kind]})",
                 list(picked_results))]
skipped: list[str] = []
if include_others:
    with st.spinner("Running the other files (quick)..."):
        for label, path in sources.items():
            if label == cur.label:
                continue
            try:
                key = _cached.file_key(path)
                base = _cached.base_scenario(path)
                knobs = replace(_knobs.defaults(base),
                                **{name: getattr(cur.knobs, name) for name in SHARED_KNOBS})
                knobs_json = _knobs.as_json(_knobs.overrides(knobs, base))
                entries.append(Entry(f"{file_label(label, path)} (quick view)",
                                     list(_cached.run(str(path), key, knobs_json, "quick"))))
            except (scenarios.ScenarioError, ValueError) as err:
                skipped.append(f"**{label}**: {err}")
if skipped:
    with st.expander(f"Not compared: {len(skipped)} file(s) whose quick run failed"):
        for line in skipped:
            st.markdown(line)

# Groups of comparable points: (currency, horizon days) -> [(file, result)], picked file first.
groups: dict[tuple[str, float], list[tuple[str, scenarios.ScenarioResult]]] = {}
for entry in entries:
    for result in entry.results:
        group = (str(result.summary.get("currency", "")), horizon_days(result))
        groups.setdefault(group, []).append((entry.file, result))
def long_label(result: scenarios.ScenarioResult) -> str:
    """The scenario's name, a sweep point's fields cut to their last part (its long label)."""
    return scenarios.report.scenario_label(result, short=False)


all_names = [long_label(r) for members in groups.values() for _, r in members]
repeated = {n for n in all_names if all_names.count(n) > 1}


def point_label(file: str, result: scenarios.ScenarioResult) -> str:
    """The scenario's name (sweep fields cut to their last part), with its file when another
    file has a scenario of that name."""
    name = long_label(result)
    return f"{name} ({file})" if name in repeated else name


tables: dict[str, tuple[pd.DataFrame, list[str], str]] = {}   # label -> (table, files, currency)
for g, ((currency, days), members) in enumerate(groups.items()):
    results = [r for _, r in members]
    files = [f for f, _ in members]
    names = [point_label(f, r) for f, r in members]
    table = scenarios.comparison_table(results)
    table["scenario"] = names
    if len(groups) > 1:
        st.subheader(f"{currency}, {days:g}-day horizon")
    # Each point by what tells it apart (a sweep point: its swept values), placed apart.
    points = table.assign(file=files, label=[
        _point_labels.point_label(r, currency) for r in results])
    title = (f"Cost against service level ({currency}, {days:g}-day horizon)"
             if str(table["frontier_basis"].iloc[0]) == "cost" else
             f"Cost per handled contact against service level ({currency}, {days:g}-day "
             "horizon)")
    st.plotly_chart(_layout.legend_below(figs.frontier_figure(
                        points, currency, title, plot_px=_point_labels.PLOT_PX)),
                    key=f"cmp_chart_{g}", width="stretch")
    shown = _tables.summary(results, currency).drop(columns=["paid hours"])
    shown["scenario"] = names
    shown.insert(3, f"cost per handled contact ({currency})",
                 table["cost_per_handled"].round(2).to_numpy())
    basis = str(table["frontier_basis"].iloc[0])
    shown["efficient"] = table["is_efficient"].to_numpy()
    if len(set(files)) > 1:
        shown["file"] = files
    st.dataframe(shown, hide_index=True, width="stretch", key=f"cmp_table_{g}",
                 height=_tables.whole_height(len(shown)),
                 column_config={**_tables.summary_config(currency), **pinned(names),
                                f"cost per handled contact ({currency})": MONEY})
    st.caption("Efficient judged on **total cost** (every scenario here offers the same "
               "volume)." if basis == "cost" else
               "Efficient judged on **cost per handled contact**: the scenarios offer "
               "different volumes, so a lower total can mean serving fewer contacts.")
    for name in names:
        tables[name] = (table, files, currency)
st.caption("Efficient (filled markers, dashed line): no other scenario of the same group costs "
           "no more and reaches at least the same service level while being better in one of "
           "the two; the cost judged is named under each table and on the chart's axis. Cost "
           "is over the horizon; service level, abandoned and occupancy are % of "
           "contacts (occupancy: of agents' time). Sweep points are named by the last part of "
           "each field they set (aht=240 for channels.voice.aht=240); on the charts, by the values "
           "they sweep (aht 4m, 19 EUR/h). A label with no room is left to the hover.")

st.subheader("Deltas against a baseline")
labels = list(tables)
default = point_label(entries[0].file, picked_results[0]) if picked_results else labels[0]
baseline = st.selectbox("Baseline scenario", labels, index=labels.index(default),
                        key="cmp_baseline")
table, files, currency = tables[baseline]
delta = scenarios.deltas(table, baseline)
shown = pd.DataFrame({"scenario": delta["scenario"]})
shown[f"Δ cost ({currency})"] = delta["delta_cost"].round(2)
shown[f"Δ cost per contact ({currency})"] = delta["delta_cost_per_contact"].round(3)
shown["Δ service level (points)"] = (100.0 * delta["delta_service_level"]).round(1)
shown["Δ ASA (s)"] = delta["delta_asa_s"].round(1)
shown["Δ abandoned (points)"] = (100.0 * delta["delta_abandon_rate"]).round(2)
shown["Δ occupancy (points)"] = (100.0 * delta["delta_occupancy"]).round(1)
shown["Δ FTE"] = delta["delta_fte"].round(1)
shown[f"Δ annual cost ({currency})"] = delta["delta_annual_cost"].round(0)
if len(set(files)) > 1:
    shown["file"] = files
st.dataframe(shown, hide_index=True, width="stretch", key="cmp_deltas",
             height=_tables.whole_height(len(shown)),
             column_config={**pinned(list(shown["scenario"])),
                            f"Δ cost ({currency})": MONEY,
                            f"Δ annual cost ({currency})": WHOLE_MONEY,
                            f"Δ cost per contact ({currency})":
                                st.column_config.NumberColumn(format="%+.3f"),
                            "Δ service level (points)":
                                st.column_config.NumberColumn(format="%+.1f"),
                            "Δ ASA (s)": st.column_config.NumberColumn(format="%+.1f"),
                            "Δ abandoned (points)":
                                st.column_config.NumberColumn(format="%+.2f"),
                            "Δ occupancy (points)":
                                st.column_config.NumberColumn(format="%+.1f"),
                            "Δ FTE": st.column_config.NumberColumn(format="%+.1f")})
st.caption(f"Each scenario minus **{baseline}**, within its group ({currency}, same horizon "
           "length). Points: percentage points.")
