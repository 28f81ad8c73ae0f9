"""One-line, human reasons: mood words for a (valence, arousal) point, and why an excerpt.

Words are relative to the scale's centre: within ``band`` (default a tenth of the scale's
width) of it a coordinate is "neutral"/"moderate", above "positive"/"energetic", below
"negative"/"calm".
"""

from __future__ import annotations

import numpy as np

from moodrec.core.valence_arousal import scale_midpoint


def mood_words(point: np.ndarray, *, scale: tuple[float, float], band: float | None = None) -> str:
    """E.g. ``"calm, positive"`` for a low-arousal, high-valence point."""
    low, high = scale
    centre = float(scale_midpoint(scale)[0])
    band = 0.1 * (high - low) if band is None else band
    valence, arousal = (float(v) for v in point)
    def word(value: float, high: str, low: str, middle: str) -> str:
        return high if value > centre + band else low if value < centre - band else middle

    energy = word(arousal, "energetic", "calm", "moderate")
    tone = word(valence, "positive", "negative", "neutral")
    return f"{energy}, {tone}"


def excerpt_reason(
    goal: str, person_point: np.ndarray, target: np.ndarray, excerpt: tuple[float, float], *,
    scale: tuple[float, float],
) -> str:
    """Why this excerpt: ``"close to your calm, positive mood: valence 5.9, energy 2.9"``."""
    mood = mood_words(person_point, scale=scale)
    valence, energy = excerpt
    numbers = f"valence {valence:.1f}, energy {energy:.1f}"
    if goal == "uplift":
        towards = mood_words(target, scale=scale)
        return f"brighter than your {mood} mood, towards {towards}: {numbers}"
    if goal == "calm":
        return f"calmer than your {mood} mood, towards {mood_words(target, scale=scale)}: {numbers}"
    return f"close to your {mood} mood: {numbers}"
