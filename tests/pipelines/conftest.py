"""A Dask cluster for the pipelines that run on one (population, voice_features): two worker
processes of one thread, as conf/dask/dask.yml starts, shared by the session's tests (a
cluster takes seconds to start, and each worker seconds to import the audio code once)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dask_client():
    """Not Dask's default client: a test hands it the tasks with ``client.as_current()``, as
    ``kedro run --env dask`` does with its own (moodrec.run.dask_cluster.active_client)."""
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           memory_limit="1GiB", dashboard_address=None,
                           worker_dashboard_address=None, host="127.0.0.1")
    client = Client(cluster, set_as_default=False)
    yield client
    client.close()
    cluster.close()
