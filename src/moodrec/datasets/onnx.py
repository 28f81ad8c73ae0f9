"""Exported models (``.onnx``): saved from the bytes a training pipeline's export node makes,
loaded as the light model the person path calls (:mod:`moodrec.inference`).

Saving is atomic (:func:`moodrec.datasets.atomic_file.atomic_file`): an interrupted export
leaves the previous file whole. Loading imports ONNX Runtime only, never TensorFlow or
scikit-learn. Example catalog entry::

    face_model_onnx:
      type: moodrec.datasets.onnx.OnnxFaceModelDataset
      filepath: models/face/face_model.onnx
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kedro.io import AbstractDataset, DatasetError

from moodrec.datasets.atomic_file import atomic_file


class _OnnxModelDataset(AbstractDataset[bytes, Any]):
    what = "model"
    how_to_make = "kedro run --pipelines <training pipeline>"

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(filepath)
        self.metadata = metadata

    def _read(self, path: Path) -> Any:
        raise NotImplementedError

    def load(self) -> Any:
        if not self._path.is_file():
            raise DatasetError(f"exported {self.what} {self._path} not found; make it with "
                               f"`{self.how_to_make}`")
        return self._read(self._path)

    def save(self, data: bytes) -> None:
        if not isinstance(data, bytes | bytearray) or not data:
            raise DatasetError(f"{type(self).__name__} {self._path} saves the bytes of an ONNX "
                               f"model; got {type(data).__name__}")
        with atomic_file(self._path) as tmp:
            tmp.write_bytes(data)

    def _exists(self) -> bool:
        return self._path.is_file()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._path)}


class OnnxFaceModelDataset(_OnnxModelDataset):
    """``face_model.onnx`` -> :class:`moodrec.inference.face.OnnxFaceModel`."""

    what = "face model"
    how_to_make = ("kedro run --pipelines face_training --nodes face_training.export_onnx` "
                   "(from the saved .keras model) or `kedro run --pipelines face_training")

    def _read(self, path: Path) -> Any:
        from moodrec.inference.face import OnnxFaceModel

        return OnnxFaceModel(path)


class OnnxVoiceModelDataset(_OnnxModelDataset):
    """``voice_model.onnx`` -> :class:`moodrec.inference.voice.OnnxVoiceModel`."""

    what = "voice model"
    how_to_make = ("kedro run --pipelines audio_training --nodes export_voice_model_onnx` "
                   "(from the saved .pkl model) or `kedro run --pipelines audio_training")

    def _read(self, path: Path) -> Any:
        from moodrec.inference.voice import OnnxVoiceModel

        return OnnxVoiceModel(path)
