"""The SimPy contact-centre simulator.

So far: one stationary queue (M/M/n, M/M/n+M) for validating the staffing
engine and for benchmarks. The time-varying centre (shifts, breaks, skills,
channels) arrives with the rest of the simulator issue.
"""

from ._errors import SimulationInputError, SimulatorError
from ._queue import QueueResult, simulate_queue

__all__ = ["QueueResult", "SimulationInputError", "SimulatorError", "simulate_queue"]
