"""Fuzzing scenario files: mutated copies of the bundled examples through load and a quick run.

Each example is a bundled file (``scenarios/examples``) copied into a temporary folder
with its data and bases, its horizon cut to two days. Hypothesis then mutates it: values
replaced by odd numbers, strings, null, huge, negative or non-finite ones; keys deleted,
stray keys inserted, a line repeated (a duplicate key); dates, time zones and durations
set to awkward ones (clock changes at midnight, far years, zero or negative lengths).
The mutant is loaded with :func:`scenarios.load_scenarios` and its first scenarios are
run analytically (:meth:`Scenario.analytic`: Erlang, interval staffing, no shifts, no
simulation). The properties:

* nothing raises but ccplan's own errors (``scenarios.ScenarioError`` and the engines'
  ``StaffingError``, ``SimulatorError``, ``ForecastingError``, all documented);
* no example takes more than ``CPU_LIMIT_S`` seconds of CPU;
* every accepted file's result tables obey the laws of a queue (the checker of the
  bundled examples, ``tests/integration/test_examples_check.py``).

The default run is derandomised (the same cases every time) and takes about 15 s;
``-m slow`` runs a larger one.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forecasting
import simulator
import staffing
from scenarios import ScenarioError, example_files, load_scenarios, run_scenario
from tests.integration.test_examples_check import assert_obeys_the_laws_of_a_queue

#: ccplan's own error types: anything else escaping is a bug.
OWN_ERRORS = (ScenarioError, staffing.StaffingError, simulator.SimulatorError,
              forecasting.ForecastingError)
#: CPU seconds one mutant may take to load and run (generous: a quick run takes < 2 s).
CPU_LIMIT_S = 30.0
#: Scenarios of a mutant that are run (the base and the first variant or sweep point).
RUN_FIRST = 2
#: Examples run for this CI job (derandomised); the slow run takes more.
CI_EXAMPLES = 150
SLOW_EXAMPLES = 1650  # about 100 s on 2 cores; with the quick run's 150, the 1,800 of before

EXAMPLES = example_files()
EXAMPLES_DIR = EXAMPLES[0].parent
SHORT_DAYS = 2

# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------

ODD_NUMBERS = [0, -1, 1, 2, 7, 0.5, -0.0, 1e-300, 1e-9, 1e300, -1e300, 10**12, -(10**12),
               2**63, float("inf"), float("-inf"), float("nan"), 23, 24, 25, 59, 60, 86400,
               1001, 371, 372, 0.999999, 1.000001]
ODD_STRINGS = ["", " ", "abc", "2,600", "1_000", "0x10", "1e3", "NaN", "none", "null", "yes",
               "~", "-", "%", "80%", "80% in", "100% in 0s", "0% in 20s", "80% in -20s",
               "Mon-", "Sun-Mon", "all", "closed", "24x7", "8x5", "extended", "25:00",
               "24:00", "99:99", "00:00-24:00", "20:00-08:00", "=HYPERLINK(\"x\")",
               "../../etc/passwd", "x" * 300, "é", "\u0000"]
DATES = [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1969, 12, 31), dt.date(1970, 1, 1),
         dt.date(2200, 12, 31), dt.date(2201, 1, 1), dt.date(2026, 4, 23), dt.date(2026, 4, 24),
         dt.date(2026, 10, 29), dt.date(2026, 3, 29), dt.date(2026, 10, 25),
         dt.date(2026, 12, 25), dt.date(1999, 2, 27), "2026-02-30", "2026-13-01", "tomorrow"]
ZONES = ["Africa/Cairo", "Egypt", "America/Havana", "America/Santiago", "Asia/Tehran",
         "Pacific/Apia", "Australia/Lord_Howe", "Asia/Kathmandu", "Etc/GMT-14", "Etc/GMT+12",
         "UTC", "Europe/London", "Nowhere/City", "", "UTC+3", "../../etc", "Europe/london"]
DURATIONS = ["0s", "1s", "59s", "1m", "7m", "15m", "30m", "1h", "2h", "25h", "24h", "-5m",
             "1e9", "1e-9", "8h30m", "1.5h", "1h90m", "m", "4 m", 0, -1, 1e300, 900, 86400,
             86401]

_generic = st.one_of(
    st.sampled_from(ODD_NUMBERS), st.sampled_from(ODD_STRINGS), st.none(), st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6), st.just([]), st.just({}), st.just([None]), st.just({"x": 1}),
    st.sampled_from(DATES), st.sampled_from(ZONES), st.sampled_from(DURATIONS))

#: Fields that exist in the examples, with the values worth trying there first.
TARGETED: list[tuple[tuple[str, ...], list[Any]]] = [
    (("timezone",), ZONES),
    (("horizon", "start"), DATES),
    (("horizon", "days"), [0, 1, 2, 7, 8, 31, 371, 372, -1, 1e9]),
    (("interval",), DURATIONS),
    (("volume_scale",), ODD_NUMBERS),
    (("aht_scale",), ODD_NUMBERS),
    (("simulation", "replications"), [0, 1, 2, 3, 1000, 1001, 10**12, -1]),
    (("budget",), [0, None, {"per_week": 0}, {"per_year": -1}, {"per_week": 1e300},
                   {"per_week": 1, "per_year": 1}]),
    (("pay", "hourly_rates"), [{}, {"senior": 20}, {"agent": 0}, {"agent": -5}, None]),
    (("hours",), ["24x7", "8x5", "extended", {}, {"Mon": None}, {"Sat": "08:00-09:00"},
                  {"Mon-Sun": "closed"}, {"Mon": "00:00-24:00"}, "always"]),
    (("holidays",), [{"country": "XX"}, {"country": "EG"}, {"dates": ["2026-03-02"]}, None]),
    (("staffing", "method"), ["erlang_c", "erlang_a", "simulation", "erlang_b"]),
    (("staffing", "shrinkage"), [0, 0.5, 0.99, 1, -0.1]),
    (("out_of_hours",), [{"lost_share": 1}, {"retry_share": 1}, {"retry_spread": "0s"},
                         {"lost_share": 0.6, "retry_share": 0.6}]),
    (("seed",), [-1, 2**64, "seven"]),
]
#: Fields of the first channel, with their values.
CHANNEL_TARGETED: list[tuple[tuple[str, ...], list[Any]]] = [
    (("aht",), DURATIONS),
    (("patience",), DURATIONS),
    (("target",), ["80% in 20s", "100% in 20s", "0% in 0s", "80% in 0s", "80% in 30d",
                   {"service_level": 0.8, "within": -1}]),
    (("concurrency",), [0, 1, 2, 20, 21]),
    (("volume", "daily"), [0, -1, 1e300, 1e12, 1000000, {"Mon": 1000}, {"Mon": None},
                           {"Tue-Thu": 2, "600": None}, "2,600"]),
    (("volume", "profile"), ["flat", {}, {"24:00": 1}, {"00:00": 0}, {"12:00": -1},
                             {"00:00": 1, "23:59": 1e300}, "spiky"]),
    (("deferred",), [True, False, "maybe"]),
    (("max_occupancy",), [0, 0.01, 1, 1.5]),
    (("hang_up",), ["4%", 0.04, "0%", "100%", "140%", 1, 4, -0.1, "4 %", {"share": "4%"},
                    {"share": "4%", "within": "5s"}, {"share": 1}, {"within": "5s"},
                    {"share": "4%", "within": "31d"}]),
    (("pickup_delay",), ["4s", 0, -4, "2h", 3600, {"law": "exponential", "mean": "4s"},
                         {"law": "fixed", "value": "4s"}, {"law": "fixed"},
                         {"law": "lognormal", "mean": "4s", "cv": 0.5},
                         {"law": "lognormal", "mean": "4s", "cv": 1e300},
                         {"law": "empirical", "values": ["2s", 3, "1h"]},
                         {"law": "empirical", "values": []},
                         {"law": "bands", "bands": [{"up_to": "5s", "share": "60%"},
                                                    {"up_to": "10s", "share": "40%"}]},
                         {"law": "bands", "bands": [{"up_to": "5s", "share": "60%"},
                                                    {"up_to": "4s", "share": "30%"}]}]),
    (("redial",), [{"probability": "35%", "delay": "10m"}, {"probability": 1, "delay": "1s"},
                   {"probability": 0, "delay": "1m"}, {"probability": "35%"},
                   {"probability": [{"wait_up_to": "10s", "probability": "5%"},
                                    {"probability": "40%"}], "delay": "10m"},
                   {"probability": [{"wait_up_to": "10s", "probability": "5%"}],
                    "delay": "10m"},
                   {"probability": [], "delay": "1m"},
                   {"probability": "35%", "delay": {"law": "exponential", "mean": "1e9"}}]),
    (("callback",), [{"offer_above": "2m", "accept": "40%", "promise": "1h"},
                     {"offer_above": 0, "accept": 1, "rule": "promise", "promise": "1h"},
                     {"offer_above": "2m", "accept": "40%", "rule": "in_turn", "dial": "20s",
                      "promise": "10m"},
                     {"offer_above": "2m", "accept": "40%", "rule": "asap", "promise": "1h"},
                     {"offer_above": "2m", "accept": "40%", "service_level": "promise"}]),
]


# ---------------------------------------------------------------------------------------------
# Mutations
# ---------------------------------------------------------------------------------------------


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path in a YAML document (dict keys and list indices), parents first."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    node = doc
    for key in path[:-1]:
        node = node[key]
    return node


def _set(doc: dict, path: tuple, value: Any) -> None:
    node = doc
    for key in path[:-1]:
        if isinstance(node, dict):
            if not isinstance(node.get(key), dict | list):
                node[key] = {}
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return
    if isinstance(node, dict) or (isinstance(node, list) and isinstance(path[-1], int)
                                  and path[-1] < len(node)):
        node[path[-1]] = copy.deepcopy(value)


@st.composite
def mutants(draw) -> tuple[str, str, list[str]]:
    """An example's name, the mutated file text and what was done (for the failure report)."""
    source = draw(st.sampled_from(EXAMPLES))
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    if isinstance(doc.get("horizon"), dict):
        doc["horizon"]["days"] = SHORT_DAYS
    done: list[str] = []
    # Mostly one or two changes, mostly to known fields with odd but often valid values:
    # files that load reach the pipeline, where the invariants are checked.
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 2, 3, 4]))):
        kind = draw(st.sampled_from(["targeted", "targeted", "targeted", "channel", "channel",
                                     "channel", "replace", "replace", "delete", "stray"]))
        if kind == "targeted":
            path, values = draw(st.sampled_from(TARGETED))
            value = draw(st.sampled_from(values) if draw(st.integers(0, 3)) else _generic)
            _set(doc, path, value)
        elif kind == "channel":
            channels = doc.get("channels")
            if not isinstance(channels, dict) or not channels:
                continue
            name = draw(st.sampled_from(sorted(map(str, channels))))
            sub, values = draw(st.sampled_from(CHANNEL_TARGETED))
            path = ("channels", name, *sub)
            value = draw(st.sampled_from(values) if draw(st.integers(0, 3)) else _generic)
            _set(doc, path, value)
        else:
            paths = _paths(doc)
            if not paths:
                continue
            path = draw(st.sampled_from(paths))
            parent = _parent(doc, path)
            if kind == "replace":
                value = draw(_generic)
                # A copy: st.just gives the same object every time, and a later stray key
                # inserted into it would make the document contain itself.
                parent[path[-1]] = copy.deepcopy(value)
            elif kind == "delete":
                del parent[path[-1]]
                value = "<deleted>"
            else:   # a stray key beside it (in a mapping), or a stray item (in a list)
                value = draw(st.one_of(st.sampled_from(["600", "stray", "", "null"]),
                                       st.integers(-5, 5)))
                if isinstance(parent, dict):
                    parent[value] = copy.deepcopy(draw(_generic))
                else:
                    parent.append(value)
        done.append(f"{kind} {'.'.join(map(str, path))} = {value!r}"[:200])
    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**6)
    if draw(st.booleans()) and draw(st.booleans()):   # a repeated line: a duplicate key
        lines = text.splitlines(keepends=True)
        k = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines.insert(k, lines[k])
        text = "".join(lines)
        done.append(f"duplicate line {k + 1}: {lines[k].strip()[:80]!r}")
    return source.name, text, done


# ---------------------------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The examples, their data and bases, copied with horizons of two days."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(EXAMPLES_DIR, root, dirs_exist_ok=True)
    for path in root.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("days: 7}", f"days: {SHORT_DAYS}}}"), encoding="utf-8")
    return root


def _check_mutant(folder: Path, case: tuple[str, str, list[str]]) -> str:
    """Load and quickly run one mutant; returns 'accepted' or the error type's name."""
    name, text, done = case
    path = folder / f"fuzz_{name}"
    path.write_text(text, encoding="utf-8")
    why = f"mutant of {name}: {done}"
    started = time.process_time()
    try:
        found = load_scenarios(path)
        for scn in found[:RUN_FIRST]:
            quick = scn.analytic()
            result = run_scenario(quick)
            assert_obeys_the_laws_of_a_queue(quick, result)
        outcome = "accepted"
    except OWN_ERRORS as err:
        message = str(err)
        assert message and "\n" not in message.strip(), (why, message)
        # The file, or the file of its extends chain where the faulty field is written.
        assert path.name in message or str(folder) in message, \
            f"{why}: the error names no file: {message}"
        outcome = type(err).__name__
    except Exception as err:   # the property: nothing else escapes
        raise AssertionError(f"{why}: raised {type(err).__name__}: {err}") from err
    spent = time.process_time() - started
    assert spent < CPU_LIMIT_S, f"{why}: took {spent:.1f} s of CPU (limit {CPU_LIMIT_S:g} s)"
    return outcome


OUTCOMES: dict[str, int] = {}


@settings(derandomize=True, max_examples=CI_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(case=mutants())
def test_mutated_example_files_give_results_or_ccplan_errors(folder, case):
    outcome = _check_mutant(folder, case)
    OUTCOMES[outcome] = OUTCOMES.get(outcome, 0) + 1


@pytest.mark.slow
@settings(derandomize=True, max_examples=SLOW_EXAMPLES, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(case=mutants())
def test_many_mutated_example_files_give_results_or_ccplan_errors(folder, case):
    _check_mutant(folder, case)


@pytest.mark.slow
def test_the_mutants_are_not_all_refused(folder):
    # A fuzz test that only ever sees load errors tests nothing downstream: a fixed
    # sample of mutants (drawn by hypothesis with a fixed seed) must be partly accepted.
    seen: dict[str, int] = {}

    @settings(derandomize=True, max_examples=20, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(case=mutants())
    def sample(case):
        outcome = _check_mutant(folder, case)
        seen[outcome] = seen.get(outcome, 0) + 1

    sample()
    assert seen.get("accepted", 0) >= 2, seen
    assert sum(v for k, v in seen.items() if k != "accepted") >= 2, seen


def test_report_the_outcomes(capsys):
    # Not a check: the counts of the derandomised run above, for the record (-s shows them).
    with capsys.disabled():
        print(f"\nfuzz outcomes: {dict(sorted(OUTCOMES.items()))}")
