"""The voice model through ONNX Runtime: a :class:`~moodrec.audio.voice_reader.VoiceReader`
like the pickled ``VoiceModel`` (same speech check, features, profile and tempering), whose
two classifiers (plain and speaker-relative) are one ONNX graph instead of scikit-learn
objects. Importing this module imports neither scikit-learn nor pandas' training code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from moodrec.audio.voice_reader import VoiceReader
from moodrec.inference.runtime import ExportedModelError, emotion_columns, open_session, scatter

#: The graph's inputs and outputs (:func:`moodrec.inference.export.voice_to_onnx`).
INPUTS = ("features", "relative_features")
OUTPUTS = {False: "plain_probabilities", True: "relative_probabilities"}


class OnnxVoiceModel(VoiceReader):
    """``models/audio/voice_model.onnx``: the classifiers plus their manifest (feature
    settings, feature names, temperature, classes)."""

    def __init__(self, path: str | Path) -> None:
        self.filepath = str(path)
        self._session, manifest = open_session(path, "voice", optimise=False)
        self.settings = dict(manifest["settings"])
        self.feature_names = list(manifest["feature_names"])
        self.temperature = float(manifest["temperature"])
        self._columns = emotion_columns(manifest["classes"], path)
        names = {i.name: i.shape[-1] for i in self._session.get_inputs()}
        if set(names) != set(INPUTS) or any(w != len(self.feature_names) for w in names.values()):
            raise ExportedModelError(f"{path}: inputs {names}, expected {', '.join(INPUTS)} of "
                                     f"{len(self.feature_names)} features")

    def classify(self, x: np.ndarray, relative: bool) -> np.ndarray:
        rows = np.ascontiguousarray(x, dtype=np.float32)
        out = self._session.run([OUTPUTS[relative]], dict.fromkeys(INPUTS, rows))[0]
        return scatter(out, self._columns)

    def __repr__(self) -> str:
        return f"OnnxVoiceModel({self.filepath!r})"
