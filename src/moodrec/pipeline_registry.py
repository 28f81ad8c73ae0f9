"""Project pipelines: every ``pipelines/<name>/`` package is found and registered."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    ``__default__`` is the main job: emotion points from the prediction tables, then music.
    The two training pipelines are run by name (they take minutes to hours).
    """
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = pipelines["va_mapping"] + pipelines["recommendation"]
    return pipelines
