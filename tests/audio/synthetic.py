"""Synthetic RAVDESS-named clips (tones) for the audio tests: no real data needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from moodrec.emotions import EMOTIONS, RAVDESS_CODES

#: RAVDESS emotion code of each of the six emotions.
CODE_OF = {name: code for code, name in RAVDESS_CODES.items() if name in EMOTIONS}


def ravdess_name(emotion: str, actor: int, statement: int = 1, repetition: int = 1,
                 intensity: int = 1, ext: str = ".wav") -> str:
    return (f"03-01-{CODE_OF[emotion]}-{intensity:02d}-{statement:02d}-{repetition:02d}-"
            f"{actor:02d}{ext}")


def tone(freq: float, seconds: float = 3.5, sr: int = 22050, amplitude: float = 0.3,
         channels: int = 1, seed: int = 0) -> np.ndarray:
    """A tone with a little noise; ``channels`` columns when stereo."""
    t = np.arange(int(seconds * sr)) / sr
    rng = np.random.default_rng(seed)
    signal = amplitude * np.sin(2 * np.pi * freq * t) + 0.01 * rng.standard_normal(t.size)
    signal = signal.astype(np.float32)
    return signal if channels == 1 else np.stack([signal] * channels, axis=1)


def write_tone_clips(root: Path, actors=(1, 2, 3, 4), emotions=EMOTIONS[:3],
                     ext: str = ".wav", sr: int = 22050) -> list[Path]:
    """One clip per actor and emotion, a different pitch per emotion, in ``Actor_NN/``."""
    import soundfile

    paths = []
    for actor in actors:
        folder = root / f"Actor_{actor:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for k, emotion in enumerate(emotions):
            path = folder / ravdess_name(emotion, actor, ext=ext)
            soundfile.write(path, tone(220.0 * (k + 1), sr=sr, seed=actor * 10 + k), sr)
            paths.append(path)
    return paths
