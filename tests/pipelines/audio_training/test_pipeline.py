"""The whole audio_training pipeline through SequentialRunner on synthetic voices."""

import numpy as np
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from moodrec.audio.voice_reader import VoiceModel
from moodrec.core.emotions import EMOTIONS
from moodrec.datasets.audio import HyperoptTrialsDataset
from moodrec.pipelines.audio_training import create_pipeline
from tests.audio.synthetic import speech_like


class KeptDataset(MemoryDataset):
    """A MemoryDataset the runner cannot release, so the test can read every output."""

    def _release(self) -> None:
        pass


def test_pipeline_end_to_end_on_synthetic_voices(voice_clips, params, tmp_path):
    pipeline = create_pipeline()
    catalog = DataCatalog({
        "voice_corpora_clips": MemoryDataset(voice_clips, copy_mode="assign"),
        "audio_search_checkpoint": HyperoptTrialsDataset(filepath=str(tmp_path / "trials.pkl")),
        "params:audio_training": MemoryDataset(params),
        "params:audio_training.corpora": MemoryDataset(params["corpora"]),
        "params:audio_training.clips": MemoryDataset(params["clips"]),
        "params:audio_training.features": MemoryDataset(params["features"]),
    })
    for name in pipeline.all_outputs():  # intermediate ones too (audio_features ...)
        if name not in catalog:
            catalog[name] = KeptDataset(copy_mode="assign")
    SequentialRunner().run(pipeline, catalog)

    features = catalog.load("audio_features")
    assert len(features) == 30 * 2
    oof = catalog.load("audio_cv_predictions")
    assert len(oof) == 30 and set(oof["clip_id"]) == set(features["clip_id"])
    metrics = catalog.load("audio_metrics")
    assert len(metrics["folds"]) == 2 and {c["corpus"] for c in metrics["corpora"]} == {
        "ravdess", "emodb"}
    loco = catalog.load("audio_metrics_loco")
    assert [g["held_out"] for g in loco["held_outs"]] == ["emodb", "ravdess"]
    assert 0 < loco["temperature"]
    assert abs(sum(loco["pooled"]["prediction_share"].values()) - 1) < 1e-9
    table = catalog.load("audio_loco_predictions")
    assert list(table.columns) == ["corpus", "speaker", "file", "emotion", *EMOTIONS]
    assert len(table) == 30
    assert all(f.startswith(f"{c}/") for f, c in zip(table["file"], table["corpus"], strict=True))
    np.testing.assert_allclose(table[list(EMOTIONS)].sum(axis=1), 1.0, atol=1e-6)
    predictions = catalog.load("audio_predictions")
    assert list(predictions.columns) == [*EMOTIONS, "pred_label", "true_label"]
    assert len(predictions) == 6  # ravdess:04: 3 emotions x 2 statements, originals only
    np.testing.assert_allclose(predictions[list(EMOTIONS)].sum(axis=1), 1.0, atol=1e-6)
    study = catalog.load("audio_metrics_study_protocol")
    assert "LEAKY" in study["protocol"] and study["n"] == 15  # 25 % of 60 rows
    robustness = catalog.load("audio_robustness")
    assert list(robustness["condition"]) == ["as recorded", "noise 10 dB SNR"]
    assert (robustness["clips"] == 6).all()
    assert {"accuracy_with_calibration", "accuracy_without_calibration"} <= set(
        catalog.load("audio_calibration_metrics"))
    model = catalog.load("audio_model")
    assert isinstance(model, VoiceModel) and model.feature_names == list(features.columns[7:])
    p = model.read(speech_like())
    assert p.shape == (6,) and abs(p.sum() - 1) < 1e-9
    card = catalog.load("audio_model_card")
    assert "Leave one corpus out (headline)" in card and "leaky" in card
    assert "**Training data**: emodb, ravdess: 30" in card
    for plot in ("audio_confusion_matrix", "audio_robustness_plot", "audio_search_history"):
        assert catalog.load(plot).axes
