"""Where ``kedro run --env dask`` runs its tasks: a Dask cluster named by the environment.

``conf/dask/dask.yml`` (the ``dask`` configuration, read only in that environment) says which:

.. code-block:: yaml

    cluster:
      address: null          # a running scheduler (tcp://host:8786); null: start a LocalCluster
      n_workers: 2           # the LocalCluster's worker processes (or threads)
      threads_per_worker: 1
      processes: true
      memory_limit: 4GiB     # per worker; Dask spills, pauses, then restarts a worker above it

:class:`DaskCluster` (a project hook) reads and checks it when the context is created, connects
to the scheduler (or starts the LocalCluster) before the pipeline runs and closes it after.
While it is open it is Dask's default client, which
:func:`moodrec.datasets.tasks.run_tasks` hands the tasks to. In any other environment there is
no ``dask`` configuration, nothing is started, and the same tasks run one after another in
this process: the cluster is a way of running the nodes, not a second implementation.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from kedro.config import MissingConfigException
from kedro.framework.hooks import hook_impl

logger = logging.getLogger(__name__)

#: What ``cluster`` holds (every key, no other).
_KEYS = ("address", "n_workers", "threads_per_worker", "processes", "memory_limit")


class DaskSettingsError(ValueError):
    """A ``dask.yml`` value that cannot start or reach a cluster."""


def _whole(value: Any, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DaskSettingsError(f"dask.yml cluster.{key} = {value!r}: must be a whole number >= 1")
    return value


def cluster_settings(config: dict[str, Any]) -> dict[str, Any]:
    """``config['cluster']`` checked: every key of :data:`_KEYS`, nothing else."""
    cluster = config.get("cluster") if isinstance(config, dict) else None
    if not isinstance(cluster, dict):
        raise DaskSettingsError(f"dask.yml: expected a 'cluster' mapping with {', '.join(_KEYS)};"
                                f" got {config!r}")
    missing = [k for k in _KEYS if k not in cluster]
    unknown = sorted(set(cluster) - set(_KEYS))
    if missing or unknown:
        raise DaskSettingsError(f"dask.yml cluster: missing {missing}, unknown {unknown}; "
                                f"the keys are {', '.join(_KEYS)}")
    address = cluster["address"]
    if address is not None and (not isinstance(address, str) or not address.strip()):
        raise DaskSettingsError(f"dask.yml cluster.address = {address!r}: a scheduler address "
                                "such as tcp://10.0.0.5:8786, or null for a LocalCluster")
    if not isinstance(cluster["processes"], bool):
        raise DaskSettingsError(f"dask.yml cluster.processes = {cluster['processes']!r}: "
                                "true (worker processes) or false (threads of this process)")
    _whole(cluster["n_workers"], "n_workers")
    _whole(cluster["threads_per_worker"], "threads_per_worker")
    return dict(cluster)


def open_client(settings: dict[str, Any]) -> Any:
    """A Dask client, Dask's default from now on: connected to ``address``, or to a
    LocalCluster started here (its dashboard off: nothing listens beyond the loopback)."""
    from distributed import Client, LocalCluster

    # Dask logs every worker's start and stop at INFO; keep its warnings (a worker lost ...),
    # here and in the worker processes (which read it from the environment when they start).
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    logging.getLogger("distributed").setLevel(logging.WARNING)
    if settings["address"]:
        client = Client(settings["address"])
        logger.info("Dask: connected to %s (%d workers)", settings["address"],
                    len(client.scheduler_info()["workers"]))
        return client
    cluster = LocalCluster(
        n_workers=settings["n_workers"], threads_per_worker=settings["threads_per_worker"],
        processes=settings["processes"], memory_limit=settings["memory_limit"],
        dashboard_address=None, worker_dashboard_address=None,
        host="127.0.0.1" if settings["processes"] else None,
    )
    logger.info("Dask: LocalCluster of %d worker %s x %d thread(s)", settings["n_workers"],
                "processes" if settings["processes"] else "threads",
                settings["threads_per_worker"])
    return Client(cluster)


def close_client(client: Any) -> None:
    """Close the client and, when this run started it, its LocalCluster."""
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


class DaskCluster:
    """The hook: the ``dask`` environment's cluster open for the length of a pipeline run."""

    def __init__(self) -> None:
        self.settings: dict[str, Any] | None = None
        self.client: Any = None

    @hook_impl
    def after_context_created(self, context: Any) -> None:
        try:
            config = context.config_loader["dask"]
        except (MissingConfigException, KeyError):  # no dask.yml: run in this process
            self.settings = None
            return
        self.settings = cluster_settings(config)

    @hook_impl
    def before_pipeline_run(self, run_params: Any, pipeline: Any, catalog: Any) -> None:
        if self.settings is not None:
            self.client = open_client(self.settings)

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
