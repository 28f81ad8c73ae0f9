"""Where ``kedro run --env dask`` runs its tasks: a Dask cluster named by the environment.

``conf/dask/dask.yml`` (the ``dask`` configuration, read only in that environment) says which
(:class:`ClusterSettings`). The :class:`DaskCluster` hook checks it when the context is created,
connects to the scheduler (or starts a ``LocalCluster``) before the pipeline runs and closes it
after; while it is open it is Dask's default client. A node hands its many similar calls (a
partition of persons, a batch of clips) to :func:`lazy_tasks` or :func:`run_tasks`, which give
them to that client, or run them in this process in any other environment: the cluster is a
way of running the nodes, not a second implementation.

Every task runs with one BLAS (and OpenMP) thread wherever it runs: Dask starts its worker
processes so (``distributed.nanny.pre-spawn-environ``) and this process limits its pools the
same way, which keeps results the same bit for bit (a BLAS product's rounding depends on its
threads: voice features differ in the 5th digit otherwise). A worker that dies mid-task loses
nothing: the scheduler gives the task to another worker, and its result comes back once.
"""

from __future__ import annotations

import functools
import logging
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kedro.config import MissingConfigException
from kedro.framework.hooks import hook_impl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

logger = logging.getLogger(__name__)


class DaskSettingsError(ValueError):
    """A ``dask.yml`` value that cannot start or reach a cluster (names the key)."""


class ClusterSettings(BaseModel):
    """``dask.yml``'s ``cluster``: every key, no other."""

    model_config = ConfigDict(extra="forbid", strict=True)
    address: str | None = Field(min_length=1)  # tcp://host:8786; None: a LocalCluster here
    n_workers: int = Field(ge=1)
    threads_per_worker: int = Field(ge=1)
    processes: bool
    memory_limit: str | int


def cluster_settings(config: Any) -> ClusterSettings:
    """``config['cluster']`` checked."""
    try:
        return ClusterSettings.model_validate((config or {}).get("cluster"))
    except (ValidationError, AttributeError) as err:
        raise DaskSettingsError(f"dask.yml cluster: {err}") from None


def open_client(settings: ClusterSettings) -> Any:
    """A Dask client, Dask's default from now on: connected to ``address``, or to a
    LocalCluster started here (no dashboard; workers listen on the loopback only)."""
    from distributed import Client, LocalCluster

    # Dask logs every worker's start and stop at INFO; keep its warnings, here and in workers.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if settings.address:
        return Client(settings.address)
    return Client(LocalCluster(**settings.model_dump(exclude={"address"}), dashboard_address=None,
                               worker_dashboard_address=None,
                               host="127.0.0.1" if settings.processes else None))


def close_client(client: Any) -> None:
    """Close the client and, when this run started it, its LocalCluster."""
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


def active_client() -> Any | None:
    """The Dask client this process set as default (the run's cluster), or ``None``."""
    from distributed import default_client

    try:
        return default_client()
    except ValueError:  # "No clients found"
        return None


def _one_thread(func: Callable[..., Any], *args: Any) -> Any:
    from threadpoolctl import threadpool_limits  # (imported when a task runs: cold starts)

    with threadpool_limits(limits=1):
        return func(*args)


def lazy_tasks(func: Callable[..., Any], arguments: Mapping[Any, tuple], desc: str,
               ahead: int | None = None) -> dict[Any, Callable[[], Any]]:
    """``{key: () -> func(*arguments[key])}`` in key order, for a ``PartitionedDataset``'s lazy
    save (or any caller taking the results one by one), with a progress bar. On the run's
    cluster a result's call submits the next ``ahead`` tasks (default: two per worker thread),
    then waits for its own: the cluster computes while the caller writes, and holds only those
    few results."""
    keys = sorted(arguments)
    client = active_client()
    if client is not None and ahead is None:
        ahead = 2 * sum(client.nthreads().values())
    futures: dict[Any, Any] = {}
    run = uuid.uuid4().hex
    from tqdm.auto import tqdm

    bar = tqdm(total=len(keys), desc=f"{desc}{' (Dask)' if client else ''}", unit="task")

    def result(position: int) -> Any:
        if client is None:
            value = _one_thread(func, *arguments[keys[position]])
        else:
            for key in keys[position:position + int(ahead)]:
                if key not in futures:
                    futures[key] = client.submit(_one_thread, func, *arguments[key],
                                                 key=f"{func.__name__}-{run}-{key}")
            value = futures.pop(keys[position]).result()  # raises the task's error
        bar.update()
        if bar.n == bar.total:
            bar.close()
        return value

    return {key: functools.partial(result, position) for position, key in enumerate(keys)}


def run_tasks(func: Callable[..., Any], arguments: Sequence[tuple], desc: str) -> list[Any]:
    """``[func(*args) for args in arguments]``, on the run's cluster (all submitted at once)
    when there is one."""
    tasks = lazy_tasks(func, dict(enumerate(arguments)), desc, ahead=len(arguments))
    return [get() for get in tasks.values()]


class DaskCluster:
    """The hook: the ``dask`` environment's cluster open for the length of a pipeline run."""

    def __init__(self) -> None:
        self.settings: ClusterSettings | None = None
        self.client: Any = None

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        try:
            self.settings = cluster_settings(context.config_loader["dask"])
        except (MissingConfigException, KeyError):  # no dask.yml: run in this process
            self.settings = None

    @hook_impl
    def before_pipeline_run(self, run_params: Any, pipeline: Any, catalog: Any) -> None:
        if self.settings is not None:
            self.client = open_client(self.settings)
            logger.info("Dask: %d workers", len(self.client.scheduler_info()["workers"]))

    @hook_impl
    def after_pipeline_run(self, run_params: Any, pipeline: Any, catalog: Any) -> None:
        self._close()

    @hook_impl
    def on_pipeline_error(self, error: Exception, run_params: Any, pipeline: Any,
                          catalog: Any) -> None:
        self._close()

    def _close(self) -> None:
        if self.client is not None:
            client, self.client = self.client, None
            close_client(client)
