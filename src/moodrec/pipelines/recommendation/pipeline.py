"""``recommendation``: persons' points -> the k most similar soundtrack excerpts (README.md).

Batch mode (the nodes below) ranks excerpts for every row of the prediction tables. The person
path (:func:`.person_pipeline.create_person_pipeline`, nodes tagged ``person``) answers for one
person when ``face_image``/``voice_clip`` are given (``--params face_image=me.jpg``); without
them its nodes do nothing, so a plain run is batch mode, unchanged (docs/person.md).
"""

from kedro.pipeline import Node, Pipeline

from moodrec.pipelines.recommendation.nodes import (
    recommend,
    recommendable_excerpts,
    recommendation_metrics,
)
from moodrec.pipelines.recommendation.person_pipeline import create_person_pipeline


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=recommendable_excerpts,
                inputs=["soundtrack_catalogue", "soundtrack_tracklist", "params:recommendation"],
                outputs="recommendable_excerpts",
                name="join_track_list",
            ),
            Node(
                func=recommend,
                inputs=["person_va_points", "recommendable_excerpts", "params:recommendation"],
                outputs="recommendations",
                name="recommend_excerpts",
            ),
            Node(
                func=recommendation_metrics,
                inputs=["person_va_points", "recommendable_excerpts", "emotion_va_points",
                        "params:recommendation"],
                outputs="recommendation_metrics",
                name="measure_recommendations",
            ),
        ]
    ) + create_person_pipeline()
