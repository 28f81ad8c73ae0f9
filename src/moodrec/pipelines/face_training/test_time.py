"""Test-time views of a face and the logit bias fitted on the select split (numpy only).

A *view* is the face, optionally mirrored left-right, then shifted by ``(dy, dx)`` pixels with
the border pixels repeated (as the training augmentation fills). :func:`view_indices` is the
one definition: the shipped Keras model builds its fixed view layers from it
(:func:`.architectures.shipped_model`) and :func:`view_log_probabilities` applies it with
numpy to fit the bias, so both see the same pixels.

The *logit bias* ``b`` is added to every member's logits before its softmax: logit
adjustment, ``b = -tau * log(prior)`` with the train split's class shares as ``prior``, moves
predictions towards the classes a network under-reads (the rarer ones). Its strength ``tau``
is chosen on the select split only (:func:`fit_logit_adjustment`), never on the report split.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

SIDE = 48


def view_indices(view: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Source row and column of every output pixel of ``view`` (``flip``: bool, ``shift``:
    ``[dy, dx]``): output ``[r, c]`` = input ``[rows[r], cols[c]]``."""
    dy, dx = (int(v) for v in view["shift"])
    rows = np.clip(np.arange(SIDE) - dy, 0, SIDE - 1)
    cols = np.clip(np.arange(SIDE) - dx, 0, SIDE - 1)
    return rows, (SIDE - 1 - cols if view["flip"] else cols)


def view_log_probabilities(networks: Sequence[Any], faces: np.ndarray,
                           views: Sequence[dict[str, Any]]) -> np.ndarray:
    """Log-probabilities ``(members, views, n, classes)`` of each network on each view."""
    out = []
    for network in networks:
        per_view = []
        for view in views:
            rows, cols = view_indices(view)
            shown = faces[:, rows][:, :, cols].astype(np.float32)
            p = network.predict(shown, batch_size=512, verbose=0)
            per_view.append(np.log(np.clip(p, 1e-12, 1.0)))
        out.append(per_view)
    return np.asarray(out)


def averaged_probabilities(log_probabilities: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """The shipped model's output: the mean over members and views of softmax(logits + b)."""
    z = log_probabilities + bias
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return (z / z.sum(axis=-1, keepdims=True)).mean(axis=(0, 1))


def fit_logit_adjustment(log_probabilities: np.ndarray, labels: np.ndarray,
                         prior: np.ndarray, strengths: Sequence[float]
                         ) -> tuple[float, np.ndarray, float]:
    """Logit adjustment: the bias ``-tau * log(prior)`` (``prior``: the train split's class
    shares) whose averaged prediction has the best macro-F1 on ``labels``, over ``tau`` in
    ``strengths`` (the first of equals wins). Returns ``tau``, the bias (mean 0) and that
    macro-F1."""
    classes = list(range(log_probabilities.shape[-1]))
    best: tuple[float, np.ndarray, float] | None = None
    for tau in strengths:
        bias = -float(tau) * np.log(prior)
        bias -= bias.mean()
        predicted = averaged_probabilities(log_probabilities, bias).argmax(axis=1)
        score = float(f1_score(labels, predicted, labels=classes, average="macro",
                               zero_division=0))
        if best is None or score > best[2] + 1e-12:
            best = (float(tau), bias, score)
    if best is None:
        raise ValueError("test_time.logit_bias.strengths is empty")
    return best
