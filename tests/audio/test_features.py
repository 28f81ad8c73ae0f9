"""The study's 162 features (STFT once, equal to the study's code): the study162 set."""

import numpy as np
import pytest

from moodrec.audio.features import FEATURE_NAMES, extract_features
from tests.audio.synthetic import tone

SR = 22050


def study_extract_features(data, sample_rate=SR):
    """The study's notebook function, verbatim apart from keyword arguments (librosa 0.10+)."""
    import librosa

    result = np.array([])
    zcr = np.mean(librosa.feature.zero_crossing_rate(y=data).T, axis=0)
    result = np.hstack((result, zcr))
    stft = np.abs(librosa.stft(data))
    chroma_stft = np.mean(librosa.feature.chroma_stft(S=stft, sr=sample_rate).T, axis=0)
    result = np.hstack((result, chroma_stft))
    mfcc = np.mean(librosa.feature.mfcc(y=data, sr=sample_rate).T, axis=0)
    result = np.hstack((result, mfcc))
    rms = np.mean(librosa.feature.rms(y=data).T, axis=0)
    result = np.hstack((result, rms))
    mel = np.mean(librosa.feature.melspectrogram(y=data, sr=sample_rate).T, axis=0)
    return np.hstack((result, mel))


def test_162_named_features():
    assert len(FEATURE_NAMES) == 162 == len(set(FEATURE_NAMES))
    assert extract_features(tone(440.0, 2.5), SR).shape == (162,)


def test_known_values_of_a_pure_tone():
    """A 1 kHz sine of amplitude 0.5: RMS 0.5/sqrt(2), ZCR 2 x 1000 / 22050, chroma peaks at B
    (1 kHz is 16 cents above B5 = 987.8 Hz)."""
    t = np.arange(int(2.5 * SR)) / SR
    features = dict(zip(FEATURE_NAMES, extract_features(0.5 * np.sin(2 * np.pi * 1000 * t), SR),
                        strict=True))
    assert features["rms"] == pytest.approx(0.5 / np.sqrt(2), rel=0.02)
    assert features["zcr"] == pytest.approx(2 * 1000 / SR, rel=0.02)
    chroma = [features[f"chroma_{i:02d}"] for i in range(1, 13)]
    assert int(np.argmax(chroma)) == 11  # C, C#, ..., B
    mel = np.array([features[f"mel_{i:03d}"] for i in range(1, 129)])
    import librosa

    centres = librosa.mel_frequencies(n_mels=128 + 2, fmax=SR / 2)[1:-1]
    assert abs(centres[int(np.argmax(mel))] - 1000) < 60


def test_equal_to_the_studys_three_stft_code():
    signal = tone(330.0, 2.5, seed=3) + 0.2 * tone(1250.0, 2.5, seed=4)
    np.testing.assert_allclose(extract_features(signal, SR), study_extract_features(signal),
                               rtol=1e-5, atol=1e-6)
