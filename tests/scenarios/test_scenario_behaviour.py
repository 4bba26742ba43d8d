"""A channel's customer behaviour in the scenario file: hang_up, pickup_delay, redial, callback.

Each form of each field is read into the engines' terms (seconds, fractions 0-1, laws as
``{"kind": ..., "mean_s" | "value_s" | "values_s" | "bands": ...}``), the expected values
worked out by hand from the YAML text (4% is 0.04, 10m is 600 s). Each refused value gives
one line naming the file, the line (counted in the test from the text), the field, the value
and the fix. Variants and sweeps override the fields like any other; the JSON Schema and
docs/scenarios.md cover every key.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from scenarios import InputFileError, load_scenarios
from scenarios.files import scenario_json_schema
from tests.scenarios.test_scenario_file import _schema_errors

ROOT = Path(__file__).resolve().parents[2]

# Lines 1-7; tests append the channel's lines from line 8 on.
BASE = (
    "horizon: {start: 2026-03-02, days: 1}\n"
    "channels:\n"
    "  voice:\n"
    "    volume: {daily: 480, profile: flat}\n"
    "    aht: 4m\n"
    "    target: 80% in 20s\n"
    "    patience: 3m\n"
)


def _voice(tmp_path: Path, lines: str, rest: str = ""):
    path = tmp_path / "s.yaml"
    path.write_text(BASE + lines + rest, encoding="utf-8")
    return load_scenarios(path)


# ---------------------------------------------------------------------------------------------
# The forms, in the engines' terms
# ---------------------------------------------------------------------------------------------


def test_without_the_fields_every_behaviour_is_off(tmp_path):
    (voice,) = _voice(tmp_path, "")[0].channels
    assert (voice.hang_up_share, voice.hang_up_within_s) == (0.0, 0.0)
    assert voice.pickup_delay is None
    assert (voice.redial_probability, voice.redial_delay) == (0.0, None)
    assert voice.callback is None


@pytest.mark.parametrize(("text", "share", "within_s"), [
    ("hang_up: 4%", 0.04, 0.0),
    ("hang_up: 0.04", 0.04, 0.0),
    ("hang_up: 12.5 %", 0.125, 0.0),
    ("hang_up: 0%", 0.0, 0.0),
    ("hang_up: {share: 4%, within: 5s}", 0.04, 5.0),
    ("hang_up: {share: 0.1, within: 1m30s}", 0.1, 90.0),
])
def test_hang_up_is_a_share_and_a_window(tmp_path, text, share, within_s):
    (voice,) = _voice(tmp_path, f"    {text}\n")[0].channels
    assert voice.hang_up_share == pytest.approx(share, abs=1e-15)
    assert voice.hang_up_within_s == within_s


@pytest.mark.parametrize(("text", "spec"), [
    ("4s", {"kind": "fixed", "value_s": 4.0}),
    ("2.5", {"kind": "fixed", "value_s": 2.5}),
    ("{law: fixed, value: 3s}", {"kind": "fixed", "value_s": 3.0}),
    ("{law: exponential, mean: 4s}", {"kind": "exponential", "mean_s": 4.0}),
    ("{law: lognormal, mean: 1m, cv: 0.5}", {"kind": "lognormal", "mean_s": 60.0, "cv": 0.5}),
    ("{law: empirical, values: [2s, 3, 1m]}", {"kind": "empirical", "values_s": (2.0, 3.0, 60.0)}),
    ("{law: bands, bands: [{up_to: 5s, share: 60%}, {up_to: 10s, share: 0.3}, "
     "{up_to: 30s, share: 10%}]}",
     {"kind": "bands", "bands": ((5.0, 0.6), (10.0, 0.3), (30.0, 0.1))}),
])
def test_pickup_delay_laws_in_the_simulators_form(tmp_path, text, spec):
    (voice,) = _voice(tmp_path, f"    pickup_delay: {text}\n")[0].channels
    assert voice.pickup_delay == spec


def test_redial_with_one_probability_and_a_bare_delay_is_an_exponential_mean(tmp_path):
    (voice,) = _voice(tmp_path, "    redial: {probability: 35%, delay: 10m}\n")[0].channels
    assert voice.redial_probability == pytest.approx(0.35)
    assert voice.redial_delay == {"kind": "exponential", "mean_s": 600.0}


def test_redial_by_wait_is_a_table_ending_at_infinity(tmp_path):
    text = ("    redial:\n"
            "      probability:\n"
            "        - {wait_up_to: 10s, probability: 5%}\n"
            "        - {wait_up_to: 1m, probability: 0.2}\n"
            "        - {probability: 40%}\n"
            "      delay: {law: lognormal, mean: 15m, cv: 1.2}\n")
    (voice,) = _voice(tmp_path, text)[0].channels
    (b1, p1), (b2, p2), (b3, p3) = voice.redial_probability
    assert (b1, b2, b3) == (10.0, 60.0, math.inf)
    assert (p1, p2, p3) == pytest.approx((0.05, 0.2, 0.4))
    assert voice.redial_delay == {"kind": "lognormal", "mean_s": 900.0, "cv": 1.2}


def test_redial_needs_no_patience_when_callers_hang_up(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE.replace("    patience: 3m\n", "") + "    hang_up: 5%\n"
                    "    redial: {probability: 50%, delay: 2m}\n", encoding="utf-8")
    (voice,) = load_scenarios(path)[0].channels
    assert voice.mean_patience_s is None
    assert voice.redial_probability == 0.5


def test_callback_fields_and_defaults(tmp_path):
    text = "    callback: {offer_above: 2m, accept: 40%, promise: 30m}\n"
    (voice,) = _voice(tmp_path, text)[0].channels
    assert voice.callback == {"offer_above_s": 120.0, "accept_share": 0.4,
                              "rule": "after_queue", "promise_s": 1800.0, "dial_s": 0.0,
                              "service_level": "excluded"}
    text = ("    callback: {offer_above: 90s, accept: 0.25, rule: promise, promise: 1h, "
            "dial: 20s, service_level: promise}\n")
    (voice,) = _voice(tmp_path, text)[0].channels
    assert voice.callback == {"offer_above_s": 90.0, "accept_share": 0.25, "rule": "promise",
                              "promise_s": 3600.0, "dial_s": 20.0, "service_level": "promise"}


def test_the_four_fields_together_and_on_a_second_channel(tmp_path):
    rest = ("    hang_up: {share: 3%, within: 4s}\n"
            "    pickup_delay: 5s\n"
            "    redial: {probability: 30%, delay: 5m}\n"
            "    callback: {offer_above: 3m, accept: 50%, rule: in_turn, promise: 2h}\n"
            "  chat: {volume: {daily: 100}, aht: 6m, target: 80% in 60s, concurrency: 2}\n")
    voice, chat = _voice(tmp_path, rest)[0].channels
    assert (voice.hang_up_share, voice.hang_up_within_s) == (pytest.approx(0.03), 4.0)
    assert voice.pickup_delay == {"kind": "fixed", "value_s": 5.0}
    assert voice.callback is not None and voice.callback["rule"] == "in_turn"
    assert (chat.hang_up_share, chat.pickup_delay, chat.redial_probability, chat.callback) \
        == (0.0, None, 0.0, None)


# ---------------------------------------------------------------------------------------------
# Variants and sweeps
# ---------------------------------------------------------------------------------------------


def test_variants_override_and_remove_the_fields(tmp_path):
    rest = ("    hang_up: 4%\n"
            "    redial: {probability: 35%, delay: 10m}\n"
            "variants:\n"
            "  windowed: {channels: {voice: {hang_up: {share: 6%, within: 5s}}}}\n"
            "  no_redials: {channels: {voice: {redial: null}}}\n"
            "  slow_pickup: {channels: {voice: {pickup_delay: {law: exponential, mean: 8s}}}}\n"
            "  sooner: {channels: {voice: {redial: {delay: 2m}}}}\n")
    base, windowed, no_redials, slow, sooner = (s.channels[0] for s in _voice(tmp_path, rest))
    assert (base.hang_up_share, base.hang_up_within_s) == (pytest.approx(0.04), 0.0)
    assert (windowed.hang_up_share, windowed.hang_up_within_s) == (pytest.approx(0.06), 5.0)
    assert windowed.redial_probability == pytest.approx(0.35)   # the rest from the base
    assert (no_redials.redial_probability, no_redials.redial_delay) == (0.0, None)
    assert no_redials.hang_up_share == pytest.approx(0.04)
    assert slow.pickup_delay == {"kind": "exponential", "mean_s": 8.0}
    assert base.pickup_delay is None
    # A mapping merges key by key: the probability stays, the delay changes.
    assert sooner.redial_probability == pytest.approx(0.35)
    assert sooner.redial_delay == {"kind": "exponential", "mean_s": 120.0}


def test_a_sweep_over_the_hang_up_share(tmp_path):
    rest = "sweep:\n  channels.voice.hang_up: [2%, 0.06]\n"
    found = _voice(tmp_path, "", rest)
    assert [s.channels[0].hang_up_share for s in found] == pytest.approx([0.0, 0.02, 0.06])


def test_a_variant_with_a_bad_value_points_at_the_variant(tmp_path):
    rest = ("variants:\n"
            "  bad: {channels: {voice: {hang_up: 140%}}}\n")
    path = tmp_path / "s.yaml"
    path.write_text(BASE + rest, encoding="utf-8")
    with pytest.raises(InputFileError, match=r"s\.yaml:9:\d+: .*hang_up must be a share from "
                       r"0% to 100%, got '140%'"):
        load_scenarios(path)


# ---------------------------------------------------------------------------------------------
# Refused values: file, line, field, value, fix
# ---------------------------------------------------------------------------------------------

ERRORS = [
    ("    hang_up: 140%\n", "hang_up", r"channels\.voice\.hang_up must be a share from 0% to "
     r"100%, got '140%'\. E\.g\. hang_up: 4%"),
    ("    hang_up: 4\n", "hang_up", r"hang_up must be a share from 0 to 1.*for 4 percent write "
     r"4%\), got '4'"),
    ("    hang_up: 100%\n", "hang_up", r"hang_up must be below 100%, got 100%.*E\.g\. hang_up: "
     r"4%"),
    ("    hang_up: -3%\n", "hang_up", r"hang_up must be a share .*got '-3%'"),
    ("    hang_up: {share: 4%, whithin: 5s}\n", "whithin",
     r"channels\.voice\.hang_up: 'whithin' is not a known key \(did you mean 'within'\?\)"),
    ("    hangup: 4%\n", "hangup", r"'hangup' is not a known key \(did you mean 'hang_up'\?\)"),
    ("    pickup_dealy: 4s\n", "pickup_dealy", r"did you mean 'pickup_delay'"),
    ("    pickup_delay: -4s\n", "pickup_delay",
     r"channels\.voice\.pickup_delay must be a duration .*got '-4s'\. E\.g\. pickup_delay: 4s"),
    ("    pickup_delay: 2h\n", "pickup_delay",
     r"pickup_delay must be at most 1h, got 2h \(7200 s\)\. It is the time from an agent"),
    ("    pickup_delay: {law: gamma, mean: 4s}\n", "pickup_delay",
     r"pickup_delay\.law must be one of 'fixed', 'exponential', 'lognormal', 'empirical', "
     r"'bands', got 'gamma'"),
    ("    pickup_delay: {law: lognormal, mean: 4s}\n", "pickup_delay",
     r"pickup_delay \(law: lognormal\) needs cv, e\.g\. \{law: lognormal, mean: 4s, cv: 0\.5\}"),
    ("    pickup_delay: {law: exponential, mean: 4s, cv: 1}\n", "pickup_delay",
     r"pickup_delay\.cv is not used by law: exponential, which takes mean\. Remove it"),
    ("    pickup_delay: {law: lognormal, mean: 4s, cv: 50}\n", "pickup_delay",
     r"pickup_delay\.cv must be at most 20, got 50"),
    ("    pickup_delay: {law: empirical, values: [2s, 2h]}\n", "pickup_delay",
     r"pickup_delay\.values\[1\] must be at most 1h, got 2h \(7200 s\)"),
    ("    pickup_delay: {law: bands, bands: [{up_to: 5s, share: 60%}, "
     "{up_to: 10s, share: 30%}]}\n", "pickup_delay",
     r"pickup_delay\.bands shares add up to 0\.9 \(0\.6 \+ 0\.3\); they must add up to 100%"),
    ("    pickup_delay:\n      law: bands\n      bands:\n        - {up_to: 5s, share: 60%}\n"
     "        - {up_to: 4s, share: 40%}\n", "up_to: 4s",
     r"pickup_delay\.bands\[1\]\.up_to must be above the band before \(5s\), got 4s"),
    ("    pickup_delay: {law: bands, bands: [{up_to: 0s, share: 1}]}\n", "pickup_delay",
     r"pickup_delay\.bands\[0\]\.up_to must be a duration > 0"),
    ("    redial: {probability: 35%}\n", "redial",
     r"channels\.voice\.redial has no 'delay', which is required\. Add it, e\.g\. delay: 10m"),
    ("    redial: {probability: 135%, delay: 10m}\n", "redial",
     r"redial\.probability must be a share from 0% to 100%, got '135%'"),
    ("    redial: {probability: 35%, delay: 0s}\n", "redial",
     r"redial\.delay must be a duration > 0.*got '0s'"),
    ("    redial: {probability: 35%, delay: {law: exponential, mean: 31d}}\n", "redial",
     r"redial\.delay\.mean must be a duration"),
    ("    redial: {probability: 35%, delay: 800h}\n", "redial",
     r"redial\.delay must be at most 30 days, got 800h \(2\.88e\+06 s\)\. It is the time "
     r"from an abandon to the redial"),
    ("    redial:\n      probability:\n        - {wait_up_to: 30s, probability: 5%}\n"
     "        - {wait_up_to: 10s, probability: 10%}\n        - {probability: 40%}\n"
     "      delay: 10m\n", "wait_up_to: 10s",
     r"redial\.probability\[1\]\.wait_up_to must be above the row before \(30s\), got 10s"),
    ("    redial:\n      probability:\n        - {wait_up_to: 30s, probability: 5%}\n"
     "        - {wait_up_to: 1m, probability: 10%}\n      delay: 10m\n", "wait_up_to: 1m",
     r"redial\.probability\[1\]\.wait_up_to must be left out in the last row"),
    ("    redial:\n      probability:\n        - {probability: 5%}\n"
     "        - {probability: 10%}\n      delay: 10m\n", "probability: 5%",
     r"redial\.probability\[0\] has no wait_up_to: only the last row may leave it out"),
    ("    redial: {probability: [{wait_up_to: 10s, probabilty: 5%}], delay: 1m}\n", "redial",
     r"redial\.probability\[0\]: 'probabilty' is not a known key \(did you mean "
     r"'probability'\?\)"),
    ("    redial: {probability: [], delay: 1m}\n", "redial", r"redial\.probability"),
    ("    callback: {offer_above: 2m, accept: 40%, rule: asap, promise: 1h}\n", "callback",
     r"callback\.rule must be one of 'after_queue', 'in_turn', 'promise', got 'asap'\. E\.g\. "
     r"rule: after_queue"),
    ("    callback: {offer_above: 2m, accept: 40%, rule: promise}\n", "callback",
     r"callback has no 'promise', which is required\. Add it, e\.g\. promise: 1h"),
    ("    callback: {offer_above: 2m, accept: 40%, promise: 0s}\n", "callback",
     r"callback\.promise must be a duration > 0"),
    ("    callback: {offer_above: -2m, accept: 40%, promise: 1h}\n", "callback",
     r"callback\.offer_above must be a duration .*got '-2m'"),
    ("    callback: {offer_above: 2m, acept: 40%, promise: 1h}\n", "callback",
     r"callback: 'acept' is not a known key \(did you mean 'accept'\?\)"),
    ("    callback: {offer_above: 2m, promise: 1h}\n", "callback",
     r"callback has no 'accept', which is required\. Add it, e\.g\. accept: 40%"),
    ("    callback: {offer_above: 800h, accept: 40%, promise: 1h}\n", "callback",
     r"callback\.offer_above must be at most 30 days, got 2\.88e\+06 s"),
    ("    callback: {offer_above: 2m, accept: 40%, promise: 1h, dial: 25h}\n", "callback",
     r"callback\.dial must be at most 24h, got 90000 s"),
]


@pytest.mark.parametrize(("lines", "needle", "pattern"), ERRORS,
                         ids=[f"{i}-{e[0].split(':')[0].strip()}" for i, e in enumerate(ERRORS)])
def test_refused_values_name_file_line_field_value_and_fix(tmp_path, lines, needle, pattern):
    path = tmp_path / "s.yaml"
    text = BASE + lines
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    message = str(info.value)
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if needle in row)
    assert re.match(rf"^{re.escape(str(path.resolve()))}:{line}:\d+: ", message), message
    assert re.search(pattern, message), message
    assert "\n" not in message


def test_deferred_work_refuses_the_behaviours(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE + "  email: {volume: {daily: 50}, aht: 8m, target: 95% in 24h, "
                    "deferred: true,\n          pickup_delay: 4s}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"s\.yaml:9:\d+: channels\.email\.pickup_delay is "
                       r"for live contacts .* Remove pickup_delay:, or set deferred: false"):
        load_scenarios(path)


def test_a_redial_nobody_could_make_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(BASE.replace("    patience: 3m\n", "")
                    + "    redial: {probability: 35%, delay: 10m}\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"s\.yaml:7:\d+: channels\.voice\.redial would "
                       r"never happen: voice has neither patience nor hang_up"):
        load_scenarios(path)


def test_the_limits_are_inclusive(tmp_path):
    # At the limit is accepted: 1h of pick-up delay, 30 days of redial delay and promise.
    text = ("    pickup_delay: 1h\n"
            "    redial: {probability: 10%, delay: 720h}\n"
            "    callback: {offer_above: 720h, accept: 10%, rule: promise, promise: 720h, "
            "dial: 24h}\n")
    (voice,) = _voice(tmp_path, text)[0].channels
    assert voice.pickup_delay == {"kind": "fixed", "value_s": 3600.0}
    assert voice.redial_delay == {"kind": "exponential", "mean_s": 30 * 86400.0}
    assert voice.callback is not None and voice.callback["promise_s"] == 30 * 86400.0


# ---------------------------------------------------------------------------------------------
# Schema and documentation
# ---------------------------------------------------------------------------------------------

FORMS = {
    "hang_up": ["4%", 0.04, {"share": "4%", "within": "5s"}],
    "pickup_delay": ["4s", 4, {"law": "exponential", "mean": "4s"},
                     {"law": "lognormal", "mean": "4s", "cv": 0.5},
                     {"law": "empirical", "values": ["2s", 3]},
                     {"law": "fixed", "value": "4s"},
                     {"law": "bands", "bands": [{"up_to": "5s", "share": "60%"},
                                                {"up_to": "10s", "share": 0.4}]}],
    "redial": [{"probability": "35%", "delay": "10m"},
               {"probability": [{"wait_up_to": "10s", "probability": "5%"},
                                {"probability": 0.4}],
                "delay": {"law": "lognormal", "mean": "10m", "cv": 1}}],
    "callback": [{"offer_above": "2m", "accept": "40%", "rule": "promise", "promise": "1h",
                  "dial": "20s", "service_level": "excluded"}],
}


@pytest.mark.parametrize("key", sorted(FORMS))
def test_the_schema_accepts_every_form_and_catches_a_typo(key):
    schema = scenario_json_schema()
    channel = schema["$defs"]["_Channel"]["properties"][key]
    for value in FORMS[key]:
        assert _schema_errors(value, channel, schema) == [], value
    typo = {"hang_up": {"shares": "4%"}, "pickup_delay": {"law": "gamma", "mean": "4s"},
            "redial": {"probability": "35%", "dealy": "10m"},
            "callback": {"offer_above": "2m", "accept": "40%", "rule": "asap"}}[key]
    assert _schema_errors(typo, channel, schema) != []


def test_docs_scenarios_md_documents_every_behaviour_key():
    docs = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    schema = scenario_json_schema()
    defs = schema["$defs"]
    keys = set(defs["_Channel"]["properties"])
    for section in ("_HangUp", "_Law", "_Band", "_Redial", "_RedialStep", "_Callback"):
        keys |= set(defs[section]["properties"])
    missing = sorted(k for k in keys if not re.search(rf"\b{k}:", docs))
    assert missing == [], f"docs/scenarios.md does not show {missing}"
    for name in ("fixed", "exponential", "lognormal", "empirical", "bands", "after_queue",
                 "in_turn", "promise", "excluded"):
        assert re.search(rf"\b{name}\b", docs), name


def test_a_variants_null_removes_the_field_also_over_an_extended_file(tmp_path):
    # The base file's variant shortens the delay; the child's variant of the same name removes
    # the redials, and its budget: null removes the base's budget (back to none).
    (tmp_path / "_base.yaml").write_text(
        BASE + "    redial: {probability: 35%, delay: 10m}\n"
        "budget: {per_week: 50000}\n"
        "variants:\n  v: {channels: {voice: {redial: {delay: 2m}}}}\n", encoding="utf-8")
    path = tmp_path / "child.yaml"
    path.write_text("extends: _base.yaml\n"
                    "variants:\n  v: {channels: {voice: {redial: null}}, budget: null}\n",
                    encoding="utf-8")
    base, v = load_scenarios(path)
    assert base.channels[0].redial_delay == {"kind": "exponential", "mean_s": 600.0}
    assert base.budget == (50000.0, "week")
    assert (v.channels[0].redial_probability, v.channels[0].redial_delay) == (0.0, None)
    assert v.budget is None


def test_overrides_and_sweep_points_name_the_field_not_the_form(tmp_path):
    # The dashboard's settings and a sweep point are validated without the file's lines:
    # their messages name the field as the file writes it (no pydantic union branch).
    path = tmp_path / "s.yaml"
    path.write_text(BASE + "sweep:\n  channels.voice.hang_up: [2%, 300%]\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"s\.yaml:9:\d+: sweep point channels\.voice\."
                       r"hang_up=300%: channels\.voice\.hang_up must be a share from 0% to "
                       r"100%\. Check the dotted"):
        load_scenarios(path)
    with pytest.raises(InputFileError, match=r"with the settings channels\.voice\.hang_up="
                       r"'500%': channels\.voice\.hang_up must be a share from 0% to 100%\. "
                       r"Change the setting\."):
        load_scenarios(path, variants=False, overrides={"channels.voice.hang_up": "500%"})
