"""Project pipelines: every ``pipelines/<name>/`` package is found and registered."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

from moodrec.pipelines.va_mapping import create_pipeline as create_va_mapping


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    ``recommendation`` includes the ``va_mapping`` nodes it reads from, so that
    ``kedro run --pipeline recommendation`` works straight after fetching the data (mapping is
    a second's work); ``__default__`` (``kedro run``, the main job) is that pipeline. The two
    training pipelines are run by name. Kedro 1.7 loads only the pipelines a command names
    (``kedro run --pipelines face_training``), so entries are built only when loaded.
    """
    pipelines = find_pipelines(raise_errors=True)
    if "recommendation" in pipelines:
        pipelines["recommendation"] = create_va_mapping() + pipelines["recommendation"]
        pipelines["__default__"] = pipelines["recommendation"]
    return pipelines
