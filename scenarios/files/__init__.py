"""The files layer: everything ccplan reads from or writes to disk, checked.

Nothing here runs a model: the pipeline (:mod:`scenarios.pipeline`) takes what
this layer returns. The layers above import from here only, never from the
modules inside. Inside, imports run one way::

    _yaml, _units   bounded YAML with line numbers and schema errors that point;
                    durations, times of day, weekdays (and the one HH:MM)
      <- _shift_rules, _hours, _expectations
                    a rules file (templates, rules, pay); opening hours; expect: lines
      <- _model     the scenario file's pydantic sections, ChannelSpec, JSON schema
      <- _sources   a scenario's files: extends, confinement, merging, sweep values
      <- _sections  hours, holidays and volumes read from a validated document
      <- _scenario  Scenario and load_scenarios (variants, sweep points, overrides);
                    Scenario sits with the loader because Scenario.from_yaml reads a file

    _output         formula-safe CSV, atomic writes (and their temporaries)
      <- _intervals, _history, _schedules   the tables the ccplan commands read

pyproject.toml holds this order as an import-linter contract. Units: durations
in seconds, fractions 0-1.
"""

from ._expectations import CHANNEL_METRICS, Expectation, parse_expectation
from ._history import check_channel_spans, parse_column_mapping, read_history, rows_as_in_file
from ._hours import OpeningHours
from ._intervals import (
    fill_closed_intervals,
    parse_target,
    read_interval_table,
    read_intervals_csv,
    read_roster,
)
from ._model import ChannelSpec, scenario_json_schema
from ._output import (
    csv_unescape,
    current_umask,
    remove_stale_temporaries,
    safe_csv_text,
    temporary_prefix,
    write_csv_atomic,
    write_text_atomic,
)
from ._scenario import Scenario, load_scenarios
from ._schedules import (
    file_sha256,
    jsonable,
    read_requirements_csv,
    read_schedule_dir,
    write_schedule_dir,
)
from ._shift_rules import ShiftRules, read_shift_rules
from ._sources import EXAMPLES_DIR, example_files, scenario_files
from ._units import parse_days, parse_duration, parse_time

__all__ = [
    # scenario files
    "Scenario",
    "ChannelSpec",
    "load_scenarios",
    "scenario_files",
    "example_files",
    "EXAMPLES_DIR",
    "scenario_json_schema",
    "OpeningHours",
    "Expectation",
    "parse_expectation",
    "CHANNEL_METRICS",
    # shift templates and rules files
    "ShiftRules",
    "read_shift_rules",
    # units as the files write them
    "parse_duration",
    "parse_time",
    "parse_days",
    # the tables the ccplan commands read and write
    "read_intervals_csv",
    "parse_target",
    "read_interval_table",
    "read_roster",
    "fill_closed_intervals",
    "read_history",
    "parse_column_mapping",
    "rows_as_in_file",
    "check_channel_spans",
    "read_requirements_csv",
    "read_schedule_dir",
    "write_schedule_dir",
    "file_sha256",
    "jsonable",
    # writing: formula-safe CSV, atomic files and folders
    "safe_csv_text",
    "csv_unescape",
    "write_csv_atomic",
    "write_text_atomic",
    "temporary_prefix",
    "remove_stale_temporaries",
    "current_umask",
]
