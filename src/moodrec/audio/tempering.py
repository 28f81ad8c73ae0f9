"""Temperature scaling of class probabilities (numpy only: the light voice reader uses it
without importing the training code)."""

from __future__ import annotations

import numpy as np


def tempered(probabilities_: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(log p / T)``: T > 1 softens over-confident probabilities."""
    logits = np.log(np.clip(probabilities_, 1e-12, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    out = np.exp(logits)
    return out / out.sum(axis=1, keepdims=True)
