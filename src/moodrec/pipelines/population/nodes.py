"""Nodes of ``population``: a population's emotion tables -> each person's top k excerpts.

:func:`recommend_population` checks the settings once and returns, for every partition, the
call that reads it and ranks its persons (:func:`moodrec.core.population.recommend_persons`):
the catalog's ``PartitionedDataset`` makes and writes the partitions one at a time (Kedro's
lazy saving), on the Dask workers of ``kedro run --env dask`` or in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from moodrec.core.population import PopulationSettings, population_settings, recommend_persons
from moodrec.run.dask_cluster import lazy_tasks


def recommend_partition(load: Callable[[], pd.DataFrame], name: str,
                        settings: PopulationSettings) -> pd.DataFrame:
    """One task: the partition read and its persons mapped and ranked."""
    return recommend_persons(load(), f"population partition {name}", settings)


def recommend_population(
    population: dict[str, Callable[[], pd.DataFrame]],
    emotion_points: pd.DataFrame,
    excerpts: pd.DataFrame,
    recommendation: dict[str, Any],
    va_mapping: dict[str, Any],
    population_params: dict[str, Any],
) -> dict[str, Callable[[], pd.DataFrame]]:
    """Every partition's persons mapped to their (valence, arousal) point and ranked, with
    ``recommendation``'s ``k``, ``mode`` and ``chunk_size`` (one output row per person) and
    ``population_ranking``'s threads; lazily, one partition at a time."""
    settings = population_settings(emotion_points, excerpts, recommendation, va_mapping,
                                   population_params)
    return lazy_tasks(recommend_partition,
                      {name: (load, name, settings) for name, load in population.items()},
                      desc="population partitions")
