"""Bad inputs stop the recommendation with an error naming the dataset and the column or row,
and no output of the pipeline is written. (Bad prediction tables and bad ratings are caught
earlier, by va_mapping: tests/pipelines/va_mapping/test_bad_input.py; the main job's runner
test below covers them end to end.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.json import JSONDataset
from kedro_datasets.pandas import CSVDataset

from moodrec.core.checks import BadInputError
from moodrec.core.emotions import CATALOGUE_CATEGORY, EMOTIONS
from moodrec.datasets import AtomicCSVDataset
from moodrec.pipelines.recommendation.nodes import (
    recommend,
    recommendation_metrics,
)
from moodrec.pipelines.recommendation.pipeline import create_pipeline as recommendation_pipeline
from moodrec.pipelines.va_mapping.pipeline import create_pipeline as va_mapping_pipeline
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import prepare, synthetic_raw, with_scale

OUTPUTS = ("recommendable_excerpts", "recommendations", "recommendation_metrics")


# ------------------------------------------------------------------------------ k and mode
@pytest.mark.parametrize("k", [13, 500])
def test_k_larger_than_the_catalogue(persons, catalogue, rec_params, k):
    with pytest.raises(BadInputError, match=rf"parameters recommendation.k = {k}: must be a "
                                            r"whole number from 1 to the number of "
                                            r"items in recommendable_excerpts \(12\)"):
        recommend(persons, catalogue, dict(rec_params, k=k))


@pytest.mark.parametrize("k", [0, -1, 2.5, "3", True, None])
def test_k_not_a_count(persons, catalogue, rec_params, k):
    with pytest.raises(BadInputError, match=r"parameters recommendation.k = .*whole number"):
        recommend(persons, catalogue, dict(rec_params, k=k))


def test_k_is_checked_by_every_node(persons, points, catalogue, rec_params):
    excerpts = catalogue
    params = dict(rec_params, k=13)
    with pytest.raises(BadInputError, match=r"recommendation.k = 13.* recommendable_excerpts"):
        recommend(persons, excerpts, params)
    with pytest.raises(BadInputError, match=r"recommendation.k = 13"):
        recommendation_metrics(persons, excerpts, points, params)


def test_unknown_mode(catalogue, persons, points, rec_params):
    with pytest.raises(BadInputError, match=r"recommendation.mode = 'dot': choose one of cosine"):
        recommend(persons, catalogue, dict(rec_params, mode="dot"))
    excerpts = catalogue
    with pytest.raises(BadInputError, match=r"metric_modes: unknown mode\(s\) \['dot'\]"):
        recommendation_metrics(persons, excerpts, points, dict(rec_params, metric_modes=["dot"]))


@pytest.mark.parametrize("scale", [[4], [7, 1], ["1", "7"], None])
def test_bad_scale_for_the_set(persons, catalogue, rec_params, scale):
    with pytest.raises(BadInputError, match=r"va_mapping.catalogues.soundtracks_set1.scale = .*: "
                                            r"must be "
                                            r"\[min, max\] with min < max"):
        recommend(persons, catalogue, with_scale(rec_params, scale))
    with pytest.raises(BadInputError, match=r"parameters catalogue = 'soundtracks_set1': "
                                            r"unknown"):
        recommend(persons, catalogue, dict(rec_params, catalogues={}))


@pytest.mark.parametrize("chunk_size", [0, 1.5])
def test_bad_chunk_size(persons, catalogue, rec_params, chunk_size):
    with pytest.raises(BadInputError, match=r"recommendation.chunk_size"):
        recommend(persons, catalogue, dict(rec_params, chunk_size=chunk_size))


# ------------------------------------------------------------------------------- track list
def test_track_number_missing_from_the_track_list(ratings, tracklist, va_params):
    without = tracklist[tracklist["Nro"] != "005"]
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.tracklist: excerpt number\(s\) "
                                            r"\[5\] of soundtracks_set1\.ratings \(rows \[4\], "
                                            r"0-based\) are missing from column 'Nro'"):
        prepare(ratings, va_params, without)


def test_track_of_another_category_may_be_missing(ratings, tracklist, va_params):
    """Only the recommendable excerpts need a source."""
    prepare(ratings, va_params, tracklist.iloc[:-1])


def test_track_list_missing_column(ratings, tracklist, va_params):
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.tracklist: missing column\(s\) "
                                            r"'Min:Sec'"):
        prepare(ratings, va_params, tracklist.drop(columns=["Min:Sec"]))


def test_track_list_bad_numbers(ratings, tracklist, va_params):
    bad = tracklist.copy()
    bad.loc[3, "Nro"] = "4a"
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.tracklist: column 'Nro' "
                                            r"must hold whole excerpt numbers; bad value\(s\) "
                                            r"at row 3 "):
        prepare(ratings, va_params, bad)
    bad = tracklist.copy()
    bad.loc[6, "Nro"] = "2"  # "002" and "2" are the same excerpt
    with pytest.raises(BadInputError, match=r"column 'Nro' repeats excerpt number\(s\) \[2\] at "
                                            r"rows 1, 6 "):
        prepare(ratings, va_params, bad)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.integers(0, 12), column=st.sampled_from(["Album name", "Track", "Min:Sec"]),
       blank=st.sampled_from(["", " ", "\t", None]))
def test_blank_track_list_cell_is_named(ratings, tracklist, va_params, row, column, blank):
    """Before: a blank `Track` (or album, time range) cell was accepted, and the excerpt
    recommended with an empty field."""
    bad = tracklist.copy()
    bad.loc[row, column] = blank
    with pytest.raises(BadInputError, match=rf"soundtracks_set1\.tracklist: column '{column}' "
                                            rf"is blank at row {row} \(0-based data rows\)"):
        prepare(ratings, va_params, bad)


def test_blank_track_cell_through_the_projects_catalog_entry(tmp_path, project_root, ratings,
                                                             tracklist, va_params):
    """As read from the file by the catalog entry (``dtype: str``: the blank is NaN)."""
    raw = yaml.safe_load((project_root / "conf" / "base" / "catalog_01_raw.yml").read_text())
    path = tmp_path / "set1_tracklist.csv"
    tracklist.assign(Track=tracklist["Track"].where(tracklist.index != 4, "")).to_csv(
        path, index=False)
    loaded = AtomicCSVDataset(filepath=str(path),
                              load_args=raw["soundtracks_{set}.tracklist"]["load_args"]).load()
    with pytest.raises(BadInputError, match=r"column 'Track' is blank at row 4 "):
        prepare(ratings, va_params, loaded)


def test_empty_track_list(ratings, tracklist, va_params):
    with pytest.raises(BadInputError, match=r"soundtracks_set1\.tracklist: the table is empty"):
        prepare(ratings, va_params, tracklist.iloc[:0])


def test_bom_and_zero_padded_numbers_with_the_projects_catalog_entry(
        tmp_path, project_root, ratings, tracklist, va_params):
    """The published files: a UTF-8 byte-order mark, numbers written 001. Read through the
    project's own catalog entries (conf/base/catalog_01_raw.yml) they join correctly."""
    raw = yaml.safe_load((project_root / "conf" / "base" / "catalog_01_raw.yml").read_text())
    path = tmp_path / "set1_tracklist.csv"
    path.write_bytes(b"\xef\xbb\xbf" + tracklist.to_csv(index=False).encode())
    loaded = CSVDataset(filepath=str(path),
                        load_args=raw["soundtracks_{set}.tracklist"]["load_args"]).load()
    assert loaded.columns[0] == "Nro" and loaded["Nro"].iat[0] == "001"
    pd.testing.assert_frame_equal(prepare(ratings, va_params, loaded),
                                  prepare(ratings, va_params, tracklist))
    # read without any load_args the numbers still join (pandas makes them 1, 2 ...)
    plain = CSVDataset(filepath=str(path)).load()
    pd.testing.assert_frame_equal(prepare(ratings, va_params, plain),
                                  prepare(ratings, va_params, tracklist))
    ratings_path = tmp_path / "mean_ratings_set1.csv"
    ratings_path.write_bytes(b"\xef\xbb\xbf" + ratings.to_csv(index=False).encode())
    loaded = CSVDataset(filepath=str(ratings_path),
                        load_args=raw["soundtracks_{set}.ratings"]["load_args"]).load()
    assert loaded["number"].iat[0] == "001"


# -------------------------------------------------------------------------------- catalogue
def test_catalogue_bad_rows(persons, catalogue, points, rec_params):
    bad = catalogue.astype({"emotion": object, "arousal": object})
    bad.loc[3, "arousal"] = "high"
    with pytest.raises(BadInputError, match=r"recommendable_excerpts: column 'arousal' "
                                            r"has missing, NaN or non-numeric values at row 3 "):
        recommend(persons, bad, rec_params)
    bad = catalogue.astype({"emotion": object})
    bad.loc[8, "emotion"] = "contempt"
    with pytest.raises(BadInputError, match=r"column 'emotion', row 8 \(0-based\): unknown "
                                            r"emotion label 'contempt'"):
        recommendation_metrics(persons, bad, points, rec_params)


# ---------------------------------------------------------------------------------- persons
def test_person_points_not_numbers(persons, catalogue, points, rec_params):
    excerpts = catalogue
    bad = persons.copy()
    bad.loc[17, "valence"] = np.nan
    for node in (lambda p: recommend(p, excerpts, rec_params),
                 lambda p: recommendation_metrics(p, excerpts, points, rec_params)):
        with pytest.raises(BadInputError, match=r"person_va_points: column 'valence' has "
                                                r"missing, NaN or non-numeric values at row 17 "):
            node(bad)


def test_person_points_empty_or_missing_columns(persons, catalogue, rec_params):
    excerpts = catalogue
    with pytest.raises(BadInputError, match=r"person_va_points: the table is empty"):
        recommend(persons.iloc[:0], excerpts, rec_params)
    with pytest.raises(BadInputError, match=r"person_va_points: missing column\(s\) 'arousal'"):
        recommend(persons.drop(columns=["arousal"]), excerpts, rec_params)


def test_unknown_true_label_in_metrics(persons, catalogue, points, rec_params):
    excerpts = catalogue
    bad = persons.copy()
    bad.loc[12, "true_label"] = "contempt"
    with pytest.raises(BadInputError, match=r"person_va_points: column 'true_label', row 12 "
                                            r"\(0-based\): unknown emotion label 'contempt'"):
        recommendation_metrics(bad, excerpts, points, rec_params)


def test_emotion_points_without_an_emotion(persons, catalogue, points, rec_params):
    excerpts = catalogue
    with pytest.raises(BadInputError, match=rf"emotion_va_points: column 'emotion' has no row "
                                            rf"for {EMOTIONS[5]}"):
        recommendation_metrics(persons, excerpts, points.iloc[:5], rec_params)


# ------------------------------------------------------------- through the runner: no output
def _main_job_catalog(tmp_path, ratings, tracklist, face, audio, va_params, rec_params):
    """The main job's datasets: inputs in memory, every output a file under tmp_path."""
    files = {
        **{f"{name}.items": MemoryDataset() for name in ("soundtracks_set2", "pmemo",
                                                          "songs1000")},
        "soundtracks_set1.items": CSVDataset(filepath=str(tmp_path / "items.csv")),
        "emotion_va_points": CSVDataset(filepath=str(tmp_path / "points.csv")),
        "person_va_points": CSVDataset(filepath=str(tmp_path / "persons.csv")),
        "recommendable_excerpts": CSVDataset(filepath=str(tmp_path / "excerpts.csv")),
        "recommendations": CSVDataset(filepath=str(tmp_path / "recommendations.csv")),
        "recommendation_metrics": JSONDataset(filepath=str(tmp_path / "metrics.json")),
        "va_plane_plot": MemoryDataset(),
    }
    return DataCatalog({
        **{name: MemoryDataset(raw) for name, raw in synthetic_raw(ratings, va_params,
                                                                   tracklist).items()},
        "study_emotion_map": MemoryDataset(pd.DataFrame()),
        "face_predictions_for_mapping": MemoryDataset(face),
        "audio_predictions_for_mapping": MemoryDataset(audio),
        "params:va_mapping": MemoryDataset(va_params),
        "params:recommendation": MemoryDataset(rec_params),
        **files,
    })


def _main_job():
    """va_mapping + the batch part of recommendation (the person path is tested elsewhere)."""
    return (va_mapping_pipeline() + recommendation_pipeline()).to_outputs(
        "recommendations", "recommendation_metrics", "va_plane_plot")


def _face(probabilities):
    return prediction_table(probabilities, y_true=np.arange(len(probabilities)) % 6)


def _break(case, ratings, tracklist, face, rec_params):
    """One bad input of the issue's list: (ratings, tracklist, face, params, error pattern)."""
    face, ratings, tracklist = face.copy(), ratings.copy(), tracklist.copy()
    name = r"face_predictions_for_mapping \(prediction_source=study\)"
    if case == "missing emotion column":
        return ratings, tracklist, face.drop(columns=[EMOTIONS[1]]), rec_params, \
            rf"{name}: .*missing .*{EMOTIONS[1]}"
    if case == "negative probability":
        face.loc[4, EMOTIONS[0]] = -0.2
        return ratings, tracklist, face, rec_params, \
            rf"{name}: column '{EMOTIONS[0]}' has negative probabilities at row 4 "
    if case == "not summing to 1":
        face.loc[6, EMOTIONS[3]] += 0.01
        return ratings, tracklist, face, rec_params, rf"{name}: .* do not sum to 1 .* row 6 "
    if case == "NaN":
        face.loc[2, EMOTIONS[4]] = np.nan
        return ratings, tracklist, face, rec_params, \
            rf"{name}: column '{EMOTIONS[4]}' has NaN .* row 2 "
    if case == "unknown label":
        face.loc[9, "true_label"] = "contempt"
        return ratings, tracklist, face, rec_params, \
            rf"{name}: column 'true_label', row 9 .*unknown emotion label 'contempt'"
    if case == "catalogue without a category":
        category = CATALOGUE_CATEGORY[EMOTIONS[5]]
        return ratings[ratings["TARGET"] != category], tracklist, face, rec_params, \
            rf"soundtracks_set1\.ratings: no excerpt of the configured category '{category}'"
    if case == "empty catalogue":
        return ratings.iloc[:0], tracklist, face, rec_params, \
            r"soundtracks_set1\.ratings: the table is empty"
    if case == "k larger than the catalogue":
        return ratings, tracklist, face, dict(rec_params, k=20), \
            r"parameters recommendation.k = 20: .* recommendable_excerpts \(12\)"
    if case == "track missing from the track list":
        return ratings, tracklist[tracklist["Nro"] != "011"], face, rec_params, \
            r"soundtracks_set1\.tracklist: excerpt number\(s\) \[11\] .* column 'Nro'"
    raise AssertionError(case)


@pytest.mark.parametrize("case", [
    "missing emotion column", "negative probability", "not summing to 1", "NaN",
    "unknown label", "catalogue without a category", "empty catalogue",
    "k larger than the catalogue", "track missing from the track list",
])
def test_main_job_stops_before_writing_recommendations(tmp_path, case, ratings, tracklist,
                                                       probabilities, va_params, rec_params):
    """Each bad input of the issue's list stops `kedro run` (va_mapping + recommendation):
    the error names the dataset and the column or row, and neither recommendations nor
    metrics are written (only the outputs of nodes that do not read the bad input may be)."""
    ratings, tracklist, face, params, pattern = _break(case, ratings, tracklist,
                                                       _face(probabilities), rec_params)
    catalog = _main_job_catalog(tmp_path, ratings, tracklist, face, _face(probabilities),
                                va_params, params)
    with pytest.raises(BadInputError, match=pattern):
        SequentialRunner().run(_main_job(), catalog)
    for name in ("recommendations.csv", "metrics.json"):
        assert not (tmp_path / name).exists(), name
    if case == "track missing from the track list":
        assert not (tmp_path / "excerpts.csv").exists()
    if case not in ("catalogue without a category", "empty catalogue"):
        return
    assert not list(tmp_path.iterdir())  # the first node failed: nothing at all


def test_recommendation_pipeline_alone_writes_nothing_on_bad_k(
        tmp_path, catalogue, persons, points, rec_params):
    """`kedro run --pipelines recommendation` with k too large: its first node stops it."""
    catalog = DataCatalog({
        "recommendable_excerpts": MemoryDataset(catalogue),
        "person_va_points": MemoryDataset(persons),
        "emotion_va_points": MemoryDataset(points),
        "params:recommendation": MemoryDataset(dict(rec_params, k=13)),
        "recommendations": CSVDataset(filepath=str(tmp_path / "recommendations.csv")),
        "recommendation_metrics": JSONDataset(filepath=str(tmp_path / "metrics.json")),
    })
    pipeline = recommendation_pipeline().to_outputs("recommendations", "recommendation_metrics")
    with pytest.raises(BadInputError, match=r"recommendation.k = 13"):
        SequentialRunner().run(pipeline, catalog)
    assert not list(tmp_path.iterdir())
