"""``kedro run --env dask --pipelines population --params population=<folder>`` end to end,
in a copy of the project's configuration (the soundtrack files written from the small test
catalogue): the hook starts a LocalCluster of two worker processes from conf/dask/dask.yml,
and the output equals that of the run without ``--env dask``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from moodrec.datasets import tasks
from tests.conftest import PROJECT_ROOT
from tests.pipelines.population.conftest import read_outputs, write_population


def copy_project(root: Path, ratings: pd.DataFrame, tracklist: pd.DataFrame) -> None:
    """The project's pyproject.toml and conf (base, dask), with the raw files the population
    pipeline's upstream nodes read."""
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root)
    for env in ("base", "dask"):
        shutil.copytree(PROJECT_ROOT / "conf" / env, root / "conf" / env)
    (root / "conf" / "local").mkdir()
    (root / "src").mkdir()  # [tool.kedro] source_dir; the package is the installed moodrec
    raw = root / "data" / "01_raw"
    (raw / "soundtracks").mkdir(parents=True)
    (raw / "study").mkdir()
    ratings.to_csv(raw / "soundtracks" / "mean_ratings_set1.csv", index=False)
    tracklist.to_csv(raw / "soundtracks" / "set1_tracklist.csv", index=False)
    pd.DataFrame({"Mood": ["unused"], "Valence": [1.0], "Arousal": [1.0]}).to_csv(
        raw / "study" / "map.csv", index=False)


def test_kedro_run_env_dask_writes_what_kedro_run_writes(tmp_path, ratings, tracklist,
                                                          monkeypatch):
    root = tmp_path / "project"
    copy_project(root, ratings, tracklist)
    source = tmp_path / "population"
    write_population(source)
    monkeypatch.chdir(root)
    workers = []  # per run_tasks call: the workers of the cluster it ran on (0: this process)

    def spied_client():
        client = tasks.active_client.__wrapped__()
        workers.append(0 if client is None else len(client.scheduler_info()["workers"]))
        return client

    spied_client.__wrapped__ = tasks.active_client
    monkeypatch.setattr(tasks, "active_client", spied_client)
    bootstrap_project(root)
    outputs = {}
    try:
        for env in (None, "dask"):
            outputs[env] = root / f"out-{env}"
            params = {"population": str(source), "population_output": str(outputs[env])}
            with KedroSession.create(root, env=env, runtime_params=params) as session:
                session.run(pipeline_names=["population"])
    finally:
        bootstrap_project(PROJECT_ROOT)
    assert workers == [0, 2]  # in this process, then on conf/dask/dask.yml's 2 workers
    local, distributed = read_outputs(outputs[None]), read_outputs(outputs["dask"])
    assert sorted(local) == sorted(distributed) == sorted(read_outputs(source))
    for name, table in local.items():
        pd.testing.assert_frame_equal(distributed[name], table)
