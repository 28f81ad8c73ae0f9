"""Synthetic RAVDESS-named clips (tones) for the audio tests: no real data needed."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from moodrec.core.emotions import EMODB_CODES, EMOTIONS, RAVDESS_CODES

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


def speech_like(seconds: float = 3.0, sr: int = 16000, pitch: float = 140.0,
                level_dbfs: float = -30.0, seed: int = 0) -> np.ndarray:
    """A voice-like signal: a harmonic source with a gliding pitch, shaped into syllables
    (about four a second, with short gaps), and a faint noise floor; RMS ``level_dbfs``."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sr)) / sr
    f0 = pitch * (1 + 0.15 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(f0) / sr
    source = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = np.clip(np.sin(2 * np.pi * 4.0 * t + rng.uniform(0, 6)), 0, None) ** 1.5
    signal = source * syllables + 0.002 * rng.standard_normal(t.size)
    signal *= 10 ** (level_dbfs / 20) / np.sqrt(np.mean(signal ** 2))
    return signal.astype(np.float32)


def write_voice_clips(root: Path, actors=(1, 2, 3, 4), emotions=EMOTIONS[:3],
                      statements=(1,), sr: int = 16000) -> list[Path]:
    """One speech-like clip per actor, emotion and statement (a pitch per emotion)."""
    import soundfile

    paths = []
    for actor in actors:
        folder = root / f"Actor_{actor:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for k, emotion in enumerate(emotions):
            for statement in statements:
                path = folder / ravdess_name(emotion, actor, statement=statement)
                signal = speech_like(pitch=110.0 + 40 * k + 3 * actor, sr=sr,
                                     seed=actor * 100 + k * 10 + statement)
                soundfile.write(path, signal, sr)
                paths.append(path)
    return paths


def write_emodb_clips(root: Path, speakers=("03", "08"), emotions=EMOTIONS[:3],
                      sr: int = 16000) -> list[Path]:
    """One speech-like clip per speaker and emotion, named as EmoDB names them."""
    import soundfile

    letter = {name: code for code, name in EMODB_CODES.items()}
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, speaker in enumerate(speakers):
        for k, emotion in enumerate(emotions):
            path = root / f"{speaker}a01{letter[emotion]}a.wav"
            soundfile.write(path, speech_like(pitch=120.0 + 40 * k + 5 * number, sr=sr,
                                              seed=500 + number * 10 + k), sr)
            paths.append(path)
    return paths
