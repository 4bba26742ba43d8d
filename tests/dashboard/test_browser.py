"""The dashboard in a real browser: what a person sees (../shared/TESTING.md).

``streamlit run dashboard/app.py`` serves the app (``app_url`` in conftest.py) and
playwright drives Debian's chromium against it (fixtures ``page`` and ``screenshot``).
AppTest (test_scenarios_page.py) checks the numbers; these tests prove that the pages are
drawn, that a knob reaches the Compare page's chart, that the sidebar links work and that a
broken upload's error reaches the screen as ``ccplan`` prints it. ``st.dataframe`` draws on
a canvas, so tables are found here, never read. Every page is saved as a PNG for people to
look at.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import scenarios
from tests.dashboard.dashboard_refs import SYNTAX_ERROR, UNKNOWN_KEY

#: The pages in the sidebar's order, by title (dashboard/app.py), with their screenshot names.
PAGES = [("Scenarios", "scenarios"), ("Compare", "compare"), ("Forecast", "forecast"),
         ("Staffing and schedule", "staffing"), ("Simulation", "simulation"),
         ("Finance", "finance"), ("Downloads", "downloads")]

#: The app is connected and no script is running (TESTING.md).
READY = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
         '[data-test-script-state="notRunning"]')



#: Notes in the page when the script starts running (a rerun was triggered).
WATCH_RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  window.__ccplanRan = false;
  if (!window.__ccplanWatch) {
    window.__ccplanWatch = new MutationObserver(() => {
      if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__ccplanRan = true;
    });
    window.__ccplanWatch.observe(app, {attributes: true,
                                       attributeFilter: ['data-test-script-state']});
  }
}"""


def ready(page: Page) -> None:
    expect(page.locator(READY)).to_have_count(1, timeout=30_000)


def title(page: Page):
    return page.locator('[data-testid="stMain"] h1').first


def go_to(page: Page, page_title: str) -> None:
    """Follow the sidebar link of a page (same session) and wait for its title."""
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(
        has=page.locator(f'span[label="{page_title}"]'))
    expect(link).to_have_count(1)
    link.click()
    expect(title(page)).to_have_text(page_title, timeout=30_000)
    ready(page)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (retried while the page reruns)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    deadline = time.monotonic() + 30
    while True:
        ready(page)
        box.click()
        item = page.get_by_role("option", name=option, exact=True)
        try:
            item.click(timeout=3_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            if time.monotonic() > deadline:
                raise
    expect(box.locator("input")).to_have_value(option)
    ready(page)


def set_slider(page: Page, label: str, value: float, *, low: float, high: float,
               step: float) -> None:
    """Move a slider to ``value``: a click on its track, then arrow keys on the thumb until
    the thumb shows the value (one rerun instead of one per key press)."""
    slider = page.locator('[data-testid="stSlider"]').filter(has_text=label)
    thumb = slider.locator('input[type="range"]')
    track = slider.locator('[role="group"] > div').first
    box = track.bounding_box()
    assert box is not None
    page.evaluate(WATCH_RUNS)
    track.click(position={"x": box["width"] * (value - low) / (high - low),
                          "y": box["height"] / 2})
    for _ in range(int(round((high - low) / step))):
        shown = float(thumb.get_attribute("aria-valuetext") or "nan")
        if abs(shown - value) < step / 2:
            break
        thumb.press("ArrowRight" if shown < value else "ArrowLeft")
    expect(thumb).to_have_attribute("aria-valuetext", f"{value:.2f}")
    # The rerun with the new value has started and finished (the page stored the knob).
    page.wait_for_function("() => window.__ccplanRan === true", timeout=30_000)
    ready(page)


def plotly_signature(page: Page) -> tuple[list[str], list[str]]:
    """What the plotly charts draw: their traces (line paths, marker positions, bars) and
    their x-axis tick labels; read until two reads 250 ms apart agree (drawing finished)."""
    charts = page.locator('[data-testid="stPlotlyChart"] svg.main-svg')
    expect(charts.first).to_be_visible()
    marks = page.locator('[data-testid="stPlotlyChart"] :is(.scatterlayer, .barlayer) path')
    expect(marks.first).to_be_attached()
    ticks = page.locator('[data-testid="stPlotlyChart"] .xtick text')

    def read() -> tuple[list[str], list[str]]:
        return (marks.evaluate_all("els => els.map(e => (e.getAttribute('d') || '') + '@' + "
                                   "(e.getAttribute('transform') || ''))"),
                ticks.all_text_contents())

    last, deadline = read(), time.monotonic() + 10
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = read()
        if now == last:
            break
        last = now
    return last


# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_scenarios_page_renders_with_its_quick_view_table(page: Page, screenshot):
    expect(title(page)).to_have_text("Scenarios")
    expect(page.get_by_role("heading", name="Quick view")).to_be_visible()
    # The quick-view table (a canvas: its values are read through AppTest).
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Volume scale")
    expect(slider.locator('input[type="range"]')).to_have_attribute("aria-valuetext", "1.00")
    assert screenshot(page, "scenarios").stat().st_size > 0


@pytest.mark.slow
def test_volume_knob_changes_the_compare_chart(page: Page, screenshot):
    go_to(page, "Compare")
    before = plotly_signature(page)
    assert before[0] and before[1], "the Compare page's chart draws no trace or axis"

    go_to(page, "Scenarios")
    set_slider(page, "Volume scale", 1.5, low=0.5, high=2.0, step=0.05)

    go_to(page, "Compare")
    # The frame's caption names the knob, and the comparison table is there.
    expect(page.get_by_text("volume_scale = 1.5").first).to_be_visible()
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    after = plotly_signature(page)
    # 1.5 times the contacts cost more: the points move and the cost axis is relabelled.
    assert after[0] != before[0], "the Compare chart's traces did not change with the volume"
    assert after[1] != before[1], "the Compare chart's cost axis did not change with the volume"
    screenshot(page, "compare-volume-1.5")


@pytest.mark.slow
def test_sidebar_links_open_every_page(page: Page, screenshot):
    order = [t for t, _ in PAGES][1:] + ["Scenarios"]
    names = dict(PAGES)
    for page_title in order:
        go_to(page, page_title)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        path = screenshot(page, names[page_title])
        assert path.stat().st_size > 0


def _cli_message(tmp_path: Path, name: str, text: str) -> str:
    """The message ``ccplan`` prints for this file, with the folder left out (file:line:col)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(scenarios.InputFileError) as err:
        scenarios.load_scenarios(path)
    message = str(err.value)
    assert message.startswith(f"{path}:")
    return message[len(str(path.parent)) + 1:]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "text", "where", "needle"), [
    ("syntax.yaml", SYNTAX_ERROR, "3:9", "not valid YAML"),
    ("typo.yaml", UNKNOWN_KEY, "2:1", "'chanels' is not a known key (did you mean 'channels'?)"),
])
def test_broken_upload_shows_the_cli_error(page: Page, screenshot, tmp_path, name, text, where,
                                           needle):
    expected = _cli_message(tmp_path, name, text)
    # The position and the words, worked out by hand (see the constants above).
    assert expected.startswith(f"{name}:{where}: ") and needle in expected

    page.locator('[data-testid="stExpander"]').filter(
        has_text="Upload a scenario file (YAML)").locator("summary").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/x-yaml",
                "buffer": text.encode("utf-8")}])
    expect(page.locator('[data-testid="stFileChipName"]')).to_have_text(name)
    # The upload is in the list of files; pick it (the page may have picked it already).
    choose(page, "Scenario file", f"uploaded: {name}")
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_have_count(1)
    expect(error).to_contain_text(expected)
    screenshot(page, f"scenarios-upload-{Path(name).stem}")


@pytest.mark.slow
def test_upload_reaching_outside_its_folder_is_refused_without_quoting(page: Page, screenshot,
                                                                       tmp_path):
    # docs/dashboard.md: an upload is confined to its folder whatever it says, and the page
    # never shows a server file's content (the marker below).
    marker = "TOP-SECRET-7f3a"
    secret = tmp_path / "secret.csv"
    secret.write_text(f"{marker},passphrase\nhunter2,{marker}\n", encoding="utf-8")
    name = "leak.yaml"
    text = (UNKNOWN_KEY.replace("chanels", "channels")
            .replace("{daily: 2400, profile: flat}", f"{{file: {secret}}}")
            + "allow_outside_folder: true\n")
    page.locator('[data-testid="stExpander"]').filter(
        has_text="Upload a scenario file (YAML)").locator("summary").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/x-yaml",
                "buffer": text.encode("utf-8")}])
    expect(page.locator('[data-testid="stFileChipName"]')).to_have_text(name)
    choose(page, "Scenario file", f"uploaded: {name}")
    error = page.locator('[data-testid="stAlertContentError"]')
    expect(error).to_have_count(1)
    expect(error).to_contain_text("channels.voice.volume.file")
    expect(error).to_contain_text("allow_outside_folder does not apply")
    screenshot(page, "scenarios-upload-outside")
    body = page.locator("body").inner_text()
    assert marker not in body and "hunter2" not in body


@pytest.mark.slow
def test_after_the_full_run_pages_show_it_and_warn_of_the_quick_ranking(page: Page, screenshot):
    # Issue 14: the bundled retail_bank.yaml's quick view and full plan rank its scenarios
    # differently by cost per contact (test_quick_and_full.py checks the orders).
    screenshot(page, "scenarios-quick")
    go_to(page, "Finance")
    expect(page.get_by_text(", quick view").first).to_be_visible()
    screenshot(page, "finance-quick")
    go_to(page, "Scenarios")
    page.get_by_role("button", name="Run the full plan (shifts and simulation)").click()
    expect(page.get_by_text("rank the scenarios differently").first).to_be_visible(
        timeout=900_000)
    ready(page)
    screenshot(page, "scenarios-full")
    for page_title, name in (("Finance", "finance-full"), ("Compare", "compare-full")):
        go_to(page, page_title)
        expect(page.get_by_text("rank the scenarios differently").first).to_be_visible()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, name)
