"""Face data: FER2013 tables to arrays, and arrays to what the face model takes.

Shared by the ``face_training`` pipeline and inference code. The face model takes 48x48x1
images with pixel values 0-255 (it rescales to [0, 1] itself): :func:`to_model_input` turns
one grey face or a batch into that.

Accepted tables: the project's ``face-data.csv`` (``emotion_label, Usage, pixels, emotion``)
and Kaggle's original ``fer2013.csv`` (``emotion, pixels, Usage`` with numeric codes;
``disgust`` rows are dropped, as the study did).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from moodrec.core.emotions import DROPPED, EMOTIONS, FER2013_CODES, UnknownEmotionError, canonical

logger = logging.getLogger(__name__)

SIDE = 48
N_PIXELS = SIDE * SIDE
#: FER2013's ``Usage`` values.
USAGES: tuple[str, ...] = ("Training", "PublicTest", "PrivateTest")

_INTEGERS = re.compile(r"\s*-?\d+(?:\s+-?\d+)*\s*")


class FaceDataError(ValueError):
    """A face table that cannot be used; the message names the column or the row."""


def _row(table_index: pd.Index, position: int) -> str:
    label = table_index[position]
    return f"row {label} (CSV line {label + 2})" if isinstance(label, int | np.integer) \
        else f"row {label!r}"


def _refuse_first(bad: np.ndarray, message: Callable[[int], str]) -> None:
    """Raise :class:`FaceDataError` with ``message(position)`` of the first True in ``bad``:
    every check of a face table names the first row that fails it."""
    if bad.any():
        raise FaceDataError(message(int(bad.argmax())))


def parse_pixels(pixels: pd.Series, *, where: str = "pixels") -> np.ndarray:
    """``pixels`` strings (2,304 space-separated integers 0-255, row-major) to uint8
    arrays of shape (n, 48, 48).

    Vectorised: one regular-expression check and one count per row (in C), then a single
    NumPy parse of all the text. Errors name the first bad row: a missing value, a
    non-integer, the wrong number of values, a value outside 0-255.
    """
    pixels = pd.Series(pixels)
    if len(pixels) == 0:
        return np.zeros((0, SIDE, SIDE), np.uint8)
    text = pixels.astype("string")
    _refuse_first(text.isna().to_numpy(bool),
                  lambda at: f"{where}: {_row(pixels.index, at)} has no pixels")

    def non_integer(at: int) -> str:
        value = str(text.iloc[at])
        bad = next((t for t in value.split() if not re.fullmatch(r"-?\d+", t)), value[:20])
        return (f"{where}: {_row(pixels.index, at)} has a non-integer value {bad!r}; "
                f"expected {N_PIXELS} space-separated integers 0-255")

    _refuse_first(~text.str.fullmatch(_INTEGERS).to_numpy(bool), non_integer)
    counts = text.str.strip().str.count(r"\s+").to_numpy(int) + 1
    _refuse_first(counts != N_PIXELS, lambda at: (
        f"{where}: {_row(pixels.index, at)} has {counts[at]} pixel values; "
        f"expected {N_PIXELS} (48x48)"))
    values = np.fromstring(" ".join(text.tolist()), dtype=np.int64, sep=" ")
    if values.size != len(pixels) * N_PIXELS:  # pragma: no cover - guarded by the checks above
        raise FaceDataError(f"{where}: parsed {values.size} values for {len(pixels)} rows")
    _refuse_first((values < 0) | (values > 255), lambda flat: (
        f"{where}: {_row(pixels.index, flat // N_PIXELS)} has value {values[flat]} at "
        f"pixel {flat % N_PIXELS}; pixel values must be 0-255"))
    return values.astype(np.uint8).reshape(-1, SIDE, SIDE)


def emotion_labels(table: pd.DataFrame) -> np.ndarray:
    """Canonical emotion names of a face table's rows.

    Reads ``emotion`` names and, when present, ``emotion_label`` FER2013 codes, and checks
    they agree; a table with numeric ``emotion`` only (Kaggle's ``fer2013.csv``) is read as
    codes. Rows of dropped classes (disgust) come back as ``"disgust"``; the caller drops them.
    """
    codes = table["emotion_label"] if "emotion_label" in table else None
    names = table["emotion"] if "emotion" in table else None
    if names is not None and pd.api.types.is_numeric_dtype(names) and codes is None:
        codes, names = names, None
    if codes is None and names is None:
        raise FaceDataError(
            f"face table has no emotion column (emotion or emotion_label); "
            f"columns are {list(table.columns)}"
        )
    from_codes = None
    if codes is not None:
        numeric = pd.to_numeric(codes, errors="coerce")
        _refuse_first(~numeric.isin(list(FER2013_CODES)).to_numpy(bool), lambda at: (
            f"emotion_label: {_row(table.index, at)} has code {codes.iloc[at]}; "
            f"FER2013 codes are {sorted(FER2013_CODES)}"))
        from_codes = numeric.astype(int).map(FER2013_CODES).to_numpy(object)
    if names is None:
        return from_codes
    unique = {}
    for name in pd.unique(names.astype(object)):
        try:
            unique[name] = canonical(name, allow_dropped=True)
        except UnknownEmotionError as err:
            position = int(names.astype(object).eq(name).to_numpy(bool).argmax()) \
                if isinstance(name, str) else int(names.isna().to_numpy(bool).argmax())
            raise FaceDataError(f"emotion: {_row(table.index, position)}: {err}") from None
    from_names = names.astype(object).map(unique).to_numpy(object)
    if from_codes is not None:
        _refuse_first(from_names != from_codes, lambda at: (
            f"{_row(table.index, at)}: emotion {names.iloc[at]!r} disagrees "
            f"with emotion_label {codes.iloc[at]} ({from_codes[at]})"))
    return from_names


def check_usage(table: pd.DataFrame) -> pd.Series:
    """The ``Usage`` column, checked: every row has one of :data:`USAGES`."""
    if "Usage" not in table:
        raise FaceDataError(f"face table has no Usage column; columns are {list(table.columns)}")
    usage = table["Usage"].astype(object)
    missing = usage.isna().to_numpy(bool) | usage.astype(str).str.strip().eq("").to_numpy(bool)
    _refuse_first(missing, lambda at: (
        f"Usage: {_row(table.index, at)} has no split (expected one of {', '.join(USAGES)})"))
    _refuse_first(~usage.isin(USAGES).to_numpy(bool), lambda at: (
        f"Usage: {_row(table.index, at)} has {usage.iloc[at]!r}; "
        f"expected one of {', '.join(USAGES)}"))
    return usage


def parse_face_table(table: pd.DataFrame, *, where: str = "face table"
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Images (n, 48, 48, 1) uint8 and class indices into :data:`EMOTIONS` (int64) of a
    face table; rows of dropped classes (disgust) are left out, with a log line."""
    if "pixels" not in table:
        raise FaceDataError(f"{where} has no pixels column; columns are {list(table.columns)}")
    names = emotion_labels(table)
    keep = ~np.isin(names, DROPPED)
    if not keep.all():
        logger.info("%s: dropped %d row(s) of %s", where, int((~keep).sum()), ", ".join(DROPPED))
    images = parse_pixels(table["pixels"][keep], where=f"{where}, pixels")
    labels = np.array([EMOTIONS.index(n) for n in names[keep]], np.int64)
    return images[..., np.newaxis], labels


def parse_ckplus(faces: dict[str, np.ndarray], dropped_classes: list[str]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, int]]:
    """CK+48 faces keyed ``<class>/S<subject>_<sequence>_<frame>`` (its folders and file
    names) -> images ``(n, 48, 48, 1)`` uint8, class indices, subjects (``S010``), and how
    many faces of each of ``dropped_classes`` (classes the project has no name for, such as
    ``contempt``) were left out. Another class or a face not 48x48 grey is an error naming
    the file."""
    kept, labels, subjects = [], [], []
    dropped = {name: 0 for name in dropped_classes}
    for key, face in faces.items():
        folder, _, name = key.replace("\\", "/").rpartition("/")
        folder = folder.rpartition("/")[2]
        if folder in dropped:
            dropped[folder] += 1
            continue
        try:
            label = EMOTIONS.index(canonical(folder))
        except UnknownEmotionError as err:
            raise FaceDataError(f"CK+ face {key!r}: folder {folder!r}: {err}") from None
        if face.shape != (SIDE, SIDE) or face.dtype != np.uint8:
            raise FaceDataError(f"CK+ face {key!r}: expected 48x48 8-bit grey, got "
                                f"{face.shape} {face.dtype}")
        kept.append(face)
        labels.append(label)
        subjects.append(name.split("_")[0])
    if not kept:
        raise FaceDataError("CK+ faces: no face of a known emotion")
    return (np.stack(kept)[..., np.newaxis], np.array(labels, np.int64), np.array(subjects),
            dropped)


def to_model_input(gray48: np.ndarray) -> np.ndarray:
    """One grey 48x48 face, or a batch, as the face model's input: float32 (n, 48, 48, 1)
    with values 0-255 (the model rescales). Accepts (48, 48), (48, 48, 1), (n, 48, 48) and
    (n, 48, 48, 1); uint8 or float values in 0-255."""
    array = np.asarray(gray48)
    if array.ndim == 2:
        array = array[np.newaxis, ..., np.newaxis]
    elif array.ndim == 3:
        array = array[np.newaxis] if array.shape == (SIDE, SIDE, 1) else array[..., np.newaxis]
    if array.ndim != 4 or array.shape[1:] != (SIDE, SIDE, 1):
        raise ValueError(
            f"a face must be 48x48 grey (shape (48, 48), (48, 48, 1) or a batch of them); "
            f"got shape {np.shape(gray48)}"
        )
    if array.size and (np.nanmin(array) < 0 or np.nanmax(array) > 255 or np.isnan(array).any()):
        raise ValueError("face pixel values must be 0-255 (uint8 scale), without NaN")
    return array.astype(np.float32)


def repeated_faces(faces: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """A boolean mask over ``faces``: True where the face is pixel-identical to one of
    ``reference`` (FER2013 repeats faces across its splits; scores on a test split are
    also reported without them)."""
    seen = {face.tobytes() for face in np.ascontiguousarray(reference, np.uint8)}
    return np.array([face.tobytes() in seen for face in np.ascontiguousarray(faces, np.uint8)],
                    bool)


def sharpness(images: np.ndarray) -> np.ndarray:
    """Per-image sharpness of ``(n, h, w)`` or ``(n, h, w, 1)`` grey images: the mean absolute
    4-neighbour Laplacian over interior pixels (grey levels per pixel; FER2013's sharp faces
    have a median of about 28)."""
    x = np.asarray(images, np.float32)
    if x.ndim == 4:
        x = x[..., 0]
    centre = x[:, 1:-1, 1:-1]
    laplacian = 4 * centre - x[:, :-2, 1:-1] - x[:, 2:, 1:-1] - x[:, 1:-1, :-2] - x[:, 1:-1, 2:]
    return np.abs(laplacian).mean(axis=(1, 2))


#: Ways of bringing a photo's face crop to FER2013's contrast (``person.face``).
CONTRAST_MODES: tuple[str, ...] = ("none", "match", "equalize")


def normalise_contrast(faces: np.ndarray, mode: str, mean: float, std: float) -> np.ndarray:
    """Face crops (``(n, 48, 48)`` or ``(48, 48)`` uint8) with FER2013's contrast.

    ``match``: each face's grey levels mapped linearly to ``mean`` and ``std`` (FER2013's
    typical face: 129.5 and 54.3), which undoes a dark, bright or flat photo without changing
    the face's shape; ``equalize``: histogram equalisation; ``none``: as they are.
    """
    if mode not in CONTRAST_MODES:
        raise ValueError(f"contrast mode must be one of {', '.join(CONTRAST_MODES)}; "
                         f"got {mode!r}")
    x = np.asarray(faces, np.float32)
    if mode == "none":
        return x.astype(np.uint8)
    if mode == "equalize":
        import cv2

        flat = x.reshape(-1, *x.shape[-2:]).astype(np.uint8)
        return np.stack([cv2.equalizeHist(face) for face in flat]).reshape(x.shape)
    axes = (-2, -1)
    centred = x - x.mean(axis=axes, keepdims=True)
    spread = np.maximum(x.std(axis=axes, keepdims=True), 1.0)
    return np.clip(np.rint(centred / spread * std + mean), 0, 255).astype(np.uint8)
