"""Cached calls into the public API of :mod:`scenarios` (STYLE.md section 11).

Pages never run the pipeline themselves: they call these wrappers. Keys are
hashable values only: the file's path and key (the SHA-256 of the file and
the files it extends, so an edited file is a new key), the knob settings as
JSON text, and the kind of run. Results are
DataFrames inside :class:`scenarios.ScenarioResult` objects, which Streamlit
pickles and copies per call.

Two kinds of run:

- ``quick``: :meth:`scenarios.Scenario.analytic`: Erlang staffing paid
  interval by interval, without the file's shift templates and simulation.
  A week takes a fraction of a second, so the knobs update the numbers live.
- ``full``: the scenario as written (shift schedule, simulation), on demand,
  with a progress bar.

Every scenario file is loaded through :func:`confinement`: the bundled
examples and the files of ``ccplan dashboard PATH`` are the user's own and
load as ``ccplan`` would; anything else, and an upload always, is confined to
its own folder (``load_scenarios(confine_to=...)``), whatever
``allow_outside_folder`` it sets.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

import scenarios

#: Prefix of the temporary folder that holds a session's uploads.
UPLOAD_PREFIX = "ccplan-upload-"


def folder_argument() -> Path | None:
    """The folder or file of ``ccplan dashboard PATH`` (``streamlit run app.py -- PATH``)."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return Path(args[0]) if args else None


def confinement(path: str | Path) -> str | None:
    """The folder a scenario file may not reach outside of, or None for the user's own files.

    Uploads (in a folder named ``ccplan-upload-...``) are confined to their
    folder; the bundled examples and the files under the PATH given to
    ``ccplan dashboard`` are not; any other file is confined to its folder.
    """
    resolved = Path(path).resolve()
    if resolved.parent.name.startswith(UPLOAD_PREFIX):
        return str(resolved.parent)
    trusted = sorted({p.resolve().parent for p in scenarios.example_files()})
    given = folder_argument()
    if given is not None:
        trusted.append(given.resolve())
    if any(resolved == t or resolved.is_relative_to(t) for t in trusted if t.is_dir()) or (
            given is not None and resolved == given.resolve()):
        return None
    return str(resolved.parent)


def load_scenarios(path: str | Path, **kwargs: Any) -> list[scenarios.Scenario]:
    """``scenarios.load_scenarios`` with the file confined as :func:`confinement` says."""
    return scenarios.load_scenarios(path, confine_to=confinement(path), **kwargs)


def base_scenario(path: str | Path) -> scenarios.Scenario:
    """The base scenario of a file (no variants, no knobs), confined as an upload must be."""
    return load_scenarios(path, variants=False)[0]


@st.cache_data(max_entries=64, show_spinner=False, ttl=3600)
def load(path: str, text: str, knobs_json: str = "", kind: str = "full"
         ) -> list[scenarios.Scenario]:
    """The scenarios (base, variants, sweep points) of a file, with the knobs applied.

    ``text`` is the file's key (:func:`file_key`): part of the cache key only.
    ``kind="quick"`` gives each scenario's :meth:`scenarios.Scenario.analytic` form.
    """
    knobs = json.loads(knobs_json) if knobs_json else {}
    found = load_scenarios(path, overrides=knobs)
    return [s.analytic() for s in found] if kind == "quick" else found


@st.cache_data(max_entries=32, show_spinner=False, ttl=3600)
def run(path: str, text: str, knobs_json: str = "", kind: str = "quick",
        _progress: Callable[[float, str], None] | None = None, sweep: bool = True
        ) -> list[scenarios.ScenarioResult]:
    """Run the scenarios of a file (``kind`` quick or full); cached on path, text and knobs.

    ``sweep=False`` leaves the sweep points out (the base and variants only).
    """
    found = [s for s in load(path, text, knobs_json, kind) if sweep or s.kind != "sweep"]
    results = []
    for i, scn in enumerate(found):
        def stage(name: str, i: int = i, scn: scenarios.Scenario = scn) -> None:
            if _progress is not None:
                _progress(i / len(found), f"{scn.name}: {name}")

        def replication(done: int, i: int = i, scn: scenarios.Scenario = scn) -> None:
            if _progress is not None and scn.n_replications:
                share = (i + done / scn.n_replications) / len(found)
                _progress(share, f"{scn.name}: simulation, replication {done} of "
                                 f"{scn.n_replications}")

        results.append(scenarios.run_scenario(scn, on_stage=stage, on_replication=replication))
    if _progress is not None:
        _progress(1.0, "done")
    return results


@st.cache_data(max_entries=16, show_spinner=False, ttl=3600)
def forecast(path: str, text: str, knobs_json: str = ""
             ) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """History, forecast (80% interval) and the backtest scores of the base scenario."""
    base = load_scenarios(path, variants=False,
                          overrides=json.loads(knobs_json) if knobs_json else None)[0]
    history, fc = scenarios.pipeline.scenario_forecast(base)
    return history, fc.table, dict(fc.methods)


@st.cache_data(max_entries=8, show_spinner=False, ttl=3600)
def report_html(path: str, text: str, knobs_json: str, kind: str) -> str:
    """The HTML report of ``ccplan run`` for these results (with their checks)."""
    results = run(path, text, knobs_json, kind)
    outcomes = [o for r in results for o in scenarios.check_expectations(r)]
    return scenarios.report.run_report_html(results, outcomes=outcomes)


@st.cache_data(max_entries=16, show_spinner=False, ttl=3600)
def capacity(path: str, text: str, knobs_json: str, scenario: str
             ) -> scenarios.pipeline.CapacityResult:
    """The long-range capacity plan (``run_capacity``) of one scenario of a file, with the
    Capacity page's knobs applied as overrides (as a variant would set them)."""
    found = load_scenarios(path, overrides=json.loads(knobs_json) if knobs_json else None)
    picked = next((s for s in found if s.name == scenario), None)
    if picked is None:
        raise ValueError(f"{Path(path).name}: no scenario named {scenario!r} (it has "
                         f"{', '.join(s.name for s in found)}). Pick one of them.")
    return scenarios.pipeline.run_capacity(picked)


@st.cache_data(max_entries=64, show_spinner=False, ttl=3600)
def capacity_scenarios(path: str, text: str) -> list[str]:
    """The names of a file's scenarios (base, variants, sweep points) with a ``capacity:``
    block; ``text`` is the file's key (:func:`file_key`)."""
    return [s.name for s in load_scenarios(path) if s.capacity is not None]


def checks(results: list[scenarios.ScenarioResult]) -> list[scenarios.compare.CheckOutcome]:
    """The expectation outcomes of the results (cheap: no cache needed)."""
    return [o for r in results for o in scenarios.check_expectations(r)]


def file_key(path: str | Path) -> str:
    """The cache key of a scenario file: the SHA-256 of it and every file it extends.

    Raises :class:`scenarios.InputFileError` for a broken file (pages show it).
    """
    return base_scenario(path).sha256
