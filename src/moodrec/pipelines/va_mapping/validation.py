"""Checks on input tables. Each error names the dataset, and the column or rows at fault.

Nodes call these before computing anything, so a bad input stops the run before the node
returns (and Kedro writes nothing for it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from moodrec.emotions import EMOTIONS, UnknownEmotionError, canonical

_SHOWN_ROWS = 5


class BadInputError(ValueError):
    """An input table that cannot be used as it is."""


def _rows(mask: np.ndarray | pd.Series) -> str:
    """'rows 3, 17 (2 in all)': 0-based data rows (the CSV line is row + 2)."""
    rows = np.flatnonzero(np.asarray(mask))
    shown = ", ".join(str(r) for r in rows[:_SHOWN_ROWS])
    more = f", ... ({rows.size} in all)" if rows.size > _SHOWN_ROWS else ""
    return f"row{'s' if rows.size > 1 else ''} {shown}{more} (0-based data rows)"


def require_rows(table: pd.DataFrame, dataset: str) -> None:
    if table is None or len(table) == 0:
        raise BadInputError(f"{dataset}: the table is empty (no data rows)")


def find_columns(
    table: pd.DataFrame, wanted: Sequence[str], dataset: str
) -> dict[str, str]:
    """``{wanted name: actual column}``, matching names case-insensitively (set 1 writes
    ``valence``, set 2 ``Valence``); a BOM left on the first name is ignored."""
    by_key = {str(c).lstrip("\ufeff").strip().lower(): c for c in table.columns}
    missing = [w for w in wanted if w.lower() not in by_key]
    if missing:
        raise BadInputError(
            f"{dataset}: missing column(s) {', '.join(map(repr, missing))}; "
            f"columns are {list(map(str, table.columns))}"
        )
    return {w: by_key[w.lower()] for w in wanted}


def numeric_column(table: pd.DataFrame, column: str, dataset: str) -> np.ndarray:
    """A column as float64; non-numbers and NaN are errors naming the rows."""
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        raise BadInputError(
            f"{dataset}: column {column!r} has missing, NaN or non-numeric values at {_rows(bad)}"
        )
    return values


def integer_ids(table: pd.DataFrame, column: str, dataset: str) -> np.ndarray:
    """Excerpt numbers such as ``001`` or ``1`` as int64; blanks, non-integers and duplicates
    are errors naming the rows."""
    text = table[column].astype("string").str.strip()
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() | (values != values.round())
    if bad.any():
        raise BadInputError(
            f"{dataset}: column {column!r} must hold whole excerpt numbers; "
            f"bad value(s) at {_rows(bad.to_numpy())}"
        )
    ids = values.to_numpy(dtype=np.int64)
    duplicated = pd.Series(ids).duplicated(keep=False).to_numpy()
    if duplicated.any():
        raise BadInputError(
            f"{dataset}: column {column!r} repeats excerpt number(s) "
            f"{sorted(set(ids[duplicated].tolist()))} at {_rows(duplicated)}"
        )
    return ids


def check_probabilities(
    probabilities: np.ndarray, columns: Iterable[str], dataset: str, tolerance: float
) -> None:
    """Finite, non-negative rows that sum to 1 within ``tolerance``."""
    columns = list(columns)
    for j, column in enumerate(columns):
        values = probabilities[:, j]
        if not np.isfinite(values).all():
            raise BadInputError(
                f"{dataset}: column {column!r} has NaN or non-numeric values at "
                f"{_rows(~np.isfinite(values))}"
            )
        if (values < 0).any():
            raise BadInputError(
                f"{dataset}: column {column!r} has negative probabilities at {_rows(values < 0)}"
            )
    sums = probabilities.sum(axis=1)
    off = np.abs(sums - 1.0) > tolerance
    if off.any():
        first = int(np.flatnonzero(off)[0])
        raise BadInputError(
            f"{dataset}: the probabilities in columns {columns} do not sum to 1 "
            f"(tolerance {tolerance:g}) at {_rows(off)}; row {first} sums to {sums[first]:.6g}"
        )


def emotion_labels(values: pd.Series, dataset: str, column: str, *, required: bool) -> list[Any]:
    """Canonical emotion names of a column; an empty cell is an error when ``required``, else
    ``None``; an unknown spelling names the dataset, column and row (the table's row label)."""
    out: list[Any] = []
    for row, value in zip(values.index, values, strict=True):
        if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
            if required:
                raise BadInputError(f"{dataset}: column {column!r} is empty at row {row} (0-based)")
            out.append(None)
            continue
        try:
            out.append(canonical(value))
        except UnknownEmotionError:
            raise BadInputError(
                f"{dataset}: column {column!r}, row {row} (0-based): unknown emotion label "
                f"{value!r}; expected one of {', '.join(EMOTIONS)} or an alias"
            ) from None
    return out
