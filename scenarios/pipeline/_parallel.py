"""Running many scenarios at once: local processes or a Dask cluster.

``ccplan run``, ``compare`` and ``check`` run the scenarios of their files
(bases, variants, sweep points) through :func:`run_many`:

- ``workers=1``: one after the other, in this process;
- ``workers=N`` (default: the number of cores): ``N`` local processes, one
  scenario each; with fewer scenarios than workers, each scenario's
  simulation replications are split over them instead;
- ``dask="local"`` or ``dask="tcp://HOST:PORT"``: a Dask ``LocalCluster`` or
  an existing cluster (the optional extra ``pip install "ccplan[dask]"``).

What is sent to a worker: the :class:`Scenario` (frozen data: the file's
settings, already validated, and the paths of its data files, which the
worker reads, so a cluster's workers must see the same files). What comes
back: the :class:`ScenarioResult` tables. Every scenario carries its own
seed, and :func:`run_scenario` depends on nothing else, so the results are
the same whatever the executor, the number of workers and the order in which
they finish. A scenario that fails is reported with its name and the reason;
the others are kept.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import os
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .._errors import ScenarioError
from ..files import Scenario
from ._result import ScenarioResult
from ._run import run_scenario


@dataclass(frozen=True)
class TaskFailure:
    """A scenario whose run failed.

    Attributes
    ----------
    index : int
        Its position in the list given to :func:`run_many`.
    scenario : str
        Its name.
    message : str
        Why: the error's message (expected errors) or its type, message and
        the last frame of the traceback (unexpected ones).
    is_expected : bool
        ``True`` for a :class:`ScenarioError` or ``ValueError`` (bad input),
        ``False`` for a bug or a crashed worker.
    """

    index: int
    scenario: str
    message: str
    is_expected: bool


#: What a task returns: position, result (None if it failed), failure message, whether the
#: failure is expected (bad input), and the warnings a worker process raised (category, text).
_Outcome = tuple[int, ScenarioResult | None, str, bool, list[tuple[type[Warning], str]]]


def _task(index: int, scn: Scenario, executor: concurrent.futures.Executor | None = None,
          chunks: int = 1, *, capture_warnings: bool = False) -> _Outcome:
    """Run one scenario (its replications on ``executor`` if given); never raise.

    ``capture_warnings``: in a worker process, record the warnings the run raises (they
    would be printed on the worker's stderr, or lost with Dask) so that
    :func:`run_many` raises them again in the caller's process.
    """
    recorder: contextlib.AbstractContextManager[list[warnings.WarningMessage] | None] = (
        warnings.catch_warnings(record=True) if capture_warnings
        else contextlib.nullcontext([]))
    with recorder as seen:
        if capture_warnings:
            warnings.simplefilter("always")
        outcome: tuple[int, ScenarioResult | None, str, bool]
        try:
            outcome = index, run_scenario(scn, executor=executor, chunks=chunks), "", True
        except (ScenarioError, ValueError) as err:
            outcome = index, None, str(err), True
        except Exception as err:  # a bug: keep its type and where it happened
            where = traceback.extract_tb(err.__traceback__)[-1]
            outcome = (index, None, f"{type(err).__name__}: {err} (at {where.filename}:"
                       f"{where.lineno})", False)
        caught = [(w.category, str(w.message)) for w in seen or []]
    return (*outcome, caught)


def default_workers() -> int:
    """The number of cores this process may use (at least 1).

    Returns
    -------
    int
        The cores of this process's CPU affinity (all the machine's cores
        where affinity is unknown), at least 1: ``run_many``'s default workers.
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def dask_missing_message() -> str:
    """What to install for ``--dask`` (printed instead of a traceback)."""
    return ("--dask needs Dask's distributed scheduler, which is not installed. Install it "
            "with: pip install \"ccplan[dask]\" (or pip install distributed).")


def run_many(scenarios: Sequence[Scenario], *, workers: int | None = None,
             dask: str | None = None,
             on_done: Callable[[int, int], None] | None = None
             ) -> tuple[list[ScenarioResult | None], list[TaskFailure]]:
    """Run scenarios, in parallel when asked; results in the order given.

    Parameters
    ----------
    scenarios : sequence of Scenario
        What to run.
    workers : int, optional
        Local processes (default: the number of cores; 1 runs in this
        process). With ``dask="local"``, the cluster's workers.
    dask : str, optional
        ``"local"`` for a Dask ``LocalCluster``, or a scheduler address such
        as ``"tcp://10.0.0.5:8786"``.
    on_done : callable, optional
        Called as ``on_done(done, total)`` as each scenario finishes (progress).

    Returns
    -------
    results : list of ScenarioResult or None
        One per scenario, in the order given; ``None`` where it failed.
    failures : list of TaskFailure
        The scenarios that failed, by position.

    Raises
    ------
    ScenarioError
        ``workers`` is not a whole number >= 1, or Dask is asked for but not
        installed, or its scheduler cannot be reached.
    """
    n = len(scenarios)
    if workers is None:
        workers = default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ScenarioError(f"--workers must be a whole number >= 1, got {workers!r}.")
    results: list[ScenarioResult | None] = [None] * n
    failures: list[TaskFailure] = []

    def collect(outcome: _Outcome, done: int) -> None:
        index, result, message, expected, caught = outcome
        for category, text in caught:  # a worker's warnings, raised again here
            warnings.warn(text, category, stacklevel=3)
        if result is None:
            failures.append(TaskFailure(index, scenarios[index].name, message, expected))
        results[index] = result
        if on_done is not None:
            on_done(done, n)

    if dask is not None:
        _run_dask(scenarios, workers, dask, collect)
    elif workers == 1:
        for i, scn in enumerate(scenarios):
            collect(_task(i, scn), i + 1)
    elif n < workers:
        # Fewer scenarios than workers: run them one by one here and split each one's
        # replications over the workers instead.
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers,
                                                    mp_context=context) as pool:
            for i, scn in enumerate(scenarios):
                collect(_task(i, scn, pool, workers), i + 1)
    else:
        # "spawn": workers start clean (no copied threads or locks), the same on every OS.
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(max_workers=min(workers, n),
                                                    mp_context=context) as pool:
            futures = {pool.submit(_task, i, scn, capture_warnings=True): i
                       for i, scn in enumerate(scenarios)}
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
                i = futures[future]
                try:
                    outcome = future.result()
                except Exception as err:  # the worker process died
                    outcome = (i, None, f"the worker running it stopped: {err}", False, [])
                collect(outcome, done)
    failures.sort(key=lambda f: f.index)
    return results, failures


def _run_dask(scenarios: Sequence[Scenario], workers: int, address: str,
              collect: Callable[[_Outcome, int], None]
              ) -> None:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ScenarioError(dask_missing_message()) from None
    cluster = None
    try:
        if address == "local":
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        else:
            try:
                client = Client(address, timeout="20s")
            except (OSError, TimeoutError) as err:
                raise ScenarioError(f"--dask {address}: cannot reach the Dask scheduler ({err}). "
                                    "Check the address (tcp://HOST:PORT) and that the "
                                    "scheduler runs, or use --dask local.") from None
        with client:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
            if len(scenarios) < n_workers:
                # Fewer scenarios than workers: split each one's replications instead.
                executor = client.get_executor(pure=False)
                for i, scn in enumerate(scenarios):
                    collect(_task(i, scn, executor, n_workers), i + 1)
                return
            futures = [client.submit(_task, i, scn, key=f"ccplan-{i}-{scn.sha256[:12]}",
                                     pure=False, capture_warnings=True)
                       for i, scn in enumerate(scenarios)]
            for done, future in enumerate(as_completed(futures), start=1):
                try:
                    outcome = future.result()
                except Exception as err:  # the worker died or the task was lost
                    i = futures.index(future)
                    outcome = (i, None, f"the Dask worker running it failed: {err}", False,
                               [])
                collect(outcome, done)
    finally:
        if cluster is not None:
            cluster.close()
