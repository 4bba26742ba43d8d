"""The SimPy contact-centre simulator.

Two simulations: one stationary queue (:func:`simulate_queue`, M/M/n and
M/M/n+M) for validating the staffing engine and for benchmarks, and the
time-varying centre (:func:`simulate`): channels described by
:class:`ChannelModel`, served by dedicated pools or by agent groups with
skills (:class:`GroupModel`), with hang-ups and callbacks, agents from a
coverage table or a roster,
replications summarised with confidence intervals (:func:`mean_interval`,
:func:`interval_from_se`).
"""

import importlib
from typing import TYPE_CHECKING, Any

from ._errors import SimulationInputError, SimulatorError

if TYPE_CHECKING:
    from ._intervals import interval_from_se, mean_interval
    from ._ledger import SIM_INTERVAL_COLUMNS
    from ._models import ChannelModel, GroupModel
    from ._queue import QueueResult, simulate_queue
    from ._simulate import simulate

#: Where each public name lives, imported on first use (PEP 562): ``import simulator``
#: loads neither simpy nor scipy until a simulation runs. The imports above, for type
#: checkers, say the same (tests/scenarios/test_cli_startup.py checks that they agree).
_HOMES = {
    "interval_from_se": "._intervals",
    "mean_interval": "._intervals",
    "SIM_INTERVAL_COLUMNS": "._ledger",
    "ChannelModel": "._models",
    "GroupModel": "._models",
    "QueueResult": "._queue",
    "simulate_queue": "._queue",
    "simulate": "._simulate",
}

__all__ = [
    "ChannelModel",
    "GroupModel",
    "SIM_INTERVAL_COLUMNS",
    "QueueResult",
    "SimulationInputError",
    "SimulatorError",
    "interval_from_se",
    "mean_interval",
    "simulate",
    "simulate_queue",
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
