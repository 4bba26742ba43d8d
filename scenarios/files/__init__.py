"""The files layer: everything ccplan reads from or writes to disk, checked.

Nothing here runs a model: the pipeline (:mod:`scenarios.pipeline`) takes what
this layer returns. The layers above import from here and from its public
modules (``units``, ``output``, ``intervals``, ``history``, ``schedules``,
``calls``), never
from the underscore modules inside. Inside, imports run one way::

    _yaml, units    bounded YAML with line numbers and schema errors that point;
                    durations, times of day, weekdays (and the one HH:MM)
      <- _shift_rules, _hours, _expectations, _capacity_model
                    a rules file (templates, rules, pay); opening hours; expect: lines;
                    the capacity: block's sections
      <- _model     the scenario file's pydantic sections, ChannelSpec, JSON schema
      <- _sources   a scenario's files: extends, confinement, merging, sweep values
      <- _sections  hours, holidays and volumes read from a validated document;
         _capacity_section   the capacity: block read into CapacitySpec
      <- _scenario  Scenario and load_scenarios (variants, sweep points, overrides);
                    Scenario sits with the loader because Scenario.from_yaml reads a file

    output          formula-safe CSV, atomic writes (and their temporaries)
      <- intervals, history, schedules   the tables the ccplan commands read
      <- calls      per-contact records for ccplan calibrate, and its snippet

pyproject.toml holds this order as an import-linter contract. Units: durations
in seconds, fractions 0-1.
"""

from ._capacity_section import CapacitySpec
from ._expectations import CHANNEL_METRICS, Expectation, parse_expectation
from ._hours import OpeningHours
from ._model import ChannelSpec, scenario_json_schema
from ._scenario import Scenario, load_scenarios
from ._shift_rules import ShiftRules, read_shift_rules
from ._sources import EXAMPLES_DIR, example_files, scenario_files

__all__ = [
    # scenario files
    "Scenario",
    "ChannelSpec",
    "CapacitySpec",
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
]
