"""The valence-arousal vocabulary shared by ``va_mapping`` and ``recommendation``: the column
layouts of the catalogue, emotion points and persons' points, the chosen soundtrack set's
settings, and the mapping of six probabilities to a point. No Kedro, no I/O.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import BadInputError, numeric_column, require_rows, standard_columns
from moodrec.core.emotions import EMOTIONS, UnknownEmotionError, canonical

CATALOGUE_COLUMNS = ("number", "valence", "arousal", "category", "emotion")
POINT_COLUMNS = ("emotion", "valence", "arousal")
PERSON_COLUMNS = ("source", "record", "valence", "arousal", "pred_label", "true_label")


def catalogue_settings(params: dict[str, Any]) -> dict[str, Any]:
    """The configuration of the selected soundtrack set (``params['catalogues'][set]``), its
    rating scale and categories checked."""
    name = params["soundtrack_set"]
    sets = params["catalogues"]
    if name not in sets:
        raise BadInputError(
            f"parameters va_mapping.catalogues: no configuration for soundtrack_set {name!r}; "
            f"configured sets are {sorted(sets)}"
        )
    settings = dict(sets[name])
    scale = settings["scale"]
    if (not isinstance(scale, list | tuple) or len(scale) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
            or not scale[0] < scale[1]):
        raise BadInputError(
            f"parameters va_mapping.catalogues.{name}.scale = {scale!r}: must be [min, max] "
            f"with min < max (the set's rating scale)"
        )
    mapping = settings["categories"]
    covered = {canonical(v) for v in mapping.values()}
    missing = [e for e in EMOTIONS if e not in covered]
    if missing:
        raise BadInputError(
            f"parameters va_mapping.catalogues.{name}.categories: no catalogue category stands "
            f"for {', '.join(missing)}"
        )
    return settings


def emotion_point_table(points: pd.DataFrame, dataset: str = "emotion_va_points") -> pd.DataFrame:
    """The six emotions' points (:data:`POINT_COLUMNS`, canonical names, :data:`EMOTIONS`
    order), checked: the one check of ``emotion_va_points`` for every pipeline that reads it.
    A missing, repeated or unknown emotion or a non-numeric point names ``dataset``."""
    require_rows(points, dataset)
    points = standard_columns(points, POINT_COLUMNS, dataset)
    valence = numeric_column(points, "valence", dataset)
    arousal = numeric_column(points, "arousal", dataset)
    try:
        names = [canonical(e) for e in points["emotion"]]
    except UnknownEmotionError as err:
        raise BadInputError(f"{dataset}: column 'emotion': {err}") from None
    table = pd.DataFrame({"valence": valence, "arousal": arousal}, index=names)
    missing = [e for e in EMOTIONS if e not in table.index]
    if missing:
        raise BadInputError(f"{dataset}: column 'emotion' has no row for {', '.join(missing)}")
    if table.index.duplicated().any():
        raise BadInputError(f"{dataset}: column 'emotion' repeats "
                            f"{sorted(set(table.index[table.index.duplicated()]))}")
    return table.loc[list(EMOTIONS)].rename_axis("emotion").reset_index()


def to_valence_arousal(
    probabilities: np.ndarray, points: pd.DataFrame
) -> np.ndarray:
    """(n x 6) probabilities in :data:`EMOTIONS` order -> (n x 2) probability-weighted means."""
    table = points.set_index("emotion").reindex(list(EMOTIONS))[["valence", "arousal"]]
    return np.asarray(probabilities, np.float64) @ table.to_numpy(np.float64)


def scale_midpoint(scale: Any) -> np.ndarray:
    """The (valence, arousal) centre of a rating scale ``[min, max]`` (both axes share it):
    the origin of ``centred_cosine`` and the neutral point of the goals."""
    low, high = (float(v) for v in scale)
    return np.full(2, (low + high) / 2.0)
