"""Independent tasks run where the run says: on its Dask cluster, or in this process.

:func:`run_tasks` is how a node's or a dataset's many similar calls (a partition of persons, a
batch of clips) are run. When ``kedro run --env dask`` opened a cluster
(:mod:`moodrec.run.dask_cluster`), each call is a task on a worker: arguments that name files
are read there. Otherwise the calls run one after another here. Same calls, same results; a
progress bar either way.

Every task runs with one BLAS (and OpenMP) thread, wherever it runs: Dask starts its worker
processes so (``OMP/OPENBLAS/MKL_NUM_THREADS=1``, ``distributed.nanny.pre-spawn-environ``), and
this process limits its own pools the same way while tasks run. Besides sparing the cores
from oversubscription, that keeps results the same bit for bit: a BLAS product's rounding
depends on how many threads share it (voice features differ in the 5th digit otherwise).

A worker that dies mid-task (killed, out of memory) loses nothing: the scheduler gives its tasks
to another worker (up to ``distributed.scheduler.allowed-failures`` times), so callers make
each task's effect idempotent (a whole file written under a fixed name). An exception raised
by a task stops the run: the tasks not yet started do nothing, those running are waited for,
and the error is raised here as the task raised it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm


def active_client() -> Any | None:
    """The Dask client this process set as default (the run's cluster), or ``None``."""
    from distributed import default_client

    try:
        return default_client()
    except ValueError:  # "No clients found"
        return None


def run_tasks(func: Callable[..., Any], arguments: Sequence[tuple], *, desc: str,
              unit: str) -> list[Any]:
    """``[func(*args) for args in arguments]``, in that order, on the run's Dask cluster when
    there is one (each call a task), else in this process."""
    with threadpool_limits(limits=1):  # this process's pools; worker processes start so
        client = active_client()
        if client is None:
            return [func(*args) for args in tqdm(arguments, desc=desc, unit=unit)]
        return _on_cluster(client, func, arguments, desc, unit)


def _unless_stopped(stop: str, func: Callable[..., Any], *args: Any) -> Any:
    """A task: ``func(*args)``, unless the run already stopped (its Dask event ``stop``)."""
    from distributed import Event

    return None if Event(stop).is_set() else func(*args)


def _on_cluster(client: Any, func: Callable[..., Any], arguments: Sequence[tuple], desc: str,
                unit: str) -> list[Any]:
    """The tasks on the cluster. On the first error the run's event is set: the tasks not yet
    started return at once, and those running (a cancelled Dask task still runs to its end)
    are waited for, so that no task writes after the caller has cleaned up."""
    from distributed import Event, as_completed, wait

    run = uuid.uuid4().hex
    stop = Event(f"moodrec-stop-{run}", client=client)
    futures = [client.submit(_unless_stopped, stop.name, func, *args,
                             key=f"{func.__name__}-{run}-{i}")
               for i, args in enumerate(arguments)]
    position = {future.key: i for i, future in enumerate(futures)}
    results: list[Any] = [None] * len(futures)
    try:
        with tqdm(total=len(futures), desc=f"{desc} (Dask)", unit=unit) as bar:
            for future in as_completed(futures):
                results[position[future.key]] = future.result()  # raises the task's error
                bar.update()
    except BaseException:
        stop.set()
        wait(futures)
        raise
    return results
