"""The face model through ONNX Runtime, called like the Keras model it was exported from.

The person path calls a face model as ``model(x, training=False)`` on ``(n, 48, 48, 1)``
float32 grey faces (0-255; the model rescales them itself) and checks
``model.inputs[0].shape`` and ``model.outputs[0].shape``; :class:`OnnxFaceModel` offers the
same, so it replaces the Keras model without TensorFlow. The exported graph holds the whole
saved model, its test-time views and logit bias included.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from moodrec.core.emotions import EMOTIONS
from moodrec.inference.runtime import (
    ExportedModelError,
    emotion_columns,
    open_session,
    scatter,
)


@dataclass(frozen=True)
class TensorShape:
    """A model input's or output's name and shape (``None`` for the batch), as Keras shows."""

    name: str
    shape: tuple[int | None, ...]


class OnnxFaceModel:
    """``models/face/face_model.onnx`` (see :func:`moodrec.inference.export.face_to_onnx`)."""

    def __init__(self, path: str | Path) -> None:
        self.filepath = str(path)
        self._session, manifest = open_session(path, "face")
        self._columns = emotion_columns(manifest["classes"], path)
        (given,), (answer,) = self._session.get_inputs(), self._session.get_outputs()
        self._input, self._output = given.name, answer.name
        shape = tuple(d if isinstance(d, int) else None for d in given.shape)
        if len(shape) != 4 or shape[0] is not None:
            raise ExportedModelError(f"{path}: input {given.shape}, expected a batch of images")
        self.inputs = [TensorShape(given.name, shape)]
        self.outputs = [TensorShape(answer.name, (None, len(EMOTIONS)))]

    def __call__(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """Six probabilities per face, in :data:`EMOTIONS` order (``training`` is accepted
        for the Keras call's sake; an exported model has no training mode)."""
        if training:
            raise ValueError("an exported face model cannot run in training mode")
        faces = np.ascontiguousarray(x, dtype=np.float32)
        return scatter(self._session.run([self._output], {self._input: faces})[0],
                       self._columns)

    def __repr__(self) -> str:
        return f"OnnxFaceModel({self.filepath!r})"
