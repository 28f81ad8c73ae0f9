"""Project settings (https://docs.kedro.org/en/stable/kedro_project_setup/settings.html)."""

from moodrec.run.conf_files import CheckedConfigLoader

# Kedro's OmegaConfigLoader, the files checked first (a bad one named with its line).
CONFIG_LOADER_CLASS = CheckedConfigLoader
CONFIG_LOADER_ARGS = {
    "base_env": "base",
    "default_run_env": "local",
    # conf/<env>/dask.yml: the Dask cluster of `kedro run --env dask` (moodrec.run.dask_cluster)
    "config_patterns": {"dask": ["dask*", "dask*/**"]},
}

from moodrec.run.dask_cluster import DaskCluster  # noqa: E402
from moodrec.run.hooks import InputFilesCheck, InputFilesOnError, RunChoicesCheck  # noqa: E402

# Hooks of one kind run last-listed first: the input files are checked before a cluster starts.
HOOKS = (DaskCluster(), InputFilesOnError(), RunChoicesCheck(), InputFilesCheck())
