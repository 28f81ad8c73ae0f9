"""The valence-arousal vocabulary shared by ``va_mapping``, ``recommendation`` and the person
path: the column layouts of the items, emotion points and persons' points, the chosen
catalogue's settings, carrying ratings from one catalogue's distribution to another's, and the
mapping of six probabilities to a point. No Kedro, no I/O.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import BadInputError, numeric_column, require_rows, standard_columns
from moodrec.core.emotions import EMOTIONS, UnknownEmotionError, canonical

#: One music item (a soundtrack excerpt or a song) in every catalogue: ``item`` is unique across
#: catalogues (``pmemo:123``, ``soundtracks_set1:029``), ``title`` the line shown for it.
ITEM_COLUMNS = ("item", "number", "title", "artist", "album", "track", "time_range", "genre",
                "category", "emotion", "valence", "arousal")
POINT_COLUMNS = ("emotion", "valence", "arousal")
PERSON_COLUMNS = ("source", "record", "valence", "arousal", "pred_label", "true_label")


def catalogue_names(params: dict[str, Any], available: Any = None) -> list[str]:
    """The run's ``catalogue`` (one name, or several joined by ``+``) as a list of configured
    names (``params['catalogues']``; and in ``available`` when given)."""
    names = str(params["catalogue"]).split("+")
    known = params["catalogues"] if available is None else available
    unknown = [n for n in names if n not in known or n not in params["catalogues"]]
    if unknown or len(set(names)) < len(names):
        raise BadInputError(
            f"parameters catalogue = {params['catalogue']!r}: "
            f"{'unknown ' + ', '.join(map(repr, unknown)) if unknown else 'a name repeated'}; "
            f"choose from {sorted(params['catalogues'])}, several joined by '+'"
        )
    return names


def catalogue_settings(params: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """The configuration of catalogue ``name`` (default: the run's first catalogue, whose scale
    the ranking uses), its rating scale and any categories checked."""
    name = catalogue_names(params)[0] if name is None else name
    settings = dict(params["catalogues"][name])
    scale = settings["scale"]
    if (not isinstance(scale, list | tuple) or len(scale) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in scale)
            or not scale[0] < scale[1]):
        raise BadInputError(
            f"parameters va_mapping.catalogues.{name}.scale = {scale!r}: must be [min, max] "
            f"with min < max (the catalogue's rating scale)"
        )
    covered = {canonical(v) for v in settings.get("categories", {}).values()}
    missing = [e for e in EMOTIONS if e not in covered]
    if "categories" in settings and missing:
        raise BadInputError(
            f"parameters va_mapping.catalogues.{name}.categories: no catalogue category stands "
            f"for {', '.join(missing)}"
        )
    return settings


def carry_distribution(values: np.ndarray, source: np.ndarray, target: np.ndarray) -> np.ndarray:
    """``values`` placed in ``target``'s distribution at the share of ``source`` below them:
    the empirical distribution functions, Hazen's plotting positions ((i + 0.5) / n, tied
    values at their mean position) interpolated linearly, so a value of ``source`` of rank i
    lands on ``target``'s value of rank i when both have as many values."""
    ordered = np.sort(np.asarray(source, np.float64))
    distinct, first, counts = np.unique(ordered, return_index=True, return_counts=True)
    positions = (first + (counts - 1) / 2 + 0.5) / ordered.size
    shares = np.interp(np.asarray(values, np.float64), distinct, positions)
    return np.quantile(np.asarray(target, np.float64), shares, method="hazen")


def excerpt_title(number: int, album: str, track: str, time_range: str) -> str:
    """``"#29 Vertigo OST, track 6 [02:02-02:17]"``: the line naming a soundtrack excerpt."""
    where = f"track {track}" if str(track).isdigit() else str(track)
    return f"#{number} {album}, {where} [{time_range}]"


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
