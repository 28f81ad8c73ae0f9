"""Loading a voice clip: any WAV/FLAC (any sample rate, mono or stereo) -> mono float32.

Mirrors ``librosa.load(path, sr=sr, offset=offset, duration=duration)`` (the study's call):
the window is cut at the file's own rate (``int(offset * rate)`` samples in, ``int(duration *
rate)`` long), channels are averaged, then the signal is resampled with soxr (``soxr_hq``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


class AudioReadError(ValueError):
    """A file that cannot be read as audio (unreadable, empty, not a sound file)."""


def load_audio(
    path: str | Path,
    sr: int = 22050,
    offset: float = 0.0,
    duration: float | None = None,
) -> np.ndarray:
    """The clip's samples from ``offset`` seconds for ``duration`` seconds, mono, at ``sr`` Hz.

    Raises:
        AudioReadError: the file is missing, unreadable or holds no samples (message names it).
    """
    import soundfile

    try:
        with soundfile.SoundFile(str(path)) as sound:
            native_rate = sound.samplerate
            if sound.frames == 0:
                raise AudioReadError(f"{path}: the file holds no audio samples")
            if offset:
                sound.seek(min(int(offset * native_rate), sound.frames))
            frames = -1 if duration is None else int(duration * native_rate)
            samples = sound.read(frames=frames, dtype="float32", always_2d=True)
    except AudioReadError:
        raise
    except (RuntimeError, OSError, ValueError, TypeError) as err:  # soundfile.LibsndfileError
        raise AudioReadError(f"{path}: cannot read as audio ({err})") from err
    signal = samples.mean(axis=1, dtype=np.float32) if samples.shape[1] > 1 else samples[:, 0]
    if native_rate != sr and signal.size:
        import librosa

        signal = librosa.resample(signal, orig_sr=native_rate, target_sr=sr, res_type="soxr_hq")
    return np.ascontiguousarray(signal, dtype=np.float32)
