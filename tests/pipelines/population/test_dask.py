"""The population on a Dask cluster of two worker processes: the same output as in one
process, a worker killed mid-run loses and doubles no partition (Dask runs its task again),
and a bad partition is named by its file (the cluster: tests/pipelines/conftest.py)."""

from __future__ import annotations

import pandas as pd

from tests.pipelines.population.conftest import (
    raises_bad_input,
    run_population,
    write_population,
)
from tests.pipelines.population.killer import KillOnce


def assert_same_tables(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert sorted(got) == sorted(expected)  # every partition once, nothing else in the folder
    for name, table in expected.items():
        pd.testing.assert_frame_equal(got[name], table)


def test_the_cluster_writes_what_one_process_writes(tmp_path, population, node_inputs, dask_client):
    from distributed import get_task_stream

    source, tables = population
    local = run_population(source, tmp_path / "local", node_inputs)
    with dask_client.as_current(), get_task_stream(dask_client) as stream:
        distributed = run_population(source, tmp_path / "dask", node_inputs)
    assert_same_tables(distributed, local)
    ran = [task for task in stream.data if task["key"].startswith("recommend_partition")]
    assert len(ran) == len(tables)  # one task per partition, run by the workers


def test_a_worker_killed_mid_run_loses_and_doubles_no_partition(tmp_path, node_inputs, dask_client):
    source = tmp_path / "population"
    sizes = {f"part-{i:02d}.parquet": 2000 + 10 * i for i in range(10)}
    write_population(source, sizes)
    local = run_population(source, tmp_path / "local", node_inputs)
    marker = tmp_path / "killed"
    dask_client.register_plugin(KillOnce(marker, nth=2), name="kill-once")
    try:
        with dask_client.as_current():
            distributed = run_population(source, tmp_path / "dask", node_inputs)
    finally:
        dask_client.unregister_worker_plugin("kill-once")
    assert marker.exists(), "no worker was killed: the test proved nothing"
    assert_same_tables(distributed, local)
    assert sum(len(t) for t in distributed.values()) == sum(sizes.values())


def test_a_bad_partition_on_a_worker_is_named(tmp_path, population, node_inputs, dask_client):
    source, tables = population
    bad = source / "day=2" / "part-0.parquet"
    tables["day=2/part-0.parquet"].drop(columns=["surprise"]).to_parquet(bad, index=False)
    with dask_client.as_current(), raises_bad_input(
            r"population partition day=2/part-0: .*surprise"):
        run_population(source, tmp_path / "out", node_inputs)
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["population"]
