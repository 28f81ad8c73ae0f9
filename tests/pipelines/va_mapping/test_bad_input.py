"""Bad inputs stop va_mapping with an error naming the dataset and the column or row."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.pandas import CSVDataset

from moodrec.core.checks import BadInputError
from moodrec.core.emotions import CATALOGUE_CATEGORY, EMOTIONS
from moodrec.pipelines.va_mapping.nodes import map_table
from moodrec.pipelines.va_mapping.pipeline import create_pipeline
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import points_of, prepare, synthetic_raw


@pytest.fixture
def points(ratings, va_params):
    return points_of(prepare(ratings, va_params), va_params)


@pytest.fixture
def table(probabilities):
    return prediction_table(probabilities, y_true=np.arange(20) % 6)


def _map(table, points):
    return map_table(table, points, dataset="face_predictions_for_mapping", source="face")


def test_missing_emotion_column(table, points):
    with pytest.raises(BadInputError,
                       match=rf"face_predictions_for_mapping: .*missing .*{EMOTIONS[4]}"):
        _map(table.drop(columns=[EMOTIONS[4]]), points)


def test_negative_probability(table, points):
    table.loc[7, EMOTIONS[1]] = -0.01
    with pytest.raises(BadInputError, match=rf"face_predictions_for_mapping: column "
                                            rf"'{EMOTIONS[1]}' has negative .* row 7 "):
        _map(table, points)


def test_rows_not_summing_to_one(table, points):
    table.loc[3, EMOTIONS[0]] += 0.002
    with pytest.raises(BadInputError, match=r"do not sum to 1 \(tolerance 0.001\) at row 3 "):
        _map(table, points)
    table.loc[3, EMOTIONS[0]] -= 0.0015  # within the tolerance
    _map(table, points)


@pytest.mark.parametrize("value", [np.nan, "n/a"])
def test_nan_probability(table, points, value):
    table[EMOTIONS[2]] = table[EMOTIONS[2]].astype(object)
    table.loc[11, EMOTIONS[2]] = value
    with pytest.raises(BadInputError, match=rf"column '{EMOTIONS[2]}' has NaN .* row 11 "):
        _map(table, points)


@pytest.mark.parametrize("column", ["true_label", "pred_label"])
def test_unknown_label(table, points, column):
    table.loc[5, column] = "contempt"
    with pytest.raises(BadInputError, match=rf"face_predictions_for_mapping: column '{column}', "
                                            r"row 5 .*unknown emotion label 'contempt'"):
        _map(table, points)


def test_dropped_class_is_an_unknown_label(table, points):
    table.loc[0, "true_label"] = "disgust"
    with pytest.raises(BadInputError, match="row 0"):
        _map(table, points)


def test_empty_prediction_table(table, points):
    with pytest.raises(BadInputError, match="face_predictions_for_mapping: the table is empty"):
        _map(table.iloc[:0], points)


def test_empty_catalogue(ratings, va_params):
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.ratings: the table is empty"):
        prepare(ratings.iloc[:0], va_params)


def test_catalogue_without_a_category(ratings, va_params):
    category = CATALOGUE_CATEGORY[EMOTIONS[3]]
    without = ratings[ratings["TARGET"] != category]
    with pytest.raises(BadInputError, match=rf"soundtracks_set1\.ratings: no excerpt of the "
                                            rf"configured category '{category}' "
                                            rf"\({EMOTIONS[3]}\) in column 'TARGET'"):
        prepare(without, va_params)


def test_catalogue_blank_category_names_the_rows(ratings, va_params):
    blank = ratings.copy()
    blank.loc[blank.index[[2, 7]], "TARGET"] = ["  ", None]
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.ratings: column 'TARGET' is "
                                            r"blank at rows 2, 7 \(0-based data rows\)"):
        prepare(blank, va_params)


def test_catalogue_missing_column(ratings, va_params):
    with pytest.raises(BadInputError, match=r"missing column\(s\) 'energy'"):
        prepare(ratings.drop(columns=["energy"]), va_params)


def test_catalogue_bad_values(ratings, va_params):
    bad = ratings.copy()
    bad.loc[4, "valence"] = np.nan
    with pytest.raises(BadInputError, match=r"column 'valence' has missing, NaN .* row 4 "):
        prepare(bad, va_params)
    bad = ratings.copy()
    bad.loc[2, "energy"] = 7.5  # set 1's scale is 1-7
    with pytest.raises(BadInputError, match=r"column 'energy' has ratings outside .*\[2\]"):
        prepare(bad, va_params)
    bad = ratings.copy()
    bad.loc[6, "number"] = "001"
    with pytest.raises(BadInputError, match=r"column 'number' repeats excerpt number\(s\) \[1\]"):
        prepare(bad, va_params)


def test_mapping_that_leaves_out_an_emotion(ratings, va_params):
    params = dict(va_params)
    only = CATALOGUE_CATEGORY[EMOTIONS[0]]
    params["catalogues"] = {"soundtracks_set1": dict(va_params["catalogues"]["soundtracks_set1"],
                                                     categories={only: only})}
    with pytest.raises(BadInputError, match=f"no catalogue category stands for {EMOTIONS[1]}"):
        prepare(ratings, params)


@pytest.mark.parametrize("choice", ["set3", "pmemo+set3", "pmemo+pmemo"])
def test_unknown_catalogue(choice, va_params):
    with pytest.raises(BadInputError, match=re.escape(f"parameters catalogue = '{choice}'")):
        points_of(pd.DataFrame(), dict(va_params, catalogue=choice))


def test_bom_and_zero_padded_numbers_are_read(tmp_path, ratings, va_params):
    path = tmp_path / "mean_ratings_set1.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ratings.to_csv(index=False).encode())
    loaded = CSVDataset(filepath=str(path),
                        load_args={"encoding": "utf-8-sig", "dtype": {"number": str}}).load()
    catalogue = prepare(loaded, va_params)
    assert catalogue["number"].tolist()[:3] == [1, 2, 3]
    # without the encoding the BOM stays on the first name; it is still found
    raw = CSVDataset(filepath=str(path), load_args={"dtype": str}).load()
    assert prepare(raw, va_params)["number"].tolist()[:3] == [1, 2, 3]


def test_pipeline_writes_nothing_on_bad_predictions(tmp_path, ratings, table, va_params):
    """Through the runner: the failing node's output file does not appear."""
    table.loc[9, EMOTIONS[5]] = -1.0
    out = tmp_path / "person_va_points.csv"
    catalog = DataCatalog({
        **{name: MemoryDataset(raw) for name, raw in synthetic_raw(ratings, va_params).items()},
        "study_emotion_map": MemoryDataset(pd.DataFrame()),
        "face_predictions_for_mapping": MemoryDataset(table),
        "audio_predictions_for_mapping": MemoryDataset(table),
        "person_va_points": CSVDataset(filepath=str(out)),
        "params:va_mapping": MemoryDataset(va_params),
    })
    with pytest.raises(BadInputError, match=rf"face_predictions_for_mapping \(prediction_source="
                                            rf"study\): column '{EMOTIONS[5]}' has negative "
                                            rf".* row 9 "):
        SequentialRunner().run(create_pipeline(), catalog)
    assert not out.exists()
