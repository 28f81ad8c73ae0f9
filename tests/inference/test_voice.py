"""The exported voice model reads real clips as the pickled scikit-learn model does."""

from __future__ import annotations

import numpy as np
import pytest

from moodrec.audio.voice_reader import VoiceProfile
from moodrec.inference.voice import OnnxVoiceModel
from tests.inference.conftest import MODELS, VOICE_ONNX


@pytest.fixture(scope="module")
def shipped():
    import joblib

    return joblib.load(MODELS / "audio" / "voice_model.pkl"), OnnxVoiceModel(VOICE_ONNX)


def test_the_export_carries_the_models_settings(shipped):
    heavy, light = shipped
    assert light.settings == heavy.settings
    assert light.feature_names == list(heavy.feature_names)
    assert light.temperature == heavy.temperature and light.sample_rate == 16000


@pytest.mark.real_data
def test_same_probabilities_on_real_clips_plain_and_calibrated(shipped, ravdess_signals):
    heavy, light = shipped
    features = np.vstack([heavy.features(s) for s in ravdess_signals.values()])
    np.testing.assert_array_equal(light.features(next(iter(ravdess_signals.values()))),
                                  features[0])
    np.testing.assert_allclose(light.read_features(features), heavy.read_features(features),
                               rtol=0, atol=1e-4)
    # A person's calibration: the speaker-relative classifier, on another actor's mean voice.
    profile = VoiceProfile(heavy.settings["feature_set"], list(heavy.feature_names),
                           features[::2].mean(axis=0).tolist(), 3.0)
    np.testing.assert_allclose(light.read_features(features, profile),
                               heavy.read_features(features, profile), rtol=0, atol=1e-4)
    name, signal = next(iter(ravdess_signals.items()))
    np.testing.assert_allclose(light.read(signal), heavy.read(signal), rtol=0, atol=1e-4,
                               err_msg=name)


def test_export_of_a_model_that_knows_only_some_classes(tmp_path):
    """A logistic regression trained on three emotions: the export keeps its class order
    and the light reader puts zeros where the other three emotions are."""
    from moodrec.audio import voice_model as vm
    from moodrec.audio.voice_reader import VoiceModel
    from moodrec.datasets.onnx import OnnxVoiceModelDataset
    from moodrec.inference.export import voice_to_onnx
    from tests.audio.voice_tables import voice_table

    table = voice_table(actors=3, features=5)
    table = table[table["label"].isin(["fear", "sadness", "neutral"])]
    config = {"feature_set": "mfcc_stats", "family": "logreg", "C": 1.0, "balance": "none"}
    names = vm.feature_columns(table, "mfcc_stats")
    heavy = VoiceModel(vm.fit(table, config, 0, "neutral"),
                       vm.fit(table, {**config, "speaker_relative": True}, 0, "neutral"),
                       {"sample_rate": 16000, "target_dbfs": -26.0, "speech_checks": {},
                        "feature_set": "mfcc_stats"}, names, 1.3)
    dataset = OnnxVoiceModelDataset(str(tmp_path / "voice.onnx"))
    dataset.save(voice_to_onnx(heavy))
    light = dataset.load()
    x = table[names].to_numpy(float)
    got = light.read_features(x)
    np.testing.assert_allclose(got, heavy.read_features(x), rtol=0, atol=1e-5)
    assert np.all(got[:, [0, 2, 4]] < 1e-9)  # anger, happiness, surprise: never trained
