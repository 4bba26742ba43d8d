"""No silent misreads: a typo in a scenario or rules file is an error, never a different number.

Issue 14, section 3. Each file is a bundled example (``scenarios/examples``) with one line
changed, written into ``tmp_path``. Each test pins the message: it starts with
``<file>:<line>:<column>:`` (the line counted here from the text), names the field, the value
as written and the fix. The numbers a correct file must give are the numbers written in it.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scenarios import InputFileError, ScenarioError, load_scenarios
from scenarios.files import read_shift_rules

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "scenarios" / "examples"
RETAIL = (EXAMPLES / "retail_bank.yaml").read_text(encoding="utf-8")
BLENDED = (EXAMPLES / "blended.yaml").read_text(encoding="utf-8")
RULES = (EXAMPLES / "schedule" / "rules.yaml").read_text(encoding="utf-8")
DESCRIPTION = "description: Voice line of a retail bank; opening-hours business case."
RETAIL_DAILY = "      daily: {Mon: 3000, Tue-Thu: 2600, Fri: 2500, Sat: 1400, Sun: 800}\n"


def _changed(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} is not once in the example"
    return text.replace(old, new)


def _write(folder: Path, text: str, name: str = "s.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _error(path: Path) -> str:
    with pytest.raises(InputFileError) as info:
        load_scenarios(path)
    return str(info.value)


def _assert_at(message: str, path: Path, line: int) -> None:
    prefix = re.compile(rf"^{re.escape(str(path.resolve()))}:{line}:\d+: ")
    assert prefix.match(message), f"expected {path.name}:{line}:<col>: at the start of {message!r}"


@contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging) when the block uses more than ``seconds`` of CPU."""

    def _stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"more than {seconds} s of CPU")

    if not hasattr(signal, "setitimer"):  # Windows: the callers' process_time checks remain
        yield
        return
    previous = signal.signal(signal.SIGVTALRM, _stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


# ---------------------------------------------------------------------------------------------
# Thousands separators and stray keys
# ---------------------------------------------------------------------------------------------


def test_thousands_comma_in_daily_is_an_error_with_the_fix(tmp_path):
    # YAML reads {Tue-Thu: 2,600} as Tue-Thu: 2 and a stray key 600 (dropped before the fix:
    # three days' demand fell 1,300-fold and check passed).
    text = _changed(RETAIL, "Tue-Thu: 2600", "Tue-Thu: 2,600")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "Tue-Thu: 2,600"))
    assert "channels.voice.volume.daily.Tue-Thu is written 2,600" in message
    assert "Write 2600, without the comma." in message


def test_the_same_daily_without_the_comma_reads_as_written(tmp_path):
    path = _write(tmp_path, RETAIL)
    daily = load_scenarios(path, variants=False)[0].channels[0].volume["daily"]
    # Mon 3000, Tue-Thu 2600, Fri 2500, Sat 1400, Sun 800 (0 = Monday), as the file says.
    assert daily == {0: 3000, 1: 2600, 2: 2600, 3: 2600, 4: 2500, 5: 1400, 6: 800}


def test_two_thousands_separators_are_one_number(tmp_path):
    text = _changed(RETAIL, "Tue-Thu: 2600", "Tue-Thu: 2,600,000")
    message = _error(_write(tmp_path, text))
    assert "is written 2,600,000" in message and "Write 2600000, without the comma." in message


def test_thousands_comma_in_a_block_mapping_is_an_error_with_the_fix(tmp_path):
    # Written on its own line, 2,600 is the text '2,600': it was refused before, but as
    # "daily.constrained-float must be a number, got ." (pydantic's name of the union branch).
    text = _changed(RETAIL, RETAIL_DAILY,
                    "      daily:\n        Mon: 3000\n        Tue-Thu: 2,600\n"
                    "        Fri: 2500\n        Sat: 1400\n        Sun: 800\n")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "Tue-Thu: 2,600"))
    assert re.search(r"channels\.voice\.volume\.daily\.Tue-Thu must be a number, got '2,600'\. "
                     r"Write 2600, without the comma\.$", message), message


@pytest.mark.parametrize(("old", "new", "field", "meant"), [
    ("budget: {per_week: 60000}", "budget: {per_week: 60,000}", "budget.per_week", "60000"),
    ("hourly_rates: {agent: 17.5, part_timer: 16.0}",
     "hourly_rates: {agent: 1,750, part_timer: 16.0}", "pay.hourly_rates.agent", "1750"),
    ('"09:00": 12,', '"09:00": 1,200,', "channels.voice.volume.profile.09:00", "1200"),
    ("out_of_hours: {lost_share: 0.3, retry_share: 0.5, retry_spread: 2h}",
     "out_of_hours: {lost_share: 0.3, retry_share: 0.5, retry_spread: 7,200}",
     "out_of_hours.retry_spread", "7200"),
])
def test_thousands_comma_in_every_mapping_of_numbers(tmp_path, old, new, field, meant):
    # Before the fix: budget.per_week 60,000 was read as 60 (the stray key dropped).
    text = _changed(RETAIL, old, new)
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, new.split(",")[0]))
    assert f"{field} is written " in message
    assert f"Write {meant}, without the comma." in message


def test_thousands_comma_in_a_rules_file(tmp_path):
    text = _changed(RULES, "hourly_rates: {agent: 20", "hourly_rates: {agent: 2,000")
    path = _write(tmp_path, text, "rules.yaml")
    with pytest.raises(InputFileError) as info:
        read_shift_rules(path)
    _assert_at(str(info.value), path, _line_of(text, "agent: 2,000"))
    assert "pay.hourly_rates.agent is written 2,000" in str(info.value)
    assert "Write 2000, without the comma." in str(info.value)


def test_a_key_without_a_value_in_a_flow_mapping_is_an_error(tmp_path):
    # {start: ..., days} made days null, which the merge removed: 7 days instead of an error.
    text = _changed(RETAIL, "horizon: {start: 2026-03-02, days: 7}",
                    "horizon: {start: 2026-03-02, days}")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "horizon:"))
    assert "horizon has a key 'days' with no value" in message
    assert "Write days: <value>, or remove it" in message


def test_a_null_key_is_an_error(tmp_path):
    text = _changed(RETAIL, "Tue-Thu: 2600", "~: 2600")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "~: 2600"))
    assert "channels.voice.volume.daily has an empty key" in message


# ---------------------------------------------------------------------------------------------
# Bounded documents: alias bombs, recursive aliases, deep nesting
# ---------------------------------------------------------------------------------------------


def _alias_bomb() -> str:
    """The "billion laughs": 9 levels of 10 aliases, 10**9 values once expanded."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(tmp_path):
    text = _alias_bomb()
    assert len(text.encode()) <= 549  # the size that passed the dashboard's 256 KB check
    path = _write(tmp_path, text)
    started = time.process_time()
    with _cpu_budget(2.0):
        message = _error(path)
    assert time.process_time() - started < 2.0
    assert re.search(r"more than 50,000 values once its aliases \(\*name\) are expanded",
                     message), message
    assert message.startswith(f"{path.resolve()}:")


def test_alias_bomb_inside_a_valid_scenario_is_refused_quickly(tmp_path):
    # The bomb as the value of a known key (description), so nothing else stops it first.
    bomb = "\n".join(f"    {line}" for line in _alias_bomb().splitlines())
    text = _changed(RETAIL, DESCRIPTION, "description:\n" + bomb)
    path = _write(tmp_path, text)
    started = time.process_time()
    with _cpu_budget(2.0):
        message = _error(path)
    assert time.process_time() - started < 2.0
    assert "values once its aliases" in message


def test_recursive_alias_is_refused(tmp_path):
    # Was a RecursionError.
    text = _changed(RETAIL, DESCRIPTION, "description: &loop [a, *loop]")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "&loop"))
    assert "description[1] the alias *loop is inside the collection &loop names" in message


def test_deeply_nested_flow_collections_are_refused(tmp_path):
    # 5000 nested lists were a RecursionError.
    text = _changed(RETAIL, DESCRIPTION, "description: " + "[" * 5000 + "]" * 5000)
    path = _write(tmp_path, text)
    started = time.process_time()
    with _cpu_budget(2.0):
        message = _error(path)
    assert time.process_time() - started < 2.0
    _assert_at(message, path, _line_of(text, "description:"))
    assert "nests lists and mappings more than 50 deep" in message


def test_nesting_up_to_the_bound_is_read(tmp_path):
    # The bound counts collections: the top-level mapping and 49 lists inside it are read;
    # the schema then refuses the list as a description (not the nesting).
    text = _changed(RETAIL, DESCRIPTION, "description: " + "[" * 49 + "]" * 49)
    message = _error(_write(tmp_path, text))
    assert "description must be text" in message


def test_an_over_long_file_is_refused(tmp_path):
    text = RETAIL + "# " + "x" * 500_000 + "\n"
    message = _error(_write(tmp_path, text))
    assert "more than the 500,000 ccplan reads from one YAML file" in message


# ---------------------------------------------------------------------------------------------
# Explicit tags
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field", "tag"), [
    ("Tue-Thu: 2600", "Tue-Thu: !!int 'abc'", "channels.voice.volume.daily.Tue-Thu", "!!int"),
    ("Tue-Thu: 2600", "Tue-Thu: !!int '2600'", "channels.voice.volume.daily.Tue-Thu", "!!int"),
    ("seed: 11", "seed: !!float x", "seed", "!!float"),
    ("seed: 11", "seed: !!binary x", "seed", "!!binary"),
    ("currency: GBP", "currency: !custom GBP", "currency", "!custom"),
    ("hours: 8x5 ", "hours: !!set {a, b} ", "hours", "!!set"),
])
def test_explicit_tags_are_refused(tmp_path, old, new, field, tag):
    # !!int 'abc' was a raw ValueError (int('abc')) from the YAML constructor.
    text = _changed(RETAIL, old, new)
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    message = str(info.value)
    _assert_at(message, path, _line_of(text, new.strip()))
    assert f"{field} has the explicit YAML tag {tag}, which ccplan does not read" in message
    assert "Remove the tag" in message


# ---------------------------------------------------------------------------------------------
# Null values inside mappings of values: daily, profile, hourly_rates, hours
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field", "fix"), [
    ("Tue-Thu: 2600", "Tue-Thu: null", "channels.voice.volume.daily.Tue-Thu", "Tue-Thu: 0"),
    ('"09:00": 12,', '"09:00": ~,', "channels.voice.volume.profile.09:00", '"09:00": 0'),
    ("hourly_rates: {agent: 17.5, part_timer: 16.0}",
     "hourly_rates: {agent: 17.5, part_timer: null}", "pay.hourly_rates.part_timer",
     "part_timer: 20"),
])
def test_a_null_value_in_a_mapping_of_numbers_is_an_error(tmp_path, old, new, field, fix):
    # The merge removed a null key (back to its default): Tue-Thu then had no volume (a
    # KeyError in the demand builder), a profile time lost its weight without a word.
    text = _changed(RETAIL, old, new)
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, new.split(",")[0] if "09:00" in new else new))
    assert f"{field} is empty (null), which would leave" in message
    assert fix in message


def test_a_null_value_in_a_variant_mapping_of_numbers_is_an_error(tmp_path):
    text = _changed(RETAIL, "  24x7: {hours: 24x7}\n",
                    "  24x7: {hours: 24x7}\n  quiet: {channels: {voice: {volume: "
                    "{daily: {Sun: null}}}}}\n")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "quiet:"))
    assert "variants.quiet.channels.voice.volume.daily.Sun is empty (null)" in message


@pytest.mark.parametrize("hours", ["{}", "{Mon: null, Tue-Sun: '08:00-20:00'}"])
def test_hours_that_say_nothing_are_an_error(tmp_path, hours):
    # Both meant "closed every day" (or every Monday) without a word.
    text = _changed(BLENDED, 'hours: {Mon-Fri: "08:00-20:00", Sat: "09:00-17:00", '
                    'Sun: "10:00-16:00"}', f"hours: {hours}")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "hours:"))
    assert re.search(r"hours(\.Mon)? is (an empty mapping|empty \(null\))", message), message
    assert "closed" in message


def test_hours_closed_is_the_explicit_way(tmp_path):
    text = _changed(BLENDED, 'Sun: "10:00-16:00"}', "Sun: closed}")
    scn = load_scenarios(_write(tmp_path, text), variants=False)[0]
    # Mon-Fri 08-20, Sat 09-17, Sun closed, in seconds after midnight.
    assert scn.hours.hours_by_weekday_s == ((28800.0, 72000.0),) * 5 + (
        (32400.0, 61200.0), (0.0, 0.0))


@pytest.mark.parametrize("hours", ["08:99-20:00", "08:00-24:30", "25:00-26:00"])
def test_hours_off_the_clock_are_an_error(tmp_path, hours):
    # 08:99 was read as 09:39.
    text = _changed(BLENDED, 'Sat: "09:00-17:00"', f'Sat: "{hours}"')
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "hours:"))
    assert f"hours.Sat '{hours}'" in message
    assert "minutes 00 to 59" in message


# ---------------------------------------------------------------------------------------------
# Profile keys at or after 24:00, days left out of daily
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["24:00", "25:00", "99:99", "12:60"])
def test_profile_keys_off_the_clock_are_an_error(tmp_path, key):
    # '25:00' alone took the whole day's volume (nothing before it, no time after it):
    # exit 0, offered 0, cost 0.
    text = _changed(RETAIL, '"22:00": 0.6}', f'"22:00": 0.6, "{key}": 1}}')
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, f'"{key}"'))
    assert f"channels.voice.volume.profile.{key} profile keys must be times of day" in message
    assert f"got '{key}'" in message
    assert '"22:00": 0' in message


def test_the_last_profile_key_of_the_day_is_read(tmp_path):
    # 23:59 is a time of day: accepted.
    text = _changed(RETAIL, '"22:00": 0.6}', '"22:00": 0.6, "23:59": 1}')
    profile = load_scenarios(_write(tmp_path, text), variants=False)[0].channels[0].volume[
        "profile"]
    assert profile[23 * 3600.0 + 59 * 60.0] == 1.0


def test_daily_that_leaves_days_out_is_an_error_naming_them(tmp_path):
    # {Mon: 1000} over a 7-day horizon was a KeyError in the demand builder.
    text = _changed(RETAIL, RETAIL_DAILY, "      daily: {Mon: 1000, Wed: 900, Sat: 10}\n")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "daily:"))
    assert ("channels.voice.volume.daily gives no number for Tue, Thu-Fri, Sun, which the "
            "horizon (2026-03-02, 7 days) includes") in message
    assert "daily: {Mon: 1000, Wed: 900, Sat: 10, Tue: 0, Thu-Fri: 0, Sun: 0}" in message


def test_daily_may_leave_out_days_outside_the_horizon(tmp_path):
    # A two-day horizon from Monday 2026-03-02 needs Mon and Tue only.
    text = _changed(RETAIL, RETAIL_DAILY, "      daily: {Mon: 1000, Tue: 900}\n")
    text = _changed(text, "horizon: {start: 2026-03-02, days: 7}",
                    "horizon: {start: 2026-03-02, days: 2}")
    text = _changed(text, "    wrap_around: true ", "    wrap_around: false ")
    scn = load_scenarios(_write(tmp_path, text), variants=False)[0]
    assert scn.channels[0].volume["daily"] == {0: 1000, 1: 900}


# ---------------------------------------------------------------------------------------------
# Paths the system refuses
# ---------------------------------------------------------------------------------------------


def test_an_over_long_extends_path_is_an_error(tmp_path):
    # Was a raw OSError (File name too long).
    parent = "b" * 300 + ".yaml"
    text = f"extends: {parent}\nname: child\n"
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, 1)
    assert "extends 'bbbb" in message and "cannot be opened (File name too long)" in message
    assert len(message) < 600  # the 300-character name is shortened


def test_an_over_long_volume_file_path_is_an_error(tmp_path):
    text = _changed(RETAIL, RETAIL_DAILY, f"      file: {'v' * 300}.csv\n")
    text = _changed(text, "      profile:", "      # profile:")
    text = _changed(text, '                "13:00": 9', '                # "13:00": 9')
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "file: vvv"))
    assert "channels.voice.volume.file 'vvvv" in message
    assert "cannot be opened (File name too long)" in message


def test_an_over_long_scenario_or_rules_path_is_an_error(tmp_path):
    name = str(tmp_path / ("c" * 300 + ".yaml"))
    with pytest.raises(InputFileError, match=r"cannot be opened \(File name too long\)"):
        load_scenarios(name)
    with pytest.raises(InputFileError, match=r"cannot be opened \(File name too long\)"):
        read_shift_rules(name)


# ---------------------------------------------------------------------------------------------
# Every error a file can trigger names the file
# ---------------------------------------------------------------------------------------------


def test_out_of_hours_shares_above_one_are_refused_at_load_naming_the_file(tmp_path):
    # Was refused only when the run reached closed_hours_demand(), without the file's name.
    text = _changed(RETAIL, "lost_share: 0.3, retry_share: 0.5",
                    "lost_share: 0.7, retry_share: 0.5")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "out_of_hours:"))
    assert "out_of_hours lost_share (0.7) + retry_share (0.5) = 1.2, above 1" in message


@pytest.mark.parametrize(("old", "new"), [
    ("aht: 5m", "aht: -30"),
    ("horizon: {start: 2026-03-02, days: 7}", "horizon: {start: 2026-03-02, days: 0}"),
    ("seed: 11", "sed: 11"),
    ("name: retail_bank", "extends: nowhere.yaml"),
    ("daily: {Mon: 3000", "file: nowhere.csv\n      # daily: {Mon: 3000"),
    ("  24x7: {hours: 24x7}", "  24x7: {hours: 25x7}"),
    ("staffing: {method: erlang_a, shrinkage: 0.25}", "staffing: {method: erlang_b}"),
    ("wrap_around: true ", "wrap_around: maybe "),
    ("- service_level >= 0.75", "- service_level >> 0.75"),
    ("timezone: Europe/London", "timezone: Europe/Londn"),
    ("weekend_days: Sun", "weekend_days: Sunday-ish"),
])
def test_a_sample_of_file_errors_name_the_file(tmp_path, old, new):
    text = _changed(RETAIL, old, new)
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenarios(path)
    assert str(info.value).startswith(f"{path.resolve()}:"), str(info.value)


def _tiny(tmp_path: Path) -> Path:
    text = _changed(RETAIL, "horizon: {start: 2026-03-02, days: 7}",
                    "horizon: {start: 2026-03-02, days: 1}")
    text = _changed(text, "    wrap_around: true ", "    wrap_around: false ")
    return _write(tmp_path, text)


def test_an_engine_error_during_a_run_names_the_file(tmp_path, monkeypatch):
    # A StaffingError the pipeline did not wrap (e.g. the interval schedule's solver failing
    # on night_premium: 1e300) left the run as a raw staffing type without the file.
    import scenarios.pipeline._schedule as schedule_stage
    from scenarios import run_scenario
    from staffing.errors import InfeasibleScheduleError

    def fail(*args, **kwargs):
        raise InfeasibleScheduleError("no schedule meets all the rules together")

    monkeypatch.setattr(schedule_stage, "schedule_shifts", fail)
    path = _tiny(tmp_path)
    scn = load_scenarios(path, variants=False)[0].analytic()
    with pytest.raises(ScenarioError) as info:
        run_scenario(scn)
    assert str(info.value) == (f"{path.resolve()}: scenario 'retail_bank': no schedule meets "
                               "all the rules together")


def test_a_scenario_error_without_the_file_gets_it(tmp_path, monkeypatch):
    import scenarios.pipeline._demand as demand_stage
    from scenarios import run_scenario

    def fail(*args, **kwargs):
        raise InputFileError("closed_hours_demand(): retry_share + lost_share must be <= 1")

    monkeypatch.setattr(demand_stage, "closed_hours_demand", fail)
    path = _tiny(tmp_path)
    scn = load_scenarios(path, variants=False)[0].analytic()
    with pytest.raises(InputFileError) as info:
        run_scenario(scn)
    assert str(info.value).startswith(f"{path.resolve()}: scenario 'retail_bank': "
                                      "closed_hours_demand(): ")


# ---------------------------------------------------------------------------------------------
# Numbers YAML reads differently inside lists and with a leading zero
# ---------------------------------------------------------------------------------------------


def test_thousands_comma_in_a_list_written_with_spaces_is_an_error(tmp_path):
    # [1,200, 1,500] is YAML for [1, 200, 1, 500]: a sweep of four rates instead of two.
    text = RETAIL + "sweep:\n  pay.hourly_rates.agent: [1,200, 1,500]\n"
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "[1,200"))
    assert "sweep.pay.hourly_rates.agent[0] is written 1,200" in message
    assert "Write 1200, without the comma." in message


def test_a_list_without_spaces_reads_as_written(tmp_path):
    # [240,270,300] has no space anywhere: three values, as YAML reads them.
    text = _changed(RETAIL, "variants:\n  extended: {hours: extended}\n  24x7: {hours: 24x7}\n",
                    "sweep:\n  channels.voice.aht: [240,270,300]\n")
    found = load_scenarios(_write(tmp_path, text))
    assert [s.channels[0].aht_s for s in found[1:]] == [240.0, 270.0, 300.0]


def test_a_leading_zero_is_an_error(tmp_path):
    # seed: 010 was read as the octal number 8.
    text = _changed(RETAIL, "seed: 11", "seed: 010")
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, "seed: 010"))
    assert "seed is written 010: YAML reads a whole number with a leading 0 as octal (8)" in (
        message)
    assert "(10)" in message


@pytest.mark.parametrize(("old", "new", "field"), [
    ("aht: 5m", "aht: 2,600", "channels.voice.aht"),
    ("seed: 11", "seed: 1,100", "seed"),
    ("time_limit_s: 600 ", "time_limit_s: 1,800 ", "shifts.rules.time_limit_s"),
])
def test_thousands_comma_in_any_block_value_gets_the_fix(tmp_path, old, new, field):
    text = _changed(RETAIL, old, new)
    path = _write(tmp_path, text)
    message = _error(path)
    _assert_at(message, path, _line_of(text, new.strip()))
    assert message.startswith(f"{path.resolve()}:") and f" {field} " in message
    meant = new.split(": ")[1].strip().replace(",", "")
    assert message.endswith(f"Write {meant}, without the comma."), message
