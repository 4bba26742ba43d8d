"""Per-user choices (``st.session_state``): where scenarios come from, which is picked, the knobs.

Every page calls :func:`current` to get the picked file, its key, the knob
overrides and the results of the quick run, so the pages agree on what they
show. Uploaded files live in a temporary folder of this session only, under
a cleaned, shortened name; their content is size-limited and read as YAML by
:mod:`scenarios` (safe loading, nothing executed, the document's size bounded
by the loader), and they are loaded confined to that folder
(``_cached.confinement``): no path inside them reaches outside it, whatever
``allow_outside_folder`` they set.
"""

from __future__ import annotations

import queue
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import streamlit as st

import scenarios
from dashboard import _cached, _knobs, _tables

#: Largest scenario file accepted from an upload, bytes.
MAX_UPLOAD_BYTES = 256 * 1024
#: Longest stem kept of an upload's name, UTF-8 bytes (file systems allow 255 in all).
MAX_UPLOAD_STEM_BYTES = 100


def upload_file_name(name: str) -> str:
    """The name an upload is saved under: its base name, cleaned, shortened, ``.yaml``/``.yml``.

    Letters, digits, ``.``, ``_`` and ``-`` are kept, anything else becomes
    ``_``; no leading dot; the stem is cut to ``MAX_UPLOAD_STEM_BYTES``.

    Examples
    --------
    >>> upload_file_name("../../etc/passwd")
    'passwd.yaml'
    >>> len(upload_file_name("a" * 300 + ".yaml"))
    105
    """
    base = Path(name.replace("\\", "/")).name
    safe = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base)
    stem, dot, suffix = safe.rpartition(".")
    if not dot or suffix.lower() not in ("yaml", "yml"):
        stem, suffix = safe, "yaml"
    stem = stem.lstrip(".")
    while len(stem.encode("utf-8")) > MAX_UPLOAD_STEM_BYTES:
        stem = stem[:-1]
    return f"{stem or 'upload'}.{suffix}"


def folder_argument() -> Path | None:
    """The folder or file of ``ccplan dashboard PATH`` (``streamlit run app.py -- PATH``)."""
    return _cached.folder_argument()


def sources() -> dict[str, Path]:
    """Scenario files to choose from, by label: bundled, the folder given, and uploads."""
    out: dict[str, Path] = {}
    for path in scenarios.example_files():
        out[f"bundled: {path.name}"] = path
    folder = folder_argument()
    if folder is not None:
        try:
            for path in scenarios.scenario_files([folder]):
                out[f"{folder.name}: {path.name}"] = path
        except scenarios.ScenarioError as err:
            st.session_state["folder_error"] = str(err)
    for name, path in st.session_state.get("uploads", {}).items():
        out[f"uploaded: {name}"] = Path(path)
    return out


def save_upload(name: str, data: bytes) -> Path:
    """Keep an uploaded YAML in this session's temporary folder; return its path.

    Raises ``ValueError`` (shown on the page) when the file is too large or
    not UTF-8 text; the YAML itself is checked by :mod:`scenarios` on load.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"{name}: {len(data):,} bytes; scenario files are at most "
                         f"{MAX_UPLOAD_BYTES // 1024} KB here. Use the command line for larger "
                         "ones.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{name}: not a UTF-8 text file. Save the scenario as UTF-8 "
                         "YAML.") from None
    folder = st.session_state.get("upload_dir")
    if folder is None or not Path(folder).is_dir():
        folder = tempfile.mkdtemp(prefix=_cached.UPLOAD_PREFIX)
        st.session_state["upload_dir"] = folder
    # Only the cleaned base name is kept: an upload never chooses where it is written.
    safe = upload_file_name(name)
    path = Path(folder) / safe
    try:
        path.write_bytes(data)
    except OSError as err:
        raise ValueError(f"{safe}: could not be kept on the server ({err.strerror}). Try "
                         "again, or use the command line.") from None
    uploads = dict(st.session_state.get("uploads", {}))
    uploads[safe] = str(path)
    st.session_state["uploads"] = uploads
    return path


@dataclass(frozen=True)
class Current:
    """What the pages show: the picked file, its base scenario, the knobs and their overrides."""

    label: str
    path: Path
    key: str
    base: scenarios.Scenario
    knobs: _knobs.Knobs
    overrides: dict[str, Any]

    @property
    def knobs_json(self) -> str:
        return _knobs.as_json(self.overrides)

    def quick(self, sweep: bool = True) -> list[scenarios.ScenarioResult]:
        """The quick run (Erlang, interval staffing) of the file's scenarios.

        ``sweep=False``: the base and variants only (the sweep points take
        about 0.2 s each).
        """
        return _cached.run(str(self.path), self.key, self.knobs_json, "quick", sweep=sweep)

    def full_if_run(self) -> list[scenarios.ScenarioResult] | None:
        """The full run, if the user started it for exactly these settings."""
        if st.session_state.get("full_run") == (str(self.path), self.key, self.knobs_json):
            return _cached.run(str(self.path), self.key, self.knobs_json, "full")
        return None


def picked_label(options: dict[str, Path]) -> str:
    label = st.session_state.get("picked")
    if label not in options:
        label = next((k for k in options if k.endswith("retail_bank.yaml")), next(iter(options)))
        st.session_state["picked"] = label
    return str(label)


def current() -> Current | None:
    """The picked file with the knobs applied; shows the error and returns None if broken."""
    options = sources()
    label = picked_label(options)
    path = options[label]
    try:
        key = _cached.file_key(path)
        base = _cached.base_scenario(path)
    except (scenarios.ScenarioError, ValueError) as err:
        st.error(str(err), icon=":material/error:")
        return None
    stored = st.session_state.get("knobs", {}).get(key)
    knobs = _knobs.Knobs(**stored) if stored else _knobs.defaults(base)
    if stored:
        knobs = replace(knobs, custom_days=tuple(knobs.custom_days),
                        live_channels=tuple(knobs.live_channels))
    return Current(label, path, key, base, knobs, _knobs.overrides(knobs, base))


def store_knobs(key: str, knobs: _knobs.Knobs) -> None:
    all_knobs = dict(st.session_state.get("knobs", {}))
    all_knobs[key] = _knobs.knobs_dict(knobs)
    st.session_state["knobs"] = all_knobs


def caption(cur: Current) -> None:
    """One line under each page title: which file, and what the knobs change."""
    changed = ", ".join(f"{k} = {v}" for k, v in cur.overrides.items()) or "none"
    st.caption(f"Scenario file: **{cur.label}** (pick another on the Scenarios page). "
               f"Knobs changed: {changed}.")


def run_full(cur: Current) -> bool:
    """Run the full plan (shifts, simulation) of the picked file with a progress bar.

    ``_cached.run`` is an ``st.cache_data`` function: an element it updated
    while running would be recorded and replayed on every later cache hit,
    which fails for a bar made outside it. So the run happens in a worker
    thread that only queues its progress, and the script's thread draws the
    bar. On success the run is remembered for these settings (pages then
    show it); errors are shown as the CLI prints them. Returns whether it ran.
    """
    bar = st.progress(0.0, text="starting")
    updates: queue.Queue[tuple[float, str]] = queue.Queue()
    outcome: dict[str, BaseException] = {}

    def work() -> None:
        try:
            _cached.run(str(cur.path), cur.key, cur.knobs_json, "full",
                        _progress=lambda share, text: updates.put((share, text)))
        except BaseException as err:  # shown or re-raised below, in the script's thread
            outcome["error"] = err

    worker = threading.Thread(target=work, name="ccplan-full-run", daemon=True)
    worker.start()
    while worker.is_alive() or not updates.empty():
        try:
            share, text = updates.get(timeout=0.2)
        except queue.Empty:
            continue
        bar.progress(min(max(share, 0.0), 1.0), text=text)
    worker.join()
    bar.empty()     # a bar left at "done" above the results reads as work still going on
    err = outcome.get("error")
    if isinstance(err, scenarios.ScenarioError | ValueError):
        st.error(str(err), icon=":material/error:")
        return False
    if err is not None:
        raise err
    st.session_state["full_run"] = (str(cur.path), cur.key, cur.knobs_json)
    return True


#: What each kind of run is, in the words every quick figure is labelled with.
KIND_WORDS = {"quick": "quick view (interval Erlang, no shifts, no simulation)",
              "full": "full plan (shift schedule and simulation)"}
#: Short suffix for metric labels and titles.
KIND_SHORT = {"quick": "quick view", "full": "full plan"}


def pick_results(cur: Current, key: str) -> tuple[list[scenarios.ScenarioResult], str]:
    """The results a page shows: the full plan once it exists (by default), else the quick view.

    Once the full run exists a radio offers both, set to the full plan; the
    quick view stays one click away. Shows the run's error and stops the page
    when the quick run fails. Returns the results and ``"quick"`` or
    ``"full"``.
    """
    full = cur.full_if_run()
    kind = "quick"
    if full is not None:
        kind = str(st.radio("Results", ["quick", "full"], index=1, horizontal=True, key=key,
                            captions=[KIND_WORDS["quick"], KIND_WORDS["full"]],
                            help="quick: Erlang staffing paid interval by interval. full: "
                                 "the shift schedule and the simulation."))
    if kind == "full" and full is not None:
        return full, kind
    try:
        return cur.quick(), kind
    except (scenarios.ScenarioError, ValueError) as err:
        st.error(str(err), icon=":material/error:")
        st.stop()
        raise  # unreachable: st.stop() ends the script


def ranking_warning(cur: Current) -> str | None:
    """A warning when the quick view and the full plan rank the scenarios differently.

    Ranked by cost per contact offered (cheapest first), over the scenarios
    both runs have. None without a full run, or when the orders agree.
    """
    full = cur.full_if_run()
    if full is None:
        return None
    try:
        quick = cur.quick()
    except (scenarios.ScenarioError, ValueError):
        return None
    quick_order = _tables.cost_ranking(quick)
    full_order = _tables.cost_ranking(full)
    common = [n for n in full_order if n in quick_order]
    quick_common = [n for n in quick_order if n in common]
    if len(common) < 2 or quick_common == common:
        return None

    def listed(order: list[str], results: list[scenarios.ScenarioResult]) -> str:
        per = {r.name: float(r.totals["cost_per_contact"].iloc[0]) for r in results}
        return " < ".join(f"{n} ({per[n]:,.2f})" for n in order)

    return (f"The quick view and the full plan rank the scenarios differently by cost per "
            f"contact ({cur.base.currency}). Quick view: {listed(quick_common, quick)}. Full "
            f"plan: {listed(common, full)}. The quick view has no shifts and no simulation; "
            "the full plan is the one to decide on.")


def show_ranking_warning(cur: Current) -> None:
    """Draw :func:`ranking_warning`'s text, if any, as a warning box."""
    text = ranking_warning(cur)
    if text:
        st.warning(text, icon=":material/warning:")


def full_run_button(cur: Current, key: str) -> None:
    """The "Run the full plan" button; pressed, it runs the full plan with a progress bar."""
    if st.button("Run the full plan (shifts and simulation)", key=key, type="primary"):
        run_full(cur)
