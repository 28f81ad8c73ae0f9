"""The person path of ``recommendation``: nodes tagged ``person``.

``kedro run --pipelines recommendation --params face_image=me.jpg,voice_clip=me.wav,goal=uplift``
answers for one person (several photos or clips: ``face_image=a.jpg:b.jpg``, ``os.pathsep``
separated). Without ``face_image``/``voice_clip`` these nodes do nothing (no model is loaded,
nothing is written) and the run is the pipeline's batch mode. ``--tags person`` runs the person
path alone; ``moodrec recommend`` does that.

Why nodes that no-op rather than a separate pipeline: the person path must be reachable as
``--pipelines recommendation`` (the interface users were given), a Kedro pipeline cannot
choose its nodes from runtime parameters, and a node loads all its inputs before it runs.
So the inputs that are costly or may be absent are lazy: the photos and clips are named by
runtime parameters and read when a node calls their loaders (``PersonFilesDataset``), and the
models are :class:`~moodrec.person.datasets.OnDemandDataset` handles that load (and check)
the shipped ``.keras`` files on first use.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node

from moodrec.pipelines.recommendation.person_nodes import (
    check_person_request,
    read_person_face,
    read_person_voice,
    recommend_for_person,
)

PERSON_TAG = "person"
#: Datasets the person path shares with the rest of the pipeline.
EMOTION_POINTS = "emotion_va_points"
RANKING_CATALOGUE = "recommendable_excerpts"


def create_person_pipeline() -> Pipeline:
    return Pipeline(
        [
            node(
                check_person_request,
                inputs=["params:recommendation.person", "person_photos", "person_voice_clips",
                        RANKING_CATALOGUE],
                outputs="person_request",
                name="check_person_request",
            ),
            node(
                read_person_face,
                inputs=["person_request", "person_photos", "person_face_model",
                        "params:recommendation.person"],
                outputs="person_face_reading",
                name="read_person_face",
            ),
            node(
                read_person_voice,
                inputs=["person_request", "person_voice_clips", "person_audio_model",
                        "person_voice_profile", "params:recommendation.person"],
                outputs="person_voice_reading",
                name="read_person_voice",
            ),
            node(
                recommend_for_person,
                inputs=["person_request", "person_face_reading", "person_voice_reading",
                        EMOTION_POINTS, RANKING_CATALOGUE, "params:recommendation.person",
                        "params:recommendation", "params:va_mapping"],
                outputs="person_recommendation",
                name="recommend_for_person",
            ),
        ],
        tags=[PERSON_TAG],
    )
