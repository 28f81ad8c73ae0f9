"""The models a person's request is read with, checked before use.

The ``person`` pipeline reads the very catalog datasets the training pipelines write
(``face_model_onnx``, ``audio_model_onnx``), so a missing file is reported before the first
node by the run's input check (naming the pipeline that makes it). What remains here is
fitness: a file that loads but is not the kind of model the person path needs raises
:class:`~moodrec.person.errors.ModelFileError` naming the dataset and its training command.
"""

from __future__ import annotations

from typing import Any

from moodrec.core.emotions import EMOTIONS
from moodrec.core.faces import SIDE
from moodrec.person.errors import ModelFileError


def _shape(value: Any) -> tuple | None:
    shape = getattr(value, "shape", None)
    return tuple(shape) if shape is not None else None


def check_face_model(model: Any) -> str | None:
    """``None`` if the model takes (N, 48, 48, 1) and gives 6 classes, else the mismatch."""
    try:
        inputs, outputs = _shape(model.inputs[0]), _shape(model.outputs[0])
    except (AttributeError, IndexError, TypeError):
        return f"not a face model ({type(model).__name__} has no input and output shapes)"
    if inputs is None or tuple(inputs[1:]) != (SIDE, SIDE, 1):
        return f"its input is {inputs}, expected (None, {SIDE}, {SIDE}, 1) grey faces"
    if outputs is None or outputs[-1] != len(EMOTIONS):
        return f"its output is {outputs}, expected {len(EMOTIONS)} classes ({', '.join(EMOTIONS)})"
    return None


def check_voice_model(model: Any) -> str | None:
    """``None`` for a :class:`moodrec.audio.voice_reader.VoiceReader` (the ONNX model, whose
    classes are checked as it is opened, or a pickled ``VoiceModel`` of six classes)."""
    from moodrec.audio.voice_reader import VoiceReader

    if not isinstance(model, VoiceReader):
        return f"not a moodrec voice model ({type(model).__name__})"
    classifier = getattr(model, "classifier", None)
    classes = list(getattr(classifier, "classes_", range(len(EMOTIONS))))
    if not classes or max(classes) >= len(EMOTIONS):
        return f"its classes are {classes}, expected indices of {', '.join(EMOTIONS)}"
    return None


def _checked(model: Any, problem: str | None, dataset: str, pipeline: str) -> Any:
    if problem:
        raise ModelFileError(
            f"catalog dataset {dataset} does not fit the person path: {problem}; train it with "
            f"`kedro run --pipelines {pipeline}`, or restore the shipped file from git"
        )
    return model


def checked_face_model(model: Any) -> Any:
    """``model`` if it reads (N, 48, 48, 1) faces into six classes, else ModelFileError."""
    return _checked(model, check_face_model(model), "face_model_onnx", "face_training")


def checked_voice_model(model: Any) -> Any:
    """``model`` if it is a six-class VoiceModel, else ModelFileError."""
    return _checked(model, check_voice_model(model), "audio_model_onnx", "audio_training")
