"""MFCCs and their deltas in numpy, as ``librosa.feature.mfcc`` and ``librosa.feature.delta``
compute them with their defaults (the ``mfcc_stats`` feature set).

Why not librosa itself: importing ``librosa.feature`` and its first call cost ~1.3 s on the
project's 2-core machine (numba, scipy.signal, scipy.stats), which is most of a cold voice
reading; this is the same arithmetic in ~60 lines of numpy. The steps and dtypes follow
librosa 0.11: a periodic Hann window of 2048 samples every 512, the signal zero-padded by
half a window at both ends, the power spectrum, 128 Slaney mel bands from 0 Hz to Nyquist
(Slaney-normalised), decibels (``power_to_db``: floor 1e-10, 80 dB below the peak), an
orthonormal DCT-II; deltas are a least-squares slope over 9 frames (``savgol_filter`` of
order 1, ``mode="interp"``). tests/audio/test_light_features.py compares the result with
librosa's on real clips.
"""

from __future__ import annotations

from functools import cache

import numpy as np

N_FFT, HOP, N_MELS, TOP_DB, AMIN = 2048, 512, 128, 80.0, 1e-10
DELTA_WIDTH = 9


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    """Slaney's mel scale: linear below 1 kHz, logarithmic above."""
    mels = hz / (200.0 / 3)
    log = hz >= 1000.0
    mels[log] = 15.0 + np.log(hz[log] / 1000.0) / (np.log(6.4) / 27.0)
    return mels


def _mel_to_hz(mels: np.ndarray) -> np.ndarray:
    hz = mels * (200.0 / 3)
    log = mels >= 15.0
    hz[log] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mels[log] - 15.0))
    return hz


@cache
def mel_filters(sr: int) -> np.ndarray:
    """``(N_MELS, 1 + N_FFT // 2)`` float32 triangular filters, Slaney-normalised."""
    fft_hz = np.fft.rfftfreq(N_FFT, 1.0 / sr)
    edges = _mel_to_hz(np.linspace(*_hz_to_mel(np.array([0.0, sr / 2.0])), N_MELS + 2))
    ramps = edges[:, None] - fft_hz[None, :]
    widths = np.diff(edges)
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper)).astype(np.float32)
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None].astype(np.float32)


@cache
def _window() -> np.ndarray:
    """The periodic Hann window, computed as ``scipy.signal.get_window("hann", N_FFT)``."""
    return (0.5 + 0.5 * np.cos(np.linspace(-np.pi, np.pi, N_FFT + 1)))[:-1, None]


@cache
def _dct_matrix(n_out: int) -> np.ndarray:
    """Orthonormal DCT-II of ``N_MELS`` values, first ``n_out`` coefficients."""
    k, n = np.arange(n_out)[:, None], np.arange(N_MELS)[None, :]
    matrix = np.sqrt(2.0 / N_MELS) * np.cos(np.pi * k * (2 * n + 1) / (2 * N_MELS))
    matrix[0] /= np.sqrt(2.0)
    return matrix


def power_spectrogram(signal: np.ndarray) -> np.ndarray:
    """``|STFT|**2``, ``(1 + N_FFT // 2, frames)`` float32 (centred, zero-padded frames)."""
    padded = np.pad(np.asarray(signal, np.float32), N_FFT // 2)
    count = 1 + (padded.size - N_FFT) // HOP
    frames = padded[np.arange(N_FFT)[:, None] + HOP * np.arange(count)[None, :]]
    spectrum = np.fft.rfft(_window() * frames, axis=0).astype(np.complex64)
    return np.abs(spectrum) ** 2


def mfcc(signal: np.ndarray, sr: int, n_mfcc: int = 20) -> np.ndarray:
    """``(n_mfcc, frames)`` float32, as ``librosa.feature.mfcc(y=signal, sr=sr, n_mfcc=...)``."""
    mel = mel_filters(sr) @ power_spectrogram(signal)
    db = 10.0 * np.log10(np.maximum(np.float32(AMIN), mel))
    db = np.maximum(db, db.max() - np.float32(TOP_DB))
    return (_dct_matrix(n_mfcc) @ db).astype(np.float32)


def delta(values: np.ndarray) -> np.ndarray:
    """First-order deltas along frames, as ``librosa.feature.delta`` (needs >= 9 frames):
    the least-squares slope of each 9-frame window; the first and last 4 frames take the
    slope of the first and last whole window."""
    half = DELTA_WIDTH // 2
    frames = values.shape[1]
    if frames < DELTA_WIDTH:
        raise ValueError(f"deltas need at least {DELTA_WIDTH} frames; got {frames}")
    offsets = range(-half, half + 1)
    x = np.asarray(values, np.float64)
    slopes = sum(k * x[:, half + k: frames - half + k] for k in offsets) / sum(
        k * k for k in offsets)
    out = np.concatenate([np.repeat(slopes[:, :1], half, axis=1), slopes,
                          np.repeat(slopes[:, -1:], half, axis=1)], axis=1)
    return out.astype(values.dtype)
