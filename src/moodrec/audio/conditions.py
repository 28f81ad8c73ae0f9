"""Recording conditions: the changes another microphone, room or line makes to a clip.

One set of seeded numpy/scipy transforms serves two jobs: training augmentation (random
conditions, so the model does not learn RAVDESS's studio) and the robustness suite (each
condition applied to held-out actors' clips). A condition is a name and its settings, e.g.
``{"kind": "noise", "snr_db": 10}``; :func:`apply` turns a signal into the recorded one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import signal as sps


def gain(signal: np.ndarray, sr: int, rng: np.random.Generator, *, dbfs: float) -> np.ndarray:
    """The clip played at ``dbfs`` RMS (whole-clip level), clipped to +-1 like a recorder."""
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64))))
    if rms == 0:
        return signal
    return np.clip(signal * (10 ** (dbfs / 20) / rms), -1.0, 1.0)


def noise(signal: np.ndarray, sr: int, rng: np.random.Generator, *, snr_db: float
          ) -> np.ndarray:
    """Additive pink-ish (1/f) noise at ``snr_db`` below the clip's RMS."""
    white = rng.normal(size=signal.size)
    spectrum = np.fft.rfft(white)
    spectrum /= np.sqrt(np.maximum(np.arange(spectrum.size), 1))
    coloured = np.fft.irfft(spectrum, n=signal.size)
    power = np.mean(np.square(signal, dtype=np.float64))
    coloured *= np.sqrt(power / max(np.mean(coloured ** 2), 1e-20) / 10 ** (snr_db / 10))
    return signal + coloured


def reverb(signal: np.ndarray, sr: int, rng: np.random.Generator, *, rt60_s: float,
           wet: float = 0.5) -> np.ndarray:
    """A room: convolution with a synthetic impulse response (exponentially decaying noise
    reaching -60 dB after ``rt60_s``), mixed ``wet`` with the direct sound."""
    length = int(rt60_s * sr)
    t = np.arange(length) / sr
    response = rng.normal(size=length) * np.exp(-6.9 * t / rt60_s)
    response /= np.sqrt(np.sum(response ** 2))
    wet_signal = sps.fftconvolve(signal, response)[: signal.size]
    return (1 - wet) * signal + wet * wet_signal


def band(signal: np.ndarray, sr: int, rng: np.random.Generator, *, low_hz: float,
         high_hz: float) -> np.ndarray:
    """A band-limited line (telephone: 300-3,400 Hz), 4th-order Butterworth band-pass."""
    high = min(high_hz, 0.45 * sr)
    sos = sps.butter(4, [low_hz, high], btype="bandpass", fs=sr, output="sos")
    return sps.sosfilt(sos, signal)


def resample(signal: np.ndarray, sr: int, rng: np.random.Generator, *, rate: int
             ) -> np.ndarray:
    """Recorded at ``rate`` Hz and brought back to ``sr`` (what a low-rate file loses)."""
    down = sps.resample_poly(signal, rate, sr)
    return sps.resample_poly(down, sr, rate)[: signal.size]


def silence(signal: np.ndarray, sr: int, rng: np.random.Generator, *, seconds: float
            ) -> np.ndarray:
    """Leading and trailing near-silence (a faint noise floor) of ``seconds`` each."""
    pad = rng.normal(scale=1e-4, size=int(seconds * sr))
    return np.concatenate([pad, signal, pad[::-1]])


def pitch_tempo(signal: np.ndarray, sr: int, rng: np.random.Generator, *, semitones: float,
                rate: float) -> np.ndarray:
    """Another voice: pitch shifted by ``semitones`` and tempo changed by ``rate``."""
    import librosa

    stretched = librosa.effects.time_stretch(np.asarray(signal, np.float32), rate=rate)
    return librosa.effects.pitch_shift(stretched, sr=sr, n_steps=semitones)


def as_recorded(signal: np.ndarray, sr: int, rng: np.random.Generator) -> np.ndarray:
    """No change (the reference condition of the robustness suite)."""
    return signal


KINDS = {"none": as_recorded, "gain": gain, "noise": noise, "reverb": reverb, "band": band,
         "resample": resample, "silence": silence, "pitch_tempo": pitch_tempo}


def apply(signal: np.ndarray, sr: int, condition: Mapping[str, Any],
          rng: np.random.Generator) -> np.ndarray:
    """``signal`` under ``condition`` (``{"kind": ..., **settings}``), float32."""
    settings = dict(condition)
    kind = settings.pop("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown recording condition {kind!r}; expected one of "
                         f"{', '.join(KINDS)}")
    return np.asarray(KINDS[kind](np.asarray(signal, np.float64), sr, rng, **settings),
                      np.float32)


def random_condition(rng: np.random.Generator, ranges: Mapping[str, Any]) -> dict[str, Any]:
    """One random recording condition for training augmentation, drawn from ``ranges``
    (parameters): ``weights`` per kind, and per kind each setting as ``{uniform: [low,
    high]}``, a list to choose from, or a fixed value."""
    kinds = list(ranges["weights"])
    weights = np.array([ranges["weights"][k] for k in kinds], float)
    kind = kinds[int(rng.choice(len(kinds), p=weights / weights.sum()))]
    settings: dict[str, Any] = {"kind": kind}
    for key, value in (ranges["settings"].get(kind) or {}).items():
        if isinstance(value, Mapping):
            settings[key] = float(rng.uniform(*value["uniform"]))
        elif isinstance(value, list):
            settings[key] = value[int(rng.integers(len(value)))]
        else:
            settings[key] = value
    return settings
