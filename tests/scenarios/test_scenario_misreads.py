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

from scenarios import InputFileError, ScenarioError, load_scenarios, read_shift_rules

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
    assert re.search(r"more than 100,000 values once its aliases \(\*name\) are expanded",
                     message), message
    assert message.startswith(f"{path.resolve()}:")


def test_alias_bomb_inside_a_valid_scenario_is_refused_quickly(tmp_path):
    # The bomb as the value of a known key (description), so nothing else stops it first.
    bomb = "\n".join(f"    {line}" for line in _alias_bomb().splitlines())
    text = _changed(RETAIL, DESCRIPTION, "description:\n" + bomb)
    path = _write(tmp_path, text)
    with _cpu_budget(2.0):
        message = _error(path)
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
    with _cpu_budget(2.0):
        message = _error(path)
    _assert_at(message, path, _line_of(text, "description:"))
    assert "nests lists and mappings more than 50 deep" in message


def test_nesting_up_to_the_bound_is_read(tmp_path):
    # The bound counts collections: the top-level mapping and 49 lists inside it are read;
    # the schema then refuses the list as a description (not the nesting).
    text = _changed(RETAIL, DESCRIPTION, "description: " + "[" * 49 + "]" * 49)
    message = _error(_write(tmp_path, text))
    assert "description must be text" in message


def test_an_over_long_file_is_refused(tmp_path):
    text = RETAIL + "# " + "x" * 1_000_000 + "\n"
    message = _error(_write(tmp_path, text))
    assert "more than the 1,000,000 ccplan reads from one YAML file" in message


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
