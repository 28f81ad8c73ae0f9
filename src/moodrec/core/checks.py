"""Checks on input tables. Each error names the dataset, and the column or rows at fault.

Nodes call these before computing anything, so a bad input stops the run before the node
returns (and Kedro writes nothing for it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.emotions import (
    EMOTIONS,
    UnknownEmotionError,
    canonical,
    label_key,
    probability_columns,
)

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
) -> dict[str, Any]:
    """``{wanted name: actual column}`` under the project's one matching rule (:func:`label_key`:
    case, spaces, full-width characters and a byte-order mark do not count; set 1 writes
    ``valence``, set 2 ``Valence``). A name that two columns match (``Track`` and ``track``) is
    an error, not a guess."""
    by_key: dict[str, list[Any]] = {}
    for column in table.columns:
        by_key.setdefault(label_key(column), []).append(column)
    missing = [w for w in wanted if label_key(w) not in by_key]
    if missing:
        raise BadInputError(
            f"{dataset}: missing column(s) {', '.join(map(repr, missing))}; "
            f"columns are {list(map(str, table.columns))}"
        )
    for wanted_name in wanted:
        columns = by_key[label_key(wanted_name)]
        if len(columns) > 1:
            raise BadInputError(
                f"{dataset}: columns {list(map(str, columns))} all match {wanted_name!r} (names "
                "are compared ignoring case and spaces); keep one"
            )
    return {w: by_key[label_key(w)][0] for w in wanted}


def standard_columns(table: pd.DataFrame, wanted: Sequence[str], dataset: str) -> pd.DataFrame:
    """The table with its columns for ``wanted`` renamed to exactly those names (checked by
    :func:`find_columns`), the other columns kept; a default 0-based row index."""
    found = find_columns(table, wanted, dataset)
    renamed = table.rename(columns={actual: w for w, actual in found.items()})
    return renamed.reset_index(drop=True)


def optional_column(
    table: pd.DataFrame, candidates: Sequence[str], dataset: str, what: str
) -> Any | None:
    """The one column matching any of ``candidates`` (same rule as :func:`find_columns`), or
    ``None``; two such columns are an error naming both."""
    keys = {label_key(c) for c in candidates}
    found = [c for c in table.columns if label_key(c) in keys]
    if len(found) > 1:
        raise BadInputError(
            f"{dataset}: columns {list(map(str, found))} could each be the {what}; keep one"
        )
    return found[0] if found else None


def _numbers(table: pd.DataFrame, column: Any, dataset: str) -> np.ndarray:
    """A column as float64 (what does not parse: NaN), refusing a number written with a
    decimal comma (``"0,5"``, a quoted cell: pandas reads text). Only text columns can hold
    one: numeric ones are not searched (turning a Parquet partition's 500,000 floats into text
    took 2.3 s for six columns)."""
    if not pd.api.types.is_numeric_dtype(table[column]):
        text = table[column].astype("string").str.strip()
        commas = text.str.fullmatch(r"[-+]?\d+,\d+").fillna(False).to_numpy(dtype=bool)
        if commas.any():
            example = text[commas].iloc[0]
            raise BadInputError(
                f"{dataset}: column {column!r} has numbers written with a decimal comma at "
                f"{_rows(commas)} ({example!r}); write them with a '.' "
                f"({example.replace(',', '.')})"
            )
    return pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=np.float64)


def text_column(table: pd.DataFrame, column: str, dataset: str) -> np.ndarray:
    """A column of text cells (album, track, time range), stripped; a blank cell is an error
    naming the rows (a recommendation would show an empty field)."""
    text = table[column].astype("string").str.strip()
    blank = (text.isna() | (text == "")).to_numpy(dtype=bool)
    if blank.any():
        raise BadInputError(f"{dataset}: column {column!r} is blank at {_rows(blank)}")
    return text.to_numpy(dtype=object)


def numeric_column(table: pd.DataFrame, column: str, dataset: str) -> np.ndarray:
    """A column as float64; decimal commas, non-numbers and NaN are errors naming the rows."""
    values = _numbers(table, column, dataset)
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


def probability_table(table: pd.DataFrame, dataset: str,
                      tolerance: float) -> tuple[np.ndarray, list[Any]]:
    """The table's (n x 6) probabilities in :data:`EMOTIONS` order and the columns they came
    from (any spelling of the six emotions is accepted), every row checked: no decimal commas,
    finite, non-negative, summing to 1 within ``tolerance``. Errors name ``dataset``, the
    column and the rows."""
    try:
        by_column = probability_columns(table.columns)
    except UnknownEmotionError as err:
        raise BadInputError(f"{dataset}: {err}") from None
    column_of = {emotion: column for column, emotion in by_column.items()}
    ordered = [column_of[emotion] for emotion in EMOTIONS]
    probabilities = np.column_stack([_numbers(table, c, dataset) for c in ordered])
    for column, values in zip(ordered, probabilities.T, strict=True):
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
            f"{dataset}: the probabilities in columns {ordered} do not sum to 1 "
            f"(tolerance {tolerance:g}) at {_rows(off)}; row {first} sums to {sums[first]:.6g}"
        )
    return probabilities, ordered


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


def check_predicted_labels(
    predicted: Sequence[str], probabilities: np.ndarray, dataset: str, column: str,
    tolerance: float,
) -> None:
    """Each row's predicted label has the row's largest probability (within ``tolerance``).

    A table whose labels disagree with its probabilities has its columns named in the wrong
    order, or mixes two models' outputs: its points would be silently wrong.
    """
    index = np.array([EMOTIONS.index(p) for p in predicted])
    chosen = probabilities[np.arange(len(index)), index]
    off = chosen < probabilities.max(axis=1) - tolerance
    if off.any():
        row = int(np.flatnonzero(off)[0])
        top = EMOTIONS[int(probabilities[row].argmax())]
        raise BadInputError(
            f"{dataset}: column {column!r} is not the most probable emotion at {_rows(off)}; "
            f"row {row} says {predicted[row]} ({chosen[row]:.4g}) but {top} has "
            f"{probabilities[row].max():.4g}: are the probability columns named in the order "
            "of their values?"
        )


def check_tolerance(value: Any, parameter: str) -> float:
    """A probability tolerance: a number from 0 to 0.1 (rows may sum to 1 +- it)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 0.1:
        raise BadInputError(
            f"parameters {parameter} = {value!r}: must be a number from 0 to 0.1 (the allowed "
            "|sum of the six probabilities - 1| per row)"
        )
    return float(value)
