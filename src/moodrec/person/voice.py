"""Voice clips: checks and sliding analysis windows.

Training analysed one 2.5 s window per RAVDESS clip. A person's clip can be any length, so
it is cut into windows of ``window_seconds`` (default 2.5 s, as in training) every
``hop_seconds`` (default 1.25 s); each window is classified and the probabilities are
averaged. A clip shorter than one window (but at least ``min_seconds``) is analysed whole,
without padding: the 162 features are means over frames, which padding with silence would
bias. Windows much quieter than the clip's loudest (pauses, ``pause_db`` below it) are left
out, so a long pause does not vote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moodrec.person.errors import UnusableInputError


@dataclass(frozen=True)
class Window:
    start: float  # seconds
    end: float
    signal: np.ndarray


def rms_dbfs(signal: np.ndarray) -> float:
    """Root-mean-square level in dB relative to full scale (1.0); -inf for digital silence."""
    rms = float(np.sqrt(np.mean(np.square(signal, dtype=np.float64)))) if signal.size else 0.0
    return 20.0 * np.log10(rms) if rms > 0 else float("-inf")


def check_clip(
    signal: np.ndarray, sr: int, *, name: str, min_seconds: float = 1.0,
    silence_dbfs: float = -50.0,
) -> None:
    """Reject clips that are too short, silent, or not finite (with a message naming them)."""
    seconds = signal.size / sr if sr else 0.0
    if seconds < min_seconds:
        raise UnusableInputError(
            f"voice clip {name}: too short ({seconds:.2f} s; at least {min_seconds:g} s needed)"
        )
    if not np.all(np.isfinite(signal)):
        raise UnusableInputError(
            f"voice clip {name}: the decoded signal has NaN or infinite samples")
    level = rms_dbfs(signal)
    if level < silence_dbfs:
        shown = "digital silence" if level == float("-inf") else f"{level:.1f} dBFS"
        raise UnusableInputError(
            f"voice clip {name}: silent ({shown}; a voice needs more than {silence_dbfs:g} dBFS)"
        )


def analysis_windows(
    signal: np.ndarray, sr: int, *, window_seconds: float = 2.5, hop_seconds: float = 1.25,
    pause_db: float = 30.0,
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
