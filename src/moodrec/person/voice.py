"""Sliding analysis windows over a person's voice clip.

Training read one RAVDESS sentence (about 1.5-2.5 s of speech) per clip. A person's clip can
be any length, so it is cut into windows of ``window_seconds`` every ``hop_seconds``; each
window is read and the probabilities are averaged. A clip shorter than one window is read
whole, without padding. Windows much quieter than the clip's loudest (pauses, ``pause_db``
below it) are left out, so a long pause does not vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Window:
    start: float  # seconds
    end: float
    signal: np.ndarray


def rms_dbfs(signal: np.ndarray) -> float:
    """Root-mean-square level in dB relative to full scale (1.0); -inf for digital silence."""
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64)))) if signal.size else 0.0
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def analysis_windows(
    signal: np.ndarray, sr: int, *, window_seconds: float, hop_seconds: float, pause_db: float,
) -> list[Window]:
    """Sliding windows over a clip, the quiet ones (pauses) left out; at least one window."""
    size = int(round(window_seconds * sr))
    hop = max(1, int(round(hop_seconds * sr)))
    if signal.size <= size:
        return [Window(0.0, signal.size / sr, signal)]
    starts = list(range(0, signal.size - size + 1, hop))
    if starts[-1] + size < signal.size:  # cover the clip's end too
        starts.append(signal.size - size)
    windows = [Window(s / sr, (s + size) / sr, signal[s : s + size]) for s in starts]
    levels = np.array([rms_dbfs(w.signal) for w in windows])
    loud = levels >= levels.max() - pause_db
    return [w for w, keep in zip(windows, loud, strict=True) if keep]
