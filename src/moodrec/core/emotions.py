"""The emotion vocabulary: the one place that spells emotion names.

Every source of the project spells the six emotions differently:

* FER2013 and the study's face table: ``anger``, ``fear``, ``happiness``, ``sadness``,
  ``surprise``, ``neutral`` (plus ``disgust``, which the project drops);
* the study's audio table: ``angry``, ``fear``, ``happy``, ``sad``, ``surprise``, ``neutral``;
* RAVDESS file names: numeric codes (``05`` angry, ``06`` fearful, ``08`` surprised ...);
* the soundtrack catalogue: ``ANGER``, ``FEAR``, ``HAPPY``, ``SAD``, ``SURPRISE``, ``TENDER``
  (the study's ``map.csv`` writes neutral as ``TENDER(Neutral）`` with a full-width bracket).

Everything else in the project imports :data:`EMOTIONS` and the helpers below instead of
writing names of its own, so a spelling is fixed in one place.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

#: The six emotions, in the order used for every probability vector and model output.
EMOTIONS: tuple[str, ...] = ("anger", "fear", "happiness", "sadness", "surprise", "neutral")

#: Classes that exist in a source but are not among the six (dropped, or mapped to one of the
#: six where a parameter says so: ``audio_training.clips.extra_classes``).
DROPPED: tuple[str, ...] = ("disgust", "calm", "boredom", "contempt")

#: Emotion -> the soundtrack catalogue's ``TARGET`` category that stands for it.
CATALOGUE_CATEGORY: dict[str, str] = {
    "anger": "ANGER",
    "fear": "FEAR",
    "happiness": "HAPPY",
    "sadness": "SAD",
    "surprise": "SURPRISE",
    "neutral": "TENDER",
}

#: The soundtrack ratings files' per-emotion rating columns, as set 1 spells them (set 2
#: capitalises them): listeners' ratings of how much an excerpt expresses each emotion.
SOUNDTRACK_RATING_COLUMNS: tuple[str, ...] = ("anger", "fear", "happy", "sad", "tender")

#: FER2013 ``emotion`` codes (1 = disgust is dropped).
FER2013_CODES: dict[int, str] = {
    0: "anger",
    1: "disgust",
    2: "fear",
    3: "happiness",
    4: "sadness",
    5: "surprise",
    6: "neutral",
}

#: RAVDESS file-name emotion codes (02 calm and 07 disgust are dropped).
RAVDESS_CODES: dict[str, str] = {
    "01": "neutral",
    "02": "calm",
    "03": "happiness",
    "04": "sadness",
    "05": "anger",
    "06": "fear",
    "07": "disgust",
    "08": "surprise",
}

#: EmoDB file-name emotion letters (``SSTTTEV``; German initials).
EMODB_CODES: dict[str, str] = {
    "W": "anger", "L": "boredom", "E": "disgust", "A": "fear", "F": "happiness",
    "T": "sadness", "N": "neutral",
}

#: EMOVO file-name emotion codes (``EEE-SS-TT``; Italian).
EMOVO_CODES: dict[str, str] = {
    "neu": "neutral", "gio": "happiness", "tri": "sadness", "rab": "anger", "pau": "fear",
    "sor": "surprise", "dis": "disgust",
}

#: URDU file-name emotion letters (``SGX_FYY_EZZ``; also its folder names).
URDU_CODES: dict[str, str] = {"A": "anger", "H": "happiness", "N": "neutral", "S": "sadness"}

_ALIASES: dict[str, tuple[str, ...]] = {
    "anger": ("anger", "angry", "ANGER", "mad"),
    "fear": ("fear", "fearful", "FEAR", "afraid", "scared"),
    "happiness": ("happiness", "happy", "HAPPY", "joy"),
    "sadness": ("sadness", "sad", "SAD"),
    "surprise": ("surprise", "surprised", "SURPRISE"),
    "neutral": (
        "neutral", "TENDER", "tender", "TENDER(Neutral)", "TENDER(Neutral）", "calm-neutral",
    ),
    "disgust": ("disgust", "disgusted", "DISGUST"),
    "calm": ("calm", "CALM"),
    "boredom": ("boredom", "bored"),
    "contempt": ("contempt",),
}


def label_key(label: str) -> str:
    """Case-, width- and space-insensitive lookup key (full-width brackets become ASCII; a
    byte-order mark left on a CSV's first name is dropped). The one rule for matching labels
    *and* column names across the project."""
    text = unicodedata.normalize("NFKC", str(label)).replace("\ufeff", "")
    return text.strip().lower().replace(" ", "")


ALIASES: dict[str, str] = {
    label_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases
}


class UnknownEmotionError(ValueError):
    """A label that is not one of the six emotions (nor a known alias of one)."""


def canonical(label: object, *, allow_dropped: bool = False) -> str:
    """The canonical name of an emotion label in any of the sources' spellings.

    Raises:
        UnknownEmotionError: the label is not an emotion the project knows, or it is a
            dropped class (``disgust``, ``calm``) and ``allow_dropped`` is false.
    """
    name = ALIASES.get(label_key(label)) if isinstance(label, str) else None
    if name is None or (name in DROPPED and not allow_dropped):
        raise UnknownEmotionError(
            f"unknown emotion {label!r}; expected one of {', '.join(EMOTIONS)} "
            "(or an alias such as angry, HAPPY, TENDER)"
        )
    return name


def canonical_labels(labels: Iterable[object], *, where: str = "labels") -> list[str]:
    """Canonical names for a sequence of labels; the error names the first bad row."""
    out = []
    for row, label in enumerate(labels):
        try:
            out.append(canonical(label))
        except UnknownEmotionError as err:
            raise UnknownEmotionError(f"{where}, row {row}: {err}") from None
    return out


def labels_to_indices(labels: Iterable[object], *, where: str = "labels") -> np.ndarray:
    """Class indices (int64) for labels in any spelling."""
    return np.array([EMOTIONS.index(n) for n in canonical_labels(labels, where=where)], np.int64)


def indices_to_labels(indices: Iterable[int]) -> list[str]:
    """Canonical names for class indices."""
    return [EMOTIONS[int(i)] for i in indices]


def probability_columns(columns: Iterable[str]) -> dict[str, str]:
    """Map a table's columns to the six emotions: ``{column in table: canonical name}``.

    Accepts any spelling (``angry`` / ``anger``). Columns that are not emotions are ignored.
    Raises :class:`UnknownEmotionError` naming the emotions that have no column, or a
    duplicated emotion.
    """
    found: dict[str, str] = {}
    for column in columns:
        name = ALIASES.get(label_key(column)) if isinstance(column, str) else None
        if name in EMOTIONS:
            if name in found.values():
                raise UnknownEmotionError(f"two columns stand for {name!r}: {list(columns)}")
            found[column] = name
    missing = [name for name in EMOTIONS if name not in found.values()]
    if missing:
        raise UnknownEmotionError(
            f"missing probability column(s) for {', '.join(missing)}; columns are {list(columns)}"
        )
    return found


def probability_frame(
    probabilities: np.ndarray, index: pd.Index | None = None
) -> pd.DataFrame:
    """A table with one column per emotion, named canonically, in :data:`EMOTIONS` order."""
    return pd.DataFrame(np.asarray(probabilities, float), columns=list(EMOTIONS), index=index)


def top_emotion(probabilities: Iterable[float]) -> str:
    """The emotion with the highest of six probabilities (in :data:`EMOTIONS` order)."""
    return EMOTIONS[int(np.argmax(np.asarray(list(probabilities), float)))]


def probability_dict(probabilities: Iterable[float], digits: int = 4) -> dict[str, float]:
    """``{emotion: probability}`` for six probabilities, rounded for people and JSON."""
    return {name: round(float(v), digits)
            for name, v in zip(EMOTIONS, probabilities, strict=True)}


def emotion_of_category(category: object, mapping: Mapping[str, str] | None = None) -> str | None:
    """The emotion a catalogue category stands for, or ``None`` for other categories.

    ``mapping`` (category -> emotion alias) overrides the default for catalogues whose
    categories are spelled otherwise (set 2's ``ANGER_HIGH`` ...).
    """
    if mapping is not None:
        hit = {label_key(k): v for k, v in mapping.items()}.get(label_key(category))
        return canonical(hit) if hit is not None else None
    name = ALIASES.get(label_key(category))
    return name if name in EMOTIONS else None
