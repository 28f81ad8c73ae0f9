"""A table too large for one process: a folder of Parquet files, processed file by file.

:class:`ParquetPartitionsDataset` loads a folder as :class:`Partitions` (the files' names;
nothing is read yet). A node adds per-partition steps with :meth:`Partitions.map`; saving the
result runs, for every partition, *read -> steps -> write* as one task of
:func:`moodrec.datasets.tasks.run_tasks`: on the run's Dask workers (``kedro run --env dask``),
or one after another in this process. The steps are the same plain functions either way.

Each output file is written whole (a temporary renamed into place) under a name fixed by its
input (``a/b.parquet`` -> ``<output>/a/b.parquet``), so a task that a Dask worker's death made
run twice writes the same file twice: no partition lost, none doubled. The files are written
into a hidden folder next to the output, which replaces the output only when every partition
is written: a failed run leaves the previous output as it was. Workers and this process must
see the folders at the same paths (one machine, or a shared file system).

Example catalog entry::

    population_emotions:
      type: moodrec.datasets.parquet_partitions.ParquetPartitionsDataset
      path: ${runtime_params:population, data/05_model_input/population}
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
from kedro.io import AbstractDataset, DatasetError

from moodrec.core.checks import BadInputError
from moodrec.datasets.atomic_file import atomic_file, umask
from moodrec.datasets.tasks import run_tasks

SUFFIX = ".parquet"


@dataclass(frozen=True)
class Step:
    """``func(table, partition_file, *args) -> table``: one partition's work."""

    func: Callable[..., pd.DataFrame]
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Partitions:
    """A table as named Parquet files under ``root``, with the steps that make each part of the
    result from the file of the same name. Nothing is read until the result is saved."""

    root: Path
    names: tuple[str, ...]
    steps: tuple[Step, ...] = ()

    def map(self, func: Callable[..., pd.DataFrame], *args: Any) -> Partitions:
        """Partitions whose each part is ``func(part, partition_file, *args)``."""
        return replace(self, steps=(*self.steps, Step(func, args)))


def read_partition(source: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    try:
        return pq.read_table(source).to_pandas()
    except (OSError, ValueError) as err:  # pyarrow.ArrowInvalid is a ValueError
        raise BadInputError(f"{source}: cannot read as a Parquet table ({err})") from err


def write_partition(table: pd.DataFrame, target: Path) -> None:
    """``table`` as ``target``, whole or not at all."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with atomic_file(target) as tmp:
        pq.write_table(pa.Table.from_pandas(table, preserve_index=False), tmp)


def process_partition(source: Path, steps: tuple[Step, ...], target: Path) -> None:
    """One task: read ``source``, apply ``steps``, write ``target``."""
    table = read_partition(source)
    for step in steps:
        table = step.func(table, str(source), *step.args)
    write_partition(table, target)


def _hidden_folder(output: Path, kind: str) -> Path:
    """A new hidden folder next to ``output``, with a plain ``mkdir``'s permissions."""
    folder = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=kind))
    folder.chmod(0o777 & ~umask())
    return folder


def _replace_folder(staging: Path, output: Path) -> None:
    """``staging`` becomes ``output``; a previous ``output`` is removed after the move."""
    if not output.exists():
        os.replace(staging, output)
        return
    if not output.is_dir():
        raise DatasetError(f"{output}: exists and is not a folder; cannot write partitions there")
    old = _hidden_folder(output, ".old")
    os.replace(output, old)
    os.replace(staging, output)
    shutil.rmtree(old)


class ParquetPartitionsDataset(AbstractDataset[Partitions, Partitions]):
    """Every ``*.parquet`` file under ``path`` (recursively, hidden ones excluded) is one
    partition, named by its path relative to ``path``."""

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(path)
        self.metadata = metadata

    def load(self) -> Partitions:
        root = self._path.resolve()
        if not root.is_dir():
            raise DatasetError(f"{self._path}: no such folder of Parquet partitions")
        names = tuple(sorted(
            str(PurePosixPath(*p.relative_to(root).parts)) for p in root.rglob(f"*{SUFFIX}")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
        ))
        if not names:
            raise DatasetError(f"{self._path}: no {SUFFIX} file (a partition each)")
        return Partitions(root=root, names=names)

    def save(self, data: Partitions) -> None:
        output = self._path.resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        staging = _hidden_folder(output, ".staging")
        try:
            run_tasks(process_partition, [
                (data.root / name, data.steps, staging / name) for name in data.names
            ], desc=f"partitions -> {self._path}", unit="partition")
            for leftover in staging.rglob(".*.part"):  # a writer killed mid-file
                leftover.unlink()
            written = sorted(str(PurePosixPath(*p.relative_to(staging).parts))
                             for p in staging.rglob(f"*{SUFFIX}"))
            if written != sorted(data.names):
                raise DatasetError(f"{self._path}: {len(written)} partition files written for "
                                   f"{len(data.names)} partitions; output left unchanged")
            _replace_folder(staging, output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _exists(self) -> bool:
        return self._path.is_dir()

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}
