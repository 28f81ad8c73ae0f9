"""Answers shaped as the person path writes them (``person_recommendation.json``), made here so
that the page's own modules can be tested without running the models."""

from __future__ import annotations

from typing import Any

from moodrec.core.emotions import EMOTIONS


def probabilities(winner: str, p: float) -> dict[str, float]:
    """``winner`` at ``p``, the rest shared evenly."""
    rest = (1.0 - p) / (len(EMOTIONS) - 1)
    return {name: round(p if name == winner else rest, 4) for name in EMOTIONS}


def answer(*, face: str | None = "happiness", voice: str | None = "sadness",
           point: tuple[float, float] = (4.9, 4.7), goal: str = "match",
           k: int = 3) -> dict[str, Any]:
    """An answer from a face and/or a voice reading, with ``k`` excerpts."""
    senses = {}
    for sense, emotion in (("face", face), ("voice", voice)):
        if emotion is not None:
            senses[sense] = {"used": True, "emotion": emotion,
                             "probabilities": probabilities(emotion, 0.7), "confidence": 0.5,
                             "point": list(point), "weight": 0.5, "inputs": [], "problems": []}
    return {
        "senses": senses,
        "fused": {"emotion": face or voice, "probabilities": probabilities(face or voice, 0.6),
                  "point": list(point), "mood": "energetic, positive", "rule": "mean"},
        "goal": goal,
        "target": {"point": list(point), "moved": [0.0, 0.0], "description": f"{goal}: ..."},
        "similarity": "centred_cosine",
        "k": k,
        "excerpts": [{"rank": r, "number": 10 + r, "album": f"Album {r}", "track": str(r),
                      "time_range": "00:55-01:10", "category": "HAPPY", "valence": 4.6,
                      "energy": 4.6, "similarity": 0.99, "reason": f"reason {r}"}
                     for r in range(1, k + 1)],
        "warnings": [],
    }
