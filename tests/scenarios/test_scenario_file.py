"""The scenario file: loading, names, variants, sweeps, extends, SHA-256, errors, JSON Schema.

Every scenario file is written into ``tmp_path`` by the test that reads it.
Expected values (names, grid sizes, merged fields, hashes) are worked out by
hand or with :mod:`hashlib` from the file bytes, never by running the loader
and pasting its output. Error tests pin the message with
``pytest.raises(InputFileError, match=...)`` and check that it starts with
``<file>:<line>:<column>:``, the line counted in the test from the YAML text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

import scenarios
from scenarios import InputFileError, Scenario, load_scenarios
from scenarios.files import scenario_json_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "scenarios" / "examples").glob("*.yaml"))

# Lines 1-6; tests append lines 7 onwards.
BASE = (
    "horizon: {start: 2026-03-02, days: 1}\n"
    "channels:\n"
    "  voice:\n"
    "    volume: {daily: 480, profile: flat}\n"
    "    aht: 4m\n"
    "    target: 80% in 20s\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line of ``text`` containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def _error(path: Path, *, variants: bool = True) -> str:
    """The message of the InputFileError that loading ``path`` raises."""
    with pytest.raises(InputFileError) as info:
        load_scenarios(path, variants=variants)
    return str(info.value)


def _assert_at(message: str, path: Path, line: int) -> None:
    """The message starts with ``<resolved file>:<line>:<column>: ``."""
    prefix = re.compile(rf"^{re.escape(str(path.resolve()))}:{line}:\d+: ")
    assert prefix.match(message), f"expected {path.name}:{line}:<col>: at the start of {message!r}"


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def test_minimal_file_gives_the_documented_defaults(tmp_path):
    path = _write(tmp_path, "minimal.yaml", BASE)
    found = load_scenarios(path)
    assert len(found) == 1
    scn = found[0]
    assert scn.name == "minimal"  # the file stem when there is no name
    assert scn.path == path.resolve()
    assert scn.interval_s == 1800.0
    assert scn.timezone == "UTC"
    assert scn.start == pd.Timestamp("2026-03-02 00:00", tz="UTC")
    assert scn.n_intervals == 48  # 24 h / 30 min
    assert scn.method == "erlang_c"
    assert scn.shrinkage == 0.0
    assert scn.n_replications == 0
    assert scn.seed == 0
    assert scn.currency == "EUR"
    assert scn.volume_scale == 1.0 and scn.aht_scale == 1.0
    assert scn.channel_shift == ()
    assert scn.groups is None
    assert scn.expectations == ()
    assert scn.overrides == {}
    (voice,) = scn.channels
    assert voice.name == "voice"
    assert voice.aht_s == 240.0
    assert voice.service_level_target == pytest.approx(0.8)
    assert voice.answer_within_s == 20.0
    assert voice.mean_patience_s is None
    assert voice.concurrency == 1
    assert voice.is_deferred is False
    assert voice.volume["kind"] == "daily"
    assert voice.volume["daily"] == dict.fromkeys(range(7), 480)
    assert voice.volume["profile"] == "flat"


def test_fields_are_converted_to_seconds_and_fractions(tmp_path):
    text = (
        "name: Retail voice\n"
        "timezone: Europe/London\n"
        "interval: 15m\n"
        "horizon: {start: 2026-03-02, days: 7}\n"
        "seed: 7\n"
        "currency: GBP\n"
        "channels:\n"
        "  voice: {volume: {daily: 100}, aht: 4m30s, target: 90% within 1m, patience: 3m}\n"
        "  chat: {volume: {daily: 50}, aht: 600, target: 80% in 60s, concurrency: 2,\n"
        "         patience: 5m}\n"
        "staffing: {method: erlang_a, shrinkage: 0.3}\n"
        "simulation: {replications: 10}\n"
        "budget: {per_week: 50000}\n"
        "expect: ['service_level >= 0.8']\n"
    )
    scn = Scenario.from_yaml(_write(tmp_path, "full.yaml", text))
    assert scn.name == "Retail voice"
    assert scn.interval_s == 900.0
    assert scn.n_intervals == 7 * 96
    assert scn.start == pd.Timestamp("2026-03-02 00:00", tz="Europe/London")
    assert scn.seed == 7 and scn.currency == "GBP"
    assert scn.method == "erlang_a" and scn.shrinkage == pytest.approx(0.3)
    assert scn.n_replications == 10
    assert scn.budget == (50000.0, "week")
    assert scn.expectations == ("service_level >= 0.8",)
    voice, chat = scn.channels
    assert (voice.aht_s, voice.answer_within_s, voice.mean_patience_s) == (270.0, 60.0, 180.0)
    assert voice.service_level_target == pytest.approx(0.9)
    assert (chat.aht_s, chat.concurrency, chat.answer_within_s) == (600.0, 2, 60.0)


def test_scenario_is_frozen(tmp_path):
    scn = Scenario.from_yaml(_write(tmp_path, "s.yaml", BASE))
    with pytest.raises(dataclasses.FrozenInstanceError):
        scn.seed = 3  # type: ignore[misc]


def test_from_yaml_is_the_base_without_variants_or_sweep(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE + "variants: {busy: {volume_scale: 1.2}}\n"
                  "sweep: {seed: [1, 2]}\n")
    base = Scenario.from_yaml(path)
    assert base.name == "s"
    assert [s.name for s in load_scenarios(path, variants=False)] == ["s"]
    assert load_scenarios(path)[0] == base


def test_names_of_base_variants_and_sweep_points(tmp_path):
    text = BASE + (
        "name: shop\n"
        "variants:\n"
        "  busy: {volume_scale: 1.1}\n"
        "  24x7: {hours: 24x7}\n"
        "sweep:\n"
        "  channels.voice.aht: [240, 300]\n"
        "  pay.hourly_rates.agent: [20, 22.5]\n"
    )
    names = [s.name for s in load_scenarios(_write(tmp_path, "s.yaml", text))]
    assert names == [
        "shop",
        "shop / busy",
        "shop / 24x7",
        "shop / channels.voice.aht=240, pay.hourly_rates.agent=20",
        "shop / channels.voice.aht=240, pay.hourly_rates.agent=22.5",
        "shop / channels.voice.aht=300, pay.hourly_rates.agent=20",
        "shop / channels.voice.aht=300, pay.hourly_rates.agent=22.5",
    ]


def test_variant_merges_into_the_channel_and_leaves_the_base_alone(tmp_path):
    text = BASE + "variants:\n  slow: {channels: {voice: {aht: 5m}}}\n  open: {hours: extended}\n"
    base, slow, opened = load_scenarios(_write(tmp_path, "s.yaml", text))
    assert base.channels[0].aht_s == 240.0
    assert slow.channels[0].aht_s == 300.0
    # The rest of the channel comes from the base.
    assert slow.channels[0].service_level_target == pytest.approx(0.8)
    assert slow.channels[0].answer_within_s == 20.0
    assert slow.channels[0].volume == base.channels[0].volume
    assert slow.overrides == {"channels": {"voice": {"aht": "5m"}}}
    # "extended" is Mon-Sat 08:00-20:00 (module docstring of the business case).
    assert base.hours.name == "24x7"
    assert opened.hours.name == "extended"
    assert opened.hours.hours_by_weekday_s[0] == (8 * 3600.0, 20 * 3600.0)
    assert opened.hours.hours_by_weekday_s[6] == (0.0, 0.0)


def test_hours_in_seconds_are_the_hours_written_as_text(tmp_path):
    # 08:00-20:00 is [28800, 72000] seconds after midnight; 24:00 (or 00:00) closing is 86400.
    text = BASE + "hours: {Mon-Fri: '08:00-20:00', Sat: '09:30-24:00', Sun: closed}\n"
    typed = BASE + "hours: {Mon-Fri: [28800, 72000], Sat: [34200, 86400], Sun: closed}\n"
    as_text = load_scenarios(_write(tmp_path, "t.yaml", text))[0].hours
    in_seconds = load_scenarios(_write(tmp_path, "s.yaml", typed))[0].hours
    assert in_seconds == as_text
    assert in_seconds.hours_by_weekday_s[5] == (9.5 * 3600, 86400.0)
    assert in_seconds.hours_by_weekday_s[6] == (0.0, 0.0)


def test_variant_replaces_lists_rather_than_appending(tmp_path):
    text = BASE + (
        "  chat: {volume: {daily: 10}, aht: 6m, target: 80% in 60s}\n"
        "channel_shift: [{from_channel: voice, to_channel: chat, share: 0.2}]\n"
        "expect: ['service_level >= 0.8', 'abandon_rate <= 0.05']\n"
        "variants:\n"
        "  v: {channel_shift: [{from_channel: chat, to_channel: voice, share: 0.5}],\n"
        "      expect: ['service_level >= 0.9']}\n"
    )
    base, variant = load_scenarios(_write(tmp_path, "s.yaml", text))
    assert base.channel_shift == (("voice", "chat", 0.2),)
    assert variant.channel_shift == (("chat", "voice", 0.5),)
    assert variant.expectations == ("service_level >= 0.9",)


def test_sweep_grid_is_the_product_of_the_value_lists(tmp_path):
    text = BASE + (
        "sweep:\n"
        "  channels.voice.aht: {from: 240, to: 360, step: 30}\n"  # 240..360: 5 values
        "  pay.hourly_rates.agent: [20, 22.5]\n"                 # 2 values
        "  staffing.shrinkage: [0.1, 0.2, 0.3]\n"                # 3 values
    )
    found = load_scenarios(_write(tmp_path, "s.yaml", text))
    points = found[1:]
    assert len(points) == 5 * 2 * 3
    got = {(s.channels[0].aht_s, s.rates.hourly_rates["agent"], s.shrinkage) for s in points}
    want = set(itertools.product([240.0, 270.0, 300.0, 330.0, 360.0], [20.0, 22.5],
                                 [0.1, 0.2, 0.3]))
    assert got == want
    # The sweep runs over the base only; the base itself is unchanged.
    assert found[0].channels[0].aht_s == 240.0 and found[0].shrinkage == 0.0


@pytest.mark.parametrize(
    ("spec", "want"),
    [
        ("{from: 240, to: 360, step: 60}", [240.0, 300.0, 360.0]),  # 'to' is included
        ("{from: 240, to: 350, step: 60}", [240.0, 300.0]),         # 350 is not on the grid
        ("{from: 300, to: 300, step: 10}", [300.0]),                # a single point
    ],
)
def test_sweep_range_includes_to(tmp_path, spec, want):
    text = BASE + f"sweep:\n  channels.voice.aht: {spec}\n"
    points = load_scenarios(_write(tmp_path, "s.yaml", text))[1:]
    assert [s.channels[0].aht_s for s in points] == want


def test_sweep_range_with_a_decimal_step_reaches_to(tmp_path):
    # 0.1 + 2 * 0.1 is 0.30000000000000004 in floating point: 0.3 must still be a point.
    text = BASE + "sweep:\n  staffing.shrinkage: {from: 0.1, to: 0.3, step: 0.1}\n"
    points = load_scenarios(_write(tmp_path, "s.yaml", text))[1:]
    assert [s.shrinkage for s in points] == pytest.approx([0.1, 0.2, 0.3])
    assert [s.name for s in points] == ["s / staffing.shrinkage=0.1",
                                        "s / staffing.shrinkage=0.2",
                                        "s / staffing.shrinkage=0.3"]


def test_variants_come_before_sweep_points_and_record_overrides(tmp_path):
    text = BASE + "variants: {a: {seed: 1}}\nsweep: {seed: [3, 4]}\n"
    found = load_scenarios(_write(tmp_path, "s.yaml", text))
    assert [(s.name, s.seed, s.overrides) for s in found] == [
        ("s", 0, {}),
        ("s / a", 1, {"seed": 1}),
        ("s / seed=3", 3, {"seed": 3}),
        ("s / seed=4", 4, {"seed": 4}),
    ]


# ---------------------------------------------------------------------------------------------
# extends and the SHA-256
# ---------------------------------------------------------------------------------------------


def test_extends_merges_the_child_over_a_base_in_the_same_folder(tmp_path):
    base_text = BASE + "seed: 3\nstaffing: {shrinkage: 0.2}\ncurrency: GBP\n"
    _write(tmp_path, "base.yaml", base_text)
    child = _write(tmp_path, "child.yaml",
                   "extends: base.yaml\nseed: 9\nstaffing: {max_rounds: 2}\n"
                   "channels: {voice: {aht: 5m}}\n")
    scn = Scenario.from_yaml(child)
    assert scn.name == "child"
    assert scn.path == child.resolve()
    assert scn.seed == 9                      # the child wins
    assert scn.currency == "GBP"              # from the base
    assert scn.shrinkage == pytest.approx(0.2) and scn.max_rounds == 2  # mappings merge
    assert scn.channels[0].aht_s == 300.0
    assert scn.channels[0].answer_within_s == 20.0


def test_extends_a_base_in_a_subfolder_and_its_paths_are_relative_to_it(tmp_path):
    common = tmp_path / "common"
    _write(common, "voice.csv", "interval_start,offered\n2026-03-02 00:00,1\n")
    _write(common, "base.yaml", BASE.replace("{daily: 480, profile: flat}", "{file: voice.csv}"))
    child = _write(tmp_path, "child.yaml", "extends: common/base.yaml\nseed: 1\n")
    scn = Scenario.from_yaml(child)
    assert scn.channels[0].volume == {"kind": "file", "path": (common / "voice.csv").resolve()}


def test_sha256_of_one_file_is_that_of_its_bytes(tmp_path):
    path = _write(tmp_path, "s.yaml", "# comment\n" + BASE + "variants: {a: {seed: 1}}\n")
    want = hashlib.sha256(path.read_bytes()).hexdigest()
    found = load_scenarios(path)
    # Every scenario of the file records the file's hash.
    assert [s.sha256 for s in found] == [want, want]


def test_sha256_covers_the_extended_files_child_first(tmp_path):
    base = _write(tmp_path, "base.yaml", BASE + "seed: 3\n")
    mid = _write(tmp_path, "mid.yaml", "extends: base.yaml\nseed: 5\n")
    top = _write(tmp_path, "top.yaml", "extends: mid.yaml\nname: top\n")
    scn = Scenario.from_yaml(top)
    want = hashlib.sha256(top.read_bytes() + mid.read_bytes() + base.read_bytes()).hexdigest()
    assert scn.sha256 == want
    assert scn.seed == 5
    # Editing the base (not the child) changes the hash.
    base.write_text(BASE + "seed: 4\n")
    assert Scenario.from_yaml(top).sha256 != want


def test_extends_outside_the_folder_is_refused_with_the_way_to_allow_it(tmp_path):
    _write(tmp_path, "base.yaml", BASE)
    child = _write(tmp_path / "team", "child.yaml", "extends: ../base.yaml\nseed: 2\n")
    message = _error(child)
    _assert_at(message, child, 1)
    assert "'../base.yaml'" in message
    assert "outside" in message
    assert "allow_outside_folder: true" in message


def test_extends_outside_the_folder_is_accepted_when_allowed(tmp_path):
    _write(tmp_path, "base.yaml", BASE + "seed: 3\n")
    child = _write(tmp_path / "team", "child.yaml",
                   "extends: ../base.yaml\nallow_outside_folder: true\ncurrency: CHF\n")
    scn = Scenario.from_yaml(child)
    assert (scn.seed, scn.currency, scn.channels[0].aht_s) == (3, "CHF", 240.0)


def test_extends_loop_is_an_error_naming_the_loop(tmp_path):
    a = _write(tmp_path, "a.yaml", "extends: b.yaml\nseed: 1\n")
    b = _write(tmp_path, "b.yaml", "extends: a.yaml\nseed: 2\n")
    message = _error(a)
    _assert_at(message, b, 1)
    assert "loops back to a.yaml" in message
    assert "a.yaml -> b.yaml" in message


def test_extends_itself_is_a_loop(tmp_path):
    path = _write(tmp_path, "self.yaml", "extends: self.yaml\n")
    with pytest.raises(InputFileError, match=r"self\.yaml:1:\d+: extends 'self\.yaml' loops"):
        load_scenarios(path)


def test_extends_a_missing_file_names_the_extending_line(tmp_path):
    child = _write(tmp_path, "child.yaml", "extends: nope.yaml\nseed: 1\n")
    message = _error(child)
    _assert_at(message, child, 1)
    assert "nope.yaml" in message


# ---------------------------------------------------------------------------------------------
# Errors: one line naming file:line:col, field, value and fix
# ---------------------------------------------------------------------------------------------

TWO_CHANNELS = BASE + "  chat: {volume: {daily: 10}, aht: 6m, target: 80% in 60s}\n"

# (id, YAML text, text on the line the message must point at, regex the message must match)
ERROR_CASES = [
    ("yaml_syntax", BASE.replace("    aht: 4m\n", "    aht: 4m: 5m\n"), "aht: 4m: 5m",
     r"not valid YAML"),
    ("unknown_top_key", BASE + "chanels: {}\n", "chanels",
     r"'chanels' is not a known key \(did you mean 'channels'\?\)"),
    ("unknown_channel_key", BASE + "    patiance: 3m\n", "patiance",
     r"channels\.voice: 'patiance' is not a known key \(did you mean 'patience'\?\)"),
    ("negative_aht", BASE.replace("aht: 4m", "aht: -30"), "aht: -30",
     r"channels\.voice\.aht .*got '-30'\. E\.g\. aht: 4m"),
    ("zero_aht", BASE.replace("aht: 4m", "aht: 0"), "aht: 0",
     r"channels\.voice\.aht must be a duration > 0.*got '0'\. E\.g\. aht: 4m"),
    ("malformed_target", BASE.replace("80% in 20s", "80 in 20"), "target:",
     r"channels\.voice\.target must look like '80% in 20s'.*'80 in 20'.*E\.g\. target: 80% in"),
    ("shrinkage_above_one", BASE + "staffing: {shrinkage: 1.5}\n", "shrinkage",
     r"staffing\.shrinkage must be less than 1, got '1\.5'\. E\.g\. shrinkage: 0\.15"),
    ("duplicate_key", BASE + "seed: 1\nseed: 2\n", "seed: 2",
     r"seed is given twice \(first on line 7\)\. Keep one\."),
    ("nested_duplicate_key", BASE + "    aht: 5m\n", "aht: 5m",
     r"channels\.voice\.aht is given twice \(first on line 5\)"),
    ("volume_none", BASE.replace("{daily: 480, profile: flat}", "{profile: flat}"), "volume:",
     r"channels\.voice\.volume must give exactly one of file .*daily .*history .*got none"),
    ("volume_two", BASE.replace("{daily: 480, profile: flat}", "{daily: 480, file: v.csv}"),
     "volume:", r"channels\.voice\.volume must give exactly one of .*got \['file', 'daily'\]"),
    ("shift_unknown_channel",
     BASE + "channel_shift: [{from_channel: voice, to_channel: chat, share: 0.2}]\n",
     "channel_shift", r"channel_shift\[0\]\.to_channel 'chat' is not a channel of the scenario "
     r"\(voice\)"),
    ("shift_share_above_one",
     TWO_CHANNELS + "channel_shift: [{from_channel: voice, to_channel: chat, share: 1.5}]\n",
     "channel_shift", r"channel_shift\[0\]\.share must be less than or equal to 1, got '1\.5'"),
    ("skill_unknown_channel", BASE + "agents: {team: {skills: [voice, chat]}}\n", "agents",
     r"agents\.team\.skills\[1\] 'chat' is not a channel of the scenario \(voice\)"),
    ("channel_without_group", TWO_CHANNELS + "agents: {team: {skills: [voice]}}\n", "agents",
     r"no group has the skill for \['chat'\].*Add it to a group's skills"),
    # The channel's body starts on the line after "voice:".
    ("erlang_a_without_patience", BASE + "staffing: {method: erlang_a}\n", "volume:",
     r"channels\.voice has no patience, which method erlang_a needs.*patience: 3m"),
    ("simulation_without_patience",
     BASE + "staffing: {method: simulation}\nsimulation: {replications: 5}\n", "volume:",
     r"channels\.voice has no patience, which method simulation needs"),
    ("unknown_method", BASE + "staffing: {method: erlang_x}\n", "method",
     r"staffing\.method must be one of .*erlang_c.*got 'erlang_x'"),
    ("one_replication", BASE + "simulation: {replications: 1}\n", "replications",
     r"simulation\.replications must be 0 \(no simulation\) or at least 2 .*got 1"),
    ("simulation_method_with_one_replication",
     BASE.replace("target: 80% in 20s", "target: 80% in 20s\n    patience: 3m")
     + "staffing: {method: simulation}\nsimulation: {replications: 0}\n", "method: simulation",
     r"staffing\.method simulation needs simulation\.replications >= 2.*replications: 10"),
    ("bad_time_zone", BASE + "timezone: Europe/Londn\n", "timezone",
     r"timezone 'Europe/Londn' is not a time zone\. Use an IANA name such as Europe/London"),
    ("interval_not_dividing_a_day", BASE + "interval: 7m\n", "interval",
     r"interval must divide a day into whole intervals, got 420 s\. Use 15m, 30m or 1h"),
    ("hours_closing_before_opening", BASE + "hours: {Mon-Fri: '20:00-08:00'}\n", "hours",
     r"hours\.Mon-Fri '20:00-08:00' must open before it closes"),
    ("hours_not_a_range", BASE + "hours: {Mon-Fri: '8-20'}\n", "hours",
     r"hours\.Mon-Fri must be \"HH:MM-HH:MM\" or closed, got '8-20'\. E\.g\. \"08:00-20:00\""),
    ("hours_seconds_closing_before_opening", BASE + "hours: {Mon-Fri: [72000, 28800]}\n",
     "hours", r"hours\.Mon-Fri \[72000, 28800\] must open before it closes, within one day: "
     r"0 <= open_s < close_s <= 86400"),
    ("hours_seconds_not_a_pair", BASE + "hours: {Mon-Fri: [28800]}\n", "hours",
     r"hours\.Mon-Fri must be \[open_s, close_s\], two numbers of seconds after midnight, "
     r"got \[28800\]\. E\.g\. \[28800, 72000\] for 08:00-20:00"),
    ("hours_seconds_as_text", BASE + "hours: {Mon-Fri: ['08:00', '20:00']}\n", "hours",
     r"hours\.Mon-Fri must be \[open_s, close_s\].*got \['08:00', '20:00'\]"),
    ("hours_later_key_is_named", BASE + "hours: {Mon-Fri: '08:00-20:00', Mon: [0, 90000]}\n",
     "hours", r"hours\.Mon \[0, 90000\] must open before it closes"),
    ("hours_unknown_day", BASE + "hours: {Mon-Fry: '08:00-20:00'}\n", "hours",
     r"hours\.Mon-Fry has an unknown day 'Fry'"),
    ("hours_unknown_preset", BASE + "hours: 9x5\n", "hours",
     r"hours must be 8x5, extended, 24x7 or a mapping of days to hours, got '9x5'"),
    ("profile_key_not_a_time", BASE.replace("profile: flat", "profile: {8am: 1}"), "volume",
     r"channels\.voice\.volume\.profile\.8am profile keys must be times of day \"HH:MM\".*'8am'"),
    ("profile_all_zero", BASE.replace("profile: flat", "profile: {'08:00': 0}"), "volume",
     r"channels\.voice\.volume\.profile needs a weight above 0"),
    ("daily_unknown_day", BASE.replace("daily: 480", "daily: {Mon-Fry: 480}"), "volume",
     r"channels\.voice\.volume\.daily\.Mon-Fry has an unknown day 'Fry'"),
    ("negative_daily", BASE.replace("daily: 480", "daily: -5"), "volume",
     r"channels\.voice\.volume\.daily.*got '-5'"),
    ("volume_file_missing", BASE.replace("{daily: 480, profile: flat}", "{file: nope.csv}"),
     "volume", r"channels\.voice\.volume\.file 'nope\.csv': no such file"),
    ("volume_file_outside_folder",
     BASE.replace("{daily: 480, profile: flat}", "{file: ../v.csv}"), "volume",
     r"channels\.voice\.volume\.file '\.\./v\.csv' is outside .*allow_outside_folder: true"),
    ("horizon_missing", BASE.split("\n", 1)[1], "channels",
     r"the file has no 'horizon', which is required\. Add it, e\.g\. horizon: \{start:"),
    ("horizon_bad_date", BASE.replace("2026-03-02", "2026-02-30"), "horizon",
     r"horizon\.start must be a date such as 2026-12-25, got '2026-02-30'"),
    ("deferred_with_concurrency",
     BASE.replace("target: 80% in 20s", "target: 95% in 24h\n    deferred: true\n"
                  "    concurrency: 2"), "concurrency",
     r"channels\.voice\.concurrency must be 1 for deferred work"),
    ("budget_both_periods", BASE + "budget: {per_week: 1, per_year: 52}\n", "budget",
     r"budget must give exactly one of per_week or per_year"),
    ("variants_not_a_mapping", BASE + "variants:\n  bad: [1, 2]\n", "bad:",
     r"variants\.bad must be a mapping"),
    ("variant_invalid_value", BASE + "variants:\n  ok: {seed: 1}\n"
     "  bad: {channels: {voice: {aht: -5}}}\n", "bad:",
     r"channels\.voice\.aht .*got '-5'"),
    ("variant_shrinkage_above_one", BASE + "variants:\n  bad: {staffing: {shrinkage: 2}}\n",
     "bad:", r"staffing\.shrinkage must be less than 1, got '2'"),
    ("variant_unknown_key", BASE + "variants:\n  bad: {volum_scale: 2}\n", "bad:",
     r"variants\.bad: .*'volum_scale' is not a known key \(did you mean 'volume_scale'\?\)"),
    ("sweep_unknown_field", BASE + "sweep:\n  channels.voice.ahtt: [240, 300]\n", "ahtt",
     r"sweep point channels\.voice\.ahtt=240: .*'ahtt' is not a known key "
     r"\(did you mean 'aht'\?\)"),
    ("sweep_invalid_value", BASE + "sweep:\n  staffing.shrinkage: [0.1, 1.5]\n", "shrinkage",
     r"sweep point staffing\.shrinkage=1\.5: staffing\.shrinkage must be less than 1"),
    ("sweep_range_downwards", BASE + "sweep:\n  seed: {from: 5, to: 1, step: 1}\n", "seed",
     r"sweep\.seed runs from 5 down to 1; 'to' must not be below 'from'"),
    ("sweep_range_zero_step", BASE + "sweep:\n  seed: {from: 1, to: 5, step: 0}\n", "seed",
     r"sweep\.seed must be a list of values or \{from: A, to: B, step: S\}.*step > 0"),
    ("sweep_empty_list", BASE + "sweep:\n  seed: []\n", "seed",
     r"sweep\.seed lists no values"),
]


@pytest.mark.parametrize(("text", "needle", "pattern"),
                         [case[1:] for case in ERROR_CASES], ids=[case[0] for case in ERROR_CASES])
def test_error_names_file_line_field_value_and_fix(tmp_path, text, needle, pattern):
    path = _write(tmp_path, "s.yaml", text)
    with pytest.raises(InputFileError, match=pattern) as info:
        load_scenarios(path)
    _assert_at(str(info.value), path, _line_of(text, needle))
    assert "\n" not in str(info.value)  # one line


def test_error_is_a_value_error_and_a_scenario_error(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE + "seed: -1\n")
    with pytest.raises(ValueError, match=r"s\.yaml:7:\d+: seed "):
        load_scenarios(path)
    with pytest.raises(scenarios.ScenarioError):
        load_scenarios(path)


def test_expect_line_error_is_the_expect_message_prefixed_with_its_place(tmp_path):
    from scenarios.files import parse_expectation

    bad = "service_level >>= 0.8"
    with pytest.raises(ValueError) as parsed:
        parse_expectation(bad)
    text = BASE + "expect:\n  - service_level >= 0.8\n  - 'service_level >>= 0.8'\n"
    path = _write(tmp_path, "s.yaml", text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, ">>="))
    assert message.endswith(f"expect[1] {parsed.value}")


def test_unknown_metric_in_expect_is_named(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE + "expect: ['speed >= 0.8']\n")
    with pytest.raises(InputFileError, match=r"s\.yaml:7:\d+: expect\[0\] .*unknown metric "
                                             r"'speed'"):
        load_scenarios(path)


@pytest.mark.parametrize(("text", "message"), [
    ("", r"empty\.yaml: the file is empty\. A scenario needs at least 'horizon' and 'channels'"),
    ("- 1\n", r"empty\.yaml:1:1: a scenario file must be a mapping"),
])
def test_empty_or_non_mapping_file(tmp_path, text, message):
    with pytest.raises(InputFileError, match=message):
        load_scenarios(_write(tmp_path, "empty.yaml", text))


def test_missing_file(tmp_path):
    with pytest.raises(InputFileError, match=r"nowhere\.yaml: no such file"):
        load_scenarios(tmp_path / "nowhere.yaml")


def test_error_in_an_extended_file_names_that_file(tmp_path):
    base_text = BASE + "staffing: {shrinkage: 1.5}\n"
    base = _write(tmp_path, "base.yaml", base_text)
    child = _write(tmp_path, "child.yaml", "extends: base.yaml\nseed: 1\n")
    message = _error(child)
    _assert_at(message, base, _line_of(base_text, "shrinkage"))
    assert "staffing.shrinkage" in message


def test_error_in_the_child_names_the_child(tmp_path):
    _write(tmp_path, "base.yaml", BASE)
    text = "extends: base.yaml\nchannels: {voice: {aht: -1m}}\n"
    child = _write(tmp_path, "child.yaml", text)
    message = _error(child)
    _assert_at(message, child, 2)
    assert "channels.voice.aht" in message


def test_malformed_target_names_the_value_once(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE.replace("80% in 20s", "80 in 20"))
    message = _error(path)
    _assert_at(message, path, 6)
    assert message.count("'80 in 20'") == 1


# Messages that break STYLE.md section 5 (wrong, misleading or malformed) or point at the
# wrong place. Each case is written as it should behave.

def test_simulation_method_without_replications_points_at_the_method(tmp_path):
    text = (BASE.replace("target: 80% in 20s", "target: 80% in 20s\n    patience: 3m")
            + "staffing: {method: simulation}\n")
    path = _write(tmp_path, "s.yaml", text)
    message = _error(path)
    assert "replications" in message
    _assert_at(message, path, _line_of(text, "method: simulation"))


def test_target_above_100_percent_says_percent(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE.replace("80% in 20s", "120% in 20s"))
    message = _error(path)
    _assert_at(message, path, 6)
    assert "100%" in message


def test_negative_aht_states_the_rule_of_aht(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE.replace("aht: 4m", "aht: -30"))
    message = _error(path)
    assert ">= 0" not in message
    assert re.search(r"must be (a duration )?(greater than 0|> 0)", message)


def test_unknown_hours_preset_example_has_balanced_braces(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE + "hours: 9x5\n")
    message = _error(path)
    assert message.count("{") == message.count("}")


def test_zero_horizon_days_suggests_a_number_of_days(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE.replace("days: 1", "days: 0"))
    message = _error(path)
    _assert_at(message, path, 1)
    assert "Mon-Fri" not in message
    assert re.search(r"days: \d+", message)


def test_interval_below_a_minute_states_the_minimum(tmp_path):
    path = _write(tmp_path, "s.yaml", BASE + "interval: 30s\n")
    message = _error(path)
    _assert_at(message, path, 7)
    assert re.search(r"60 s|1 ?m|one minute", message)


def test_no_channels_names_the_empty_mapping(tmp_path):
    path = _write(tmp_path, "s.yaml", "horizon: {start: 2026-03-02, days: 1}\nchannels: {}\n")
    message = _error(path)
    _assert_at(message, path, 2)
    assert "got ." not in message
    assert "Dictionary should have" not in message


@pytest.mark.parametrize("override", ["{staffing: {method: erlang_a}}",
                                      "{timezone: Mars/Olympus}"])
def test_variant_breaking_a_cross_field_rule_points_at_the_variant(tmp_path, override):
    text = BASE + f"variants:\n  ok: {{seed: 1}}\n  bad: {override}\n"
    path = _write(tmp_path, "s.yaml", text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "bad:"))
    assert "bad" in message


def test_sweep_error_points_at_the_field_at_fault(tmp_path):
    text = BASE + "sweep:\n  seed: [1, 2]\n  staffing.shrinky: [0.1]\n"
    path = _write(tmp_path, "s.yaml", text)
    message = _error(path)
    assert "shrinky" in message
    _assert_at(message, path, _line_of(text, "shrinky"))


# ---------------------------------------------------------------------------------------------
# JSON Schema
# ---------------------------------------------------------------------------------------------


def _json_type(value: Any) -> set[str]:
    """The JSON types a value read by yaml.safe_load has (dates are text in the editor)."""
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number"}
    if isinstance(value, str | dt.date):
        return {"string"}
    if isinstance(value, list):
        return {"array"}
    if isinstance(value, dict):
        return {"object"}
    raise TypeError(type(value))


def _schema_errors(value: Any, schema: dict[str, Any], root: dict[str, Any],
                   where: str = "$") -> list[str]:
    """A small JSON Schema check: $ref, anyOf, type, properties, required, items, enum, const.

    Enough to read our schema the way an editor does; jsonschema is not a dependency.
    """
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return _schema_errors(value, root["$defs"][name], root, where)
    if "anyOf" in schema:
        options = [_schema_errors(value, sub, root, where) for sub in schema["anyOf"]]
        return [] if any(not errs for errs in options) else [
            f"{where}: {value!r} matches none of anyOf ({'; '.join(e[0] for e in options)})"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: {value!r} is not {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    if "type" in schema:
        wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not _json_type(value) & set(wanted):
            return [f"{where}: {value!r} is not of type {wanted}"]
    errors: list[str] = []
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: {key!r} is required")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors += _schema_errors(item, properties[key], root, f"{where}.{key}")
            elif extra is False:
                errors.append(f"{where}: {key!r} is not allowed")
            elif isinstance(extra, dict):
                errors += _schema_errors(item, extra, root, f"{where}.{key}")
    if isinstance(value, list):
        prefix = schema.get("prefixItems", [])
        for i, item in enumerate(value):
            sub = prefix[i] if i < len(prefix) else schema.get("items")
            if isinstance(sub, dict):
                errors += _schema_errors(item, sub, root, f"{where}[{i}]")
    return errors


def _example_docs() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in EXAMPLES]


def test_there_are_bundled_examples():
    assert len(EXAMPLES) >= 3


def test_schema_is_json_serialisable_and_round_trips():
    schema = scenario_json_schema()
    assert json.loads(json.dumps(schema)) == schema
    assert schema["type"] == "object"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_lists_the_main_keys():
    schema = scenario_json_schema()
    properties = schema["properties"]
    for key in ("channels", "horizon", "variants", "sweep", "extends", "hours", "staffing",
                "expect", "volume_scale", "aht_scale", "channel_shift"):
        assert key in properties, key
    # horizon and channels may come from a file this one extends: not required by the schema
    # (the loader requires them after merging).
    assert "required" not in schema
    assert schema["additionalProperties"] is False  # unknown keys are errors, as when loading


def test_schema_accepts_hours_presets_and_mappings():
    schema = scenario_json_schema()
    hours = schema["properties"]["hours"]
    for value in ("8x5", "extended", "24x7", {"Mon-Fri": "08:00-20:00", "Sat": "closed"},
                  {"Mon-Fri": [28800, 72000], "Sat": "closed"}):
        assert _schema_errors(value, hours, schema) == [], value
    assert _schema_errors(["08:00-20:00"], hours, schema) != []


def test_schema_check_accepts_a_numeric_file_and_catches_a_typo():
    # Durations as seconds and the target as a mapping: the forms the schema describes.
    schema = scenario_json_schema()
    doc = {"horizon": {"start": "2026-03-02", "days": 1},
           "channels": {"voice": {"volume": {"daily": 480, "profile": "flat"}, "aht": 240,
                                  "target": {"service_level": 0.8, "within": 20}}}}
    assert _schema_errors(doc, schema, schema) == []
    assert _schema_errors({**doc, "chanels": {}}, schema, schema) == ["$: 'chanels' is not allowed"]
    assert _schema_errors({"channels": doc["channels"]}, schema, schema) == []
    # A key set to null (back to its default, e.g. variants: null over an extended file).
    assert _schema_errors({**doc, "variants": None}, schema, schema) == []


@pytest.mark.parametrize(("name", "doc"), _example_docs(), ids=[p.name for p in EXAMPLES])
def test_every_key_of_the_examples_is_in_the_schema(name, doc):
    schema = scenario_json_schema()
    properties = schema["properties"]
    channel_keys = schema["$defs"]["_Channel"]["properties"]
    volume_keys = schema["$defs"]["_Volume"]["properties"]
    assert set(doc) <= set(properties), set(doc) - set(properties)
    for channel in doc.get("channels", {}).values():   # a file that extends may have none
        assert set(channel) <= set(channel_keys), set(channel) - set(channel_keys)
        assert set(channel["volume"]) <= set(volume_keys)
    # Variant names are free; the fields they override are scenario keys.
    for over in (doc.get("variants") or {}).values():
        assert set(over) <= set(properties), set(over) - set(properties)
    # A string hours (a preset) or a mapping of days, both allowed by the schema.
    if "hours" in doc:
        assert _schema_errors(doc["hours"], properties["hours"], schema) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_loads(path):
    found = load_scenarios(path)
    assert found[0].name == yaml.safe_load(path.read_text(encoding="utf-8"))["name"]
    # The hash covers the file, then each file it extends.
    chain = [path]
    while (parent := yaml.safe_load(chain[-1].read_text(encoding="utf-8")).get("extends")):
        chain.append(chain[-1].parent / parent)
    expected = hashlib.sha256(b"".join(p.read_bytes() for p in chain)).hexdigest()
    assert found[0].sha256 == expected


@pytest.mark.parametrize(("name", "doc"), _example_docs(), ids=[p.name for p in EXAMPLES])
def test_every_example_validates_against_the_schema(name, doc):
    schema = scenario_json_schema()
    assert _schema_errors(doc, schema, schema) == []


def test_schema_uses_only_json_schema_keywords():
    text = json.dumps(scenario_json_schema())
    assert not re.search(r'"(gt|ge|lt|le)":', text)


def test_null_inside_a_mapping_the_base_lacks_is_removed(tmp_path):
    # The base has no pay: the variant's new pay mapping keeps its rate and drops night: null
    # (back to the default night), as a null does anywhere else.
    path = tmp_path / "s.yaml"
    path.write_text("horizon: {start: 2026-03-02, days: 1}\n"
                    "channels:\n  voice: {volume: {daily: 100}, aht: 4m, target: 80% in 20s}\n"
                    "variants:\n  v1: {pay: {night: null, hourly_rates: {agent: 20}}}\n",
                    encoding="utf-8")
    base, v1 = load_scenarios(path)
    assert v1.rates.hourly_rates["agent"] == 20
    assert (v1.rates.night_start_s, v1.rates.night_end_s) == (
        base.rates.night_start_s, base.rates.night_end_s)
