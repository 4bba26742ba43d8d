"""Scenarios run serially, on 2 local processes and on a Dask LocalCluster give identical tables.

A failing scenario is reported with its name and reason; the others are kept.
"""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from typer.testing import CliRunner

from scenarios import ScenarioError, load_scenarios, run_many, run_scenario
from scenarios.cli import app

SWEEP = """\
name: grid
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
seed: 42
channels:
  voice: {volume: {daily: 600, profile: flat}, aht: 3m, target: 80% in 20s, patience: 2m}
staffing: {method: erlang_a, shrinkage: 0.2}
simulation: {replications: 3}
sweep:
  volume_scale: [0.8, 1.0, 1.2]
  channels.voice.aht: [150, 210]
"""

# Email due within an hour while the centre is closed at night: the second point cannot be
# staffed (staffing.deferred_requirements refuses it); the first can.
FAILING = """\
name: mail
interval: 1h
horizon: {start: 2026-03-02, days: 2}
hours: 8x5
channels:
  email: {volume: {daily: 240, profile: flat}, aht: 5m, target: 95% in 48h, deferred: true}
sweep:
  channels.email.target: ["95% in 48h", "95% in 1h"]
"""

TABLES = ("intervals", "channels", "totals", "cost_breakdown")


def write(tmp_path, text, name="s.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_same(a, b):
    assert [r.name for r in a] == [r.name for r in b]
    for ra, rb in zip(a, b, strict=True):
        for table in TABLES:
            pd.testing.assert_frame_equal(getattr(ra, table), getattr(rb, table))
        assert ra.summary == rb.summary


@pytest.fixture(scope="module")
def grid(tmp_path_factory):
    return load_scenarios(write(tmp_path_factory.mktemp("grid"), SWEEP))


@pytest.mark.slow
def test_two_processes_give_the_serial_tables(grid):
    serial, f1 = run_many(grid, workers=1)
    parallel, f2 = run_many(grid, workers=2)
    assert f1 == f2 == []
    assert len(serial) == 7        # base + 3 x 2 sweep points
    assert_same(serial, parallel)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_tables(grid):
    serial, _ = run_many(grid[:3], workers=1)
    on_dask, failures = run_many(grid[:3], workers=2, dask="local")
    assert failures == []
    assert_same(serial, on_dask)


@pytest.mark.slow
def test_progress_counts_every_scenario(grid):
    seen = []
    run_many(grid[:3], workers=2, on_done=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_scenario_is_reported_and_the_others_kept(tmp_path, workers):
    found = load_scenarios(write(tmp_path, FAILING))
    results, failures = run_many(found, workers=workers)
    names = [s.name for s in found]
    assert names[2] == "mail / channels.email.target=95% in 1h"
    assert results[2] is None
    assert [(f.index, f.scenario, f.is_expected) for f in failures] == [(2, names[2], True)]
    assert "closed for that whole window" in failures[0].message
    # The others are there, and equal to running them alone.
    alone = run_scenario(found[1])
    pd.testing.assert_frame_equal(results[1].totals, alone.totals)


@pytest.mark.slow
def test_cli_writes_the_others_and_exits_2_naming_the_scenario(tmp_path):
    path = write(tmp_path, FAILING)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 2, result.output
    assert "scenario 'mail / channels.email.target=95% in 1h' failed" in result.output
    totals = pd.read_csv(out / "totals.csv")
    assert totals["scenario"].tolist() == ["mail", "mail / channels.email.target=95% in 48h"]


def test_bad_worker_count_is_an_input_error(grid):
    with pytest.raises(ScenarioError, match=r"--workers must be a whole number >= 1, got 0"):
        run_many(grid, workers=0)


def test_dask_without_its_package_says_what_to_install(grid, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)   # import distributed now fails
    with pytest.raises(ScenarioError, match=r'pip install "ccplan\[dask\]"'):
        run_many(grid[:2], dask="local")


ONE = """\
name: one
interval: 1h
horizon: {start: 2026-03-02, days: 1}
hours: 24x7
seed: 5
channels:
  voice: {volume: {daily: 600, profile: flat}, aht: 3m, target: 80% in 20s, patience: 2m}
  chat: {volume: {daily: 300, profile: flat}, aht: 5m, target: 80% in 60s, patience: 4m,
         concurrency: 2}
agents: {team: {skills: [voice, chat]}}
staffing: {method: erlang_a, shrinkage: 0.2}
simulation: {replications: 6}
"""


@pytest.mark.slow
@pytest.mark.parametrize("dask", [None, "local"], ids=["processes", "dask"])
def test_one_scenario_splits_its_replications_and_gives_the_serial_tables(tmp_path, dask):
    found = load_scenarios(write(tmp_path, ONE))
    assert len(found) == 1
    serial, _ = run_many(found, workers=1)
    split, failures = run_many(found, workers=2, dask=dask)
    assert failures == []
    assert_same(serial, split)


def test_a_failing_part_names_the_scenario_and_its_replications(tmp_path):
    import concurrent.futures

    class Broken(concurrent.futures.Executor):
        """An executor whose parts fail, as a crashed worker would."""

        def submit(self, fn, *args, **kwargs):
            future = concurrent.futures.Future()
            future.set_exception(RuntimeError("worker lost"))
            return future

    scn = load_scenarios(write(tmp_path, ONE))[0]
    with pytest.raises(ScenarioError, match=r"one: replications \[0, 2, 4\] of the simulation "
                                            r"failed on a worker: RuntimeError: worker lost"):
        run_scenario(scn, executor=Broken(), chunks=2)
