"""The Scenarios page through Streamlit's AppTest: the knobs change the quick view's cost by
what a hand calculation says, and uploads are checked and kept in their temporary folder.

Every expected number is computed here, not read from the app or from ``staffing``:
Erlang C is written below from its textbook formula in ``mpmath`` (40 digits); shrinkage and
pay follow the rules of docs/scenarios.md (pipeline steps 3, 4 and 6): an interval needs the
fewest agents ``N > A`` whose Erlang C service level meets the target, ``ceil(N / (1 - s))``
agents are paid for the interval, and the cost is the paid agent-hours times the hourly rate
(the file sets no overhead and no premiums). Error messages are compared with what
``ccplan check`` prints for the same file.
"""

from __future__ import annotations

import math
import tempfile
from fractions import Fraction
from pathlib import Path

import mpmath as mp
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

import scenarios
from dashboard import _state
from scenarios.cli import app as cli_app
from tests.dashboard.dashboard_refs import SYNTAX_ERROR, UNKNOWN_KEY, erlang_c_service_level, knob

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
TIMEOUT_S = 60

#: One Monday, hourly intervals, open 24x7, 2400 voice contacts spread evenly (100 an hour),
#: 4-minute handle time, 80% answered in 20 s, Erlang C, 20% shrinkage, 20 GBP an hour, UTC,
#: no holidays, no overhead, no premiums, no shifts, no simulation.
DAILY = 2400
AHT_S = 240
TARGET = Fraction(80, 100)
WITHIN_S = 20
SHRINKAGE_PCT = 20
RATE = 20
TINY = f"""\
name: tiny
interval: 1h
horizon: {{start: 2026-03-02, days: 1}}
hours: 24x7
currency: GBP
channels:
  voice: {{volume: {{daily: {DAILY}, profile: flat}}, aht: {AHT_S}s, target: 80% in {WITHIN_S}s}}
staffing: {{method: erlang_c, shrinkage: {SHRINKAGE_PCT / 100}}}
pay:
  hourly_rates: {{agent: {RATE}}}
  overhead_per_paid_hour: 0
  night_premium: 0
  weekend_premium: 0
"""



# ---------------------------------------------------------------------------------------------
# The hand calculation (independent of the code under test)
# ---------------------------------------------------------------------------------------------


def meets_target(service_level: mp.mpf) -> bool:
    """``service_level >= TARGET``, exactly: mpmath before 1.4 cannot compare an mpf with a
    Fraction, so the target's numerator and denominator are compared as integers' products."""
    with mp.workdps(40):
        return bool(service_level * TARGET.denominator >= TARGET.numerator)


def agents_required(load_erl: float) -> int:
    n = math.floor(load_erl) + 1
    while not meets_target(erlang_c_service_level(n, load_erl, WITHIN_S / AHT_S)):
        n += 1
    return n


def cost_by_hand(volume: Fraction = Fraction(1), shrinkage_pct: int = SHRINKAGE_PCT,
                 rate: Fraction = Fraction(RATE)) -> tuple[float, int]:
    """The day's cost and paid agent-hours: 24 equal hours, each paying ``ceil(N / (1 - s))``."""
    per_hour = Fraction(DAILY) * volume / 24
    load = per_hour * AHT_S / 3600
    required = agents_required(float(load))
    paid = math.ceil(Fraction(required) / (1 - Fraction(shrinkage_pct, 100)))
    return float(24 * paid * rate), 24 * paid


def test_hand_calculation_meets_textbook_cases():
    # 1 erlang on 2 agents waits with probability 1/3 (STYLE.md section 9): at T = 0 the
    # service level is 2/3.
    with mp.workdps(40):
        assert abs(3 * erlang_c_service_level(2, 1.0, 0.0) - 2) < mp.mpf(10) ** -35
    # The smallest N meets the target and N - 1 does not.
    load = DAILY / 24 * AHT_S / 3600
    n = agents_required(load)
    assert meets_target(erlang_c_service_level(n, load, WITHIN_S / AHT_S))
    assert not meets_target(erlang_c_service_level(n - 1, load, WITHIN_S / AHT_S))
    # The knobs of the tests below each change the hand-computed cost.
    base = cost_by_hand()[0]
    assert len({base, cost_by_hand(volume=Fraction(3, 2))[0], cost_by_hand(shrinkage_pct=35)[0],
                cost_by_hand(rate=Fraction(RATE) * Fraction(3, 2))[0]}) == 4


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def app_with(path: Path | None = None) -> AppTest:
    """The dashboard on its Scenarios page; ``path`` is made the picked file (as an upload)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    if path is not None:
        at.session_state["uploads"] = {path.name: str(path)}
        at.session_state["picked"] = f"uploaded: {path.name}"
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Scenarios"
    return at


def quick_row(at: AppTest, scenario: str) -> dict:
    """The quick view's row of one scenario (the first table on the page)."""
    table = at.dataframe[0].value
    row = table[table["scenario"] == scenario]
    assert len(row) == 1, table
    return row.iloc[0].to_dict()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="upload").set_value((name, data, "application/x-yaml")).run()
    assert not at.exception, at.exception
    return at


def uploads(at: AppTest) -> dict[str, str]:
    """The uploads kept by this session: name -> path."""
    return dict(at.session_state["uploads"]) if "uploads" in at.session_state else {}


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def cli_error(path: Path) -> str:
    """The one line ``ccplan check FILE`` prints for a broken file, without its prefix."""
    result = CliRunner().invoke(cli_app, ["check", str(path)])
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert line.startswith("ccplan: error: ") and "\n" not in line, result.stderr
    return line.removeprefix("ccplan: error: ")


# ---------------------------------------------------------------------------------------------
# The knobs move the quick view's cost as the hand calculation says
# ---------------------------------------------------------------------------------------------


def test_quick_view_cost_of_a_tiny_scenario_is_the_hand_calculation(tiny_file):
    at = app_with(tiny_file)
    assert at.selectbox(key="picked_box").value == "uploaded: tiny.yaml"
    assert not errors(at)
    cost, paid_hours = cost_by_hand()
    row = quick_row(at, "tiny")
    assert row["cost (GBP)"] == pytest.approx(cost, abs=0.005)
    assert row["paid hours"] == pytest.approx(paid_hours, abs=0.5)


def test_volume_knob_at_1_5_gives_the_cost_at_1_5_times_the_volume(tiny_file):
    at = app_with(tiny_file)
    assert knob(at, "Volume scale").value == 1.0
    knob(at, "Volume scale").set_value(1.5).run()
    assert not at.exception, at.exception
    cost, paid_hours = cost_by_hand(volume=Fraction(3, 2))
    row = quick_row(at, "tiny")
    assert row["cost (GBP)"] == pytest.approx(cost, abs=0.005)
    assert row["paid hours"] == pytest.approx(paid_hours, abs=0.5)


def test_shrinkage_knob_gives_the_cost_at_that_shrinkage(tiny_file):
    at = app_with(tiny_file)
    assert knob(at, "Shrinkage (%)").value == SHRINKAGE_PCT     # the file's own value
    knob(at, "Shrinkage (%)").set_value(35.0).run()
    assert not at.exception, at.exception
    assert quick_row(at, "tiny")["cost (GBP)"] == pytest.approx(
        cost_by_hand(shrinkage_pct=35)[0], abs=0.005)


def test_wage_knob_scales_the_hourly_rate(tiny_file):
    at = app_with(tiny_file)
    assert knob(at, "Wage scale").value == 1.0
    knob(at, "Wage scale").set_value(1.5).run()
    assert not at.exception, at.exception
    cost, paid_hours = cost_by_hand(rate=Fraction(RATE) * Fraction(3, 2))
    row = quick_row(at, "tiny")
    assert row["cost (GBP)"] == pytest.approx(cost, abs=0.005)
    assert row["paid hours"] == pytest.approx(paid_hours, abs=0.5)   # same agents, dearer


def test_picking_another_file_starts_from_that_files_own_knobs(tiny_file):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state["uploads"] = {tiny_file.name: str(tiny_file)}
    at.run()                                 # the default file first (retail_bank.yaml)
    at.selectbox(key="picked_box").set_value("uploaded: tiny.yaml").run()
    assert not at.exception, at.exception
    assert knob(at, "Shrinkage (%)").value == SHRINKAGE_PCT
    assert quick_row(at, "tiny")["cost (GBP)"] == pytest.approx(cost_by_hand()[0], abs=0.005)


@pytest.mark.slow
@pytest.mark.parametrize("example", scenarios.example_files(), ids=lambda path: path.name)
def test_every_bundled_example_has_a_quick_view_row_per_scenario(example):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.session_state["picked"] = f"bundled: {example.name}"
    at.run()
    assert not at.exception, at.exception
    assert not errors(at), errors(at)
    found = scenarios.load_scenarios(example)
    n_sweep = sum(scn.kind == "sweep" for scn in found)
    # Sweeps of more than four points start out of the live view (a toggle brings them in).
    shown = [scn.name for scn in found if scn.kind != "sweep" or n_sweep <= 4]
    assert at.dataframe[0].value["scenario"].tolist() == shown
    if n_sweep > 4:
        at.toggle(key="quick_sweep").set_value(True).run()
        assert at.dataframe[0].value["scenario"].tolist() == [scn.name for scn in found]


# ---------------------------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------------------------


def test_upload_over_the_size_limit_is_refused_and_one_at_the_limit_is_kept():
    at = app_with()
    limit = _state.MAX_UPLOAD_BYTES
    body = TINY.encode("utf-8")
    at_limit = body + b"#" * (limit - len(body) - 1) + b"\n"
    assert len(at_limit) == limit
    upload(at, "big.yaml", at_limit + b"#")
    assert errors(at) == [f"big.yaml: {limit + 1:,} bytes; scenario files are at most "
                          f"{limit // 1024} KB here. Use the command line for larger ones."]
    assert "big.yaml" not in uploads(at)

    upload(at, "limit.yaml", at_limit)
    assert not errors(at)
    saved = Path(uploads(at)["limit.yaml"])
    assert saved.read_bytes() == at_limit


def test_upload_that_is_not_utf8_is_refused():
    at = app_with()
    upload(at, "latin1.yaml", TINY.replace("tiny", "caf\u00e9").encode("latin-1"))
    assert errors(at) == ["latin1.yaml: not a UTF-8 text file. Save the scenario as UTF-8 YAML."]
    assert "latin1.yaml" not in uploads(at)


@pytest.mark.parametrize(("name", "text", "where", "needle"), [
    ("syntax.yaml", SYNTAX_ERROR, "3:9", "not valid YAML"),
    ("typo.yaml", UNKNOWN_KEY, "2:1", "'chanels' is not a known key (did you mean 'channels'?)"),
])
def test_broken_upload_shows_the_error_ccplan_prints(name, text, where, needle):
    at = app_with()
    upload(at, name, text.encode("utf-8"))
    saved = Path(uploads(at)[name])
    at.selectbox(key="picked_box").set_value(f"uploaded: {name}").run()
    assert not at.exception, at.exception

    expected = cli_error(saved)
    assert expected.startswith(f"{saved}:{where}: ") and needle in expected     # by hand
    with pytest.raises(scenarios.InputFileError) as err:
        scenarios.load_scenarios(saved)
    assert str(err.value) == expected
    assert errors(at) == [expected]
    assert not at.dataframe                   # nothing is computed from a broken file


def test_upload_becomes_the_picked_file(tiny_file):
    at = app_with()
    upload(at, "tiny.yaml", tiny_file.read_bytes())
    assert at.selectbox(key="picked_box").value == "uploaded: tiny.yaml"
    assert quick_row(at, "tiny")["cost (GBP)"] == pytest.approx(cost_by_hand()[0], abs=0.005)


def test_upload_names_with_folders_are_written_only_in_the_session_folder(
        tmp_path, monkeypatch, tiny_file):
    # The process's temporary folder and working folder are both inside tmp_path, so every
    # file the upload writes (wherever a name might point) can be found and checked.
    temp_root = tmp_path / "tmp"
    work = tmp_path / "work" / "deep"
    temp_root.mkdir()
    work.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    monkeypatch.chdir(work)
    before = {p for p in tmp_path.rglob("*") if p.is_file()}

    at = app_with()
    names = ["../../etc/x.yaml", "/etc/cron.d/evil.yaml", "..\\..\\windows.yaml",
             "sub/../../../up.yml", "./../../../../tmp/t.yaml"]
    body = tiny_file.read_bytes()
    for i, name in enumerate(names):
        upload(at, name, body + f"# upload {i}\n".encode())
        assert not errors(at), (name, errors(at))

    folder = Path(at.session_state["upload_dir"]).resolve()
    assert folder.parent == temp_root.resolve()
    kept = uploads(at)
    assert len(kept) == len(names)
    for saved in kept.values():
        assert Path(saved).resolve().parent == folder
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert written and all(p.resolve().parent == folder for p in written), written
    assert {p.read_bytes() for p in written} == {body + f"# upload {i}\n".encode()
                                                 for i in range(len(names))}
    assert not (tmp_path / "etc").exists() and not (tmp_path / "up.yml").exists()


@pytest.mark.slow
def test_scenarios_page_in_the_browser(page, screenshot):
    """In chromium, the default file (the bundled retail bank): the quick view's table is
    drawn, nothing is cut off at 1400 or 1000 px, and the page is saved at both widths."""
    from playwright.sync_api import expect

    from tests.dashboard.conftest import at_both_widths

    expect(page.get_by_role("heading", name="Quick view")).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    at_both_widths(page, screenshot, "scenarios-page")


@pytest.mark.slow
def test_picking_another_file_shows_its_own_knobs_in_the_browser(page, screenshot):
    """Issue 18: after picking another file the knobs showed the last file's values (the
    browser kept them) and sent them back with the next change. The bundled retail bank opens
    8x5 (``hours: 8x5``) and the blended centre on a mapping of days (the "custom" choice);
    each must show its own, and another page must say that no knob changed."""
    from playwright.sync_api import expect

    from tests.dashboard.test_browser import choose, go_to

    hours_box = page.locator('[data-testid="stSelectbox"]').filter(
        has_text="Opening hours").locator("input")
    expect(hours_box).to_have_value("8x5")
    for file_label, hours in (("bundled: blended.yaml", "custom"),
                              ("bundled: retail_bank.yaml", "8x5"),
                              ("bundled: blended.yaml", "custom")):
        choose(page, "Scenario file", file_label)
        expect(hours_box).to_have_count(1)     # the last file's box is gone once redrawn
        expect(hours_box).to_have_value(hours)
        go_to(page, "Finance")
        expect(page.get_by_text("Knobs changed: none.")).to_be_visible()
        go_to(page, "Scenarios")
        expect(hours_box).to_have_count(1)
        expect(hours_box).to_have_value(hours)
    screenshot(page, "scenarios-blended-knobs")
