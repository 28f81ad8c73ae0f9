"""``matplotlib.MatplotlibDataset``, saved atomically: its own module, because importing
matplotlib's pyplot costs most of a second that the person path does not need."""

from __future__ import annotations

from typing import Any

from kedro.io.core import DatasetError
from kedro_datasets.matplotlib import MatplotlibDataset

from moodrec.datasets.atomic import AtomicSave


class AtomicMatplotlibDataset(AtomicSave, MatplotlibDataset):
    """``matplotlib.MatplotlibDataset`` for one figure (one file), saved atomically."""

    def save(self, data: Any) -> None:
        if isinstance(data, list | dict):
            raise DatasetError(
                f"{type(self).__name__} {self._filepath} saves one figure; got a "
                f"{type(data).__name__} of figures (a folder): use matplotlib.MatplotlibDataset"
            )
        super().save(data)
