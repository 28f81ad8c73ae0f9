"""Loading a CSV table that is not what it seems: an error naming the file, instead of a
pandas message (``No columns to parse from file``) or a silently shifted table.

* an empty (0-byte) file: a copy or a save that was cut off;
* a file separated by ``;`` (a spreadsheet's export in a language that writes decimal
  commas): the whole header is one column whose name holds ``;``;
* rows with more fields than the header (decimal commas written unquoted in a comma-separated
  file, ``0,5``): pandas would silently make the first fields of every row its index.

Tables written for people (:class:`moodrec.datasets.atomic.ExportCSVDataset`, a person's
answer, ``moodrec read --csv``) pass :func:`formula_safe` first: catalogue text (an album, a
track) or a file name starting with ``=`` is not run by the spreadsheet that opens them.

A decimal comma inside a quoted cell (``"0,5"``) loads as text; the nodes' number checks name
it (:func:`moodrec.core.checks.numeric_column`).
"""

from __future__ import annotations

import os

import pandas as pd
from kedro.io.core import DatasetError, get_filepath_str

#: How a cell that a spreadsheet runs as a formula starts (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with ``'`` in front of each text cell that a spreadsheet would run as a
    formula (``=HYPERLINK(...)``, ``+1``, ``-2+3``, ``@SUM``): it then shows it as text.
    Numbers are kept."""
    out = table.copy()
    for column in out.select_dtypes(include=["object", "string"]).columns:
        out[column] = out[column].map(
            lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v)
    return out


class TableFileError(DatasetError):
    """A CSV file that cannot be read as the table it claims to be."""


class CheckedCSVLoad:
    """Mixin for ``pandas.CSVDataset`` (put it before it among the bases): ``load`` refuses
    the files above, naming the file: one column per header field and a plain row index."""

    def load(self) -> pd.DataFrame:
        path = get_filepath_str(self._get_load_path(), self._protocol)
        if self._protocol == "file" and os.path.isfile(path) and os.path.getsize(path) == 0:
            raise TableFileError(
                f"{path}: the file is empty (0 bytes), not even a header; it was cut off or "
                "never written: fetch or make it again")
        table = super().load()
        if len(table.columns) == 1 and ";" in str(table.columns[0]):
            raise TableFileError(
                f"{path}: the columns are separated by ';' (header {str(table.columns[0])!r}), "
                "as a spreadsheet writes them where decimals are written with commas; save the "
                "table as CSV with ',' between columns and '.' in numbers")
        index = table.index
        if self._load_args.get("index_col") is None and not (
                isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1):
            first = index[0] if len(index) else ""
            fields = ",".join(map(str, first if isinstance(first, tuple) else (first,)))
            raise TableFileError(
                f"{path}: the data rows have more fields than the header's "
                f"{len(table.columns)} (line 2 starts '{fields},'): numbers written with decimal "
                "commas (0,5), or a comma inside an unquoted cell? Write numbers with '.' and "
                "quote cells that hold ','")
        return table
