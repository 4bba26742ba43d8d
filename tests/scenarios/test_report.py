"""HTML reports: self-contained, deterministic, escaped, well-formed, with every chart.

``scenarios/__init__.py`` does not export these names yet (the lead wires the
public API), so the tests import from the modules; the band and frontier
helpers are private and tested directly.
"""

import html
import math
from collections import namedtuple
from html.parser import HTMLParser

import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from scenarios.compare import comparison_table
from scenarios.files.output import write_text_atomic
from scenarios.pipeline import ScenarioResult
from scenarios.pipeline.contracts import (
    CHANNEL_COLUMNS,
    COST_BREAKDOWN_COLUMNS,
    INTERVAL_COLUMNS,
    TOTAL_COLUMNS,
)
from scenarios.report import comparison_report_html, scenario_report_html
from scenarios.report._scenario_figures import _band
from scenarios.report.figures import frontier_figure as _frontier_figure

# Written out here rather than imported, so a renamed chart fails the test.
SCENARIO_TITLES = (
    "Contacts offered by interval",
    "Agents required and scheduled by interval",
    "Service level by interval",
    "Average speed of answer (ASA) by interval",
    "Agents by weekday and time of day",
    "Cost breakdown over the horizon",
)
COMPARISON_TITLE = "Cost against service level"
EVIL = "<script>alert(1)</script>"
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

Outcome = namedtuple("Outcome", ["expectation", "passed", "message"])


def make_result(name="base", *, cost=12345.678, service_level=0.8, channels=("voice", "chat"),
                n_intervals=4, file="retail.yaml", **totals):
    """A small ScenarioResult: 2 channels x ``n_intervals`` quarter-hours, every documented column.

    The third interval of each channel is closed: nothing offered, so the
    service level, ASA and their confidence bounds are NaN there.
    ``totals`` overrides entries of the one-row ``totals`` table.
    """
    starts = pd.date_range("2026-01-05 09:00", periods=n_intervals, freq="15min",
                           tz="Europe/London")
    rows = []
    for k, channel in enumerate(channels):
        for i, start in enumerate(starts):
            is_open = i != 2
            level = 0.7 + 0.05 * i if is_open else math.nan
            asa_s = 30.0 - 5 * i if is_open else math.nan
            rows.append({
                "scenario": name, "channel": channel, "interval_start": start,
                "is_open": is_open, "offered": (10.0 * (k + 1) + i) if is_open else 0.0,
                "aht_s": 240.0, "agents_required": (3 + i) if is_open else 0,
                "agents_on_queue": (3.5 + i) if is_open else 0.0,
                "service_level_erlang": level, "asa_s_erlang": asa_s,
                "abandon_rate_erlang": 0.02 if is_open else math.nan,
                "service_level": level, "service_level_low": level - 0.05,
                "service_level_high": level + 0.05, "asa_s": asa_s,
                "asa_s_low": asa_s - 4, "asa_s_high": asa_s + 4,
                "abandon_rate": 0.02 if is_open else math.nan,
                "abandon_rate_low": 0.01 if is_open else math.nan,
                "abandon_rate_high": 0.03 if is_open else math.nan,
                "mean_queue": 0.4 if is_open else math.nan,
                "occupancy": 0.8 if is_open else math.nan,
                "cost": cost / (len(channels) * n_intervals),
            })
    intervals = pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))
    channel_table = pd.DataFrame([{
        "scenario": name, "channel": channel, "offered": 43.0, "handled": 42.0,
        "abandoned": 1.0, "service_level": 0.75, "service_level_low": 0.7,
        "service_level_high": 0.8, "asa_s": 20.0, "asa_s_low": 15.0, "asa_s_high": 25.0,
        "abandon_rate": 0.023, "abandon_rate_low": 0.01, "abandon_rate_high": 0.04,
        "occupancy": 0.8, "service_level_target": 0.8, "answer_within_s": 20.0,
        "open_intervals_meeting_target": 1 / 3, "cost": cost / len(channels),
        "cost_per_contact": cost / len(channels) / 43,
        "cost_per_handled": cost / len(channels) / 42,
    } for channel in channels], columns=list(CHANNEL_COLUMNS))
    row = {
        "scenario": name, "offered": 86.0, "handled": 84.0, "abandoned": 2.0,
        "service_level": service_level, "asa_s": 20.0, "abandon_rate": 0.023,
        "occupancy": 0.8, "open_intervals_meeting_target": 1 / 3, "cost": cost,
        "cost_per_contact": cost / 86, "cost_per_handled": cost / 84, "fte": 4.5,
        "paid_hours": 8.0, "headcount": 5.0, "weekly_cost": cost * 4,
        "annual_cost": cost * 4 * 52, "budget": 2_000_000.0, "budget_period": "year",
        "cost_vs_budget": cost * 4 * 52 / 2_000_000.0,
    }
    row.update(totals)
    breakdown = pd.DataFrame(
        [(name, "component", "wages", 0.7 * cost, 0.7),
         (name, "component", "premiums", 0.1 * cost, 0.1),
         (name, "component", "overhead", 0.2 * cost, 0.2),
         (name, "use", "handling", 0.6 * cost, 0.6),
         (name, "use", "idle", 0.4 * cost, 0.4)],
        columns=list(COST_BREAKDOWN_COLUMNS))
    shifts = pd.DataFrame({
        "shift_id": [0], "template": ["early"], "shift_start": [starts[0]],
        "duration_s": [8 * 3600.0], "headcount": [5]})
    summary = {
        "name": name, "file": file, "ccplan_version": "0.1.0",
        "scenario_sha256": "ab" * 32, "seed": 12345, "n_replications": 20,
        "interval_s": 900, "timezone": "Europe/London",
        "horizon_start": "2026-01-05T09:00:00+00:00",
        "horizon_end": "2026-01-05T10:00:00+00:00", "staffing_method": "erlang_a",
        "currency": "EUR", "schedule": {"status": "optimal", "gap": 0.0125},
        "overrides": {}, "totals": row,
    }
    return ScenarioResult(name=name, intervals=intervals, channels=channel_table,
                          totals=pd.DataFrame([row], columns=list(TOTAL_COLUMNS)),
                          cost_breakdown=breakdown, shifts=shifts, summary=summary,
                          expectations=("service_level >= 0.8",))


class _TagBalance(HTMLParser):
    """Checks that every non-void element is closed in order."""

    VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.starts = []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]!r}")
        else:
            self.stack.pop()


def parse(page):
    parser = _TagBalance()
    parser.feed(page)
    parser.close()
    return parser


def outside_bundle(page):
    bundle = get_plotlyjs()
    assert page.count(bundle) == 1
    return page.replace(bundle, "")


# --- scenario report -------------------------------------------------------------------------

def test_scenario_report_has_every_chart_title_and_div():
    page = scenario_report_html(make_result())
    rest = outside_bundle(page)
    for title in SCENARIO_TITLES:
        assert title in rest
    for div_id in ("ccplan-volumes", "ccplan-agents", "ccplan-service-level", "ccplan-asa",
                   "ccplan-staffing-heatmap", "ccplan-cost-breakdown"):
        assert rest.count(f'id="{div_id}"') == 1


def test_scenario_report_embeds_plotlyjs_once_and_loads_nothing():
    page = scenario_report_html(make_result())
    rest = outside_bundle(page)
    parser = parse(page)
    assert not [attrs for tag, attrs in parser.starts if "src" in attrs or "href" in attrs]
    assert "cdn.plot.ly" not in rest
    assert "<link" not in rest


def test_scenario_report_is_byte_identical_across_calls():
    outcomes = [Outcome("service_level >= 0.8", True, "0.82 >= 0.8")]
    first = scenario_report_html(make_result(), outcomes=outcomes)
    second = scenario_report_html(make_result(), outcomes=outcomes)
    assert first == second


def test_scenario_report_parses_with_balanced_tags(tmp_path):
    page = scenario_report_html(make_result(), outcomes=[Outcome("a < b", False, "x & y")])
    path = tmp_path / "report.html"
    write_text_atomic(page, path)
    parser = parse(path.read_text(encoding="utf-8"))
    assert parser.errors == []
    assert parser.stack == []
    tags = [tag for tag, _ in parser.starts]
    assert tags[:2] == ["html", "head"]
    assert tags.count("h1") == 1


def test_scenario_report_escapes_names_from_user_files():
    result = make_result(EVIL, channels=("voice", "<b>chat</b>"), file="a&b <x>.yaml")
    page = scenario_report_html(result, outcomes=[Outcome(EVIL, False, EVIL)])
    assert EVIL not in page
    assert "<b>chat</b>" not in page
    assert EVIL_ESCAPED in page
    assert "&lt;b&gt;chat&lt;/b&gt;" in page
    assert "a&amp;b &lt;x&gt;.yaml" in page
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []
    # The only scripts are the two plotly.js ones and one per chart.
    assert [tag for tag, _ in parser.starts].count("script") == 2 + len(SCENARIO_TITLES)


def test_scenario_report_shows_summary_facts_and_formats_numbers():
    page = scenario_report_html(make_result())
    rest = outside_bundle(page)
    for fact in ("retail.yaml", "0.1.0", "ab" * 32, "12345", "erlang_a", "optimal",
                 "1.25%", "2026-01-05T09:00:00+00:00", "Europe/London"):
        assert fact in rest
    # Money: two decimals and thousands separators (cost 12345.678, annual 12345.678*208).
    assert "12,345.68" in rest
    assert "2,567,901.02" in rest
    assert "6,172.84" in rest  # each channel's cost
    # Fractions as percentages: totals 0.8 SL, CI of the channel SL [0.7, 0.8].
    assert "80.0%" in rest
    assert "75.0% [70.0%, 80.0%]" in rest
    assert "80.0% in 20 s" in rest


def test_scenario_report_lists_outcomes():
    outcomes = [Outcome("service_level >= 0.8", True, "0.82 >= 0.8"),
                Outcome("cost <= 10000", False, "12345.68 > 10000")]
    rest = outside_bundle(scenario_report_html(make_result(), outcomes=outcomes))
    assert "1 of 2 passed" in rest
    assert '<span class="pass">PASS</span> <code>service_level &gt;= 0.8</code>' in rest
    assert '<span class="fail">FAIL</span> <code>cost &lt;= 10000</code>: 12345.68 &gt; 10000' \
        in rest


def test_scenario_report_does_not_change_the_result():
    result = make_result()
    copies = {name: getattr(result, name).copy()
              for name in ("intervals", "channels", "totals", "cost_breakdown", "shifts")}
    scenario_report_html(result)
    comparison_report_html([result])
    for name, before in copies.items():
        pd.testing.assert_frame_equal(getattr(result, name), before)


def test_band_is_drawn_only_where_both_bounds_are_known():
    x = ["t0", "t1", "t2", "t3", "t4"]
    low = pd.Series([0.1, 0.2, math.nan, 0.4, 0.5])
    high = pd.Series([0.3, 0.4, 0.6, 0.6, 0.7])
    trace = _band(x, low, high, "band", "#1f77b4", "g")
    # Two closed polygons: upper edge forwards, lower edge backwards, split by a gap.
    assert list(trace.x) == ["t0", "t1", "t1", "t0", None, "t3", "t4", "t4", "t3"]
    assert list(trace.y) == [0.3, 0.4, 0.2, 0.1, None, 0.6, 0.7, 0.5, 0.4]
    assert trace.fill == "toself"
    assert _band(x, pd.Series([math.nan] * 5), high, "band", "#1f77b4", "g") is None


# --- comparison report -----------------------------------------------------------------------

def comparison_results():
    return [make_result("base", cost=1000.0, service_level=0.80),
            make_result("rich", cost=1500.0, service_level=0.95),
            make_result("waste", cost=1600.0, service_level=0.90),
            make_result("lean", cost=700.0, service_level=0.60),
            make_result("unknown", cost=900.0, service_level=math.nan)]


def test_comparison_report_has_table_chart_and_labels():
    page = comparison_report_html(comparison_results())
    rest = outside_bundle(page)
    assert COMPARISON_TITLE in rest
    assert rest.count('id="ccplan-frontier"') == 1
    assert "efficient frontier" in rest
    assert "cost over the horizon (EUR)" in rest
    for cell in ("<td>base</td>", "<td>waste</td>", '<td class="num">1,000.00</td>',
                 '<td class="num">80.0%</td>', '<td class="num">1,600.00</td>'):
        assert cell in rest
    assert "Not plotted (cost or service level unknown): unknown" in rest
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []


def test_comparison_report_is_deterministic_and_escaped():
    results = [make_result(EVIL, cost=1000.0), make_result("b & c", cost=900.0,
                                                           service_level=0.7)]
    first = comparison_report_html(results)
    assert first == comparison_report_html(results)
    assert EVIL not in first
    assert EVIL_ESCAPED in first
    assert "b &amp; c" in first
    outside_bundle(first)


def test_frontier_runs_through_efficient_points_in_cost_order():
    table = comparison_table(comparison_results())
    fig = _frontier_figure(table, "EUR")
    by_name = {trace.name: trace for trace in fig.data}
    frontier = by_name["efficient frontier"]
    # lean (700, .60) -> base (1000, .80) -> rich (1500, .95); waste is beaten by rich.
    assert list(frontier.x) == [700.0, 1000.0, 1500.0]
    assert list(frontier.y) == [0.60, 0.80, 0.95]
    assert list(by_name["efficient"].text) == ["base", "rich", "lean"]
    assert list(by_name["not efficient"].text) == ["waste"]
    assert fig.layout.title.text == COMPARISON_TITLE
    assert fig.layout.xaxis.title.text == "cost over the horizon (EUR)"
    assert fig.layout.yaxis.tickformat == ".1%"
    assert fig.layout.showlegend is True


def test_comparison_report_of_nothing():
    page = comparison_report_html([])
    assert "No scenarios to compare." in page
    assert page.count(get_plotlyjs()) == 1


@pytest.mark.parametrize("n_intervals", [1, 4])
def test_reports_build_for_short_horizons(n_intervals):
    page = scenario_report_html(make_result(n_intervals=n_intervals))
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []


def test_point_labels_are_short_and_dropped_when_they_would_crowd(tmp_path):
    from scenarios import load_scenarios
    from scenarios.report import scenario_label
    from scenarios.report._money_figures import MAX_POINT_LABELS as _MAX_POINT_LABELS

    # The labels the loader gives the base, a variant and a sweep point.
    (tmp_path / "s.yaml").write_text(
        "name: base\nhorizon: {start: 2026-03-02, days: 1}\n"
        "channels: {voice: {volume: {daily: 500}, aht: 4m, target: 80% in 20s}}\n"
        "pay: {hourly_rates: {agent: 20}}\nvariants: {24x7: {hours: 24x7}}\n"
        "sweep: {channels.voice.aht: [240], pay.hourly_rates.agent: [19]}\n")
    base, variant, point = load_scenarios(tmp_path / "s.yaml")
    # The part of a sweep point's name that differs, field paths cut to their last key.
    assert point.name == "base / channels.voice.aht=240, pay.hourly_rates.agent=19"
    assert scenario_label(point) == (
        "aht=240, agent=19")
    assert scenario_label(variant) == "24x7"
    assert scenario_label(base) == "base"
    # Ten points on a line: the labels drawn miss each other; every name is in the hover.
    many = [make_result(f"base / x={k}", cost=1000.0 + 10 * k, service_level=0.9 - 0.01 * k)
            for k in range(_MAX_POINT_LABELS + 4)]
    fig = _frontier_figure(comparison_table(many), "EUR")
    points = [t for t in fig.data if t.name in ("efficient", "not efficient")]
    assert sorted(n for t in points for n in t.customdata) == sorted(r.name for r in many)
    boxes = _label_boxes(fig)
    assert boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


@pytest.mark.slow
def test_run_report_holds_the_comparison_and_the_base_once():
    from scenarios.report import run_report_html

    results = comparison_results()
    page = run_report_html(results)
    parse(page)
    assert page.count("plotly.js v") == 1                     # the bundle, once
    assert COMPARISON_TITLE in page                           # the comparison chart
    for title in SCENARIO_TITLES:                              # the base scenario's charts
        assert title in page
    assert page == run_report_html(results)                   # deterministic
    # One result: exactly the scenario report.
    assert run_report_html(results[:1]) == scenario_report_html(results[0])


def test_frontier_of_different_volumes_is_drawn_per_handled_contact():
    # Issue 14: 24x7 (15,500 offered, 55,200 for 15,000 handled: 3.68 each) against 8x5
    # (12,340 offered, 51,480 for 12,000 handled: 4.29 each). The chart's x axis and points are
    # the cost per handled contact, and it says so.
    results = [make_result("24x7", cost=55_200.0, service_level=0.85, offered=15_500.0,
                           handled=15_000.0, cost_per_handled=3.68),
               make_result("8x5", cost=51_480.0, service_level=0.86, offered=12_340.0,
                           handled=12_000.0, cost_per_handled=4.29)]
    table = comparison_table(results)
    fig = _frontier_figure(table, "EUR")
    assert fig.layout.xaxis.title.text == "cost per handled contact (EUR; volumes differ)"
    by_name = {trace.name: trace for trace in fig.data}
    assert sorted(by_name["efficient"].x) == [3.68, 4.29]
    assert "not efficient" not in by_name
    page = outside_bundle(comparison_report_html(results))
    # One group: the basis is said once under the table (not repeated on every row).
    assert "the frontier is judged on cost per handled contact." in page
    assert "<td>cost per handled contact</td>" not in page


def test_two_currencies_get_two_charts_never_one_axis():
    results = [make_result("pounds", cost=1000.0), make_result("euros", cost=900.0)]
    results[0].summary["currency"] = "GBP"
    page = outside_bundle(comparison_report_html(results))
    assert page.count('id="ccplan-frontier"') == 1 and page.count('id="ccplan-frontier-2"') == 1
    assert "cost over the horizon (GBP)" in page and "cost over the horizon (EUR)" in page
    assert "cost over the horizon (mixed" not in page


# --- issue 18: every scenario's section, the solver in words, one time axis -------------------

@pytest.mark.parametrize(("status", "gap", "words"), [
    ("optimal", 0.007687586471845895, "optimal within 0.8%"),
    ("optimal", 0.0, "optimal within 0.0%"),
    ("time_limit", 0.031, "STOPPED AT THE TIME LIMIT, within 3.1% \N{EM DASH} depends on "
                          "machine speed"),
    ("gap_above_target", 0.02, "stopped at its node budget, within 2.0% (above the gap asked)"),
])
def test_solver_reads_as_a_planner_reads_it(status, gap, words):
    result = make_result()
    result.summary["schedule"] = {"status": status, "mip_gap": gap}
    rest = outside_bundle(scenario_report_html(result))
    assert f"Shift schedule: <strong>{words}</strong>" in rest       # under the headline
    assert f"<td>{words}" in rest                                     # the facts' solver line
    result.summary["schedule"] = None
    assert "Shift schedule: <strong>no shift schedule</strong>" in outside_bundle(
        scenario_report_html(result))


def test_no_raw_gap_on_the_pages():
    results = comparison_results()
    for result, gap in zip(results, (0.007687586471845895, 0.031, 0.0, 0.5, 0.2), strict=True):
        result.summary["schedule"] = {"status": "optimal", "mip_gap": gap}
    results[1].summary["schedule"]["status"] = "time_limit"
    from scenarios.report import run_report_html

    page = outside_bundle(run_report_html(results))
    assert "0.007687586471845895" not in page and "mip_gap" not in page
    assert "<td>optimal within 0.8%</td>" in page                 # the comparison table
    assert "<td>STOPPED AT THE TIME LIMIT, within 3.1% \N{EM DASH} depends on machine speed" \
           "</td>" in page
    assert "Shift schedule: <strong>optimal within 0.8%</strong>" in page   # base's headline


def test_run_report_gives_every_scenario_its_section_base_open():
    from scenarios.report import run_report_html

    results = comparison_results()[:3]
    page = run_report_html(results)
    rest = outside_bundle(page)
    parser = parse(page)
    assert parser.errors == [] and parser.stack == []
    details = [attrs for tag, attrs in parser.starts if tag == "details"]
    assert [d["id"] for d in details] == ["scenario-1", "scenario-2", "scenario-3"]
    assert ["open" in d for d in details] == [True, False, False]
    # Each section has its headline numbers and all its charts, with ids of its own.
    assert rest.count('<div class="kpis">') == 3
    for prefix in ("ccplan", "ccplan-2", "ccplan-3"):
        for chart in ("volumes", "agents", "service-level", "asa", "staffing-heatmap",
                      "cost-breakdown"):
            assert rest.count(f'id="{prefix}-{chart}"') == 1
    # The headline numbers come first in a section, before its facts.
    second = rest[rest.index('id="scenario-2"'):rest.index('id="scenario-3"')]
    assert second.index('data-kpi="cost"') < second.index("Facts")
    # rich: cost 1500 EUR, service level 95.0% (make_result's totals).
    assert '<div class="kpi-value">1,500.00 EUR</div>' in second
    assert '<div class="kpi-value">95.0%</div>' in second
    assert "resize(p)" in rest                         # charts sized when a section opens


def test_interval_charts_share_one_time_range_and_a_day_selector():
    from scenarios.report._scenario_figures import scenario_figures

    result = make_result(n_intervals=4 * 24 * 3)    # three days of quarter-hours
    figures = scenario_figures(result)
    ranges = {tuple(fig.layout.xaxis.range) for fig in figures[:4]}
    # One range for the four: from the first interval's start to the last one's end (local).
    assert ranges == {("2026-01-05 09:00:00", "2026-01-08 09:00:00")}
    buttons = figures[0].layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["whole horizon", "Mon 05 Jan", "Tue 06 Jan",
                                          "Wed 07 Jan", "Thu 08 Jan"]
    assert buttons[2].args[0]["xaxis.range"] == ["2026-01-06 00:00:00", "2026-01-07 00:00:00"]
    assert buttons[1].args[0]["xaxis.range"][0] == "2026-01-05 09:00:00"   # from the start


def test_staffing_heatmaps_are_the_means_by_weekday_and_time():
    import dataclasses

    from scenarios.report._scenario_figures import scenario_figures

    # Two Mondays and a Tuesday at 09:00 and 09:30, two channels.
    starts = pd.to_datetime(["2026-01-05 09:00", "2026-01-05 09:30", "2026-01-06 09:00",
                             "2026-01-12 09:00"]).tz_localize("Europe/London")
    rows = []
    for channel, required, on_queue in (("voice", [4, 6, 3, 8], [5, 5, 3, 6]),
                                        ("chat", [1, 1, 2, 2], [1, 0, 2, 2])):
        rows += [{"channel": channel, "interval_start": t, "agents_required": r,
                  "agents_on_queue": float(q)} for t, r, q in zip(starts, required, on_queue,
                                                                  strict=True)]
    intervals = pd.DataFrame(rows).reindex(columns=list(INTERVAL_COLUMNS))   # others NaN
    result = dataclasses.replace(make_result(), intervals=intervals)
    required, scheduled, short = scenario_figures(result)[4].data
    assert list(required.y) == ["Mon", "Tue"] and list(required.x) == ["09:00", "09:30"]
    # Monday 09:00: (4+1 + 8+2) / 2 Mondays; Monday 09:30 only once (7); Tuesday 09:00: 3+2.
    assert list(required.z[0]) == [7.5, 7.0] and required.z[1][0] == 5.0
    assert list(scheduled.z[0]) == [7.0, 5.0]
    # Short per interval, then the mean: Mon 09:00 max(5-6,0)=0 and max(10-8,0)=2 -> 1.
    assert list(short.z[0]) == [1.0, 2.0] and short.z[1][0] == 0.0


def test_breakdown_bars_each_sum_to_the_scenario_cost():
    from scenarios.report._scenario_figures import scenario_figures

    result = make_result(cost=12_345.678)
    fig = scenario_figures(result)[5]
    by_view: dict[str, float] = {}
    for trace in fig.data:
        by_view[trace.y[0]] = by_view.get(trace.y[0], 0.0) + trace.x[0]
    assert len(by_view) == 2
    assert all(v == pytest.approx(12_345.678) for v in by_view.values())


def _label_boxes(fig, plot_px=(700.0, 330.0)):
    """Each drawn label's box in pixels of the plot area, estimated independently of the
    figure's own placement: 7 px per character, 16 px a line, beside its marker."""
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    boxes = []
    for trace in fig.data:
        if trace.mode != "markers+text":
            continue
        for x, y, text, where in zip(trace.x, trace.y, trace.text, trace.textposition,
                                     strict=True):
            if not text:
                continue
            px = (x - x0) / (x1 - x0) * plot_px[0]
            py = (y - y0) / (y1 - y0) * plot_px[1]
            width = 6.6 * len(html.unescape(text))
            vertical, _, horizontal = where.partition(" ")
            left = {"center": px - width / 2, "right": px + 7, "left": px - 7 - width}[horizontal]
            bottom = {"top": py + 7, "bottom": py - 7 - 15, "middle": py - 7.5}[vertical]
            boxes.append((left, bottom, left + width, bottom + 15))
    return boxes


def test_frontier_labels_do_not_overlap_when_points_crowd():
    # Two points almost at the same place and one apart: the labels drawn do not overlap
    # (one of the close pair may be left to the hover: no room beside the other and the line).
    rows = [make_result(name, cost=cost, service_level=sl) for name, cost, sl in
            (("base", 200.0, 0.90), ("base / extended", 100.0, 0.80),
             ("base / 24x7", 100.5, 0.801))]
    fig = _frontier_figure(comparison_table(rows), "EUR")
    boxes = _label_boxes(fig)
    assert len(boxes) >= 2
    # Three points well apart: every one labelled.
    apart = [make_result(name, cost=cost, service_level=sl) for name, cost, sl in
             (("base", 200.0, 0.90), ("base / extended", 150.0, 0.85),
              ("base / 24x7", 100.0, 0.80))]
    assert len(_label_boxes(_frontier_figure(comparison_table(apart), "EUR"))) == 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_crowded_frontier_numbers_its_points_as_the_table_does():
    many = [make_result(f"base / x={k}", cost=1000.0 + 10 * k, service_level=0.9 - 0.01 * k)
            for k in range(8)]
    page = outside_bundle(comparison_report_html(many))
    assert "<th title=\"the point&#x27;s number on the cost against service level chart\">#" \
           "</th>" in page
    assert '<tr><td class="num">3</td><td>base / x=2</td>' in page
    table = comparison_table(many).assign(number=range(1, 9))
    fig = _frontier_figure(table, "EUR")
    drawn = sorted(t for trace in fig.data if trace.text is not None for t in trace.text)
    assert drawn == sorted(str(n) for n in range(1, 9))


def test_a_capacity_plan_gets_a_short_summary_and_the_command_for_the_full_report():
    import dataclasses

    from tests.scenarios.test_capacity_report import capacity_result

    capacity = capacity_result(plan="given", first_week=6.0)
    result = dataclasses.replace(make_result(), capacity=capacity)
    rest = outside_bundle(scenario_report_html(result))
    assert "Capacity plan (the weeks ahead)" in rest
    # 20 weeks from Monday 2027-01-04; week 6 starts on Monday 2027-02-15.
    assert "given, 20 weeks from Mon 2027-01-04" in rest
    assert "week 6 (from Mon 2027-02-15)" in rest
    assert f"{capacity.summary['cost']:,.2f} XTS" in rest
    assert "<code>ccplan capacity retail.yaml</code> writes the full capacity report" in rest
    assert "Capacity plan" not in outside_bundle(scenario_report_html(make_result()))
