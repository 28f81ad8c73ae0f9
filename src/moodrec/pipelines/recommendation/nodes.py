"""Nodes of ``recommendation``: persons' points -> the k most similar soundtrack excerpts.

1. :func:`recommendable_excerpts`: the catalogue excerpts whose category stands for one of the
   six emotions, joined with the track list (album, track, time range);
2. :func:`recommend`: every person's top k (ranking: :func:`.similarity.rank_excerpts`);
3. :func:`recommendation_metrics`: hit@k, distance to the true emotion's point and catalogue
   coverage for every similarity mode, per sense (face, audio).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from moodrec.emotions import EMOTIONS
from moodrec.pipelines.recommendation.similarity import MODES, rank_excerpts, tie_averaged_hits
from moodrec.pipelines.va_mapping.validation import (
    BadInputError,
    find_columns,
    integer_ids,
    numeric_column,
    require_rows,
)

logger = logging.getLogger(__name__)

EXCERPT_COLUMNS = ("number", "album", "track", "time_range", "category", "emotion",
                   "valence", "arousal")


def recommendable_excerpts(
    catalogue: pd.DataFrame, tracklist: pd.DataFrame, params: dict[str, Any]
) -> pd.DataFrame:
    """Excerpts of the six emotions' categories with their source (album, track, time range).

    Every such excerpt must be in the track list; the track list's numbers may be zero-padded
    (``001``).
    """
    soundtrack_set = params["soundtrack_set"]
    catalogue_name = f"soundtrack_catalogue ({soundtrack_set})"
    tracklist_name = f"soundtrack_tracklist ({soundtrack_set})"
    require_rows(catalogue, catalogue_name)
    find_columns(catalogue, ["number", "valence", "arousal", "category", "emotion"],
                 catalogue_name)
    chosen = catalogue[catalogue["emotion"].notna() & (catalogue["emotion"] != "")]
    if chosen.empty:
        raise BadInputError(
            f"{catalogue_name}: no excerpt belongs to a category of the six emotions; "
            f"categories present: {sorted(catalogue['category'].astype(str).unique())}"
        )
    require_rows(tracklist, tracklist_name)
    names = params["tracklist_columns"]
    cols = find_columns(tracklist, [names[k] for k in ("number", "album", "track", "time_range")],
                        tracklist_name)
    listed = pd.DataFrame({
        "number": integer_ids(tracklist, cols[names["number"]], tracklist_name),
        "album": tracklist[cols[names["album"]]].astype(str).str.strip().to_numpy(),
        "track": tracklist[cols[names["track"]]].astype(str).str.strip().to_numpy(),
        "time_range": tracklist[cols[names["time_range"]]].astype(str).str.strip().to_numpy(),
    })
    numbers = chosen["number"].astype("int64")
    missing = sorted(set(numbers) - set(listed["number"]))
    if missing:
        raise BadInputError(
            f"{tracklist_name}: excerpt number(s) {missing[:10]}"
            f"{' ...' if len(missing) > 10 else ''} of the catalogue are missing from column "
            f"{cols[names['number']]!r}"
        )
    excerpts = (chosen.assign(number=numbers)
                .merge(listed, on="number", how="left", validate="one_to_one"))
    return excerpts[list(EXCERPT_COLUMNS)].reset_index(drop=True)


def _person_points(persons: pd.DataFrame, dataset: str = "person_va_points") -> np.ndarray:
    require_rows(persons, dataset)
    find_columns(persons, ["source", "record", "valence", "arousal", "pred_label", "true_label"],
                 dataset)
    return np.column_stack([numeric_column(persons, "valence", dataset),
                            numeric_column(persons, "arousal", dataset)])


def _excerpt_points(excerpts: pd.DataFrame, dataset: str = "recommendable_excerpts") -> np.ndarray:
    require_rows(excerpts, dataset)
    return np.column_stack([numeric_column(excerpts, "valence", dataset),
                            numeric_column(excerpts, "arousal", dataset)])


def _settings(params: dict[str, Any], catalogue_size: int) -> tuple[int, str, np.ndarray]:
    k, mode = params["k"], params["mode"]
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= catalogue_size:
        raise BadInputError(
            f"parameters recommendation.k = {k!r}: must be a whole number from 1 to the number "
            f"of recommendable excerpts ({catalogue_size})"
        )
    if mode not in MODES:
        raise BadInputError(
            f"parameters recommendation.mode = {mode!r}: choose one of {', '.join(MODES)}"
        )
    return k, mode, scale_centre(params)


def scale_centre(params: dict[str, Any]) -> np.ndarray:
    soundtrack_set = params["soundtrack_set"]
    if soundtrack_set not in params["centres"]:
        raise BadInputError(
            f"parameters recommendation.centres: no centre for soundtrack_set {soundtrack_set!r}"
        )
    return np.asarray(params["centres"][soundtrack_set], np.float64)


def recommend(
    persons: pd.DataFrame, excerpts: pd.DataFrame, params: dict[str, Any]
) -> pd.DataFrame:
    """Every person's top k excerpts (one row per person and rank, best first)."""
    points = _person_points(persons)
    catalogue_points = _excerpt_points(excerpts)
    k, mode, centre = _settings(params, len(excerpts))
    indices, similarities = rank_excerpts(points, catalogue_points, mode, k, centre,
                                          chunk_size=int(params["chunk_size"]))
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


def _quality(
    points: np.ndarray,
    catalogue_points: np.ndarray,
    excerpt_emotion: np.ndarray,
    true_label: np.ndarray,
    true_points: np.ndarray,
    mode: str,
    k: int,
    centre: np.ndarray,
    chunk_size: int,
) -> dict[str, Any]:
    """hit@k, mean distance to the true emotion's point and coverage for one group."""
    indices, _ = rank_excerpts(points, catalogue_points, mode, k, centre, chunk_size=chunk_size)
    known = pd.notna(true_label)
    result: dict[str, Any] = {
        "n": int(len(points)),
        "n_with_true_label": int(known.sum()),
        "coverage": float(np.unique(indices).size / len(catalogue_points)),
    }
    if known.any():
        hits = excerpt_emotion[indices[known]] == true_label[known][:, None]
        relevant = excerpt_emotion[None, :] == true_label[known][:, None]
        averaged = tie_averaged_hits(points[known], catalogue_points, relevant, mode, k, centre,
                                     chunk_size=chunk_size)
        distance = np.linalg.norm(catalogue_points[indices[known]]
                                  - true_points[known][:, None, :], axis=2)
        result.update({
            "hit_at_k": float(hits.mean()),
            "hit_at_k_tie_averaged": float(averaged.mean() / k),
            "any_hit_at_k": float(hits.any(axis=1).mean()),
            "mean_va_distance": float(distance.mean()),
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
      emotion (ties broken as :func:`rank_excerpts` does);
    * ``hit_at_k_tie_averaged``: the same, averaged over every order of excerpts tied at the
      k-th place (independent of tie breaking; the study's pandas sort lands near it);
    * ``any_hit_at_k``: share of persons with at least one such excerpt;
    * ``mean_va_distance``: mean distance from a recommended excerpt to the true emotion's point;
    * ``coverage``: share of recommendable excerpts recommended to at least one person.
    """
    points = _person_points(persons)
    catalogue_points = _excerpt_points(excerpts)
    k, default_mode, centre = _settings(params, len(excerpts))
    modes = list(params["metric_modes"])
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise BadInputError(f"parameters recommendation.metric_modes: unknown mode(s) {unknown}")
    if default_mode not in modes:
        modes.append(default_mode)
    truth = persons["true_label"].to_numpy(dtype=object)
    truth = np.where(pd.isna(truth), None, truth)
    lookup = emotion_points.set_index("emotion").reindex(list(EMOTIONS))
    true_points = np.array([lookup.loc[t, ["valence", "arousal"]].to_numpy(np.float64)
                            if t is not None else (np.nan, np.nan) for t in truth])
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
    for mode in modes:
        report["modes"][mode] = {
            group: _quality(points[mask], catalogue_points, excerpt_emotion, truth[mask],
                            true_points[mask], mode, k, centre, int(params["chunk_size"]))
            for group, mask in groups.items()
        }
        logger.info("mode %-15s hit@%d %s", mode, k, {g: round(v.get("hit_at_k", np.nan), 4)
                                                      for g, v in report["modes"][mode].items()})
    return report
