"""The files layer: everything ccplan reads from or writes to disk, checked.

YAML with line numbers, units and durations; the scenario model and its
loader (base, variants, sweep points); shift rules; opening hours; the
readers of interval, history and schedule files; atomic, formula-safe
writing. Nothing here runs a model: the pipeline (:mod:`scenarios.pipeline`)
takes what this layer returns.
"""
