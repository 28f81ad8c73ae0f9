"""Nodes of ``recommendation``: persons' points -> the k most similar soundtrack excerpts.

1. :func:`recommendable_excerpts`: the catalogue excerpts whose category stands for one of the
   six emotions, joined with the track list (album, track, time range);
2. :func:`recommend`: every person's top k (ranking: :func:`moodrec.core.ranking.rank_excerpts`);
3. :func:`recommendation_metrics`: hit@k, distance to the true emotion's point and catalogue
   coverage for every similarity mode, per sense (face, audio).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import (
    BadInputError,
    emotion_labels,
    find_columns,
    integer_ids,
    numeric_column,
    require_rows,
    standard_columns,
    text_column,
)
from moodrec.core.emotions import EMOTIONS
from moodrec.core.ranking import rank_excerpts, tie_averaged_hits
from moodrec.core.valence_arousal import (
    CATALOGUE_COLUMNS,
    PERSON_COLUMNS,
    emotion_point_table,
)
from moodrec.pipelines.recommendation.settings import (
    check_centre_inside,
    checked_settings,
    metric_modes,
    scale_centre,
)

logger = logging.getLogger(__name__)

EXCERPT_COLUMNS = ("number", "album", "track", "time_range", "category", "emotion",
                   "valence", "arousal")


def recommendable_excerpts(
    catalogue: pd.DataFrame, tracklist: pd.DataFrame, params: dict[str, Any]
) -> pd.DataFrame:
    """Excerpts of the six emotions' categories with their source (album, track, time range).

    Every such excerpt must be in the track list; the track list's numbers may be zero-padded
    (``001``). The parameters (``k``, ``mode``, the set's centre) are checked here too, against
    the number of recommendable excerpts, so that a bad value stops the pipeline at its first
    node, before it writes anything.
    """
    soundtrack_set = params["soundtrack_set"]
    catalogue_name = f"soundtrack_catalogue ({soundtrack_set})"
    tracklist_name = f"soundtrack_tracklist ({soundtrack_set})"
    require_rows(catalogue, catalogue_name)
    catalogue = standard_columns(catalogue, CATALOGUE_COLUMNS, catalogue_name)
    all_numbers = integer_ids(catalogue, "number", catalogue_name)
    all_valence = numeric_column(catalogue, "valence", catalogue_name)
    all_arousal = numeric_column(catalogue, "arousal", catalogue_name)
    emotion = catalogue["emotion"]
    recommendable = (emotion.notna() & (emotion.astype(str).str.strip() != "")).to_numpy()
    chosen = catalogue[recommendable]
    if chosen.empty:
        raise BadInputError(
            f"{catalogue_name}: no excerpt belongs to a category of the six emotions (column "
            f"'emotion' is empty); categories present: "
            f"{sorted(catalogue['category'].astype(str).unique())}"
        )
    emotions = emotion_labels(chosen["emotion"], catalogue_name, "emotion", required=True)
    absent = [e for e in EMOTIONS if e not in set(emotions)]
    if absent:
        raise BadInputError(
            f"{catalogue_name}: no excerpt stands for {', '.join(absent)} in column 'emotion' "
            f"(categories present: {sorted(catalogue['category'].astype(str).unique())})"
        )
    numbers = all_numbers[recommendable]
    valence, arousal = all_valence[recommendable], all_arousal[recommendable]

    require_rows(tracklist, tracklist_name)
    names = params["tracklist_columns"]
    cols = find_columns(tracklist, [names[k] for k in ("number", "album", "track", "time_range")],
                        tracklist_name)
    listed = pd.DataFrame({
        "number": integer_ids(tracklist, cols[names["number"]], tracklist_name),
        **{key: text_column(tracklist, cols[names[key]], tracklist_name)
           for key in ("album", "track", "time_range")},
    })
    unlisted = ~np.isin(numbers, listed["number"].to_numpy())
    if unlisted.any():
        missing = numbers[unlisted].tolist()
        rows = np.flatnonzero(recommendable)[unlisted].tolist()
        raise BadInputError(
            f"{tracklist_name}: excerpt number(s) {missing[:10]}"
            f"{' ...' if len(missing) > 10 else ''} of {catalogue_name} (rows {rows[:10]}, "
            f"0-based) are missing from column {cols[names['number']]!r}"
        )
    excerpts = pd.DataFrame({
        "number": numbers,
        "category": chosen["category"].astype(str).to_numpy(),
        "emotion": emotions,
        "valence": valence,
        "arousal": arousal,
    }).merge(listed, on="number", how="left", validate="one_to_one")
    checked_settings(params, len(excerpts), catalogue_name)
    check_centre_inside(scale_centre(params), np.column_stack([valence, arousal]), params,
                        catalogue_name)
    return excerpts[list(EXCERPT_COLUMNS)].reset_index(drop=True)


def _person_points(persons: pd.DataFrame,
                   dataset: str = "person_va_points") -> tuple[pd.DataFrame, np.ndarray]:
    """The persons' table with its columns named as :data:`PERSON_COLUMNS`, and its points."""
    require_rows(persons, dataset)
    persons = standard_columns(persons, PERSON_COLUMNS, dataset)
    return persons, np.column_stack([numeric_column(persons, "valence", dataset),
                                     numeric_column(persons, "arousal", dataset)])


def _excerpt_points(excerpts: pd.DataFrame, dataset: str = "recommendable_excerpts") -> np.ndarray:
    require_rows(excerpts, dataset)
    return np.column_stack([numeric_column(excerpts, "valence", dataset),
                            numeric_column(excerpts, "arousal", dataset)])


def recommend(
    persons: pd.DataFrame, excerpts: pd.DataFrame, params: dict[str, Any]
) -> pd.DataFrame:
    """Every person's top k excerpts (one row per person and rank, best first)."""
    persons, points = _person_points(persons)
    catalogue_points = _excerpt_points(excerpts)
    k, mode, centre, chunk_size = checked_settings(params, len(excerpts))
    indices, similarities = rank_excerpts(points, catalogue_points, mode, k, centre,
                                          chunk_size=chunk_size)
    flat = indices.ravel()
    person_rows = np.repeat(np.arange(len(persons)), k)
    chosen = excerpts.iloc[flat].reset_index(drop=True)
    people = persons.iloc[person_rows].reset_index(drop=True)
    table = pd.DataFrame({
        "source": people["source"],
        "record": people["record"],
        "rank": np.tile(np.arange(1, k + 1), len(persons)),
        "number": chosen["number"],
        "album": chosen["album"],
        "track": chosen["track"],
        "time_range": chosen["time_range"],
        "category": chosen["category"],
        "similarity": similarities.ravel(),
        "mode": mode,
        "person_valence": people["valence"],
        "person_arousal": people["arousal"],
        "excerpt_valence": chosen["valence"],
        "excerpt_arousal": chosen["arousal"],
        "pred_label": people["pred_label"],
        "true_label": people["true_label"],
    })
    logger.info("recommended %d excerpts to each of %d persons (mode %s)", k, len(persons), mode)
    return table


def _quality(indices: np.ndarray, averaged: np.ndarray, hits: np.ndarray,
             distance: np.ndarray, known: np.ndarray, catalogue_size: int) -> dict[str, Any]:
    """hit@k, mean distance to the true emotion's point and coverage for one group, from the
    group's rows of the rankings (``known``: rows with a true label)."""
    result: dict[str, Any] = {
        "n": int(len(indices)),
        "n_with_true_label": int(known.sum()),
        "coverage": float(np.unique(indices).size / catalogue_size),
    }
    if known.any():
        k = indices.shape[1]
        result.update({
            "hit_at_k": float(hits[known].mean()),
            "hit_at_k_tie_averaged": float(averaged[known].mean() / k),
            "any_hit_at_k": float(hits[known].any(axis=1).mean()),
            "mean_va_distance": float(distance[known].mean()),
        })
    return result


def recommendation_metrics(
    persons: pd.DataFrame,
    excerpts: pd.DataFrame,
    emotion_points: pd.DataFrame,
    params: dict[str, Any],
) -> dict[str, Any]:
    """Quality of the recommendations for every mode in ``params['metric_modes']``.

    * ``hit_at_k``: share of recommended excerpts whose category stands for the person's true
      emotion (ties broken as :func:`rank_excerpts` does: the nearer excerpt first);
    * ``hit_at_k_tie_averaged``: the same, averaged over every order of the excerpts tied at
      the k-th place, so independent of tie breaking (the study's hit@3 = 0.381 for cosine on
      its face table is this figure; docs/recommendation.md);
    * ``any_hit_at_k``: share of persons with at least one such excerpt;
    * ``mean_va_distance``: mean distance from a recommended excerpt to the true emotion's point;
    * ``coverage``: share of recommendable excerpts recommended to at least one person.
    """
    persons, points = _person_points(persons)
    catalogue_points = _excerpt_points(excerpts)
    k, default_mode, centre, chunk_size = checked_settings(params, len(excerpts))
    modes = metric_modes(params)
    if default_mode not in modes:
        modes.append(default_mode)
    truth = np.array(emotion_labels(persons["true_label"], "person_va_points", "true_label",
                                    required=False), dtype=object)
    known = pd.notna(truth)
    lookup = emotion_point_table(emotion_points).set_index("emotion")
    true_points = np.array([lookup.loc[t].to_numpy(np.float64)
                            if t is not None else (np.nan, np.nan) for t in truth]).reshape(-1, 2)
    excerpt_emotion = excerpts["emotion"].to_numpy(dtype=object)
    groups = {"all": np.ones(len(persons), bool)}
    for sense in pd.unique(persons["source"]):
        groups[str(sense)] = (persons["source"] == sense).to_numpy()
    report: dict[str, Any] = {
        "soundtrack_set": params["soundtrack_set"],
        "k": k,
        "default_mode": default_mode,
        "recommendable_excerpts": int(len(excerpts)),
        "modes": {},
    }
    relevant = excerpt_emotion[None, :] == truth[:, None]  # all False without a label
    for mode in modes:  # every person ranked once per mode; groups are slices
        indices, _ = rank_excerpts(points, catalogue_points, mode, k, centre,
                                   chunk_size=chunk_size)
        averaged = tie_averaged_hits(points, catalogue_points, relevant, mode, k, centre,
                                     chunk_size=chunk_size)
        hits = excerpt_emotion[indices] == truth[:, None]
        distance = np.linalg.norm(catalogue_points[indices] - true_points[:, None, :], axis=2)
        report["modes"][mode] = {
            group: _quality(indices[mask], averaged[mask], hits[mask], distance[mask],
                            known[mask], len(catalogue_points))
            for group, mask in groups.items()
        }
        logger.info("mode %-15s hit@%d %s", mode, k, {g: round(v.get("hit_at_k", np.nan), 4)
                                                      for g, v in report["modes"][mode].items()})
    return report
