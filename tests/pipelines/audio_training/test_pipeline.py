"""The whole audio_training pipeline through SequentialRunner on synthetic tones (1 epoch)."""

import numpy as np
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from moodrec.audio.datasets import HyperoptTrialsDataset
from moodrec.emotions import EMOTIONS
from moodrec.pipelines.audio_training import create_pipeline


class KeptDataset(MemoryDataset):
    """A MemoryDataset the runner cannot release, so the test can read every output."""

    def _release(self) -> None:
        pass


def test_pipeline_end_to_end_on_tones(tone_clips, params, tmp_path):
    pipeline = create_pipeline()
    catalog = DataCatalog({
        "ravdess_clips": MemoryDataset(tone_clips, copy_mode="assign"),
        "audio_search_checkpoint": HyperoptTrialsDataset(filepath=str(tmp_path / "trials.pkl")),
        "audio_model": KeptDataset(copy_mode="assign"),
        "params:audio_training": MemoryDataset(params),
        "params:audio_training.clips": MemoryDataset(params["clips"]),
        "params:audio_training.features": MemoryDataset(params["features"]),
        "params:audio_training.split": MemoryDataset(params["split"]),
    })
    for name in pipeline.all_outputs():  # intermediate ones too (audio_features ...)
        if name not in catalog:
            catalog[name] = KeptDataset(copy_mode="assign")
    SequentialRunner().run(pipeline, catalog)

    features = catalog.load("audio_features")
    assert len(features) == 12 * 3
    predictions = catalog.load("audio_predictions")
    assert list(predictions.columns) == ["clip_id", *EMOTIONS, "pred_label", "true_label"]
    assert len(predictions) == 3  # actor 4, originals only
    np.testing.assert_allclose(predictions[list(EMOTIONS)].sum(axis=1), 1.0, atol=1e-5)
    metrics = catalog.load("audio_metrics")
    assert metrics["protocol"] == "actor_held_out" and metrics["test"]["n"] == 3
    assert metrics["search"]["trials"] == 2
    study = catalog.load("audio_metrics_study_protocol")
    assert "LEAKY" in study["warning"] and study["test"]["n"] == 9  # 25 % of 36 rows
    scaler = catalog.load("audio_scaler")
    assert len(scaler["mean"]) == len(scaler["feature_names"]) == len(scaler["scale"])
    assert scaler["n_samples"] == 2 * 3 * 3 + 3  # train_val: actors 1-2 x 3 variants + actor 3
    assert (tmp_path / "trials.pkl").is_file()
    for plot in ("audio_confusion_matrix", "audio_confusion_matrix_study_protocol",
                 "audio_training_curves", "audio_search_history"):
        assert catalog.load(plot).axes
