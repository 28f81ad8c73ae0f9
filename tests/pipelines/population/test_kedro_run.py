"""``kedro run --env dask --pipelines population --params population=<folder>`` end to end,
in a copy of the project's configuration (the raw catalogue files saved from the small test
tables through the copy's own catalog): the hook starts a LocalCluster of two worker processes
from conf/dask/dask.yml, and the output equals that of the run without ``--env dask``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

from moodrec.run import dask_cluster
from tests.conftest import PROJECT_ROOT
from tests.pipelines.population.conftest import read_outputs, write_population
from tests.pipelines.va_mapping.params import synthetic_raw


def copy_project(root: Path, raw: dict[str, object]) -> None:
    """The project's pyproject.toml and conf (base, dask), and the raw tables of ``raw``
    (and the study's emotion map) saved where its catalog reads them."""
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root)
    for env in ("base", "dask"):
        shutil.copytree(PROJECT_ROOT / "conf" / env, root / "conf" / env)
    (root / "conf" / "local").mkdir()
    (root / "src").mkdir()  # [tool.kedro] source_dir; the package is the installed moodrec
    bootstrap_project(root)
    with KedroSession.create(root) as session:
        catalog = session.load_context().catalog
    raw = {**raw, "study_emotion_map": pd.DataFrame(
        {"Mood": ["unused"], "Valence": [1.0], "Arousal": [1.0]})}
    for name, table in raw.items():
        catalog.save(name, table)


def test_kedro_run_env_dask_writes_what_kedro_run_writes(tmp_path, ratings, tracklist,
                                                          va_params, monkeypatch):
    root = tmp_path / "project"
    source = tmp_path / "population"
    write_population(source)
    monkeypatch.chdir(root.parent)
    workers = []  # per run's tasks: the workers of the cluster they ran on (0: this process)
    active_client = dask_cluster.active_client

    def spied_client():
        client = active_client()
        workers.append(0 if client is None else len(client.scheduler_info()["workers"]))
        return client

    monkeypatch.setattr(dask_cluster, "active_client", spied_client)
    outputs = {}
    try:
        copy_project(root, synthetic_raw(ratings, va_params, tracklist))
        monkeypatch.chdir(root)
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
