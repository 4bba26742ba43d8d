"""dashboard._knobs: untouched knobs change nothing; each knob sets the field it names."""

from __future__ import annotations

from dataclasses import replace

import pytest

import scenarios
from dashboard import _knobs


@pytest.fixture(params=[p.name for p in scenarios.example_files()])
def example(request):
    return next(p for p in scenarios.example_files() if p.name == request.param)


def test_untouched_knobs_change_nothing(example):
    base = scenarios.load_scenarios(example, variants=False)[0]
    assert _knobs.overrides(_knobs.defaults(base), base) == {}


def test_each_knob_sets_its_field():
    path = next(p for p in scenarios.example_files() if p.name == "blended.yaml")
    base = scenarios.load_scenarios(path, variants=False)[0]
    knobs = replace(_knobs.defaults(base), volume_scale=1.5, aht_scale=0.8,
                    service_level_pct=90.0, answer_within_s=30.0, patience_s=120.0,
                    wage_scale=1.1, night_premium_pct=30.0, weekend_premium_pct=40.0,
                    shrinkage_pct=35.0, hours="custom", custom_open_s=_knobs.clock_s("07:30"),
                    custom_close_s=_knobs.clock_s("00:00", closing=True),
                    custom_days=("Mon", "Sat"))
    over = _knobs.overrides(knobs, base)
    scn = scenarios.load_scenarios(path, overrides=over, variants=False)[0]
    assert scn.volume_scale == pytest.approx(1.5 * base.volume_scale)
    assert scn.aht_scale == pytest.approx(0.8 * base.aht_scale)
    live = {c.name: c for c in scn.channels if not c.is_deferred}
    assert set(live) == {"voice", "chat"}
    for c in live.values():
        assert c.service_level_target == pytest.approx(0.90)
        assert c.answer_within_s == 30.0
        assert c.mean_patience_s == 120.0
    # Deferred work (email, 95% in 24 h) keeps its own target.
    email = next(c for c in scn.channels if c.is_deferred)
    assert email.service_level_target == pytest.approx(0.95)
    assert email.answer_within_s == 24 * 3600
    assert scn.rates.hourly_rates["agent"] == pytest.approx(19.0 * 1.1)
    assert scn.rates.night_premium == pytest.approx(0.30)
    assert scn.rates.weekend_premium == pytest.approx(0.40)
    assert scn.shrinkage == pytest.approx(0.35)
    # Custom hours: Monday and Saturday 07:30 to midnight, other days closed.
    hours = scn.hours.hours_by_weekday_s
    assert hours[0] == (7.5 * 3600, 86400.0) and hours[5] == (7.5 * 3600, 86400.0)
    assert all(hours[d] == (0.0, 0.0) for d in (1, 2, 3, 4, 6))


def test_presets_pass_through():
    path = next(p for p in scenarios.example_files() if p.name == "retail_bank.yaml")
    base = scenarios.load_scenarios(path, variants=False)[0]
    assert _knobs.defaults(base).hours == "8x5"
    over = _knobs.overrides(replace(_knobs.defaults(base), hours="24x7"), base)
    assert over == {"hours": "24x7"}
    assert scenarios.load_scenarios(path, overrides=over, variants=False)[0].hours.name == "24x7"


def test_overrides_json_is_canonical():
    assert _knobs.as_json({"b": 1, "a": 2}) == _knobs.as_json({"a": 2, "b": 1})
