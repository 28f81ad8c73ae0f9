"""Nodes of ``population``: a population's emotion tables -> each person's top k excerpts.

:func:`recommend_population` checks the settings once and adds the per-partition step
(:func:`moodrec.core.population.recommend_persons`) to the partitioned table; the catalog's
:class:`~moodrec.datasets.parquet_partitions.ParquetPartitionsDataset` runs it partition by
partition when it saves the result, on the Dask workers of ``kedro run --env dask`` or in this
process.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from moodrec.core.population import population_settings, recommend_persons
from moodrec.datasets.parquet_partitions import Partitions


def recommend_population(
    population: Partitions,
    emotion_points: pd.DataFrame,
    excerpts: pd.DataFrame,
    recommendation: dict[str, Any],
    va_mapping: dict[str, Any],
    population_params: dict[str, Any],
) -> Partitions:
    """Every partition's persons mapped to their (valence, arousal) point and ranked, with
    ``recommendation``'s ``k``, ``mode`` and ``chunk_size`` (one output row per person) and
    ``population_ranking``'s threads."""
    settings = population_settings(emotion_points, excerpts, recommendation, va_mapping,
                                   population_params)
    return population.map(recommend_persons, settings)
