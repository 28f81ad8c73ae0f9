"""Models for the person path, loaded on first use, checked, with errors that say what to do.

The catalog gives the person path a :class:`ModelLoader` (see
:class:`moodrec.person.datasets.OnDemandDataset`) instead of a loaded model, so that a
``kedro run`` without a person request (batch mode) neither loads TensorFlow models nor fails
when one is missing. The first ``get()`` loads the file and checks that it fits:

* face model: input ``(None, 48, 48, 1)`` (grey 0-255, rescaled inside), output 6 classes;
* audio model: input of ``n`` features (``(None, n)`` or ``(None, n, 1)``), output 6;
* audio scaler: the JSON standard scaler of :mod:`moodrec.audio.scaling`; its
  ``feature_names`` say which of the 162 training features the model takes, in which order
  (the search may pick a subset, ``feature_set: no_mel``: 34), exactly as ``audio_training``
  selects them for the final model. A scaler without names stands for all 162, in order.
  The model's input must take as many features as the scaler has (checked when both are
  loaded: :func:`audio_columns`).

Anything else raises :class:`ModelFileError` naming the file and the training command.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from moodrec.audio.features import FEATURE_NAMES
from moodrec.emotions import EMOTIONS
from moodrec.faces import SIDE
from moodrec.person.errors import ModelFileError

N_AUDIO_FEATURES = len(FEATURE_NAMES)  # 162


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


def _audio_input_size(model: Any) -> int | None:
    """``n`` for a model input of (None, n) or (None, n, 1), else ``None``."""
    inputs = _shape(model.inputs[0])
    if inputs is None or len(inputs) not in (2, 3) or (len(inputs) == 3 and inputs[2] != 1):
        return None
    return inputs[1] if isinstance(inputs[1], int) else None


def check_audio_model(model: Any) -> str | None:
    """``None`` if the model takes n <= 162 features ((N, n) or (N, n, 1)) and gives 6 classes."""
    try:
        inputs, outputs = _shape(model.inputs[0]), _shape(model.outputs[0])
    except (AttributeError, IndexError, TypeError):
        return f"not a Keras functional/sequential model ({type(model).__name__})"
    size = _audio_input_size(model)
    if size is None or not 1 <= size <= N_AUDIO_FEATURES:
        return (f"its input is {inputs}, expected (None, n) or (None, n, 1) with n of the "
                f"{N_AUDIO_FEATURES} training features")
    if outputs is None or outputs[-1] != len(EMOTIONS):
        return f"its output is {outputs}, expected {len(EMOTIONS)} classes ({', '.join(EMOTIONS)})"
    return None


def check_audio_scaler(scaler: Any) -> str | None:
    """``None`` for a :mod:`moodrec.audio.scaling` scaler of (some of) the 162 features."""
    if not isinstance(scaler, dict) or "mean" not in scaler or "scale" not in scaler:
        return "not a standard scaler (a JSON object with 'mean' and 'scale')"
    n = len(scaler["mean"])
    if len(scaler["scale"]) != n:
        return f"it has {n} means but {len(scaler['scale'])} scales"
    names = scaler.get("feature_names")
    if names is None:
        if n != N_AUDIO_FEATURES:
            return (f"it has {n} features and no feature_names, expected all "
                    f"{N_AUDIO_FEATURES}")
        return None
    if len(names) != n:
        return f"it has {n} features but {len(names)} feature_names"
    unknown = [name for name in names if name not in FEATURE_NAMES]
    if unknown:
        return f"feature_names {unknown[:5]} are not training features"
    if len(set(names)) != len(names):
        return "its feature_names repeat a feature"
    return None


def audio_columns(model: ModelLoader, scaler: ModelLoader) -> list[int]:
    """Positions, into the 162 training features, of what the audio model takes (the scaler's
    ``feature_names``, as ``audio_training`` selects them); checks that model and scaler agree.

    Raises:
        ModelFileError: the model takes another number of features than the scaler has.
    """
    from moodrec.audio.scaling import scaler_columns

    columns = scaler_columns(scaler.get())
    size = _audio_input_size(model.get())
    if size != len(columns):
        raise ModelFileError(
            f"audio model {model.filepath} takes {size} features but the audio scaler "
            f"{scaler.filepath} has {len(columns)}: they are not from the same training run; "
            f"train both with `{model.how_to_make}`"
        )
    return columns


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "face_model": check_face_model,
    "audio_model": check_audio_model,
    "audio_scaler": check_audio_scaler,
}
