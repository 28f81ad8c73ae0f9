"""Models for the person path, loaded on first use, checked, with errors that say what to do.

The catalog gives the person path a :class:`ModelLoader` (see
:class:`moodrec.person.datasets.OnDemandDataset`) instead of a loaded model, so that a
``kedro run`` without a person request (batch mode) neither loads TensorFlow models nor fails
when one is missing. The first ``get()`` loads the file and checks that it fits:

* face model: input ``(None, 48, 48, 1)`` (grey 0-255, rescaled inside), output 6 classes;
* voice model: a :class:`moodrec.audio.voice_reader.VoiceModel` (what ``audio_training``
  writes), which carries its own feature settings, so training and the person path cannot
  disagree on them.

Anything else raises :class:`ModelFileError` naming the file and the training command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from moodrec.core.emotions import EMOTIONS
from moodrec.core.faces import SIDE
from moodrec.person.errors import ModelFileError


class ModelLoader:
    """Loads a catalog dataset once, on the first ``get()``; errors name the file."""

    def __init__(
        self, load: Callable[[], Any], exists: Callable[[], bool], *, what: str, filepath: str,
        how_to_make: str, check: Callable[[Any], str | None] | None = None,
    ) -> None:
        self._load, self._exists, self._check = load, exists, check
        self.what, self.filepath, self.how_to_make = what, filepath, how_to_make
        self._value: Any = None
        self._loaded = False

    def get(self) -> Any:
        if self._loaded:
            return self._value
        hint = f"train it with `{self.how_to_make}`"
        shipped = _shipped_path(self.filepath)
        if shipped:
            hint += f", or restore the shipped file (`git checkout -- {shipped}`)"
        if not self._exists():
            raise ModelFileError(f"{self.what} not found: {self.filepath}; {hint}")
        try:
            value = self._load()
        except Exception as err:  # noqa: BLE001 - any loading failure becomes one clear message
            cause = err.__cause__ or err
            raise ModelFileError(
                f"{self.what} {self.filepath} cannot be loaded ({type(cause).__name__}: "
                f"{str(cause).splitlines()[0] if str(cause) else ''}); "
                "it may be damaged or made by "
                f"an incompatible Keras version: {hint}"
            ) from err
        problem = self._check(value) if self._check else None
        if problem:
            raise ModelFileError(
                f"{self.what} {self.filepath} does not fit the person path: {problem}; {hint}"
            )
        self._value, self._loaded = value, True
        return value

    @property
    def loaded(self) -> bool:
        return self._loaded

    def __repr__(self) -> str:
        return f"ModelLoader({self.what!r}, {self.filepath!r}, loaded={self._loaded})"


def _shipped_path(filepath: str) -> str | None:
    """``models/...`` if the file is one of the project's shipped models (the current folder
    is the project's while Kedro runs), else ``None``."""
    path = Path(filepath)
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        return None
    return relative.as_posix() if relative.parts[:1] == ("models",) else None


def _shape(value: Any) -> tuple | None:
    shape = getattr(value, "shape", None)
    return tuple(shape) if shape is not None else None


def check_face_model(model: Any) -> str | None:
    """``None`` if the model takes (N, 48, 48, 1) and gives 6 classes, else the mismatch."""
    try:
        inputs, outputs = _shape(model.inputs[0]), _shape(model.outputs[0])
    except (AttributeError, IndexError, TypeError):
        return f"not a Keras functional/sequential model ({type(model).__name__})"
    if inputs is None or tuple(inputs[1:]) != (SIDE, SIDE, 1):
        return f"its input is {inputs}, expected (None, {SIDE}, {SIDE}, 1) grey faces"
    if outputs is None or outputs[-1] != len(EMOTIONS):
        return f"its output is {outputs}, expected {len(EMOTIONS)} classes ({', '.join(EMOTIONS)})"
    return None


def check_voice_model(model: Any) -> str | None:
    """``None`` for a :class:`moodrec.audio.voice_reader.VoiceModel` of six classes."""
    from moodrec.audio.voice_reader import VoiceModel

    if not isinstance(model, VoiceModel):
        return f"not a moodrec VoiceModel ({type(model).__name__})"
    classes = list(getattr(model.classifier, "classes_", []))
    if not classes or max(classes) >= len(EMOTIONS):
        return f"its classes are {classes}, expected indices of {', '.join(EMOTIONS)}"
    return None


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "face_model": check_face_model,
    "audio_model": check_voice_model,
}
