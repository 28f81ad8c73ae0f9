"""kedro-datasets' file datasets, saved atomically.

kedro-datasets opens the target file and writes into it: a run stopped mid-save (an error
while serialising, Ctrl-C, a full disk, a killed process) leaves a truncated CSV, JSON or PNG
that the next run reads as if it were whole. These subclasses write the same bytes to a
hidden temporary next to the target (:func:`moodrec.datasets.atomic_file.atomic_file`) and
move it into place with :func:`os.replace` only when the dataset's own ``save`` has finished;
on any error the temporary is removed and the previous file is left as it was. Loading,
arguments and versioning are the parent's.
"""

from __future__ import annotations

import copy
from pathlib import Path, PurePosixPath
from typing import Any

from kedro.io.core import DatasetError, get_filepath_str
from kedro_datasets.json import JSONDataset
from kedro_datasets.pandas import CSVDataset
from kedro_datasets.pickle import PickleDataset
from kedro_datasets.text import TextDataset

from moodrec.datasets.atomic_file import atomic_file
from moodrec.datasets.tables import CheckedCSVLoad, formula_safe


class AtomicSave:
    """Mixin for a kedro-datasets file dataset (``_filepath``, ``_protocol``, ``_fs``): put it
    first among the bases, e.g. ``class AtomicCSVDataset(AtomicSave, CSVDataset)``."""

    def save(self, data: Any) -> None:
        if self._protocol != "file":
            raise DatasetError(
                f"{type(self).__name__} saves atomically to local files only; "
                f"{self._protocol}:// is not supported (use the kedro-datasets class)"
            )
        target = Path(get_filepath_str(self._get_save_path(), self._protocol))
        parent_save = super(AtomicSave, type(self)).save
        parent_save = getattr(parent_save, "__wrapped__", parent_save)  # errors name self
        with atomic_file(target) as tmp:
            twin = copy.copy(self)  # the same dataset, writing to the temporary
            twin._filepath, twin._version = PurePosixPath(tmp), None
            parent_save(twin, data)
        self._invalidate_cache()


class AtomicCSVDataset(AtomicSave, CheckedCSVLoad, CSVDataset):
    """``pandas.CSVDataset``, saved atomically; loading refuses an empty, a ``;``-separated
    or a shifted file, naming it (:mod:`.tables`)."""


class ExportCSVDataset(AtomicCSVDataset):
    """:class:`AtomicCSVDataset` for a table people open in a spreadsheet (the
    recommendations): text cells that would run as formulas are written as text
    (:func:`.tables.formula_safe`)."""

    def save(self, data: Any) -> None:
        super().save(formula_safe(data))


class AtomicJSONDataset(AtomicSave, JSONDataset):
    """``json.JSONDataset``, saved atomically."""


class AtomicTextDataset(AtomicSave, TextDataset):
    """``text.TextDataset``, saved atomically."""


class AtomicPickleDataset(AtomicSave, PickleDataset):
    """``pickle.PickleDataset``, saved atomically."""
