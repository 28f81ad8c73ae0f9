"""The 162 features (STFT once, equal to the study's code), augmentation, rejected clips."""

import functools

import numpy as np
import pytest
import soundfile

from moodrec.audio.features import (
    FEATURE_NAMES,
    VARIANTS,
    BadClipError,
    augment,
    check_signal,
    clip_features,
    extract_features,
    variant_seed,
)
from moodrec.audio.io import load_audio
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
    assert extract_features(tone(440.0, 2.5)).shape == (162,)


def test_known_values_of_a_pure_tone():
    """A 1 kHz sine of amplitude 0.5: RMS 0.5/sqrt(2), ZCR 2 x 1000 / 22050, chroma peaks at B
    (1 kHz is 16 cents above B5 = 987.8 Hz)."""
    t = np.arange(int(2.5 * SR)) / SR
    features = dict(zip(FEATURE_NAMES, extract_features(0.5 * np.sin(2 * np.pi * 1000 * t)),
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
    np.testing.assert_allclose(extract_features(signal), study_extract_features(signal),
                               rtol=1e-5, atol=1e-6)


def test_augmentation_is_seeded_by_clip_and_variant_not_by_order():
    signal = tone(300.0, 2.5)
    s1 = augment(signal, "noise", np.random.default_rng(variant_seed("a", "noise", 42)))
    s2 = augment(signal, "noise", np.random.default_rng(variant_seed("a", "noise", 42)))
    s3 = augment(signal, "noise", np.random.default_rng(variant_seed("b", "noise", 42)))
    np.testing.assert_array_equal(s1, s2)
    assert not np.array_equal(s1, s3)
    noise = s1 - signal
    assert 0 < np.abs(noise).max() < 0.035 * signal.max() * 5  # 0.035 x U(0,1) x peak, ~N(0,1)


def test_stretch_then_pitch_shift_lengthens_by_the_rate():
    signal = tone(300.0, 2.0)
    out = augment(signal, "stretch_pitch", np.random.default_rng(0))
    assert abs(out.size - signal.size / 0.8) < 2
    with pytest.raises(ValueError, match="unknown augmentation variant"):
        augment(signal, "reverse", np.random.default_rng(0))


def test_shorter_than_the_window_is_kept_too_short_or_silent_is_rejected():
    check_signal(tone(300.0, 2.0))  # shorter than 2.5 s: kept (means over its frames)
    with pytest.raises(BadClipError, match="too short"):
        check_signal(tone(300.0, 0.5))
    with pytest.raises(BadClipError, match="silent"):
        check_signal(np.zeros(SR * 3, np.float32))
    bad = tone(300.0, 2.0)
    bad[10] = np.nan
    with pytest.raises(BadClipError, match="finite"):
        check_signal(bad)


def test_clip_features_rows_per_variant_or_a_reason(tmp_path):
    good = tmp_path / "good.flac"
    soundfile.write(good, tone(300.0, 3.5, sr=48000, channels=2), 48000)
    rows = clip_features(functools.partial(load_audio, good), "good", VARIANTS)
    assert rows.shape == (3, 162) and np.all(np.isfinite(rows))
    again = clip_features(functools.partial(load_audio, good), "good", VARIANTS)
    np.testing.assert_array_equal(rows, again)
    silent = tmp_path / "silent.wav"
    soundfile.write(silent, np.zeros(SR * 4, np.float32), SR)
    assert "silent" in clip_features(functools.partial(load_audio, silent), "silent")
    short = tmp_path / "short.wav"
    soundfile.write(short, tone(300.0, 1.0), SR)  # 0.4 s after the 0.6 s offset
    assert "too short" in clip_features(functools.partial(load_audio, short), "short")
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF nonsense")
    assert "broken.wav" in clip_features(functools.partial(load_audio, broken), "broken")
