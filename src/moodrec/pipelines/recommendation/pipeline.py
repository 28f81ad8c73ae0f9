"""``recommendation``: persons' points -> the k most similar items of the catalogue (README.md).

Ranks excerpts for every row of the prediction tables (the batch job). One person's answer is
the ``person`` pipeline, which ranks with the same core function.
"""

from kedro.pipeline import Node, Pipeline

from moodrec.pipelines.recommendation.nodes import (
    recommend,
    recommendation_metrics,
)


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=recommend,
                inputs=["person_va_points", "recommendable_excerpts", "params:recommendation"],
                outputs="recommendations",
                name="recommend_items",
            ),
            Node(
                func=recommendation_metrics,
                inputs=["person_va_points", "recommendable_excerpts", "emotion_va_points",
                        "params:recommendation"],
                outputs="recommendation_metrics",
                name="measure_recommendations",
            ),
        ]
    )
