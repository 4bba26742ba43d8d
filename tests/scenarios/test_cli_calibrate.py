"""``ccplan calibrate`` end to end on one real day of the Anonymous Bank's calls
(tests/data/anonymous_bank_calls_day.csv, see tests/data/SOURCE.md): the bad rows refused
then skipped and listed, and every fitted number checked against the same number computed
here from the file with pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from scenarios.cli import app
from scenarios.files.units import parse_duration

DAY = Path(__file__).resolve().parents[1] / "data" / "anonymous_bank_calls_day.csv"
SPELLINGS = "answered=AGENT,abandoned=HANG"
runner = CliRunner()


def _bad_rows_by_hand(calls: pd.DataFrame) -> set[int]:
    answered = calls["outcome"] == "AGENT"
    bad = (calls["wait_s"] < 0) | (answered & ~(calls["handle_s"] > 0))
    return set((np.flatnonzero(bad) + 2).tolist())


def test_bad_rows_refuse_the_file_and_name_their_rows(tmp_path):
    calls = pd.read_csv(DAY)
    expected = _bad_rows_by_hand(calls)
    assert expected  # the real day has some (talk time 0; clocks that disagree)
    result = runner.invoke(app, ["calibrate", str(DAY), "--columns", SPELLINGS,
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{len(expected)} bad rows of {len(calls)}" in result.stderr
    first = min(expected)
    assert f"row {first} column" in result.stderr and "--skip-bad-rows" in result.stderr
    assert not (tmp_path / "out").exists()


def test_calibrate_writes_the_snippet_fits_and_report(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["calibrate", str(DAY), "--columns", SPELLINGS, "--out", str(out),
                                 "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    calls = pd.read_csv(DAY)
    bad = _bad_rows_by_hand(calls)
    assert f"Skipped {len(bad)} bad rows" in result.stdout
    assert set(pd.read_csv(out / "bad_rows.csv")["row"]) == bad
    good = calls.drop(index=[r - 2 for r in bad])
    answered, abandoned = good[good["outcome"] == "AGENT"], good[good["outcome"] == "HANG"]

    fits = pd.read_csv(out / "fits.csv").set_index("quantity")["value"]
    assert fits["contacts"] == len(good)
    assert fits["aht_s"] == pytest.approx(answered["handle_s"].mean())
    # censored exponential patience beyond the 5 s hang-up window: excess wait / abandons
    late = abandoned[abandoned["wait_s"] > 5]
    excess = np.maximum(good["wait_s"] - 5, 0).sum()
    assert fits["mean_patience_s"] == pytest.approx(excess / len(late))
    assert fits["naive_mean_patience_s"] == pytest.approx(late["wait_s"].mean())

    snippet = yaml.safe_load((out / "calibrated.yaml").read_text())
    voice = snippet["channels"]["voice"]
    assert parse_duration(voice["aht"]) == pytest.approx(fits["aht_s"], abs=0.05)
    assert parse_duration(voice["patience"]) == pytest.approx(fits["mean_patience_s"], abs=0.05)
    assert float(voice["hang_up"].rstrip("%")) / 100 == pytest.approx(fits["hang_up_share"],
                                                                      abs=5e-5)
    assert voice["pickup_delay"]["law"] == "empirical"
    assert len(voice["pickup_delay"]["values"]) == 20
    assert "redial" in voice and voice["redial"]["delay"]["law"] == "empirical"
    text = (out / "calibrated.yaml").read_text()
    assert "CI [" in text  # each value carries its interval in a comment

    arrivals = pd.read_csv(out / "arrivals.csv")
    assert arrivals["offered"].sum() == len(good)
    html = (out / "report.html").read_text()
    assert html.count('class="plotly-graph-div"') >= 5  # survival, handle, pick-up, redials x2
    assert "Kaplan-Meier" in html


def test_same_input_gives_identical_files(tmp_path):
    for name in ("a", "b"):
        result = runner.invoke(app, ["calibrate", str(DAY), "--columns", SPELLINGS,
                                     "--out", str(tmp_path / name), "--skip-bad-rows"])
        assert result.exit_code == 0, result.output
    for name in ("calibrated.yaml", "fits.csv", "arrivals.csv", "report.html", "bad_rows.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_without_agent_and_customer_columns_says_what_it_cannot_estimate(tmp_path):
    calls = pd.read_csv(DAY).drop(columns=["agent", "customer_id"])
    calls = calls[calls.index.isin(np.flatnonzero(
        ~((calls["wait_s"] < 0) | ((calls["outcome"] == "AGENT") & ~(calls["handle_s"] > 0)))))]
    path = tmp_path / "plain.csv"
    calls.to_csv(path, index=False)
    result = runner.invoke(app, ["calibrate", str(path), "--columns", SPELLINGS,
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "pick-up delay not estimated" in result.stdout
    assert "redials not estimated" in result.stdout
    voice = yaml.safe_load((tmp_path / "out" / "calibrated.yaml").read_text())["channels"]["voice"]
    assert "pickup_delay" not in voice and "redial" not in voice


def test_bad_options_are_one_line_errors(tmp_path):
    result = runner.invoke(app, ["calibrate", str(DAY), "--hang-up-within-s", "-1"])
    assert result.exit_code == 2
    assert "--hang-up-within '-1' must be a duration >= 0" in result.stderr
    result = runner.invoke(app, ["calibrate", str(tmp_path / "none.csv")])
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(app, ["calibrate", str(DAY)])  # AGENT / HANG not mapped
    assert result.exit_code == 2 and "unknown outcome" in result.stderr


def test_the_snippet_pastes_into_a_scenario_file_that_loads_and_runs(tmp_path):
    """The snippet's channel fields, pasted under a channel with a volume and a target, load
    in the scenario grammar with the numbers of fits.csv, and the scenario runs with them."""
    from scenarios import load_scenarios, run_scenario

    out = tmp_path / "out"
    result = runner.invoke(app, ["calibrate", str(DAY), "--columns", SPELLINGS, "--out", str(out),
                                 "--skip-bad-rows"])
    assert result.exit_code == 0, result.output
    fitted = yaml.safe_load((out / "calibrated.yaml").read_text(encoding="utf-8"))
    fields = fitted["channels"]["voice"]
    fields.update({"volume": {"daily": 1400, "profile": "flat"}, "target": "80% in 20s"})
    scenario = {"horizon": {"start": "2026-03-01", "days": 1}, "interval": "30m",
                "channels": {"voice": fields}, "simulation": {"replications": 2}}
    path = tmp_path / "calibrated_scenario.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    (scn,) = load_scenarios(path)
    (voice,) = scn.channels
    fits = pd.read_csv(out / "fits.csv").set_index("quantity")["value"]
    # the snippet rounds to 0.1 s and to 0.01 percentage points
    assert voice.mean_patience_s == pytest.approx(fits["mean_patience_s"], abs=0.05)
    assert voice.aht_s == pytest.approx(fits["aht_s"], abs=0.05)
    assert voice.redial_probability == pytest.approx(fits["redial_probability"], abs=5e-5)
    assert voice.pickup_delay["kind"] == "empirical"
    # the law's equally likely values keep the mean of the delays (rounded to 0.1 s each)
    assert np.mean(voice.pickup_delay["values_s"]) == pytest.approx(fits["pickup_delay_mean_s"],
                                                                    abs=0.05)
    res = run_scenario(scn)
    assert res.channels.loc[res.channels["channel"] == "voice", "redials"].iloc[0] > 0
