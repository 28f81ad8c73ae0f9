"""The voice features without their heavy libraries give librosa's and openSMILE's numbers.

Resampling (soxr directly), openSMILE (its C library directly) and MFCCs (numpy) replace
``librosa.resample``, ``opensmile.Smile`` and ``librosa.feature.mfcc/delta`` to cut ~2 s of
imports and first-call compilation from a cold voice reading; on real RAVDESS clips the
first two are bit-identical, the MFCCs equal to float32 rounding, and the shipped voice
model's probabilities do not move.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import soundfile

from moodrec.audio import mfcc as cepstra
from moodrec.audio import smile
from moodrec.audio.io import load_audio, resample
from moodrec.audio.level import prepare_voice
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.real_data
RATE, TARGET_DBFS = 16000, -26.0


@pytest.fixture(scope="module")
def clips(shared_data):
    """Every 60th RAVDESS clip (24 clips, every actor's voice range), as read for the model."""
    paths = sorted((shared_data / "ravdess").rglob("*.flac"))[::60]
    assert len(paths) >= 20
    return {path.name: load_audio(path, sr=RATE) for path in paths}


def test_resampling_is_librosas_sample_for_sample(shared_data):
    import librosa

    for path in sorted((shared_data / "ravdess").rglob("*.flac"))[::180]:
        native, rate = soundfile.read(path, dtype="float32")
        for sr in (RATE, 22050):
            ours = resample(native, rate, sr)
            theirs = librosa.resample(native, orig_sr=rate, target_sr=sr, res_type="soxr_hq")
            assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs), (path.name, sr)


def test_opensmile_functionals_are_the_packages_to_the_bit(clips):
    import opensmile

    reference = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                                feature_level=opensmile.FeatureLevel.Functionals)
    for name, signal in clips.items():
        table = reference.process_signal(signal, RATE)
        assert list(table.columns) == list(smile.feature_names("eGeMAPSv02"))
        assert np.array_equal(table.to_numpy()[0], smile.functionals(signal, RATE, "eGeMAPSv02"),
                              equal_nan=True), name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # opensmile: "Segment too short"
        short = reference.process_signal(np.zeros(100, np.float32), RATE).to_numpy()[0]
    assert np.all(np.isnan(short))
    assert np.all(np.isnan(smile.functionals(np.zeros(100, np.float32), RATE, "eGeMAPSv02")))
    with pytest.raises(ValueError, match="unknown openSMILE feature set 'GeMAPS'"):
        smile.functionals(np.zeros(100, np.float32), RATE, "GeMAPS")


def test_mfccs_and_deltas_are_librosas_to_float32_rounding(clips):
    import librosa

    for name, signal in clips.items():
        prepared = prepare_voice(signal, RATE, TARGET_DBFS)
        theirs = librosa.feature.mfcc(y=prepared, sr=RATE, n_mfcc=20)
        ours = cepstra.mfcc(prepared, RATE)
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=2e-4, err_msg=name)  # dB, +-600
        np.testing.assert_allclose(cepstra.delta(theirs), librosa.feature.delta(theirs),
                                   rtol=0, atol=1e-4, err_msg=name)
    with pytest.raises(ValueError, match="at least 9 frames; got 8"):
        cepstra.delta(np.zeros((20, 8), np.float32))


def test_the_shipped_voice_model_reads_the_same_probabilities(clips):
    """Features through the light code vs. through librosa and the opensmile package:
    the shipped model's probabilities agree to 1e-6."""
    import joblib
    import librosa
    import opensmile

    model = joblib.load(PROJECT_ROOT / "models" / "audio" / "voice_model.pkl")
    parts = model.settings["feature_set"].split("+")
    assert parts[0] == "egemaps" and set(parts) <= {"egemaps", "mfcc_stats"}
    reference = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                                feature_level=opensmile.FeatureLevel.Functionals)
    for name, signal in list(clips.items())[::3]:
        prepared = prepare_voice(signal, RATE, model.settings["target_dbfs"])
        mfcc = librosa.feature.mfcc(y=prepared, sr=RATE, n_mfcc=20)
        delta = librosa.feature.delta(mfcc)
        heavy = np.concatenate([
            reference.process_signal(prepared, RATE).to_numpy(np.float64)[0],
            np.hstack([mfcc.mean(1), mfcc.std(1), delta.mean(1), delta.std(1)]).astype(float)
            if "mfcc_stats" in parts else np.zeros(0)])
        light = model.features(signal)
        np.testing.assert_allclose(model.read_features(light[None]),
                                   model.read_features(heavy[None]), rtol=0, atol=1e-6,
                                   err_msg=name)
