"""Opening an exported model: an ONNX Runtime session and the manifest the export wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from moodrec.core.emotions import EMOTIONS

#: The metadata key of the manifest (a JSON object) in every exported file.
MANIFEST_KEY = "moodrec"


class ExportedModelError(ValueError):
    """An ONNX file that is not the exported model it should be (message names the file)."""


def open_session(path: str | Path, kind: str, *, optimise: bool = True
                 ) -> tuple[Any, dict[str, Any]]:
    """The CPU session of ``path`` and its manifest, checked to be a ``kind`` model.

    ``optimise=False`` skips ONNX Runtime's graph optimisations: they speed up a network's
    calls (the face model's fused convolutions) but gain nothing on the voice model's
    classifier operators and take ~0.1 s of its load (measured on the 2-core machine).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3  # errors only: warnings would reach the person's terminal
    if not optimise:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as err:  # noqa: BLE001 - onnxruntime raises its own, unexported types
        raise ExportedModelError(f"{path}: not a readable ONNX model ({err})") from err
    raw = session.get_modelmeta().custom_metadata_map.get(MANIFEST_KEY)
    if raw is None:
        raise ExportedModelError(f"{path}: no {MANIFEST_KEY!r} manifest in its metadata; "
                                 "export it with the training pipeline")
    manifest = json.loads(raw)
    if manifest.get("kind") != kind:
        raise ExportedModelError(f"{path}: a {manifest.get('kind')!r} model, expected {kind!r}")
    return session, manifest


def emotion_columns(classes: list[str], path: str | Path) -> np.ndarray:
    """Where each of the model's output columns goes among :data:`EMOTIONS`."""
    unknown = [c for c in classes if c not in EMOTIONS]
    if unknown or len(set(classes)) != len(classes):
        raise ExportedModelError(f"{path}: classes {classes} are not distinct names of "
                                 f"{', '.join(EMOTIONS)}")
    return np.array([EMOTIONS.index(c) for c in classes])


def scatter(probabilities: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Rows of the model's classes -> rows of the six emotions (absent classes get 0)."""
    out = np.zeros((len(probabilities), len(EMOTIONS)), np.float64)
    out[:, columns] = probabilities
    return out
