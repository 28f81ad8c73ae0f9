"""A small population as partitioned Parquet, ranked against the small catalogue of the
recommendation tests (two excerpts per emotion), and the pipeline's node run end to end
through the catalog's dataset (:func:`run_population`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from kedro.io import DatasetError
from kedro_datasets.partitions import PartitionedDataset

from moodrec.core.checks import BadInputError
from moodrec.core.emotions import EMOTIONS
from moodrec.datasets.partitions import AtomicPartitionedDataset
from moodrec.pipelines.population.nodes import recommend_population
from tests.conftest import PROJECT_ROOT
from tests.pipelines.recommendation.conftest import (  # noqa: F401 (fixtures)
    catalogue,
    points,
    ratings,
    rec_params,
    tracklist,
    va_params,
)

#: Partition files (one in a sub-folder) and their sizes.
PARTITIONS = {"part-0.parquet": 300, "part-1.parquet": 250, "day=2/part-0.parquet": 200,
              "part-2.parquet": 280, "part-3.parquet": 260, "part-4.parquet": 240}


def person_table(n: int, seed: int, first_id: int = 0) -> pd.DataFrame:
    """``n`` persons: an id and six peaked probabilities (a classifier's kind of output)."""
    p = np.random.default_rng(seed).random((n, len(EMOTIONS))) ** 4
    table = pd.DataFrame(p / p.sum(axis=1, keepdims=True), columns=list(EMOTIONS))
    table.insert(0, "person", np.arange(first_id, first_id + n))
    return table


def write_population(folder: Path, sizes: dict[str, int] = PARTITIONS) -> dict[str, pd.DataFrame]:
    """Each partition written as Parquet under ``folder``; the tables by name."""
    tables, first = {}, 0
    for seed, (name, n) in enumerate(sizes.items()):
        tables[name] = person_table(n, seed, first)
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        tables[name].to_parquet(folder / name, index=False)
        first += n
    return tables


def read_outputs(folder: Path) -> dict[str, pd.DataFrame]:
    """Every Parquet file under ``folder`` by its relative name (hidden files included, so
    a leftover would show)."""
    return {str(p.relative_to(folder)): pd.read_parquet(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def catalog_arguments(file: str, name: str) -> dict:
    """The arguments of conf/base's catalog entry ``name`` but its type, path and metadata."""
    entry = yaml.safe_load((PROJECT_ROOT / "conf" / "base" / file).read_text())[name]
    return {k: v for k, v in entry.items() if k not in ("type", "path", "metadata")}


def run_population(source: Path, output: Path, inputs: tuple) -> dict[str, pd.DataFrame]:
    """The pipeline's node between the catalog's two datasets, as ``kedro run`` runs it;
    ``inputs``: its other inputs (:func:`node_inputs`)."""
    population = PartitionedDataset(path=str(source), **catalog_arguments(
        "catalog_05_model_input.yml", "population_emotions")).load()
    result = recommend_population(population, *inputs)
    AtomicPartitionedDataset(path=str(output), **catalog_arguments(
        "catalog_07_model_output.yml", "population_recommendations")).save(result)
    return read_outputs(output)


@contextmanager
def raises_bad_input(match: str) -> Iterator[None]:
    """A partition's :class:`BadInputError` (raised by a task: in this process or on a Dask
    worker), as the dataset's save passes it on: Kedro wraps it in a ``DatasetError``."""
    with pytest.raises(DatasetError, match=match) as info:
        yield
    assert isinstance(info.value.__cause__, BadInputError), repr(info.value.__cause__)


@pytest.fixture
def excerpts(catalogue) -> pd.DataFrame:  # noqa: F811
    return catalogue  # the run's catalogue's items (va_mapping's recommendable_excerpts)


@pytest.fixture
def node_inputs(points, excerpts, rec_params, va_params) -> tuple:  # noqa: F811
    """The node's inputs besides the population: emotion points, excerpts, parameters
    (``population_ranking`` as conf/base has it)."""
    population = yaml.safe_load(
        (PROJECT_ROOT / "conf/base/parameters_population.yml").read_text())["population_ranking"]
    return points, excerpts, rec_params, va_params, population


@pytest.fixture
def population(tmp_path) -> tuple[Path, dict[str, pd.DataFrame]]:
    folder = tmp_path / "population"
    return folder, write_population(folder)
