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

from ._errors import SimulationInputError, SimulatorError
from ._intervals import interval_from_se, mean_interval
from ._ledger import SIM_INTERVAL_COLUMNS
from ._models import ChannelModel, GroupModel
from ._queue import QueueResult, simulate_queue
from ._simulate import simulate

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
