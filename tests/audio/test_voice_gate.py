"""The voice gate on real speech under ordinary recording faults (issue 19): a quiet noise
floor, a DC offset and out-of-phase stereo are read; noise and steady tones are still refused.
The rates over many clips and conditions: ``benchmarks/voice_gate.py``."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile
import yaml

from moodrec.audio.extraction import NotSpeechError, check_speech, voice_features
from moodrec.audio.io import load_audio
from tests.conftest import PROJECT_ROOT

SR = 16000
FEATURES = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_audio_training.yml")
                          .read_text())["audio_training"]["features"]
CHECKS = FEATURES["speech_checks"]
CLIPS = ["ravdess/Actor_01/03-01-05-01-01-01-01.flac", "emodb/03a01Fa.flac",
         "emovo/f1/dis-f1-b1.flac", "urdu/Sad/SF10_F1_S01.flac"]


@pytest.fixture(params=CLIPS, ids=lambda c: c.split("/")[0])
def speech(request, shared_data) -> np.ndarray:
    return load_audio(shared_data / request.param, sr=SR).astype(np.float64)


def test_speech_under_a_minus_60_dbfs_noise_floor_is_read(speech):
    noisy = speech + np.random.default_rng(0).normal(scale=10 ** (-60 / 20), size=speech.size)
    check_speech(noisy.astype(np.float32), SR, CHECKS)


def test_speech_with_a_dc_offset_is_read_as_without_it(speech):
    check_speech((speech + 0.1).astype(np.float32), SR, CHECKS)
    settings = {**FEATURES, "feature_set": "mfcc_stats"}
    clean, _ = voice_features(speech.astype(np.float32), SR, settings)
    offset, _ = voice_features((speech + 0.1).astype(np.float32), SR, settings)
    np.testing.assert_allclose(offset, clean, rtol=1e-3, atol=1e-3)


def test_out_of_phase_stereo_is_read_like_the_mono_clip(speech, tmp_path):
    path = tmp_path / "stereo.wav"
    soundfile.write(path, np.stack([speech, -0.9 * speech], axis=1), SR, subtype="FLOAT")
    loaded = load_audio(path, sr=SR)
    check_speech(loaded, SR, CHECKS)
    np.testing.assert_allclose(loaded, 0.95 * speech, atol=1e-6)


def test_in_phase_stereo_is_the_mean_of_its_channels(tmp_path):
    rng = np.random.default_rng(3)
    left = rng.normal(scale=0.1, size=SR)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, np.stack([left, 0.5 * left + 0.01 * rng.normal(size=SR)], axis=1),
                    SR, subtype="FLOAT")
    samples = soundfile.read(path, dtype="float32")[0]
    np.testing.assert_array_equal(load_audio(path, sr=SR),
                                  samples.mean(axis=1, dtype=np.float32))


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.normal(size=n))
    pink = np.fft.irfft(spectrum / np.sqrt(np.maximum(np.arange(spectrum.size), 1)), n=n)
    return pink / pink.std()


t = np.arange(4 * SR) / SR
NOT_SPEECH = {
    "white noise -20 dBFS": np.random.default_rng(1).normal(scale=0.1, size=t.size),
    "white noise -50 dBFS": np.random.default_rng(2).normal(scale=10 ** (-50 / 20), size=t.size),
    "pink noise": 0.05 * _pink(t.size, np.random.default_rng(3)),
    "steady tone": 0.1 * np.sin(2 * np.pi * 440 * t),
    "mains hum": sum(0.05 * np.sin(2 * np.pi * 50 * h * t) / h for h in (1, 2, 3)),
    "DC level": 0.1 + np.random.default_rng(4).normal(scale=1e-4, size=t.size),
}


@pytest.mark.parametrize("name", list(NOT_SPEECH))
def test_noise_and_steady_tones_are_still_refused(name):
    with pytest.raises(NotSpeechError):
        check_speech(NOT_SPEECH[name].astype(np.float32), SR, CHECKS)
