"""Table files that are not what they seem, read through the catalog's CSV dataset and mapped:
an empty (0-byte) file, a ``;``-separated spreadsheet export, numbers written with decimal
commas (quoted or not). Each is an error naming the file or the column and row; never a
silently shifted table. docs/reliability.md lists the cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kedro.io import DatasetError

from moodrec.core.checks import BadInputError
from moodrec.datasets import AtomicCSVDataset
from moodrec.pipelines.va_mapping.nodes import map_table
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import points_of, prepare

NAME = "face_predictions_for_mapping"
FIXTURES = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def points(ratings, va_params):
    return points_of(prepare(ratings, va_params), va_params)


def _load(path):
    return AtomicCSVDataset(filepath=str(path), load_args={"encoding": "utf-8-sig"}).load()


def _with_decimal_commas(table: pd.DataFrame) -> pd.DataFrame:
    numbers = table.select_dtypes("number").columns
    return table.astype({c: object for c in numbers}).assign(
        **{c: table[c].map(lambda v: f"{v:.6f}".replace(".", ",")) for c in numbers})


def _write(table: pd.DataFrame, path, layout: str) -> None:
    """``quoted``: pandas quotes cells holding a comma; ``unquoted``: written by hand, as a
    careless export does; ``semicolon``: a spreadsheet's export where decimals are commas."""
    if layout == "unquoted":
        lines = [",".join(table.columns)] + [",".join(map(str, row))
                                             for row in table.itertuples(index=False)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        table.to_csv(path, index=False, sep=";" if layout == "semicolon" else ",")


def test_empty_file_is_named(tmp_path):
    """Before: `No columns to parse from file` inside a 200-line traceback."""
    path = tmp_path / "face.csv"
    path.write_bytes(b"")
    with pytest.raises(DatasetError, match=rf"{path}: the file is empty \(0 bytes\)"):
        _load(path)


@pytest.mark.parametrize(("layout", "error", "message"), [
    ("semicolon", DatasetError, r"face.csv: the columns are separated by ';'"),
    ("unquoted", DatasetError, r"face.csv: the data rows have more fields than the header's 8 "
                               r"\(line 2 starts '0,\d+,0,"),
    ("quoted", BadInputError, rf"{NAME}: column '\w+' has numbers written with a decimal comma "
                              r"at rows 0, 1, 2, 3, 4, \.\.\. \(20 in all\) .*write them with "
                              r"a '\.'"),
])
def test_decimal_commas_are_named(tmp_path, probabilities, points, layout, error, message):
    """Before: a `;` export lost every column, an unquoted one became a silently shifted table
    (the first fields made its index) caught only by the sums, a quoted one was 'non-numeric'."""
    table = _with_decimal_commas(prediction_table(probabilities, y_true=np.arange(20) % 6))
    path = tmp_path / "face.csv"
    _write(table, path, layout)
    with pytest.raises(error, match=message):
        map_table(_load(path), points, dataset=NAME, source="face")


@FIXTURES
@given(row=st.integers(0, 19), layout=st.sampled_from(["quoted", "unquoted", "semicolon"]),
       column=st.sampled_from(["anger", "fear", "happiness", "sadness", "surprise", "neutral"]))
def test_one_decimal_comma_anywhere_is_never_silent(tmp_path_factory, probabilities, points,
                                                    row, layout, column):
    table = prediction_table(probabilities, y_true=np.arange(20) % 6).astype({column: object})
    table.loc[row, column] = f"{table.loc[row, column]:.6f}".replace(".", ",")
    path = tmp_path_factory.mktemp("t") / "face.csv"
    _write(table, path, layout)
    with pytest.raises((DatasetError, BadInputError, pd.errors.ParserError)):
        map_table(_load(path), points, dataset=NAME, source="face")


def test_clean_file_loads_as_before(tmp_path, probabilities, points):
    table = prediction_table(probabilities, y_true=np.arange(20) % 6)
    path = tmp_path / "face.csv"
    table.to_csv(path, index=False)
    pd.testing.assert_frame_equal(map_table(_load(path), points, dataset=NAME, source="face"),
                                  map_table(table, points, dataset=NAME, source="face"))


def test_decimal_comma_in_a_rating_is_named(ratings, va_params):
    bad = ratings.astype({"valence": object})
    bad.loc[5, "valence"] = "3,5"
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.ratings: column 'valence' has "
                                            r"numbers written with a decimal comma at row 5 .*"
                                            r"\('3,5'\); write them with a '\.' \(3\.5\)"):
        prepare(bad, va_params)
