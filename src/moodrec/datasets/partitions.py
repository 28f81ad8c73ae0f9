"""A folder of partitions written whole or not at all: kedro-datasets' ``PartitionedDataset``
saved into a hidden staging folder next to the output, which replaces the output only when
every partition is written.

A failed run (a bad partition, Ctrl-C) leaves the previous output as it was; the next run
removes the staging folder a killed one left and puts back a previous output it had moved
aside (two runs writing the same output at once are not supported). Local folders only (the
swap is a rename).

Example catalog entry::

    population_recommendations:
      type: moodrec.datasets.partitions.AtomicPartitionedDataset
      path: data/07_model_output/population_recommendations
      dataset: {type: pandas.ParquetDataset, save_args: {index: false}}
      filename_suffix: .parquet
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kedro.io import DatasetError
from kedro_datasets.partitions import PartitionedDataset

from moodrec.datasets.atomic_file import umask

logger = logging.getLogger(__name__)


def _hidden_folder(output: Path, kind: str) -> Path:
    """A new hidden folder next to ``output``, with a plain ``mkdir``'s permissions."""
    folder = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.", suffix=kind))
    folder.chmod(0o777 & ~umask())
    return folder


def _remove_leftovers(output: Path) -> None:
    """The hidden folders a killed run left next to ``output``: its staging folder (removed),
    and the previous output if it was killed between the two renames of
    :func:`_replace_folder` (put back, or removed when ``output`` is there)."""
    for leftover in sorted(output.parent.glob(f".{glob.escape(output.name)}.*")):
        if not leftover.is_dir() or leftover.suffix not in (".staging", ".old"):
            continue
        restore = leftover.suffix == ".old" and not output.exists()
        if restore:
            os.replace(leftover, output)
        else:
            shutil.rmtree(leftover)
        logger.warning("%s: left by an interrupted run; %s", leftover,
                       f"put back as {output}" if restore else "removed")


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


class AtomicPartitionedDataset(PartitionedDataset):
    """``PartitionedDataset`` (same arguments) whose ``save`` replaces the folder as a whole."""

    def __init__(self, *, path: str, **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self._output, self._arguments = Path(path), kwargs

    def save(self, data: dict[str, Any]) -> None:
        output = self._output.resolve()
        output.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(output)
        staging = _hidden_folder(output, ".staging")
        try:
            PartitionedDataset(path=str(staging), **self._arguments).save(data)
            _replace_folder(staging, output)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
