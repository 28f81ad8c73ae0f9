"""``va_mapping``: the music catalogues in one schema, and emotion probabilities -> (valence,
arousal) points (see README.md). Every catalogue is prepared by its own node (small files);
the run's ``catalogue`` parameter picks the items ranked (``recommendable_excerpts``)."""

from kedro.pipeline import Node, Pipeline

from moodrec.pipelines.va_mapping.catalogues import (
    choose_catalogue,
    for_catalogue,
    prepare_pmemo,
    prepare_songs1000,
    prepare_soundtracks,
)
from moodrec.pipelines.va_mapping.nodes import emotion_points, map_predictions
from moodrec.pipelines.va_mapping.plot import va_plane_figure

SOUNDTRACK_SETS = ("soundtracks_set1", "soundtracks_set2")
#: Every catalogue's items, by name (the values the ``catalogue`` parameter may take).
ITEMS = {name: f"{name}.items" for name in (*SOUNDTRACK_SETS, "pmemo", "songs1000")}


def create_pipeline(**kwargs) -> Pipeline:
    prepare = [
        Node(func=for_catalogue(prepare_soundtracks, name),
             inputs=[f"{name}.ratings", f"{name}.tracklist", "params:va_mapping"],
             outputs=ITEMS[name], name=f"prepare_{name}")
        for name in SOUNDTRACK_SETS
    ]
    prepare += [
        Node(func=for_catalogue(prepare_pmemo, "pmemo"),
             inputs=["pmemo.songs", "params:va_mapping"], outputs=ITEMS["pmemo"],
             name="prepare_pmemo"),
        Node(func=for_catalogue(prepare_songs1000, "songs1000"),
             inputs=["songs1000.annotations", "songs1000.info", "params:va_mapping"],
             outputs=ITEMS["songs1000"], name="prepare_songs1000"),
    ]
    return Pipeline(
        [
            *prepare,
            Node(
                func=choose_catalogue,
                inputs={"params": "params:va_mapping", **ITEMS},
                outputs="recommendable_excerpts",
                name="choose_catalogue",
            ),
            Node(
                func=emotion_points,
                inputs={"params": "params:va_mapping", "study_map": "study_emotion_map",
                        **ITEMS},
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
                inputs=["recommendable_excerpts", "emotion_va_points", "person_va_points",
                        "params:va_mapping"],
                outputs="va_plane_plot",
                name="plot_va_plane",
            ),
        ]
    )
