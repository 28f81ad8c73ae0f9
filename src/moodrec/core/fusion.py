"""Confidence of a sense and the fusion of senses in valence-arousal space.

The rule (also in ``docs/person.md``):

* A sense's **confidence** is one minus the normalised entropy of its (averaged) six
  probabilities: ``c = 1 - H(p) / ln 6``. It is 1 for a one-hot answer and 0 for the uniform
  one; photos or windows that disagree average to a flatter distribution and so to a lower
  confidence.
* Each sense's **point** is the probability-weighted mean of the six emotions' (valence,
  arousal) points (the ``va_mapping`` rule, reused, not reimplemented).
* The **fused point** is the mean of the senses' points weighted by ``w_s = r_s c_s``, where
  ``r_s`` is a per-sense reliability (parameter ``person.sense_weights``, 1 each as shipped),
  normalised to sum to 1. If every weight is 0 (all senses uniform) the senses count equally.
  Because the point is linear in the probabilities, the fused point is also the point of the
  fused probabilities ``sum_s w_s p_s``, whose largest entry is reported as the fused emotion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from moodrec.core.emotions import top_emotion


def confidence(probabilities: np.ndarray) -> float:
    """``1 - H(p)/ln(6)`` in [0, 1]: 1 for a certain answer, 0 for a uniform one."""
    p = np.clip(np.asarray(probabilities, np.float64), 0.0, None)
    total = p.sum()
    if total <= 0:
        return 0.0
    p = p / total
    nonzero = p[p > 0]
    entropy = float(-(nonzero * np.log(nonzero)).sum())
    return float(np.clip(1.0 - entropy / np.log(len(p)), 0.0, 1.0))


@dataclass
class SenseReading:
    """What one sense (face or voice) says: averaged probabilities, confidence, VA point."""

    sense: str
    probabilities: np.ndarray  # (6,), EMOTIONS order
    point: np.ndarray  # (valence, arousal)
    confidence: float

    @property
    def emotion(self) -> str:
        return top_emotion(self.probabilities)


@dataclass
class Fusion:
    point: np.ndarray
    probabilities: np.ndarray
    weights: dict[str, float]

    @property
    def emotion(self) -> str:
        return top_emotion(self.probabilities)


def fuse(readings: list[SenseReading], reliability: dict[str, float]) -> Fusion:
    """Confidence-weighted mean of the senses' points (see the module's rule)."""
    if not readings:
        raise ValueError("nothing to fuse: no sense gave a reading")
    missing = [r.sense for r in readings if r.sense not in reliability]
    if missing:
        raise ValueError(f"no sense weight for {', '.join(missing)}; got {reliability}")
    raw = np.array([float(reliability[r.sense]) * r.confidence for r in readings])
    if np.any(raw < 0) or not np.all(np.isfinite(raw)):
        raise ValueError(f"sense weights must be finite and >= 0; got {reliability}")
    weights = raw / raw.sum() if raw.sum() > 0 else np.full(len(readings), 1.0 / len(readings))
    pairs = list(zip(weights, readings, strict=True))
    point = np.sum([w * np.asarray(r.point, float) for w, r in pairs], axis=0)
    probabilities = np.sum([w * np.asarray(r.probabilities, float) for w, r in pairs], axis=0)
    return Fusion(
        point=point,
        probabilities=probabilities,
        weights={r.sense: float(w) for r, w in zip(readings, weights, strict=True)},
    )
