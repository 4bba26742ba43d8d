"""The ``ccplan`` command line: the engine commands (erlang, simulate,
schedule, cost, forecast) and the scenario commands (run, compare, check,
capacity, demo, schema, dashboard)."""

from ._app import app, main

__all__ = ["app", "main"]
