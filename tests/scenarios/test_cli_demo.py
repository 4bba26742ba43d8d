"""``ccplan demo``: runs the bundled examples, writes a report folder, prints its report.html.

The examples folder is swapped for small one-day files here (the real examples take a
minute or more; ``.ci/run`` runs the real ``ccplan demo`` as the README writes it). The
passing file is tests/data/failing_scenario.yaml with its cost limit raised; the failing one
is that file as it is (its hand calculation: 20.00 per contact against 0.01 asked).
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scenarios.files
from scenarios.cli import app

runner = CliRunner()
FAILING = Path(__file__).resolve().parents[1] / "data" / "failing_scenario.yaml"


def _passing_text() -> str:
    text = FAILING.read_text(encoding="utf-8")
    text = text.replace("name: failing_on_purpose", "name: small_ok")
    text = text.replace("cost_per_contact <= 0.01      # fails", "cost_per_contact <= 30  # passes")
    assert "small_ok" in text and "<= 30" in text
    return "# A one-day centre with one voice line.\n# Run: ccplan run small_ok.yaml\n" + text


@pytest.fixture
def examples(tmp_path, monkeypatch):
    folder = tmp_path / "examples"
    folder.mkdir()
    (folder / "small_ok.yaml").write_text(_passing_text(), encoding="utf-8")
    monkeypatch.setattr(scenarios.files, "EXAMPLES_DIR", folder)  # ccplan demo reads it there
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return folder


def _last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def test_demo_writes_ccplan_demo_by_default_and_prints_the_report_path(examples):
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    index = Path.cwd() / "ccplan-demo" / "report.html"
    assert index.is_file()
    assert _last_line(result.output) == f"Open the report: {index.resolve()}"
    bundle = Path.cwd() / "ccplan-demo" / "small_ok"
    for name in ("report.html", "summary.json", "intervals.csv", "totals.csv", "shifts.csv"):
        assert (bundle / name).is_file(), name
    page = index.read_text(encoding="utf-8")
    # 2 outcomes: the service-level line on the one channel, the cost line.
    assert "1 example file, 1 scenario, each run end to end" in page
    assert "2 of 2 expectations passed" in page
    assert "A one-day centre with one voice line." in page   # the file's own comment
    assert "Run:" not in page
    assert "Horizon: 1 day from Mon 2026-03-02 (UTC), 60-minute intervals." in page
    assert _links(page) == ["small_ok/report.html"]
    for link in _links(page):
        assert (index.parent / link).is_file(), link
    # 24 contacts at 20.00 each (tests/data/failing_scenario.yaml's hand calculation).
    assert "480.00" in page and "20.00" in page


def test_demo_out_chooses_the_folder(examples, tmp_path):
    target = tmp_path / "elsewhere" / "demo"
    result = runner.invoke(app, ["demo", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "report.html").is_file() and (target / "small_ok" / "report.html").is_file()
    assert not (Path.cwd() / "ccplan-demo").exists()
    assert _last_line(result.output) == f"Open the report: {(target / 'report.html').resolve()}"


def test_a_failed_check_still_writes_the_report_exits_1_and_names_it(examples):
    shutil.copy(FAILING, examples / "failing_on_purpose.yaml")
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 1, result.output
    index = Path.cwd() / "ccplan-demo" / "report.html"
    assert _last_line(result.output) == f"Open the report: {index.resolve()}"
    assert "FAIL  failing_on_purpose" in result.output
    page = index.read_text(encoding="utf-8")
    assert "3 of 4 expectations passed" in page
    assert '<span class="fail">FAIL</span> failing_on_purpose' in page
    assert ("failing_on_purpose: total cost_per_contact 20.00 &gt; 0.01 (expected "
            "cost_per_contact &lt;= 0.01)") in page
    assert _links(page) == ["failing_on_purpose/report.html", "small_ok/report.html"]


def test_an_out_that_is_a_file_is_one_line_and_exit_2(examples, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["demo", "--out", str(blocker)])
    assert result.exit_code == 2, result.output
    assert f"ccplan: error: cannot write the demo's report folder {blocker}" in result.output
    assert "Choose another folder with --out DIR." in result.output
    assert "Traceback" not in result.output
