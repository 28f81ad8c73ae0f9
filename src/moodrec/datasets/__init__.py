"""Kedro datasets of the project (loading and saving only).

The catalog names them ``moodrec.datasets.<Class>``:

* ``AtomicCSVDataset``, ``AtomicJSONDataset``, ``AtomicTextDataset``, ``AtomicPickleDataset``,
  ``AtomicMatplotlibDataset`` (:mod:`.atomic`) and ``AtomicTensorFlowModelDataset``
  (:mod:`.keras`, imported on first use: it imports TensorFlow): kedro-datasets' file
  datasets whose ``save`` never leaves a half-written file.
"""

from __future__ import annotations

from typing import Any

from moodrec.datasets.atomic import (
    AtomicCSVDataset,
    AtomicJSONDataset,
    AtomicMatplotlibDataset,
    AtomicPickleDataset,
    AtomicTextDataset,
)

__all__ = [
    "AtomicCSVDataset",
    "AtomicJSONDataset",
    "AtomicMatplotlibDataset",
    "AtomicPickleDataset",
    "AtomicTensorFlowModelDataset",
    "AtomicTextDataset",
]


def __getattr__(name: str) -> Any:
    if name == "AtomicTensorFlowModelDataset":
        from moodrec.datasets.keras import AtomicTensorFlowModelDataset

        return AtomicTensorFlowModelDataset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
