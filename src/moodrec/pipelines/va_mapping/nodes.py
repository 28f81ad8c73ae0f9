"""Nodes of ``va_mapping``: emotion probabilities -> points in the valence-arousal plane.

1. :mod:`.catalogues` reads every music catalogue into one schema of items and picks the
   run's ``catalogue``;
2. :func:`emotion_points` gives every emotion its (valence, arousal) point: the mean of the
   items of its categories (``derived``; carried over from ``reference`` for a catalogue
   without categories) or the study's ``map.csv`` (``study_map``);
3. :func:`map_predictions` turns each prediction table (face and audio) into persons' points:
   the probability-weighted mean of the six emotion points;
4. :func:`~moodrec.pipelines.va_mapping.plot.va_plane_figure` (``plot.py``) draws the plane.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import (
    BadInputError,
    check_predicted_labels,
    check_tolerance,
    emotion_labels,
    find_columns,
    numeric_column,
    optional_column,
    probability_table,
    require_rows,
)
from moodrec.core.emotions import (
    EMOTIONS,
    emotion_of_category,
)
from moodrec.core.valence_arousal import (
    POINT_COLUMNS,
    carry_distribution,
    catalogue_names,
    catalogue_settings,
    to_valence_arousal,
)

logger = logging.getLogger(__name__)

TRUE_LABEL_COLUMNS = ("true_label", "emotion", "label")


def derived_emotion_points(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Per-emotion mean (valence, arousal) of the items whose category stands for it."""
    grouped = catalogue.dropna(subset=["emotion"]).groupby("emotion")[["valence", "arousal"]]
    means = grouped.mean().reindex(list(EMOTIONS))
    missing = means.index[means["valence"].isna()].tolist()
    if missing:
        raise BadInputError(f"catalogue items: no item stands for {', '.join(missing)} "
                            f"(column 'emotion')")
    return means.rename_axis("emotion").reset_index()


def study_emotion_points(
    study_map: pd.DataFrame, dataset: str = "study_emotion_map"
) -> pd.DataFrame:
    """The six emotion rows of a fixed table like the study's ``map.csv`` (``Mood, Valence,
    Arousal``; other rows such as ``HIGH ENERGY`` are ignored)."""
    require_rows(study_map, dataset)
    cols = find_columns(study_map, ["mood", "valence", "arousal"], dataset)
    valence = numeric_column(study_map, cols["valence"], dataset)
    arousal = numeric_column(study_map, cols["arousal"], dataset)
    rows: dict[str, tuple[float, float]] = {}
    for i, mood in enumerate(study_map[cols["mood"]]):
        emotion = emotion_of_category(mood) if isinstance(mood, str) else None
        if emotion is None:
            continue
        if emotion in rows:
            raise BadInputError(f"{dataset}: {emotion} appears twice (row {i}, 0-based)")
        rows[emotion] = (valence[i], arousal[i])
    missing = [e for e in EMOTIONS if e not in rows]
    if missing:
        raise BadInputError(
            f"{dataset}: column {cols['mood']!r} has no row for {', '.join(missing)}"
        )
    return pd.DataFrame([(e, *rows[e]) for e in EMOTIONS], columns=list(POINT_COLUMNS))


def emotion_points(params: dict[str, Any], study_map: pd.DataFrame,
                   **catalogues: pd.DataFrame) -> pd.DataFrame:
    """Each emotion's (valence, arousal) point on the run's (first) catalogue, by
    ``params['emotion_points']``: ``derived`` (the mean of its categories' items; a catalogue
    without categories gets ``reference``'s points carried over by matching each dimension's
    distribution) or ``study_map`` (the study's fixed table, on soundtracks_set1's scale)."""
    name = catalogue_names(params, catalogues)[0]
    first = catalogues[name]
    choice = params["emotion_points"]
    if choice == "study_map":
        if name != "soundtracks_set1":
            raise BadInputError(
                f"parameters va_mapping.emotion_points = 'study_map': the study's map.csv is on "
                f"soundtracks_set1's 1-7 scale, but catalogue is {name!r} (scale "
                f"{catalogue_settings(params, name)['scale']}); use 'derived' for it"
            )
        return study_emotion_points(study_map)
    if choice != "derived":
        raise BadInputError(
            f"parameters va_mapping.emotion_points: {choice!r}; use 'derived' or 'study_map'"
        )
    if first["emotion"].notna().any():
        return derived_emotion_points(first)
    reference = catalogues[params["reference"]]
    points = derived_emotion_points(reference)
    for axis in ("valence", "arousal"):
        points[axis] = carry_distribution(points[axis].to_numpy(float), reference[axis],
                                          first[axis])
    logger.info("emotion points of %s carried from %s by matching distributions", name,
                params["reference"])
    return points


def map_table(
    predictions: pd.DataFrame,
    points: pd.DataFrame,
    *,
    dataset: str,
    source: str,
    tolerance: float = 1e-3,
) -> pd.DataFrame:
    """One prediction table -> persons' points (columns :data:`PERSON_COLUMNS`).

    Accepts the project's tables (six canonical columns, ``pred_label``, ``true_label``) and
    the study's (``emotion`` or ``label`` as the true label; columns spelled with any alias of
    :mod:`moodrec.core.emotions`). Every column is found by the one rule of
    :func:`~moodrec.core.checks.find_columns` (``Label`` is ``label``); a
    ``pred_label`` must be the row's most probable emotion.
    """
    require_rows(predictions, dataset)
    predictions = predictions.reset_index(drop=True)  # rows named 0-based, as elsewhere
    probabilities, _ = probability_table(predictions, dataset, tolerance)
    pred_column = optional_column(predictions, ["pred_label"], dataset, "predicted label")
    if pred_column is not None:
        predicted = emotion_labels(predictions[pred_column], dataset, pred_column, required=True)
        check_predicted_labels(predicted, probabilities, dataset, pred_column, tolerance)
    else:
        predicted = [EMOTIONS[i] for i in probabilities.argmax(axis=1)]
    true_column = optional_column(predictions, TRUE_LABEL_COLUMNS, dataset, "true label")
    truth = (emotion_labels(predictions[true_column], dataset, true_column, required=False)
             if true_column is not None else [None] * len(predictions))
    va = to_valence_arousal(probabilities, points)
    return pd.DataFrame({
        "source": source,
        "record": np.arange(len(predictions)),
        "valence": va[:, 0],
        "arousal": va[:, 1],
        "pred_label": predicted,
        "true_label": pd.Series(truth, dtype=object),
    })


def map_predictions(
    face_predictions: pd.DataFrame,
    audio_predictions: pd.DataFrame,
    points: pd.DataFrame,
    params: dict[str, Any],
) -> pd.DataFrame:
    """Both prediction tables -> one table of persons' points, ``source`` = face / audio."""
    source = params["prediction_source"]
    tolerance = check_tolerance(params["probability_tolerance"],
                                "va_mapping.probability_tolerance")
    tables = [
        map_table(table, points, dataset=f"{name}_predictions_for_mapping "
                  f"(prediction_source={source})", source=name,
                  tolerance=tolerance)
        for name, table in (("face", face_predictions), ("audio", audio_predictions))
    ]
    persons = pd.concat(tables, ignore_index=True)
    logger.info("mapped %s persons' points (%s)", len(persons),
                ", ".join(f"{t['source'].iat[0]}: {len(t)}" for t in tables))
    return persons
