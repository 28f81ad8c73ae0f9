"""Speech activity and level normalisation of a voice signal (numpy only, no I/O).

Why: RAVDESS clips sit around -39 dBFS while other recordings sit at -22 to -30 dBFS; a model
that hears level as emotion collapses onto one class elsewhere. Every signal, in training and
at inference, is brought to the same loudness of its *voiced* frames before any feature is
computed (:func:`normalise_level`). The same frame analysis tells whether a clip holds speech
at all (:func:`speech_activity`): a threshold that follows the clip's own loud frames, not an
absolute level, so a quiet but clear recording is speech; a steady tone (no rise and fall of
syllables) and broadband noise (a flat spectrum) are not. A DC offset is no sound: every
measure and every feature sees the signal less its mean. Measured on real speech under noise,
music, DC and phase faults, and on sounds that are not speech: ``benchmarks/voice_gate.py``
(docs/reliability.md, "The voice gate").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FRAME_SECONDS = 0.025
HOP_SECONDS = 0.010
#: Flatness is measured on the loud frames (within this of the 95th percentile level: the
#: syllables' vowels), where a voice under a noise floor still shows its harmonics; a quiet
#: floor fills the pauses, and measuring them called a voice with a -60 dBFS hiss "noise".
LOUD_DB = 6.0


@dataclass(frozen=True)
class Activity:
    """What the frame analysis found in a clip."""

    seconds: float  # the clip's length
    voiced_seconds: float  # frames judged speech
    active_dbfs: float  # RMS level of the speech frames
    peak: float  # largest absolute sample
    clipped_share: float  # share of samples at or beyond +-0.999
    level_spread_db: float  # spread (sd) of the speech frames' levels (steady tone: ~0)
    spectral_flatness: float  # median over the loud frames (white noise: ~0.56, speech: <0.2)


def frames(signal: np.ndarray, sr: int) -> np.ndarray:
    """Overlapping frames ``(n, size)`` of 25 ms every 10 ms (one frame for short signals)."""
    size, hop = int(FRAME_SECONDS * sr), int(HOP_SECONDS * sr)
    if signal.size <= size:
        return np.asarray(signal, np.float64)[None, :]
    count = 1 + (signal.size - size) // hop
    index = np.arange(size)[None, :] + hop * np.arange(count)[:, None]
    return np.asarray(signal, np.float64)[index]


def _dbfs(power: np.ndarray) -> np.ndarray:
    return 10.0 * np.log10(np.maximum(power, 1e-20))


def _voiced(power: np.ndarray, dynamic_db: float = 35.0, floor_dbfs: float = -75.0
            ) -> np.ndarray:
    """Frames (by their mean power) within ``dynamic_db`` of the clip's loud frames (95th
    percentile of frame levels) and above an absolute ``floor_dbfs`` (digital near-silence)."""
    levels = _dbfs(power)
    loud = np.percentile(levels, 95)
    return (levels >= loud - dynamic_db) & (levels > floor_dbfs)


def centred(signal: np.ndarray) -> np.ndarray:
    """The signal less its mean (float64): a DC offset is not part of the sound."""
    signal = np.asarray(signal, np.float64)
    return signal - signal.mean() if signal.size else signal


def _active_dbfs(framed: np.ndarray, mask: np.ndarray) -> float:
    mean = float(np.mean(framed[mask] ** 2)) if mask.any() else 0.0
    return float(_dbfs(np.array(mean))) if mean > 0 else float("-inf")


def voiced_mask(signal: np.ndarray, sr: int) -> np.ndarray:
    """The frames of ``signal`` that are speech (see :func:`_voiced`)."""
    return _voiced(np.mean(frames(signal, sr) ** 2, axis=1))


def active_level_dbfs(signal: np.ndarray, sr: int) -> float:
    """RMS level of the voiced frames in dBFS (-inf for digital silence)."""
    framed = frames(signal, sr)
    return _active_dbfs(framed, _voiced(np.mean(framed ** 2, axis=1)))


def normalise_level(signal: np.ndarray, sr: int, target_dbfs: float) -> np.ndarray:
    """The signal scaled so that its voiced frames have an RMS of ``target_dbfs`` (float32).

    A gain only, never a compressor: the shape of the signal is untouched. Digital silence is
    returned as is.
    """
    level = active_level_dbfs(signal, sr)
    if not np.isfinite(level):
        return np.asarray(signal, np.float32)
    return (np.asarray(signal, np.float64) * 10 ** ((target_dbfs - level) / 20)).astype(
        np.float32)


def _flatness(framed: np.ndarray) -> float:
    power = np.abs(np.fft.rfft(framed * np.hanning(framed.shape[1]), axis=1)) ** 2 + 1e-20
    return float(np.median(np.exp(np.mean(np.log(power), axis=1)) / np.mean(power, axis=1)))


def speech_activity(signal: np.ndarray, sr: int) -> Activity:
    """Frame statistics of a clip that tell speech from silence, tones, noise and clipping
    (the frames are cut and measured once)."""
    signal = np.asarray(signal, np.float64)
    if not signal.size:
        return Activity(0.0, 0.0, float("-inf"), 0.0, 0.0, 0.0, 1.0)
    framed = frames(centred(signal), sr)
    power = np.mean(framed ** 2, axis=1)
    levels, mask = _dbfs(power), _voiced(power)
    loud = mask & (levels >= np.percentile(levels, 95) - LOUD_DB)
    return Activity(
        seconds=signal.size / sr,
        voiced_seconds=float(mask.sum() * HOP_SECONDS),
        active_dbfs=_active_dbfs(framed, mask),
        peak=float(np.max(np.abs(signal))),
        clipped_share=float(np.mean(np.abs(signal) >= 0.999)),
        level_spread_db=float(np.std(levels[mask])) if mask.any() else 0.0,
        spectral_flatness=_flatness(framed[loud]) if loud.any() else 1.0,
    )


def trim_to_speech(signal: np.ndarray, sr: int, margin_s: float = 0.1) -> np.ndarray:
    """The signal from its first to its last voiced frame (plus ``margin_s``): leading and
    trailing silence do not count as voice."""
    mask = voiced_mask(signal, sr)
    if not mask.any():
        return signal
    hop, size = int(HOP_SECONDS * sr), int(FRAME_SECONDS * sr)
    voiced = np.flatnonzero(mask)
    start = max(0, voiced[0] * hop - int(margin_s * sr))
    end = min(signal.size, voiced[-1] * hop + size + int(margin_s * sr))
    return signal[start:end]


def prepare_voice(signal: np.ndarray, sr: int, target_dbfs: float) -> np.ndarray:
    """What every feature is computed from, in training and at inference: the speech part
    of the clip (less its DC offset) at a fixed loudness of its voiced frames."""
    return normalise_level(trim_to_speech(centred(signal), sr), sr, target_dbfs)
