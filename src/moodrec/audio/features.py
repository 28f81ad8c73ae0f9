"""The study's 162 voice features (the ``study162`` feature set, kept for parity).

Features (means over frames; librosa defaults: ``n_fft=2048``, ``hop_length=512``):
zero-crossing rate (1), chroma STFT (12), MFCC (20), RMS (1), mel spectrogram (128).
The magnitude STFT is computed once and shared by chroma, mel spectrogram and MFCC (the study
computed it three times); ZCR and RMS are time-domain, as in the study. The values equal the
study's ``extract_features`` to float precision (see the tests). Its mel means learn the
recording as much as the voice, which is why the search may choose other sets.
"""

from __future__ import annotations

import numpy as np

#: The 162 feature names, in the study's order.
FEATURE_NAMES: tuple[str, ...] = (
    ("zcr",)
    + tuple(f"chroma_{i:02d}" for i in range(1, 13))
    + tuple(f"mfcc_{i:02d}" for i in range(1, 21))
    + ("rms",)
    + tuple(f"mel_{i:03d}" for i in range(1, 129))
)


def extract_features(signal: np.ndarray, sr: int) -> np.ndarray:
    """The 162 features of a mono signal (float64), STFT computed once."""
    import librosa

    y = np.asarray(signal, dtype=np.float32)
    magnitude = np.abs(librosa.stft(y))
    zcr = librosa.feature.zero_crossing_rate(y=y).mean(axis=1)
    chroma = librosa.feature.chroma_stft(S=magnitude, sr=sr).mean(axis=1)
    mel = librosa.feature.melspectrogram(S=magnitude**2, sr=sr)
    mfcc = librosa.feature.mfcc(S=librosa.power_to_db(mel), sr=sr, n_mfcc=20).mean(axis=1)
    rms = librosa.feature.rms(y=y).mean(axis=1)
    return np.hstack([zcr, chroma, mfcc, rms, mel.mean(axis=1)]).astype(np.float64)
