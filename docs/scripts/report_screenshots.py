"""The screenshots of docs/reading_reports.md: the reports of the bundled examples in chromium.

Run from the project root (needs Debian's chromium at /usr/bin/chromium and playwright)::

    python docs/scripts/report_screenshots.py

It runs the commands below into a temporary folder, opens each page in chromium at 1000 px wide
(the narrow width the browser tests check; the pages also read at 1400 px) and saves parts of
them under docs/img/ as PNG reduced to 256 colours (small files, sharp text):

- ``ccplan run scenarios/examples/retail_bank.yaml`` -> report.html: the comparison table and
  frontier, the base scenario's headline boxes, the agents chart with one day picked, the
  weekday x time-of-day heatmaps, the cost breakdown;
- ``ccplan forecast`` on the bundled Anonymous Bank history -> the forecast page's top;
- ``ccplan capacity scenarios/examples/retail_bank_year.yaml`` -> capacity.html's top.

The pages are byte-identical for the same inputs, so the pictures change only when a page does.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "docs" / "img"
WIDTH = 1000
EXAMPLES = ROOT / "scenarios" / "examples"


def _ccplan(*args: str) -> None:
    subprocess.run(["ccplan", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _save(png: bytes, name: str) -> None:
    """Write ``png`` as docs/img/NAME.png with 256 colours."""
    path = IMG / f"{name}.png"
    with tempfile.NamedTemporaryFile(suffix=".png") as raw:
        raw.write(png)
        raw.flush()
        image = Image.open(raw.name).convert("RGB")
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


def _open(page: Page, html: Path) -> None:
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(800)


def _top_until(page: Page, selector: str, name: str) -> None:
    """The page from its top to the bottom of ``selector``."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    _save(page.screenshot(clip={"x": 0, "y": 0, "width": WIDTH,
                                "height": box["y"] + box["height"] + 16}, full_page=True), name)


def _element(page: Page, selector: str, name: str) -> None:
    _save(page.locator(selector).first.screenshot(), name)


def main() -> int:
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        _ccplan("run", str(EXAMPLES / "retail_bank.yaml"), "--out", str(work / "bank"))
        _ccplan("forecast", "--history", str(EXAMPLES / "data" / "anonymous_bank_history.csv"),
                "--interval-s", "1800", "--horizon", "336", "--country", "IL",
                "--out", str(work / "forecast.csv"))
        _ccplan("capacity", str(EXAMPLES / "retail_bank_year.yaml"), "--out",
                str(work / "year"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--disable-gpu"])
            page = browser.new_page(viewport={"width": WIDTH, "height": 900})
            _open(page, work / "bank" / "report.html")
            _top_until(page, "#ccplan-frontier", "report_comparison")
            _element(page, "#scenario-1 .kpis", "report_headline")
            page.locator("#ccplan-agents .updatemenu-button").filter(has_text="Tue 03 Mar").click()
            page.wait_for_timeout(600)
            _element(page, "#ccplan-agents", "report_agents_one_day")
            _element(page, "#ccplan-staffing-heatmap", "report_heatmap")
            _element(page, "#ccplan-cost-breakdown", "report_cost_breakdown")
            _open(page, work / "forecast.html")
            _top_until(page, ".plotly-graph-div", "forecast_top")
            _open(page, work / "year" / "capacity.html")
            _top_until(page, ".plotly-graph-div", "capacity_top")
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
