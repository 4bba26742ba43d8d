"""The SimPy contact-centre simulator.

So far: one stationary queue (M/M/n, M/M/n+M) for validating the staffing
engine and for benchmarks, and a first slice of the time-varying centre
(per-channel agent pools from a coverage table, Poisson arrivals per
interval, abandonment, replications). Skills, shifts with breaks, chat and
email arrive with the rest of the simulator issue.
"""

from ._errors import SimulationInputError, SimulatorError
from ._intervals import interval_from_se, mean_interval
from ._queue import QueueResult, simulate_queue
from ._simulate import SIM_INTERVAL_COLUMNS, simulate

__all__ = [
    "SIM_INTERVAL_COLUMNS",
    "QueueResult",
    "SimulationInputError",
    "SimulatorError",
    "interval_from_se",
    "mean_interval",
    "simulate",
    "simulate_queue",
]
