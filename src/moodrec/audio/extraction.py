"""One clip -> its feature rows: the original recording and seeded augmented copies.

The same :func:`voice_features` turns a signal into features in training, evaluation, the
robustness suite and the person path: check that it holds speech, keep the speech part, bring
it to a fixed loudness (:func:`moodrec.audio.level.prepare_voice`), compute the feature set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from moodrec.audio.feature_sets import extract
from moodrec.audio.level import Activity, prepare_voice, speech_activity


class NotSpeechError(ValueError):
    """A signal without enough speech to read (silent, too short, a tone, noise, clipped)."""


def check_speech(signal: np.ndarray, sr: int, checks: Mapping[str, Any]) -> Activity:
    """Refuse a signal that is not a usable voice, with the measured figures; return them
    when it is one.

    ``checks``: ``min_voiced_seconds`` (speech frames needed), ``floor_dbfs`` (speech quieter
    than this is silence), ``max_clipped_share`` (samples at full scale), ``max_periodicity``
    (a tone or square wave repeats exactly; a voice does not), ``max_flatness`` (white noise
    is flat; speech is not).
    """
    if not np.all(np.isfinite(signal)):
        raise NotSpeechError("the samples are not all finite (NaN or inf)")
    a = speech_activity(signal, sr)
    figures = (f"{a.seconds:.2f} s, {a.voiced_seconds:.2f} s voiced at {a.active_dbfs:.1f} dBFS,"
               f" peak {a.peak:.3f}")
    if a.active_dbfs < float(checks["floor_dbfs"]):
        raise NotSpeechError(f"silent ({figures}; speech needs more than "
                             f"{checks['floor_dbfs']} dBFS)")
    if a.voiced_seconds < float(checks["min_voiced_seconds"]):
        raise NotSpeechError(f"too little speech ({figures}; at least "
                             f"{checks['min_voiced_seconds']} s of voiced audio needed)")
    if a.clipped_share > float(checks["max_clipped_share"]):
        raise NotSpeechError(f"clipped ({a.clipped_share:.1%} of the samples at full scale; "
                             f"{figures})")
    if a.spectral_flatness > float(checks["max_flatness"]):
        raise NotSpeechError(f"noise, not a voice (spectral flatness "
                             f"{a.spectral_flatness:.3f}; {figures})")
    if a.level_spread_db < float(checks["min_level_spread_db"]):
        raise NotSpeechError(f"a steady sound, not a voice (level varies by only "
                             f"{a.level_spread_db:.1f} dB; {figures})")
    return a


def voice_features(signal: np.ndarray, sr: int, settings: Mapping[str, Any]
                   ) -> tuple[np.ndarray, list[str]]:
    """The features of a voice signal (speech part, fixed loudness, ``feature_set``)."""
    prepared = prepare_voice(signal, sr, float(settings["target_dbfs"]))
    return extract(prepared, sr, settings["feature_set"])


def variant_rng(clip_id: str, variant: int, seed: int) -> np.random.Generator:
    """A generator for one clip and variant, independent of worker and run order."""
    digest = hashlib.sha256(f"{seed}:{clip_id}:{variant}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def clip_rows(load: Callable[..., np.ndarray], clip_id: str, settings: Mapping[str, Any]
              ) -> tuple[list[str], np.ndarray, list[str]] | str:
    """Variant names, feature rows and feature names of one clip; or why it was rejected.

    Variant ``original`` is the recording; ``aug1`` ... ``aug<n>`` apply a random recording
    condition each (``settings["augmentation"]``), drawn from a generator seeded by the clip.
    """
    from moodrec.audio import conditions  # training only: scipy.signal costs ~0.6 s to import
    from moodrec.audio.io import AudioReadError

    sr = int(settings["sample_rate"])
    try:
        signal = load(sr=sr)
        check_speech(signal, sr, settings["speech_checks"])
    except (AudioReadError, NotSpeechError) as err:
        return str(err)
    augmentation = settings["augmentation"]
    signals = {"original": signal}
    for number in range(1, int(augmentation["copies"]) + 1):
        rng = variant_rng(clip_id, number, int(settings["seed"]))
        condition = conditions.random_condition(rng, augmentation)
        signals[f"aug{number}"] = conditions.apply(signal, sr, condition, rng)
    rows, names = [], []
    for variant_signal in signals.values():
        values, names = voice_features(variant_signal, sr, settings)
        rows.append(values)
    return list(signals), np.vstack(rows), names
