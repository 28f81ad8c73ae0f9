"""The study's 162 voice features and its augmentation, with seeded randomness.

Features (means over frames; librosa defaults: ``n_fft=2048``, ``hop_length=512``):
zero-crossing rate (1), chroma STFT (12), MFCC (20), RMS (1), mel spectrogram (128).
The magnitude STFT is computed once and shared by chroma, mel spectrogram and MFCC (the study
computed it three times); ZCR and RMS are time-domain, as in the study. The values equal the
study's ``extract_features`` to float precision (see the tests).

Augmentation, as the study: additive Gaussian noise of amplitude ``0.035 x U(0, 1) x peak``, and
a time stretch by 0.8 followed by a pitch shift of +4 semitones. Randomness comes from a
generator seeded by (base seed, clip id, variant), so results do not depend on which worker
handles which clip.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

#: Variant names, in the order rows are written (one row per clip and variant).
VARIANTS: tuple[str, ...] = ("original", "noise", "stretch_pitch")

#: The 162 feature names, in the study's order.
FEATURE_NAMES: tuple[str, ...] = (
    ("zcr",)
    + tuple(f"chroma_{i:02d}" for i in range(1, 13))
    + tuple(f"mfcc_{i:02d}" for i in range(1, 21))
    + ("rms",)
    + tuple(f"mel_{i:03d}" for i in range(1, 129))
)

#: Defaults of the study's feature set; every key can be overridden by parameters.
DEFAULTS: dict[str, Any] = {
    "sample_rate": 22050,
    "offset_s": 0.6,
    "duration_s": 2.5,
    "min_duration_s": 1.0,
    "silence_peak": 1e-4,
    "noise_factor": 0.035,
    "stretch_rate": 0.8,
    "pitch_steps": 4.0,
    "seed": 42,
}


class BadClipError(ValueError):
    """A clip that loads but cannot be used (too short, silent, not finite)."""


def extract_features(signal: np.ndarray, sr: int = 22050) -> np.ndarray:
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


def variant_seed(clip_id: str, variant: str, seed: int) -> int:
    """A stable seed for one clip and variant (independent of worker and run order)."""
    digest = hashlib.sha256(f"{seed}:{clip_id}:{variant}".encode()).digest()
    return int.from_bytes(digest[:8], "little")


def augment(signal: np.ndarray, variant: str, rng: np.random.Generator,
            settings: Mapping[str, Any] | None = None) -> np.ndarray:
    """The signal of one variant: ``original``, ``noise`` or ``stretch_pitch``."""
    s = {**DEFAULTS, **(settings or {})}
    if variant == "original":
        return signal
    if variant == "noise":
        amplitude = s["noise_factor"] * rng.uniform() * np.amax(signal)
        return (signal + amplitude * rng.normal(size=signal.shape[0])).astype(np.float32)
    if variant == "stretch_pitch":
        import librosa

        stretched = librosa.effects.time_stretch(signal, rate=float(s["stretch_rate"]))
        return librosa.effects.pitch_shift(
            stretched, sr=int(s["sample_rate"]), n_steps=float(s["pitch_steps"])
        )
    raise ValueError(f"unknown augmentation variant {variant!r}; expected one of {VARIANTS}")


def check_signal(signal: np.ndarray, settings: Mapping[str, Any] | None = None) -> None:
    """Reject what cannot give meaningful features.

    Clips shorter than the 2.5 s analysis window are *kept* and averaged over the frames they
    have (as the study did; 15 RAVDESS clips are 2.34-2.5 s after the 0.6 s offset). Clips with
    less than ``min_duration_s`` of audio in the window, silent clips (peak below
    ``silence_peak``) and non-finite samples are *rejected* with :class:`BadClipError`.
    """
    s = {**DEFAULTS, **(settings or {})}
    seconds = signal.size / float(s["sample_rate"])
    if seconds < float(s["min_duration_s"]):
        raise BadClipError(
            f"too short: {seconds:.2f} s of audio after the {s['offset_s']} s offset, "
            f"fewer than min_duration_s={s['min_duration_s']}"
        )
    if not np.all(np.isfinite(signal)):
        raise BadClipError("samples are not all finite (NaN or inf)")
    peak = float(np.max(np.abs(signal)))
    if peak < float(s["silence_peak"]):
        raise BadClipError(
            f"silent: peak amplitude {peak:.2e} below silence_peak={s['silence_peak']}")


def clip_features(
    load: Callable[..., np.ndarray],
    clip_id: str,
    variants: tuple[str, ...] | list[str] = VARIANTS,
    settings: Mapping[str, Any] | None = None,
) -> np.ndarray | str:
    """Features of one clip, one row per variant; or the reason the clip was rejected.

    ``load`` is called as ``load(sr=..., offset=..., duration=...)`` (a loader from
    :class:`moodrec.audio.datasets.AudioFolderDataset`, or ``functools.partial(load_audio,
    path)``). Returns an array ``(len(variants), 162)``, or a string saying why the clip was
    rejected (unreadable, empty, too short, silent), so a caller can report it.
    """
    from moodrec.audio.io import AudioReadError

    s = {**DEFAULTS, **(settings or {})}
    try:
        signal = load(sr=int(s["sample_rate"]), offset=float(s["offset_s"]),
                      duration=float(s["duration_s"]))
        check_signal(signal, s)
    except (AudioReadError, BadClipError) as err:
        return str(err)
    rows = []
    for variant in variants:
        rng = np.random.default_rng(variant_seed(clip_id, variant, int(s["seed"])))
        rows.append(extract_features(augment(signal, variant, rng, s), int(s["sample_rate"])))
    return np.vstack(rows)
