"""A standard scaler stored as plain JSON (feature names, means, scales): portable, so the
inference code applies it with NumPy alone, and diffable in the repository."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from moodrec.audio.features import FEATURE_NAMES


def fit_scaler(x: np.ndarray, feature_names: Sequence[str]) -> dict[str, Any]:
    """Per-feature mean and standard deviation of ``x`` (a zero deviation becomes 1)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] != len(feature_names):
        raise ValueError(
            f"cannot fit a scaler on an array of shape {x.shape} with {len(feature_names)} names"
        )
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return {
        "kind": "standard",
        "n_samples": int(x.shape[0]),
        "feature_names": list(feature_names),
        "mean": x.mean(axis=0).tolist(),
        "scale": scale.tolist(),
    }


def apply_scaler(x: np.ndarray, scaler: dict[str, Any]) -> np.ndarray:
    """``(x - mean) / scale`` as float32; the error names a feature-count mismatch."""
    x = np.asarray(x, dtype=np.float64)
    mean = np.asarray(scaler["mean"])
    if x.ndim != 2 or x.shape[1] != mean.size:
        raise ValueError(f"scaler expects {mean.size} features; got an array of shape {x.shape}")
    return ((x - mean) / np.asarray(scaler["scale"])).astype(np.float32)


def scaler_columns(scaler: dict[str, Any]) -> list[int]:
    """Positions, among the 162 training features (``FEATURE_NAMES`` order), of the features
    the scaler was fitted on (all 162 when it names none)."""
    names = scaler.get("feature_names") or FEATURE_NAMES
    return [FEATURE_NAMES.index(name) for name in names]


def scale_features(x: np.ndarray, scaler: dict[str, Any]) -> np.ndarray:
    """Rows of all 162 training features -> the scaler's features, scaled."""
    return apply_scaler(np.asarray(x)[:, scaler_columns(scaler)], scaler)
