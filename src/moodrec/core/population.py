"""A population's emotion probabilities -> each person's top k excerpts, one table at a time.

The ``population`` pipeline calls :func:`recommend_persons` on every partition of a large
table of persons (six emotion probabilities each, and any other columns, such as an id, which
are copied to the output), in this process or on Dask workers. A person's point is mapped as
``va_mapping`` maps it (:func:`~moodrec.core.valence_arousal.to_valence_arousal`: the
probability-weighted mean of the six emotion points) and ranked as ``recommendation`` ranks it
(:func:`~moodrec.core.ranking.rank_excerpts`), so the same person gets the same excerpts from
either path. :func:`population_settings` checks everything that is the same for every
partition once, before any partition is read. No Kedro, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.checks import (
    BadInputError,
    check_tolerance,
    numeric_column,
    probability_table,
    require_rows,
    text_column,
)
from moodrec.core.ranking import rank_excerpts
from moodrec.core.valence_arousal import (
    catalogue_settings,
    emotion_point_table,
    scale_midpoint,
    to_valence_arousal,
)


@dataclass(frozen=True)
class PopulationSettings:
    """What every partition is ranked with (small: sent with each task)."""

    k: int
    mode: str
    centre: np.ndarray
    chunk_size: int
    threads: int | None            # the ranking kernel's threads (None: one per usable core)
    tolerance: float
    emotion_points: pd.DataFrame   # emotion, valence, arousal (va_mapping's emotion_va_points)
    items: pd.Index                # the catalogue's item ids ...
    catalogue_points: np.ndarray   # ... and their (valence, arousal), in catalogue order


def population_settings(
    emotion_points: pd.DataFrame, excerpts: pd.DataFrame, recommendation: dict[str, Any],
    va_mapping: dict[str, Any], population: dict[str, Any],
) -> PopulationSettings:
    """The checked settings: ``k``, ``mode`` and ``chunk_size`` of ``recommendation``, the
    ranking ``threads`` of ``population_ranking``, the
    centre of the chosen catalogue's scale and the probability tolerance of ``va_mapping``,
    and the two small tables every partition needs."""
    items = pd.Index(text_column(excerpts, "item", "recommendable_excerpts"))
    if items.has_duplicates:
        raise BadInputError(f"recommendable_excerpts: column 'item' repeats "
                            f"{sorted(set(items[items.duplicated()]))[:5]}")
    catalogue_points = np.column_stack([numeric_column(excerpts, axis, "recommendable_excerpts")
                                        for axis in ("valence", "arousal")])
    centre = scale_midpoint(catalogue_settings(va_mapping)["scale"])
    k, mode, chunk_size = recommendation["k"], recommendation["mode"], recommendation["chunk_size"]
    threads = population["threads"]
    try:  # the ranking's own checks of k, mode, chunk_size, threads and centre, on no person
        rank_excerpts(np.empty((0, 2)), catalogue_points, mode, k, centre, chunk_size=chunk_size,
                      threads=threads)
    except ValueError as err:
        raise BadInputError(f"parameters recommendation (k = {k!r}, mode = {mode!r}, "
                            f"chunk_size = {chunk_size!r}) or population_ranking.threads "
                            f"({threads!r}): {err}") from None
    return PopulationSettings(
        k=int(k), mode=mode, centre=centre, chunk_size=int(chunk_size), threads=threads,
        tolerance=check_tolerance(va_mapping["probability_tolerance"],
                                  "va_mapping.probability_tolerance"),
        emotion_points=emotion_point_table(emotion_points),
        items=items, catalogue_points=catalogue_points,
    )


def recommend_persons(persons: pd.DataFrame, dataset: str,
                      settings: PopulationSettings) -> pd.DataFrame:
    """One row per person, in the table's order: its columns other than the six probabilities
    (an id ...), then the (valence, arousal) point and the k best items and their
    similarities (``item_1``, ``similarity_1``, ... best first; items as categoricals, which
    Parquet stores as a dictionary of the catalogue's ids).

    ``dataset`` names the table in errors (the partition's file): a missing probability
    column, NaN, or rows that are not probabilities stop the run naming it.
    """
    require_rows(persons, dataset)
    probabilities, used = probability_table(persons, dataset, settings.tolerance)
    points = to_valence_arousal(probabilities, settings.emotion_points)
    indices, similarities = rank_excerpts(points, settings.catalogue_points, settings.mode,
                                          settings.k, settings.centre,
                                          chunk_size=settings.chunk_size,
                                          threads=settings.threads)
    ranked: dict[str, Any] = {"valence": points[:, 0], "arousal": points[:, 1]}
    for j in range(settings.k):
        ranked[f"item_{j + 1}"] = pd.Categorical.from_codes(indices[:, j], settings.items)
        ranked[f"similarity_{j + 1}"] = similarities[:, j]
    carried = persons.drop(columns=used).reset_index(drop=True)
    clash = [c for c in carried.columns if c in ranked]
    if clash:
        raise BadInputError(f"{dataset}: column(s) {clash} would be overwritten by the "
                            f"recommendation's own columns ({', '.join(ranked)}); rename them")
    return pd.concat([carried, pd.DataFrame(ranked)], axis=1)
