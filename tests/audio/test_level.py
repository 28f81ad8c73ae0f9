"""Level normalisation and the speech checks: a voice is read the same at any level; a
sound that is not a voice is refused with its measured figures."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from moodrec.audio.extraction import NotSpeechError, check_speech, voice_features
from moodrec.audio.feature_sets import extract
from moodrec.audio.level import active_level_dbfs, normalise_level, prepare_voice, trim_to_speech
from tests.audio.synthetic import speech_like
from tests.conftest import PROJECT_ROOT

SR = 16000
FEATURES = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_audio_training.yml")
                          .read_text())["audio_training"]["features"]
CHECKS = FEATURES["speech_checks"]


def test_voiced_frames_are_brought_to_the_target_level():
    quiet = speech_like(level_dbfs=-40.0)
    assert active_level_dbfs(normalise_level(quiet, SR, -26.0), SR) == pytest.approx(-26.0,
                                                                                    abs=0.01)
    silence = np.zeros(SR, np.float32)
    assert np.array_equal(normalise_level(silence, SR, -26.0), silence)


@pytest.mark.parametrize("feature_set", ["mfcc_stats", "egemaps"])
def test_a_clip_at_minus_12_and_minus_40_dbfs_gives_the_same_features(feature_set):
    """Stated tolerance: every feature within 1 % of its value (or 1e-6 absolute)."""
    settings = {**FEATURES, "feature_set": feature_set}
    loud, _ = voice_features(speech_like(level_dbfs=-12.0), SR, settings)
    quiet, _ = voice_features(speech_like(level_dbfs=-40.0), SR, settings)
    np.testing.assert_allclose(loud, quiet, rtol=0.01, atol=1e-6)


def test_leading_and_trailing_silence_are_cut():
    voice = speech_like(seconds=2.0)
    padded = np.concatenate([np.zeros(SR), voice, np.zeros(SR)])
    trimmed = trim_to_speech(padded, SR)
    assert voice.size * 0.8 < trimmed.size < voice.size + 0.3 * SR
    settings = {**FEATURES, "feature_set": "mfcc_stats"}
    reference, _ = voice_features(voice, SR, settings)
    with_trim, _ = voice_features(padded, SR, settings)
    without_trim, _ = extract(normalise_level(padded, SR, -26.0), SR, "mfcc_stats")
    assert (np.linalg.norm(with_trim - reference)
            < 0.2 * np.linalg.norm(without_trim - reference))
    assert prepare_voice(padded, SR, -26.0).size == trimmed.size


def test_a_quiet_but_clear_voice_is_speech():
    voice = speech_like(level_dbfs=-45.0)  # peak about -31 dBFS
    assert 20 * np.log10(np.abs(voice).max()) < -30
    check_speech(voice, SR, CHECKS)


t = np.arange(3 * SR) / SR
NOT_SPEECH = {
    "digital silence": (np.zeros(3 * SR), "silent"),
    "hiss at -80 dBFS": (np.random.default_rng(1).normal(scale=1e-4, size=3 * SR), "silent"),
    "0.3 s of speech": (speech_like(seconds=0.3), "too little speech"),
    "220 Hz tone": (0.5 * np.sin(2 * np.pi * 220 * t), "a steady sound, not a voice"),
    "square wave": (0.5 * np.sign(np.sin(2 * np.pi * 220 * t)), "a steady sound, not a voice"),
    "random samples": (np.random.default_rng(0).uniform(-0.9, 0.9, 3 * SR), "noise, not a voice"),
    "beyond full scale": (5 * speech_like(level_dbfs=-12.0), "clipped"),
    "NaN": (np.full(3 * SR, np.nan), "not all finite"),
}


@pytest.mark.parametrize("name", list(NOT_SPEECH))
def test_what_is_not_a_voice_is_refused_with_its_figures(name):
    signal, message = NOT_SPEECH[name]
    with pytest.raises(NotSpeechError, match=message) as err:
        check_speech(np.asarray(signal, np.float32), SR, CHECKS)
    if name != "NaN":
        assert "s voiced at" in str(err.value)  # the measured figures are in the message
