"""Project pipelines: every ``pipelines/<name>/`` package is found and registered."""

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

#: What the person's answer is; ``person`` runs the nodes that lead to it.
PERSON_ANSWER = "person_recommendation"


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines, composed here (pipeline packages never import each
    other; they meet only through catalog datasets).

    * ``recommendation`` includes the ``va_mapping`` nodes it reads from, so that
      ``kedro run --pipeline recommendation`` works straight after fetching the data (mapping
      is a second's work); ``__default__`` (``kedro run``, the main job) is that batch job.
    * ``person`` includes the few upstream nodes that make the emotion points and the ranked
      excerpts from the raw soundtrack files (not the batch tables), so a person can ask right
      after fetching the data; the models are the training pipelines' outputs.
    * ``population`` likewise includes the nodes that make the emotion points and the ranked
      excerpts, so ``kedro run --pipelines population --params population=<folder>`` (with
      ``--env dask`` on a Dask cluster) works straight after fetching the data.
    * ``all`` (when every pipeline is loaded, as ``kedro viz`` does): the whole lineage, from
      the training data to a person's answer.

    Kedro 1.7 loads only the packages a command names (``kedro run --pipelines
    face_training``); the packages that ``recommendation``, ``person`` and ``population`` are
    made of are light and always built.
    """
    from moodrec.pipelines import person, population, recommendation, va_mapping

    pipelines = find_pipelines(raise_errors=True)
    batch = va_mapping.create_pipeline() + recommendation.create_pipeline()
    pipelines.update(recommendation=batch, __default__=batch,
                     person=person_pipeline(batch, person.create_pipeline()),
                     population=(batch + population.create_pipeline()).to_outputs(
                         "population_recommendations"))
    if {"face_training", "audio_training"} <= pipelines.keys():
        pipelines["all"] = sum((p for name, p in pipelines.items() if name != "__default__"),
                               Pipeline([]))
    return pipelines


def person_pipeline(batch: Pipeline, person: Pipeline) -> Pipeline:
    """``person`` with the nodes of the batch pipelines that lead to its answer (also what
    :mod:`moodrec.app.service` runs, without importing the training pipelines)."""
    return (batch + person).to_outputs(PERSON_ANSWER)
