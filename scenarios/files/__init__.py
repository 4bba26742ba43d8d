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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._capacity_section import CapacitySpec
    from ._expectations import CHANNEL_METRICS, Expectation, parse_expectation
    from ._hours import OpeningHours
    from ._model import ChannelSpec, scenario_json_schema
    from ._scenario import Scenario, load_scenarios
    from ._shift_rules import ShiftRules, read_shift_rules
    from ._sources import EXAMPLES_DIR, example_files, scenario_files

#: Where each public name (and public submodule) lives, imported on first use (PEP 562):
#: reading one CSV (:mod:`.intervals`) loads neither the scenario model nor the engines. The
#: imports above, for type checkers, say the same (tests/scenarios/test_cli_startup.py).
_HOMES = {
    "CapacitySpec": "._capacity_section",
    "CHANNEL_METRICS": "._expectations",
    "Expectation": "._expectations",
    "parse_expectation": "._expectations",
    "OpeningHours": "._hours",
    "ChannelSpec": "._model",
    "scenario_json_schema": "._model",
    "Scenario": "._scenario",
    "load_scenarios": "._scenario",
    "ShiftRules": "._shift_rules",
    "read_shift_rules": "._shift_rules",
    "EXAMPLES_DIR": "._sources",
    "example_files": "._sources",
    "scenario_files": "._sources",
    "calls": ".calls",
    "history": ".history",
    "intervals": ".intervals",
    "output": ".output",
    "schedules": ".schedules",
    "units": ".units",
}

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


if not TYPE_CHECKING:  # type checkers see the imports above (and no catch-all)

    def __getattr__(name: str) -> Any:
        """A public name, imported from its module on first use."""
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(home, __name__)
        value = module if home == f".{name}" else getattr(module, name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(globals()) | set(_HOMES))
