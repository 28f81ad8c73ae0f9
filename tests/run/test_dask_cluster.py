"""The ``dask`` environment's cluster settings: conf/dask/dask.yml as shipped, each bad value
named by its key, and no cluster in an environment without a dask.yml."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from kedro.config import OmegaConfigLoader

from moodrec.run.dask_cluster import DaskCluster, DaskSettingsError, cluster_settings
from tests.conftest import PROJECT_ROOT

PATTERNS = {"dask": ["dask*", "dask*/**"]}


def loader(env: str, **runtime: object) -> OmegaConfigLoader:
    return OmegaConfigLoader(str(PROJECT_ROOT / "conf"), base_env="base", default_run_env=env,
                             config_patterns=PATTERNS, runtime_params=runtime)


def test_the_dask_environment_starts_two_worker_processes_or_names_a_scheduler():
    assert cluster_settings(loader("dask")["dask"]).model_dump() == {
        "address": None, "n_workers": 2, "threads_per_worker": 1, "processes": True,
        "memory_limit": "4GiB"}
    given = cluster_settings(loader("dask", dask_address="tcp://10.0.0.5:8786",
                                    dask_workers=4)["dask"])
    assert (given.address, given.n_workers) == ("tcp://10.0.0.5:8786", 4)


@pytest.mark.parametrize("change, key", [
    ({"n_workers": 0}, "n_workers"),
    ({"threads_per_worker": "2"}, "threads_per_worker"),
    ({"processes": "yes"}, "processes"),
    ({"address": ""}, "address"),
    ({"workers": 2}, "workers"),
])
def test_a_bad_setting_is_named(change, key):
    settings = {**loader("dask")["dask"]["cluster"], **change}
    with pytest.raises(DaskSettingsError, match=rf"\b{key}\b"):
        cluster_settings({"cluster": settings})


def test_without_a_dask_yml_nothing_is_started():
    hook = DaskCluster()
    hook.after_context_created(SimpleNamespace(config_loader=loader("local")))
    hook.before_pipeline_run(None, None, None)
    assert hook.settings is None and hook.client is None
