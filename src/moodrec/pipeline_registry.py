"""Project pipelines: every ``pipelines/<name>/`` package is found and registered."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

#: The main job (``kedro run``): emotion points from the prediction tables, then music.
DEFAULT_PIPELINES: tuple[str, ...] = ("va_mapping", "recommendation")


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    ``__default__`` is the main job (:data:`DEFAULT_PIPELINES`). The two training pipelines are
    run by name (they take minutes to hours). Kedro 1.7 loads only the pipelines a command
    names (``kedro run --pipelines face_training``), so ``__default__`` is built only when
    its parts were loaded.
    """
    pipelines = find_pipelines(raise_errors=True)
    if all(name in pipelines for name in DEFAULT_PIPELINES):
        pipelines["__default__"] = sum((pipelines[n] for n in DEFAULT_PIPELINES), Pipeline([]))
    return pipelines
