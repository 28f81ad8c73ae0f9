"""Loading a voice clip: any WAV/FLAC (any sample rate, mono or stereo) -> mono float32.

Mirrors ``librosa.load(path, sr=sr, offset=offset, duration=duration)`` (the study's call):
the window is cut at the file's own rate (``int(offset * rate)`` samples in, ``int(duration *
rate)`` long), channels are averaged, then the signal is resampled with soxr (``soxr_hq``)
and cut or zero-padded to ``ceil(n * sr / rate)`` samples, as ``librosa.resample`` does;
soxr is called directly because importing librosa's resampler costs ~0.8 s (numba, scipy).
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
    signal = downmix(samples)
    if native_rate != sr and signal.size:
        signal = resample(signal, native_rate, sr)
    return np.ascontiguousarray(signal, dtype=np.float32)


def header_doubt(path: str | Path) -> tuple[float, str | None]:
    """The clip's length in seconds by its header, and what libsndfile found its header to
    get wrong (a data size larger than the file: cut short; a byte rate that does not fit the
    sample rate and channels) with what was assumed; ``None`` when it found nothing.

    Raises:
        AudioReadError: the file cannot be read as audio.
    """
    import soundfile

    try:
        info = soundfile.info(str(path))
    except (RuntimeError, OSError, ValueError, TypeError) as err:
        raise AudioReadError(f"{path}: cannot read as audio ({err})") from err
    doubts = [" ".join(line.split()) for line in info.extra_info.splitlines()
              if "should be" in line]
    if not doubts:
        return float(info.duration), None
    return float(info.duration), (
        f"its header does not agree with its data ({'; '.join(doubts)}); read as "
        f"{info.samplerate} Hz, {info.channels} channel(s), {info.duration:.1f} s")


def downmix(samples: np.ndarray) -> np.ndarray:
    """Channels ``(n, channels)`` -> mono: their mean, each channel's polarity first turned to
    agree with the loudest one's, so that out-of-phase stereo (one channel wired inverted,
    each peaking at 0.9) is not averaged to silence; in-phase channels are simply averaged."""
    if samples.shape[1] == 1:
        return samples[:, 0]
    loudest = samples[:, int(np.argmax(np.einsum("ij,ij->j", samples, samples)))]
    inverted = loudest @ samples < 0
    if inverted.any():
        samples = samples * np.where(inverted, -1.0, 1.0).astype(np.float32)
    return samples.mean(axis=1, dtype=np.float32)


def resample(signal: np.ndarray, rate: int, sr: int) -> np.ndarray:
    """``signal`` from ``rate`` to ``sr`` Hz: ``librosa.resample(..., res_type="soxr_hq")``
    sample for sample (soxr's high quality, then cut or zero-padded to its length)."""
    import soxr

    out = soxr.resample(signal, rate, sr, quality="soxr_hq")
    size = int(np.ceil(signal.size * float(sr) / rate))
    return out[:size] if out.size >= size else np.pad(out, (0, size - out.size))
