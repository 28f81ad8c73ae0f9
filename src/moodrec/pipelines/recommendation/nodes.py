"""Nodes of ``recommendation``: persons' points -> the k most similar items of the catalogue.

1. :func:`recommend`: every person's top k of ``recommendable_excerpts`` (the run's catalogue,
   as ``va_mapping`` chose it; ranking: :func:`moodrec.core.ranking.rank_excerpts`);
2. :func:`recommendation_metrics`: hit@k (catalogues with categories), distance to the true
   emotion's point and catalogue coverage for every similarity mode, per sense (face, audio).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import (
    emotion_labels,
    numeric_column,
    require_rows,
    standard_columns,
)
from moodrec.core.ranking import rank_excerpts, tie_averaged_hits
from moodrec.core.valence_arousal import (
    PERSON_COLUMNS,
    emotion_point_table,
)
from moodrec.pipelines.recommendation.settings import (
    check_centre_inside,
    checked_settings,
    metric_modes,
)

logger = logging.getLogger(__name__)


def _person_points(persons: pd.DataFrame,
                   dataset: str = "person_va_points") -> tuple[pd.DataFrame, np.ndarray]:
    """The persons' table with its columns named as :data:`PERSON_COLUMNS`, and its points."""
    require_rows(persons, dataset)
    persons = standard_columns(persons, PERSON_COLUMNS, dataset)
    return persons, np.column_stack([numeric_column(persons, "valence", dataset),
                                     numeric_column(persons, "arousal", dataset)])


def _excerpt_points(excerpts: pd.DataFrame, params: dict[str, Any],
                    dataset: str = "recommendable_excerpts"
                    ) -> tuple[np.ndarray, tuple[int, str, np.ndarray, int]]:
    """The items' points, and :func:`checked_settings` checked against them (``k`` against the
    number of items, the centre of the scale within their ratings)."""
    require_rows(excerpts, dataset)
    points = np.column_stack([numeric_column(excerpts, "valence", dataset),
                              numeric_column(excerpts, "arousal", dataset)])
    settings = checked_settings(params, len(excerpts), dataset)
    check_centre_inside(settings[2], points, params, dataset)
    return points, settings


def recommend(
    persons: pd.DataFrame, excerpts: pd.DataFrame, params: dict[str, Any]
) -> pd.DataFrame:
    """Every person's top k items (one row per person and rank, best first)."""
    persons, points = _person_points(persons)
    catalogue_points, (k, mode, centre, chunk_size) = _excerpt_points(excerpts, params)
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
        "item": chosen["item"],
        "title": chosen["title"],
        "category": chosen["category"],
        "similarity": similarities.ravel(),
        "mode": mode,
        "person_valence": people["valence"],
        "person_arousal": people["arousal"],
        "item_valence": chosen["valence"],
        "item_arousal": chosen["arousal"],
        "pred_label": people["pred_label"],
        "true_label": people["true_label"],
    })
    logger.info("recommended %d items to each of %d persons (mode %s)", k, len(persons), mode)
    return table


def _quality(indices: np.ndarray, averaged: np.ndarray | None, hits: np.ndarray | None,
             distance: np.ndarray, known: np.ndarray, catalogue_size: int) -> dict[str, Any]:
    """hit@k, mean distance to the true emotion's point and coverage for one group, from the
    group's rows of the rankings (``known``: rows with a true label; ``hits`` None: the
    catalogue has no categories)."""
    result: dict[str, Any] = {
        "n": int(len(indices)),
        "n_with_true_label": int(known.sum()),
        "coverage": float(np.unique(indices).size / catalogue_size),
    }
    if known.any():
        result["mean_va_distance"] = float(distance[known].mean())
    if known.any() and hits is not None:
        k = indices.shape[1]
        result.update({
            "hit_at_k": float(hits[known].mean()),
            "hit_at_k_tie_averaged": float(averaged[known].mean() / k),
            "any_hit_at_k": float(hits[known].any(axis=1).mean()),
        })
    return result


def recommendation_metrics(
    persons: pd.DataFrame,
    excerpts: pd.DataFrame,
    emotion_points: pd.DataFrame,
    params: dict[str, Any],
) -> dict[str, Any]:
    """Quality of the recommendations for every mode in ``params['metric_modes']``.

    * ``hit_at_k`` (a catalogue with categories): share of recommended items whose category
      stands for the person's true emotion (ties broken as :func:`rank_excerpts` does: the
      nearer excerpt first);
    * ``hit_at_k_tie_averaged``: the same, averaged over every order of the excerpts tied at
      the k-th place, so independent of tie breaking (the study's hit@3 = 0.381 for cosine on
      its face table is this figure; docs/recommendation.md);
    * ``any_hit_at_k``: share of persons with at least one such excerpt;
    * ``mean_va_distance``: mean distance from a recommended excerpt to the true emotion's point;
    * ``coverage``: share of recommendable excerpts recommended to at least one person.
    """
    persons, points = _person_points(persons)
    catalogue_points, (k, default_mode, centre, chunk_size) = _excerpt_points(excerpts, params)
    modes = metric_modes(params)
    if default_mode not in modes:
        modes.append(default_mode)
    truth = np.array(emotion_labels(persons["true_label"], "person_va_points", "true_label",
                                    required=False), dtype=object)
    known = pd.notna(truth)
    lookup = emotion_point_table(emotion_points).set_index("emotion")
    true_points = np.array([lookup.loc[t].to_numpy(np.float64)
                            if t is not None else (np.nan, np.nan) for t in truth]).reshape(-1, 2)
    excerpt_emotion = np.array(emotion_labels(excerpts["emotion"], "recommendable_excerpts",
                                              "emotion", required=False), dtype=object)
    categorised = pd.notna(excerpt_emotion).any()
    groups = {"all": np.ones(len(persons), bool)}
    for sense in pd.unique(persons["source"]):
        groups[str(sense)] = (persons["source"] == sense).to_numpy()
    report: dict[str, Any] = {
        "catalogue": params["catalogue"],
        "k": k,
        "default_mode": default_mode,
        "recommendable_excerpts": int(len(excerpts)),
        "modes": {},
    }
    relevant = excerpt_emotion[None, :] == truth[:, None]  # all False without a label
    for mode in modes:  # every person ranked once per mode; groups are slices
        indices, _ = rank_excerpts(points, catalogue_points, mode, k, centre,
                                   chunk_size=chunk_size)
        averaged = (tie_averaged_hits(points, catalogue_points, relevant, mode, k, centre,
                                      chunk_size=chunk_size) if categorised else None)
        hits = excerpt_emotion[indices] == truth[:, None] if categorised else None
        distance = np.linalg.norm(catalogue_points[indices] - true_points[:, None, :], axis=2)
        report["modes"][mode] = {
            group: _quality(indices[mask], None if hits is None else averaged[mask],
                            None if hits is None else hits[mask], distance[mask], known[mask],
                            len(catalogue_points))
            for group, mask in groups.items()
        }
        logger.info("mode %-15s hit@%d %s", mode, k, {g: round(v.get("hit_at_k", np.nan), 4)
                                                      for g, v in report["modes"][mode].items()})
    return report
