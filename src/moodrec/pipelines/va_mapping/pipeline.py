"""``va_mapping``: emotion probabilities -> (valence, arousal) points (see README.md)."""

from kedro.pipeline import Node, Pipeline

from moodrec.pipelines.va_mapping.nodes import (
    emotion_points,
    map_predictions,
    prepare_catalogue,
)
from moodrec.pipelines.va_mapping.plot import va_plane_figure


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=prepare_catalogue,
                inputs=["soundtrack_ratings", "params:va_mapping"],
                outputs="soundtrack_catalogue",
                name="prepare_catalogue",
            ),
            Node(
                func=emotion_points,
                inputs=["soundtrack_catalogue", "study_emotion_map", "params:va_mapping"],
                outputs="emotion_va_points",
                name="derive_emotion_points",
            ),
            Node(
                func=map_predictions,
                inputs=[
                    "face_predictions_for_mapping",
                    "audio_predictions_for_mapping",
                    "emotion_va_points",
                    "params:va_mapping",
                ],
                outputs="person_va_points",
                name="map_predictions_to_va",
            ),
            Node(
                func=va_plane_figure,
                inputs=["soundtrack_catalogue", "emotion_va_points", "person_va_points",
                        "params:va_mapping"],
                outputs="va_plane_plot",
                name="plot_va_plane",
            ),
        ]
    )
