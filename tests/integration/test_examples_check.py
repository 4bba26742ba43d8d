"""The bundled examples (``scenarios/examples/*.yaml``) load, and ``ccplan check`` passes on them.

The full check runs every example with its variants, schedules and simulations (about 45 s
on two cores), so it is marked ``slow``: ``pytest -m slow tests/integration``. The loading
test is quick and runs by default.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

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
# (scenarios/_expect.py docstring); every other line gives one outcome.
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
                                               "anonymous_bank.yaml"}


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
    # ... and the loaded scenarios (base, variants, sweep points) point at existing files.
    for scn in scenarios:
        for ch in scn.channels:
            if ch.volume["kind"] in ("file", "history"):
                assert Path(ch.volume["path"]).is_file(), (scn.name, ch.name)
                assert Path(ch.volume["path"]).resolve() in written


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
