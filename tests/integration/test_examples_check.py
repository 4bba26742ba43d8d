"""The bundled examples (``scenarios/examples/*.yaml``) load, and ``ccplan check`` passes on them.

The full check runs every example with its variants, schedules and simulations (about 45 s
on two cores), so it is marked ``slow``: ``pytest -m slow tests/integration``. The loading
test is quick and runs by default.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from scenarios import load_scenarios
from scenarios.cli import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"
# What `ccplan check scenarios/examples` runs: the folder's *.yaml, not the partial bases
# (names starting with '_') and not the data subfolders.
EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.yaml") if not p.name.startswith("_"))
# Metrics that, written without a scope, are checked on every channel separately
# (scenarios/compare/_expect.py docstring); every other line gives one outcome.
PER_CHANNEL = ("service_level", "asa_s", "abandon_rate", "occupancy",
               "open_intervals_meeting_target")


def _outcomes_expected(path: Path) -> dict[str, int]:
    """Outcomes per scenario name, counted from the file's expect lines and channels."""
    out = {}
    for scn in load_scenarios(path):
        n = 0
        for line in scn.expectations:
            subject = line.split("<")[0].split(">")[0].strip()
            unscoped = "." not in subject
            n += len(scn.channels) if unscoped and subject in PER_CHANNEL else 1
        out[scn.name] = n
    return out


def _chain(path: Path) -> list[Path]:
    """The file and the files it extends (``extends:``, relative to each file), child first."""
    out = [path.resolve()]
    while True:
        parent = yaml.safe_load(out[-1].read_text(encoding="utf-8")).get("extends")
        if not parent:
            return out
        out.append((out[-1].parent / parent).resolve())
        assert out[-1] not in out[:-1], out


def test_there_are_examples():
    assert {p.name for p in EXAMPLE_FILES} >= {"retail_bank.yaml", "blended.yaml",
                                               "anonymous_bank.yaml", "retail_bank_year.yaml",
                                               "vancouver_311_capacity.yaml"}


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_loads_and_its_volume_files_exist(path):
    scenarios = load_scenarios(path)
    assert scenarios, path
    assert scenarios[0].name == yaml.safe_load(path.read_text(encoding="utf-8")).get(
        "name", path.stem)
    assert all(scn.expectations for scn in scenarios), "every example checks something"

    # Every volume: {file: ...} or {history: ...} as written, relative to the file that
    # writes it (the example or a file it extends).
    written = []
    for source in _chain(path):
        doc = yaml.safe_load(source.read_text(encoding="utf-8"))
        for channel, spec in (doc.get("channels") or {}).items():
            volume = (spec or {}).get("volume") or {}
            for key in ("file", "history"):
                if key in volume:
                    target = (source.parent / volume[key]).resolve()
                    assert target.is_file(), f"{source.name}: channels.{channel}.volume.{key}"
                    assert target.is_relative_to(EXAMPLES), target
                    written.append(target)
        demand = (doc.get("capacity") or {}).get("demand") or {}
        for key in ("history", "table"):
            if key in demand:
                target = (source.parent / demand[key]).resolve()
                assert target.is_file(), f"{source.name}: capacity.demand.{key}"
                assert target.is_relative_to(EXAMPLES), target
                written.append(target)
    # ... and the loaded scenarios (base, variants, sweep points) point at existing files.
    for scn in scenarios:
        for ch in scn.channels:
            if ch.volume["kind"] in ("file", "history"):
                assert Path(ch.volume["path"]).is_file(), (scn.name, ch.name)
                assert Path(ch.volume["path"]).resolve() in written
        if scn.capacity is not None:
            for path in (scn.capacity.history, scn.capacity.table):
                if path is not None:
                    assert Path(path).is_file() and Path(path).resolve() in written, scn.name


@pytest.mark.slow
def test_ccplan_check_passes_on_every_example(tmp_path):
    report = tmp_path / "check.xml"
    result = CliRunner().invoke(app, ["check", str(EXAMPLES), "--junit", str(report)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert not [line for line in lines if line.startswith("FAIL")], result.stdout

    expected: dict[str, int] = {}
    for path in EXAMPLE_FILES:
        expected.update(_outcomes_expected(path))
    total = sum(expected.values())
    assert len(lines) == total
    assert f"{total} of {total} expectation(s) passed" in result.stdout
    assert f"from {len(EXAMPLE_FILES)} file(s)" in result.stdout

    root = ET.parse(report).getroot()
    assert (root.get("tests"), root.get("failures")) == (str(total), "0")
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == set(expected)
    for name, suite in suites.items():
        assert suite.get("tests") == str(expected[name]), name
        assert suite.get("failures") == "0", name
        assert all(case.find("failure") is None for case in suite.findall("testcase"))


# What no correct run can show, whatever the inputs: each is a conservation law or the
# definition of the measure, independent of how ccplan computes it.
FRACTIONS = ("service_level", "abandon_rate", "occupancy", "open_intervals_meeting_target")


def _in_unit_interval(frame, columns, where):
    for column in columns:
        if column in frame:
            values = frame[column].dropna()
            assert ((values >= -1e-9) & (values <= 1 + 1e-9)).all(), (where, column,
                                                                      values.describe())


@pytest.mark.slow
def test_every_example_result_obeys_the_laws_of_a_queue():
    from scenarios import run_many

    scenarios = [scn for path in EXAMPLE_FILES for scn in load_scenarios(path)]
    results, failures = run_many(scenarios, workers=2)
    assert not failures, failures
    for scn, res in zip(scenarios, results, strict=True):
        assert_obeys_the_laws_of_a_queue(scn, res)
        assert float(res.totals["cost"].iloc[0]) > 0, scn.name   # every example pays agents


def assert_obeys_the_laws_of_a_queue(scn, res) -> None:
    """The laws no correct result breaks, whatever its inputs (the fuzz test reuses them).

    Fractions in [0, 1], confidence intervals holding their mean, handled + abandoned <=
    offered, waits >= 0, and money: parts adding up to the whole, nothing negative.
    """
    name = scn.name
    _in_unit_interval(res.totals, FRACTIONS, name)
    _in_unit_interval(res.channels, FRACTIONS + ("service_level_low", "service_level_high"),
                      name)
    _in_unit_interval(res.intervals, FRACTIONS, name)
    ch = res.channels
    # Handled and abandoned contacts come out of those offered (``offered`` is the
    # expected count; a simulation's arrivals are Poisson around it, so allow 5 of its
    # standard deviations, sqrt(offered), for even a single replication).
    assert (ch["handled"] >= 0).all() and (ch["abandoned"] >= 0).all(), name
    room = 5 * np.sqrt(ch["offered"]) if scn.n_replications else 1e-6 * ch["offered"]
    assert (ch["handled"] + ch["abandoned"] <= ch["offered"] + room + 1e-6).all(), name
    # A confidence interval holds its mean.
    sim = ch.dropna(subset=["service_level_low", "service_level_high"])
    assert (sim["service_level_low"] <= sim["service_level"] + 1e-9).all(), name
    assert (sim["service_level"] <= sim["service_level_high"] + 1e-9).all(), name
    # Money: the parts add up to the whole, nothing is negative.
    total = float(res.totals["cost"].iloc[0])
    assert total >= 0 and (res.intervals["cost"] >= -1e-9).all(), name
    assert float(ch["cost"].sum()) == pytest.approx(total, rel=1e-9, abs=1e-9), name
    parts = res.cost_breakdown[res.cost_breakdown["group"] == "component"]
    assert float(parts["amount"].sum()) == pytest.approx(total, rel=1e-6, abs=1e-9), name
    # Waits are waits, and the analytic predictions are fractions too.
    for table in (res.intervals, res.channels, res.totals):
        for column in ("asa_s", "asa_s_low", "asa_s_high", "asa_s_erlang", "mean_queue",
                       "mean_wait_s"):
            if column in table:
                assert (table[column].dropna() >= 0).all(), (name, column)
    _in_unit_interval(res.intervals, ("service_level_erlang", "abandon_rate_erlang"), name)
    # Confidence bands stay in the quantity's range (issue 14: they reached 1.19 and -0.05).
    bands = ("service_level_low", "service_level_high", "abandon_rate_low", "abandon_rate_high")
    for table in (res.intervals, res.channels, res.totals):
        _in_unit_interval(table, bands, name)
