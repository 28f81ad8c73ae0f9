"""Kedro datasets of the project (loading and saving only).

The catalog names them ``moodrec.datasets.<Class>``:

* ``AtomicCSVDataset``, ``AtomicJSONDataset``, ``AtomicTextDataset``, ``AtomicPickleDataset``
  (:mod:`.atomic`), ``AtomicMatplotlibDataset`` (:mod:`.figures`) and
  ``AtomicTensorFlowModelDataset`` (:mod:`.keras`): kedro-datasets' file datasets whose
  ``save`` never leaves a half-written file; ``ExportCSVDataset`` (:mod:`.atomic`), a CSV
  for spreadsheets, its formula-like text cells written as text.

Each is imported on first use (PEP 562): a class's module imports its library (pandas,
matplotlib, TensorFlow), and a command that needs one dataset should not pay for the others.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Class -> the module that defines it.
_MODULES: dict[str, str] = {
    "AtomicCSVDataset": "atomic",
    "AtomicJSONDataset": "atomic",
    "AtomicPickleDataset": "atomic",
    "AtomicTextDataset": "atomic",
    "ExportCSVDataset": "atomic",
    "AtomicMatplotlibDataset": "figures",
    "AtomicTensorFlowModelDataset": "keras",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
