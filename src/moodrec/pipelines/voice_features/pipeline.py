"""``voice_features``: every clip of a folder -> one table of voice features (README.md).
``--env dask`` runs it on a Dask cluster."""

from kedro.pipeline import Node, Pipeline

from moodrec.pipelines.voice_features.nodes import extract_voice_features


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=extract_voice_features,
                inputs=["voice_feature_clips", "params:audio_training", "params:voice_features"],
                outputs=["voice_feature_table", "voice_feature_refusals"],
                name="extract_folder_voice_features",
            ),
        ]
    )
