"""``expect:`` lines: parsing, checking against a hand-built result, JUnit output.

Every expected value below is read off the hand-written tables in
``make_result`` or counted by hand from its ``intervals`` rows; none comes
from running the code under test.
"""

from __future__ import annotations

import dataclasses
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenarios.compare import CheckOutcome, check_expectations, junit_xml
from scenarios.files import Expectation, parse_expectation
from scenarios.pipeline import ScenarioResult
from scenarios.pipeline.contracts import (
    CHANNEL_COLUMNS,
    COST_BREAKDOWN_COLUMNS,
    INTERVAL_COLUMNS,
    TOTAL_COLUMNS,
)

NAME = "retail / 24x7"
NAN = math.nan

# Per interval: channel, is_open, offered, service_level, asa_s, abandon_rate, occupancy.
# Rows counted by the interval-share form: is_open and offered > 0, i.e.
#   voice t0-t2 (t3 is closed although it shows contacts),
#   email t1-t3 (t0 is open but has no contacts).
INTERVAL_ROWS = [
    ("voice", True, 10.0, 0.90, 12.0, 0.01, 0.80),
    ("voice", True, 20.0, 0.80, 25.0, 0.03, 0.85),
    ("voice", True, 30.0, 0.70, 45.0, 0.06, 0.92),
    ("voice", False, 4.0, 0.00, 300.0, 0.50, 1.00),
    ("email", True, 0.0, NAN, NAN, NAN, 0.00),
    ("email", True, 5.0, 1.00, 100.0, 0.00, 0.50),
    ("email", True, 5.0, 0.60, 4000.0, 0.00, 0.70),
    ("email", True, 5.0, 0.75, 1800.0, 0.00, 0.60),
]

CHANNEL_VALUES = {
    "voice": dict(offered=60.0, handled=58.0, abandoned=2.0, service_level=0.781, asa_s=31.5,
                  abandon_rate=0.035, occupancy=0.87, service_level_target=0.8,
                  answer_within_s=20.0, open_intervals_meeting_target=2 / 3, cost=240.0,
                  cost_per_contact=4.0, cost_per_handled=240.0 / 58.0),
    "email": dict(offered=15.0, handled=15.0, abandoned=0.0, service_level=0.8, asa_s=1966.7,
                  abandon_rate=0.0, occupancy=0.6, service_level_target=0.8,
                  answer_within_s=3600.0, open_intervals_meeting_target=1 / 3, cost=90.0,
                  cost_per_contact=6.0, cost_per_handled=6.0),
}

TOTAL_VALUES = dict(offered=75.0, handled=73.0, abandoned=2.0, service_level=0.7848,
                    asa_s=418.54, abandon_rate=2 / 75, occupancy=0.8,
                    open_intervals_meeting_target=0.5, cost=330.0, cost_per_contact=4.4,
                    cost_per_handled=330.0 / 73.0, fte=12.5, paid_hours=50.0, headcount=14.0,
                    weekly_cost=55440.0, annual_cost=2890800.0, budget=60000.0,
                    budget_period="week", cost_vs_budget=0.924)


def make_result(expectations=(), *, name=NAME, channels=None, totals=None, intervals=None):
    """A two-channel result with every documented column; overrides replace values."""
    start = pd.Timestamp("2025-03-03 09:00", tz="Europe/London")
    interval_rows = []
    for index, (channel, is_open, offered, sl, asa, abandon, occupancy) in enumerate(
        intervals if intervals is not None else INTERVAL_ROWS
    ):
        interval_rows.append(dict(
            scenario=name, channel=channel,
            interval_start=start + pd.Timedelta(seconds=900 * (index % 4)),
            is_open=is_open, offered=offered, aht_s=240.0, agents_required=3,
            agents_on_queue=3.0, service_level_erlang=sl, asa_s_erlang=asa,
            abandon_rate_erlang=abandon, service_level=sl, service_level_low=NAN,
            service_level_high=NAN, asa_s=asa, asa_s_low=NAN, asa_s_high=NAN,
            abandon_rate=abandon, abandon_rate_low=NAN, abandon_rate_high=NAN,
            mean_queue=NAN, occupancy=occupancy, cost=30.0,
        ))
    channel_rows = []
    for channel, values in (channels if channels is not None else CHANNEL_VALUES).items():
        row = dict(scenario=name, channel=channel, service_level_low=NAN,
                   service_level_high=NAN, asa_s_low=NAN, asa_s_high=NAN,
                   abandon_rate_low=NAN, abandon_rate_high=NAN)
        row.update(values)
        channel_rows.append(row)
    total_row = dict(scenario=name, **(totals if totals is not None else TOTAL_VALUES))
    result = ScenarioResult(
        name=name,
        intervals=pd.DataFrame(interval_rows, columns=list(INTERVAL_COLUMNS)),
        channels=pd.DataFrame(channel_rows, columns=list(CHANNEL_COLUMNS)),
        totals=pd.DataFrame([total_row], columns=list(TOTAL_COLUMNS)),
        cost_breakdown=pd.DataFrame(columns=list(COST_BREAKDOWN_COLUMNS)),
        shifts=pd.DataFrame(columns=["shift_id", "template", "shift_start", "duration_s",
                                     "headcount"]),
        expectations=tuple(expectations),
    )
    return result


def check(line, **overrides):
    return check_expectations(make_result((line,), **overrides))


def summary(outcomes):
    return [(o.scope, o.value, o.passed) for o in outcomes]


# --- parsing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("service_level >= 0.80", Expectation("service_level >= 0.80", None, "service_level", ">=",
                                          0.8)),
    ("service_level >= 80%", Expectation("service_level >= 80%", None, "service_level", ">=",
                                         0.8)),
    ("  voice.abandon_rate <= 5% ", Expectation("voice.abandon_rate <= 5%", "voice",
                                                "abandon_rate", "<=", 0.05)),
    ("total.service_level > 0.8", Expectation("total.service_level > 0.8", "total",
                                              "service_level", ">", 0.8)),
    ("cost_per_contact <= 4.20", Expectation("cost_per_contact <= 4.20", "total",
                                             "cost_per_contact", "<=", 4.2)),
    ("cost_per_handled < 5", Expectation("cost_per_handled < 5", "total", "cost_per_handled",
                                         "<", 5.0)),
    ("voice.cost_per_contact <= 4", Expectation("voice.cost_per_contact <= 4", "voice",
                                                "cost_per_contact", "<=", 4.0)),
    ("fte <= 120", Expectation("fte <= 120", "total", "fte", "<=", 120.0)),
    ("total.headcount<150", Expectation("total.headcount<150", "total", "headcount", "<",
                                        150.0)),
    ("cost_vs_budget <= 105%", Expectation("cost_vs_budget <= 105%", "total", "cost_vs_budget",
                                           "<=", 1.05)),
    ("cost_vs_budget <= 1.2", Expectation("cost_vs_budget <= 1.2", "total", "cost_vs_budget",
                                          "<=", 1.2)),
    ("asa_s <= 30s", Expectation("asa_s <= 30s", None, "asa_s", "<=", 30.0)),
    ("asa_s <= 30", Expectation("asa_s <= 30", None, "asa_s", "<=", 30.0)),
    ("asa_s <= 1m", Expectation("asa_s <= 1m", None, "asa_s", "<=", 60.0)),
    ("asa_s <= 1.5m", Expectation("asa_s <= 1.5m", None, "asa_s", "<=", 90.0)),
    ("asa_s <= 1h2m3s", Expectation("asa_s <= 1h2m3s", None, "asa_s", "<=", 3723.0)),
    ("occupancy < .9", Expectation("occupancy < .9", None, "occupancy", "<", 0.9)),
    ("back office.occupancy < 0.9", Expectation("back office.occupancy < 0.9", "back office",
                                                "occupancy", "<", 0.9)),
    ("open_intervals_meeting_target >= 90%",
     Expectation("open_intervals_meeting_target >= 90%", None, "open_intervals_meeting_target",
                 ">=", 0.9)),
    ("service_level >= 80% in 90% of open intervals",
     Expectation("service_level >= 80% in 90% of open intervals", None, "service_level", ">=",
                 0.8, 0.9)),
    ("email.asa_s <= 1h in 100% of open intervals",
     Expectation("email.asa_s <= 1h in 100% of open intervals", "email", "asa_s", "<=", 3600.0,
                 1.0)),
    ("total.abandon_rate < 0.05 IN 92.5 % OF OPEN INTERVALS",
     Expectation("total.abandon_rate < 0.05 IN 92.5 % OF OPEN INTERVALS", "total",
                 "abandon_rate", "<", 0.05, 0.925)),
])
def test_parse(text, expected):
    assert parse_expectation(text) == expected


def test_percent_equals_fraction_exactly():
    # 80% must give the very float 0.8, so equality at the limit behaves as written.
    assert parse_expectation("service_level >= 80%").limit == 0.8
    assert parse_expectation("occupancy <= 85%").limit == 0.85


def test_expectation_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        parse_expectation("fte <= 1").limit = 2.0  # type: ignore[misc]


@pytest.mark.parametrize(("text", "message"), [
    ("", "expect line '' is empty; write [SCOPE.]METRIC OP NUMBER[%] [in NUMBER% of open "
         "intervals], e.g. 'service_level >= 0.8'."),
    (120, "expect line 120 must be text ([SCOPE.]METRIC OP NUMBER[%] [in NUMBER% of open "
          "intervals]), got int; write e.g. 'service_level >= 0.8'"),
    ({"fte": 120}, "got dict"),
    ("service_level 0.8", "expect line 'service_level 0.8' has no comparison operator; use one "
                          "of >=, <=, >, <"),
    ("fte = 120", "expect line 'fte = 120': operator '=' is not allowed (equality is not "
                  "supported; compare with >= or <=); use one of >=, <=, >, <, e.g. "
                  "'fte <= 120'."),
    ("fte == 120", "operator '==' is not allowed"),
    ("fte != 120", "operator '!=' is not allowed"),
    ("service_level => 0.8", "operator '=>' is not allowed (did you mean '>='?)"),
    ("service_level =< 0.8", "operator '=<' is not allowed (did you mean '<='?)"),
    (">= 0.8", "expect line '>= 0.8' has no metric before the operator"),
    ("servce_level >= 0.8", "expect line 'servce_level >= 0.8': unknown metric 'servce_level' "
                            "(did you mean 'service_level'?); channel metrics: service_level, "
                            "asa_s, abandon_rate, occupancy, cost_per_contact, cost_per_handled, "
                            "open_intervals_meeting_target; centre metrics (total only): fte, "
                            "paid_hours, headcount, cost, weekly_cost, annual_cost, "
                            "cost_vs_budget; capacity metrics (total only, with a capacity: "
                            "block): min_weekly_coverage, hires_total, min_coverage_probability, "
                            "insurance_cost, capacity_cost; e.g. 'service_level >= 0.8'."),
    ("voice.asa <= 30", "unknown metric 'asa' (did you mean 'asa_s'?)"),
    ("Service_Level >= 0.8", "unknown metric 'Service_Level' (did you mean 'service_level'?)"),
    ("agents <= 3", "unknown metric 'agents'; channel metrics: service_level"),
    ("service_level.voice >= 0.8", "unknown metric 'voice' (scope goes first: did you mean "
                                   "'voice.service_level'?)"),
    (".service_level >= 0.8", "the scope before '.' is empty; write a channel name or 'total'"),
    ("voice.fte <= 120", "expect line 'voice.fte <= 120': fte is a centre metric, so it applies "
                         "to the whole centre, not to channel 'voice'; write 'fte ...' or "
                         "'total.fte ...', e.g. 'fte <= 120'"),
    ("email.cost_vs_budget <= 1", "cost_vs_budget is a centre metric"),
    ("fte <=", "expect line 'fte <=': no number after '<='; write the limit as a number, e.g. "
               "'fte <= 120'."),
    ("service_level >= high", "limit 'high' is not a number such as 0.8 or a percentage such "
                              "as 80%; e.g. 'service_level >= 0.8'."),
    ("fte <= lots", "limit 'lots' is not a number; e.g. 'fte <= 120'."),
    ("asa_s <= 30sec", "limit '30sec' is not a number of seconds or a duration such as 30s, 1m "
                       "or 1m30s; e.g. 'asa_s <= 30s'."),
    ("asa_s <= 1e999", "limit '1e999' is not finite"),
    ("fte <= -5", "limit '-5' has a sign; fte is never negative, so write a number >= 0"),
    ("fte <= 120%", "expect line 'fte <= 120%': fte is not a fraction, so '%' is not allowed on "
                    "its limit '120%'; write a plain number, e.g. 'fte <= 120' ('%' is allowed "
                    "on: service_level, abandon_rate, occupancy, open_intervals_meeting_target, "
                    "min_weekly_coverage, min_coverage_probability, cost_vs_budget)."),
    ("asa_s <= 30%", "asa_s is not a fraction, so '%' is not allowed"),
    ("cost_per_contact <= 4%", "cost_per_contact is not a fraction"),
    ("fte <= 120s", "limit '120s' has a duration suffix (h, m, s), which only asa_s takes; "
                    "write a plain number for fte, e.g. 'fte <= 120'."),
    ("occupancy <= 1h", "which only asa_s takes"),
    ("asa_s <= 30s%", "limit '30s%' mixes a duration and '%'"),
    ("service_level >= 80", "service_level is a fraction from 0 to 1, got limit 80; write 0.8 "
                            "or 80% if you meant a percentage, e.g. 'service_level >= 0.8'."),
    ("service_level >= 120%", "limit '120%' is above 100%; service_level is a share from 0% "
                              "to 100%"),
    ("service_level >= 0.8 in 90% of intervals",
     "unexpected 'in 90% of intervals' after the limit; the only text allowed there is "
     "'in P% of open intervals', e.g. 'service_level >= 0.8 in 90% of open intervals'."),
    ("service_level >= 0.8 or better", "unexpected 'or better' after the limit"),
    ("fte <= 120 in 90% of open intervals",
     "'in P% of open intervals' applies only to per-interval measures (service_level, asa_s, "
     "abandon_rate, occupancy), not fte; drop it, e.g. 'fte <= 120'"),
    ("open_intervals_meeting_target >= 0.9 in 90% of open intervals",
     "applies only to per-interval measures"),
    ("service_level >= 0.8 in 0.9 of open intervals",
     "share '0.9' of open intervals must be a percentage above 0% and at most 100%, e.g. "
     "'service_level >= 0.8 in 90% of open intervals'."),
    ("service_level >= 0.8 in 0% of open intervals", "share '0%' of open intervals must be"),
    ("service_level >= 0.8 in 101% of open intervals", "share '101%' of open intervals must be"),
])
def test_parse_errors(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_expectation(text)


# --- checking plain lines against the channels and totals tables -----------------------------


@pytest.mark.parametrize(("line", "expected"), [
    # Without a scope a channel metric applies to each channel, in table order.
    ("service_level >= 0.8", [("voice", 0.781, False), ("email", 0.8, True)]),
    ("service_level >= 80%", [("voice", 0.781, False), ("email", 0.8, True)]),
    # Equality: >= and <= pass, > and < fail.
    ("service_level > 0.8", [("voice", 0.781, False), ("email", 0.8, False)]),
    ("service_level <= 0.8", [("voice", 0.781, True), ("email", 0.8, True)]),
    ("service_level < 0.8", [("voice", 0.781, True), ("email", 0.8, False)]),
    ("voice.abandon_rate <= 0.05", [("voice", 0.035, True)]),
    ("email.abandon_rate < 0", [("email", 0.0, False)]),
    ("email.abandon_rate <= 0", [("email", 0.0, True)]),
    ("occupancy < 0.87", [("voice", 0.87, False), ("email", 0.6, True)]),
    ("asa_s <= 30s", [("voice", 31.5, False), ("email", 1966.7, False)]),
    ("asa_s <= 1h", [("voice", 31.5, True), ("email", 1966.7, True)]),
    ("email.asa_s <= 32m", [("email", 1966.7, False)]),  # 1920 s
    ("email.asa_s <= 33m", [("email", 1966.7, True)]),  # 1980 s
    ("total.asa_s <= 7m", [("total", 418.54, True)]),  # 420 s
    ("open_intervals_meeting_target >= 50%", [("voice", 2 / 3, True), ("email", 1 / 3, False)]),
    ("total.open_intervals_meeting_target >= 0.5", [("total", 0.5, True)]),
    ("total.service_level >= 0.78", [("total", 0.7848, True)]),
    ("total.abandon_rate > 0.02", [("total", 2 / 75, True)]),
    ("total.occupancy >= 0.81", [("total", 0.8, False)]),
    # cost_per_contact and cost_per_handled default to the whole centre.
    ("cost_per_contact <= 4.20", [("total", 4.4, False)]),
    ("voice.cost_per_contact <= 4.20", [("voice", 4.0, True)]),
    ("cost_per_handled < 5", [("total", 330.0 / 73.0, True)]),
    ("email.cost_per_handled < 6", [("email", 6.0, False)]),
    ("fte <= 12.5", [("total", 12.5, True)]),
    ("fte < 12.5", [("total", 12.5, False)]),
    ("total.fte > 12", [("total", 12.5, True)]),
    ("paid_hours <= 50", [("total", 50.0, True)]),
    ("headcount <= 13", [("total", 14.0, False)]),
    ("cost < 330", [("total", 330.0, False)]),
    ("weekly_cost <= 60000", [("total", 55440.0, True)]),
    ("annual_cost >= 3000000", [("total", 2890800.0, False)]),
    ("cost_vs_budget <= 100%", [("total", 0.924, True)]),
    ("cost_vs_budget <= 0.9", [("total", 0.924, False)]),
])
def test_plain_checks(line, expected):
    outcomes = check(line)
    assert summary(outcomes) == expected
    parsed = parse_expectation(line)
    for outcome in outcomes:
        assert (outcome.scenario, outcome.expectation, outcome.metric) == (NAME, line,
                                                                           parsed.metric)
        assert (outcome.op, outcome.limit) == (parsed.op, parsed.limit)


def test_messages_show_value_relation_and_limit():
    voice, email = check("service_level >= 0.80")
    assert voice.message == ("retail / 24x7: voice service_level 0.781 < 0.8 "
                             "(expected service_level >= 0.80)")
    assert email.message == ("retail / 24x7: email service_level 0.800 >= 0.8 "
                             "(expected service_level >= 0.80)")
    voice, email = check("asa_s <= 30s")
    assert voice.message == "retail / 24x7: voice asa_s 31.5 s > 30 s (expected asa_s <= 30s)"
    (fte,) = check("fte < 12.5")
    assert fte.message == "retail / 24x7: total fte 12.5 >= 12.5 (expected fte < 12.5)"
    (cost,) = check("cost_per_contact <= 4.20")
    assert cost.message == ("retail / 24x7: total cost_per_contact 4.40 > 4.2 "
                            "(expected cost_per_contact <= 4.20)")


def test_message_shows_enough_decimals_near_the_limit():
    channels = {"voice": {**CHANNEL_VALUES["voice"], "service_level": 0.79996}}
    (voice,) = check("service_level >= 0.8", channels=channels)
    assert not voice.passed
    assert "voice service_level 0.79996 < 0.8 " in voice.message


def test_several_lines_in_order():
    result = make_result(("fte <= 120", "service_level >= 0.8", "email.occupancy <= 0.6"))
    outcomes = check_expectations(result)
    assert [(o.expectation, o.scope) for o in outcomes] == [
        ("fte <= 120", "total"), ("service_level >= 0.8", "voice"),
        ("service_level >= 0.8", "email"), ("email.occupancy <= 0.6", "email"),
    ]
    assert [o.passed for o in outcomes] == [True, False, True, True]


def test_no_expectations_no_outcomes():
    assert check_expectations(make_result(())) == []


def test_input_tables_unchanged():
    result = make_result(("service_level >= 0.8 in 50% of open intervals", "fte <= 1"))
    before = [frame.copy() for frame in (result.intervals, result.channels, result.totals)]
    check_expectations(result)
    for old, new in zip(before, (result.intervals, result.channels, result.totals), strict=True):
        pd.testing.assert_frame_equal(old, new)


# --- values that cannot be computed fail, with a reason ---------------------------------------


def test_no_budget_fails_with_a_fix():
    totals = {**TOTAL_VALUES, "budget": NAN, "budget_period": "", "cost_vs_budget": NAN}
    (outcome,) = check("cost_vs_budget <= 1.0", totals=totals)
    assert not outcome.passed
    assert math.isnan(outcome.value)
    assert outcome.message == (
        "retail / 24x7: total cost_vs_budget is not available: the scenario has no budget; set "
        "a budget for the scenario, or drop this expectation (expected cost_vs_budget <= 1.0)"
    )


def test_headcount_without_schedule_fails():
    (outcome,) = check("headcount <= 200", totals={**TOTAL_VALUES, "headcount": NAN})
    assert (outcome.passed, math.isnan(outcome.value)) == (False, True)
    assert "headcount needs a shift schedule and this scenario has none" in outcome.message


def test_channel_without_contacts_fails_for_any_operator():
    channels = {"voice": CHANNEL_VALUES["voice"],
                "email": {**CHANNEL_VALUES["email"], "offered": 0.0, "handled": 0.0,
                          "service_level": NAN}}
    for line in ("service_level >= 0.8", "service_level < 0.8"):
        voice, email = check(line, channels=channels)
        assert voice.passed == (line == "service_level < 0.8")
        assert (email.passed, math.isnan(email.value)) == (False, True)
        assert "email service_level is not available: no contacts were offered over the " \
               "horizon; check the forecast and the opening hours" in email.message


def test_cost_per_handled_nothing_handled():
    channels = {"voice": {**CHANNEL_VALUES["voice"], "handled": 0.0, "cost_per_handled": NAN}}
    (outcome,) = check("voice.cost_per_handled <= 5", channels=channels)
    assert not outcome.passed
    assert "no contacts were handled over the horizon" in outcome.message


def test_other_nan_fails():
    (outcome,) = check("total.occupancy <= 0.9", totals={**TOTAL_VALUES, "occupancy": NAN})
    assert not outcome.passed
    assert "occupancy is NaN in the totals table" in outcome.message


def test_unknown_channel_scope_fails_naming_the_channels():
    (outcome,) = check("chat.service_level >= 0.8")
    assert (outcome.scope, outcome.passed, math.isnan(outcome.value)) == ("chat", False, True)
    assert outcome.message == (
        "retail / 24x7: channel 'chat' is not in this scenario (channels: voice, email); use one "
        "of them or 'total', or drop this expectation (expected chat.service_level >= 0.8)"
    )


def test_no_channels_fails():
    (outcome,) = check("service_level >= 0.8", channels={})
    assert (outcome.scope, outcome.passed) == ("total", False)
    assert "the result has no channels" in outcome.message


def test_bad_line_in_result_names_scenario_and_index():
    result = make_result(("fte <= 120", "fte <= 120%"))
    with pytest.raises(ValueError, match=re.escape("retail / 24x7: expect[1]: expect line "
                                                   "'fte <= 120%': fte is not a fraction")):
        check_expectations(result)


# --- the interval-share form -------------------------------------------------------------------


@pytest.mark.parametrize(("line", "expected"), [
    # voice rows t0-t2: SL 0.90, 0.80, 0.70 -> 2 of 3 reach 0.8 (0.80 counts).
    # email rows t1-t3: SL 1.00, 0.60, 0.75 -> 1 of 3.
    ("service_level >= 0.8 in 66% of open intervals", [("voice", 2 / 3, True),
                                                       ("email", 1 / 3, False)]),
    ("service_level >= 80% in 67% of open intervals", [("voice", 2 / 3, False),
                                                       ("email", 1 / 3, False)]),
    ("service_level > 0.8 in 30% of open intervals", [("voice", 1 / 3, True),
                                                      ("email", 1 / 3, True)]),
    ("service_level > 0.8 in 34% of open intervals", [("voice", 1 / 3, False),
                                                      ("email", 1 / 3, False)]),
    # total pools the six rows: 3 of 6 reach 0.8; needing 50% passes at equality.
    ("total.service_level >= 0.8 in 50% of open intervals", [("total", 0.5, True)]),
    ("total.service_level >= 0.8 in 51% of open intervals", [("total", 0.5, False)]),
    # voice ASA 12, 25, 45 s -> 2 of 3 within 30 s; email 100, 4000, 1800 s -> 2 of 3 within 1 h.
    ("voice.asa_s <= 30s in 60% of open intervals", [("voice", 2 / 3, True)]),
    ("email.asa_s <= 1h in 60% of open intervals", [("email", 2 / 3, True)]),
    # total pools 12, 25, 45, 100, 4000, 1800 s: 3 of 6 below 100 s (100 itself is not).
    ("total.asa_s < 100 in 50% of open intervals", [("total", 3 / 6, True)]),
    # voice abandon 0.01, 0.03, 0.06 -> 2 of 3; email 0, 0, 0 -> 3 of 3.
    ("abandon_rate <= 0.05 in 100% of open intervals", [("voice", 2 / 3, False),
                                                        ("email", 1.0, True)]),
    # voice occupancy 0.80, 0.85, 0.92 -> 2 of 3 below 0.9; email 0.5, 0.7, 0.6 -> 3 of 3.
    ("occupancy < 0.9 in 60% of open intervals", [("voice", 2 / 3, True),
                                                  ("email", 1.0, True)]),
])
def test_interval_share(line, expected):
    outcomes = check(line)
    assert summary(outcomes) == expected
    needed = parse_expectation(line).interval_share
    for outcome in outcomes:
        assert (outcome.op, outcome.limit) == (">=", needed)


def test_interval_share_message():
    voice, email = check("service_level >= 0.8 in 90% of open intervals")
    assert voice.message == ("retail / 24x7: voice: 66.7% of 3 open intervals with contacts "
                             "meet service_level >= 0.8; needed 90%")
    (total,) = check("total.asa_s <= 30s in 50% of open intervals")  # 12, 25 of 6 rows
    assert total.message == ("retail / 24x7: total: 33.3% of 6 open intervals with contacts "
                             "(all channels) meet asa_s <= 30 s; needed 50%")


def test_interval_share_without_open_intervals_fails():
    rows = [row if row[0] == "voice" else (row[0], False, *row[2:]) for row in INTERVAL_ROWS]
    voice, email = check("service_level >= 0.8 in 50% of open intervals", intervals=rows)
    assert voice.passed
    assert (email.passed, math.isnan(email.value)) == (False, True)
    assert email.message == (
        "retail / 24x7: email has no open intervals with contacts, so the share of intervals "
        "meeting service_level >= 0.8 cannot be computed; check the opening hours and the "
        "forecast for email, or drop 'in 50% of open intervals' (expected service_level >= 0.8 "
        "in 50% of open intervals)"
    )


def test_interval_share_missing_value_counts_as_not_meeting():
    rows = list(INTERVAL_ROWS)
    rows[0] = ("voice", True, 10.0, NAN, NAN, NAN, NAN)  # was SL 0.90
    (voice,) = check("voice.service_level >= 0.8 in 30% of open intervals", intervals=rows)
    assert (voice.value, voice.passed) == (1 / 3, True)
    assert voice.message.endswith("(1 without a service_level value count as not meeting it)")


# --- property: the comparison is exactly the operator ------------------------------------------

finite = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False).map(abs)


@given(value=finite, limit=finite)
def test_ge_and_lt_are_complementary(value, limit):
    result = make_result((f"fte >= {limit!r}", f"fte < {limit!r}"),
                         totals={**TOTAL_VALUES, "fte": value})
    at_least, below = check_expectations(result)
    assert (at_least.limit, below.limit) == (limit, limit)
    assert at_least.passed == (value >= limit)
    assert at_least.passed != below.passed


# --- JUnit XML ---------------------------------------------------------------------------------


def test_junit_counts_and_messages():
    lines = ("service_level >= 0.8", "fte <= 120", "chat.asa_s <= 30s")
    outcomes = check_expectations(make_result(lines))
    outcomes += check_expectations(make_result(("fte <= 12",), name="retail / lean"))
    text = junit_xml(outcomes)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    assert (root.get("name"), root.get("tests"), root.get("failures")) == ("ccplan check", "5",
                                                                          "3")
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        (NAME, "4", "2"), ("retail / lean", "1", "1"),
    ]
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == [
        "voice: service_level >= 0.8", "email: service_level >= 0.8", "total: fte <= 120",
        "chat: chat.asa_s <= 30s",
    ]
    assert {c.get("classname") for c in cases} == {NAME}
    failures = [(c.get("name"), c.find("failure")) for c in root.iter("testcase")]
    failed = {name: f for name, f in failures if f is not None}
    assert set(failed) == {"voice: service_level >= 0.8", "chat: chat.asa_s <= 30s",
                           "total: fte <= 12"}
    voice = failed["voice: service_level >= 0.8"]
    assert voice.get("message") == voice.text == (
        "retail / 24x7: voice service_level 0.781 < 0.8 (expected service_level >= 0.8)"
    )
    assert "channels: voice, email" in failed["chat: chat.asa_s <= 30s"].get("message")
    passed = cases[1]
    assert passed.find("failure") is None
    assert passed.find("system-out").text.startswith("retail / 24x7: email service_level 0.800")


def test_junit_escapes_and_is_deterministic():
    name = 'a <b> & "c"'
    outcomes = check_expectations(make_result(("service_level >= 0.8", "asa_s < 1m"), name=name))
    text = junit_xml(outcomes, name="plans & <checks>")
    assert "&lt;b&gt; &amp; " in text
    assert "<b>" not in text
    root = ET.fromstring(text)
    assert root.get("name") == "plans & <checks>"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == name
    assert {c.get("classname") for c in suite.iter("testcase")} == {name}
    assert suite.find("testcase/failure").get("message").startswith(f"{name}: voice ")
    assert junit_xml(outcomes, name="plans & <checks>") == text
    assert "timestamp" not in text and "time=" not in text


def test_junit_drops_characters_xml_cannot_hold():
    outcome = CheckOutcome("bell\x07", "fte <= 1", "total", "fte", "<=", 1.0, 2.0, False,
                           "bell\x07: total fte 2.0 > 1")
    root = ET.fromstring(junit_xml([outcome]))
    assert root.find("testsuite").get("name") == "bell\ufffd"


def test_junit_empty():
    root = ET.fromstring(junit_xml([]))
    assert (root.get("tests"), root.get("failures"), list(root)) == ("0", "0", [])


def test_numpy_values_are_plain_floats():
    (outcome,) = check("fte <= 120")
    assert type(outcome.value) is float and not isinstance(outcome.value, np.floating)
