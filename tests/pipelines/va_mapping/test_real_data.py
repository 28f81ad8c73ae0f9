"""va_mapping on the real files in ../shared/data (skipped, visibly, where they are absent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.matplotlib import MatplotlibDataset
from kedro_datasets.pandas import CSVDataset

from moodrec.core.emotions import EMOTIONS, canonical
from moodrec.pipelines.va_mapping.nodes import (
    derived_emotion_points,
    map_table,
    study_emotion_points,
)
from moodrec.pipelines.va_mapping.pipeline import create_pipeline
from tests.pipelines.va_mapping.params import load_params, points_of, raw_catalogues, real_items

pytestmark = pytest.mark.real_data


def _ratings(shared_data, name):
    return pd.read_csv(shared_data / "soundtracks" / f"mean_ratings_{name}.csv",
                       encoding="utf-8-sig", dtype={"number": str, "Number": str})


def _study_map(shared_data):
    return pd.read_csv(shared_data / "seed" / "map.csv", encoding="utf-8-sig")


@pytest.fixture(scope="module")
def items(shared_data):
    return real_items(shared_data, load_params("va_mapping"))


def test_derived_points_equal_the_study_map(shared_data, items):
    catalogue = items["soundtracks_set1"]
    assert len(catalogue) == 180 and catalogue["emotion"].notna().all()
    derived = derived_emotion_points(catalogue).set_index("emotion")
    study = study_emotion_points(_study_map(shared_data)).set_index("emotion")
    assert list(derived.index) == list(EMOTIONS)
    np.testing.assert_allclose(derived.to_numpy(), study.loc[list(EMOTIONS)].to_numpy(), atol=0.01)


def test_set2_catalogue(items):
    catalogue = items["soundtracks_set2"]
    counts = catalogue["emotion"].value_counts()
    assert len(catalogue) == 55
    assert all(counts[e] == 10 for e in EMOTIONS if e != EMOTIONS[4])  # HIGH + MODERATE
    assert counts[EMOTIONS[4]] == 5  # the stand-in category (set 2 has none of its own)
    points = points_of(catalogue, load_params("va_mapping", catalogue="soundtracks_set2"))
    assert (points[["valence", "arousal"]].to_numpy() > 2).all()  # the 1-9 scale's points


def test_song_catalogues(items):
    """The published counts; ids unique across catalogues; songs titled artist - title."""
    assert len(items["pmemo"]) == 767 and len(items["songs1000"]) == 744
    every = pd.concat(items.values())
    assert every["item"].is_unique
    first = items["pmemo"].iloc[0]
    assert first["title"] == f"{first['artist']} - Good Drank" and first["item"] == "pmemo:001"
    assert not items["songs1000"]["genre"].str.contains("\t").any()  # tabs stripped


def test_set2_surprise_stand_in_is_the_nearest_category(shared_data, items):
    """The documented choice: set 1's point of EMOTIONS[4] (which set 2 lacks) carried to the
    1-9 scale lies nearest to set 2's TENSION POS MODERATE."""
    point = derived_emotion_points(items["soundtracks_set1"]).set_index("emotion").loc[
        EMOTIONS[4]].to_numpy()
    carried = (point - 1) * 8 / 6 + 1
    set2 = _ratings(shared_data, "set2")
    means = set2.groupby("TARGET")[["Valence", "Energy"]].mean()
    nearest = (means - carried).pow(2).sum(axis=1).idxmin()
    stand_in = [c for c, e in load_params("va_mapping")["catalogues"]["soundtracks_set2"]
                ["categories"].items() if canonical(e) == EMOTIONS[4]]
    assert stand_in == [nearest] == ["TENSION POS MODERATE"]


def test_study_tables_map(shared_data):
    points = study_emotion_points(_study_map(shared_data))
    face = map_table(pd.read_csv(shared_data / "seed" / "facial-recommendation.csv"), points,
                     dataset="face", source="face")
    audio = map_table(pd.read_csv(shared_data / "seed" / "audio-recommendation.csv"), points,
                      dataset="audio", source="audio")
    assert len(face) == 3533 and len(audio) == 792
    # the study's record 3 (README of the data): EMOTIONS[2], VA = (5.3644, 4.9885)
    assert face.loc[3, "pred_label"] == EMOTIONS[2]
    assert face.loc[3, ["valence", "arousal"]].tolist() == pytest.approx([5.3644, 4.9885],
                                                                         abs=1e-4)
    assert (face["pred_label"] == face["true_label"]).mean() == pytest.approx(0.6943, abs=1e-4)
    assert (audio["pred_label"] == audio["true_label"]).mean() == pytest.approx(0.7790, abs=1e-4)
    assert set(audio["true_label"]) == set(EMOTIONS)


def test_pipeline_on_real_files(shared_data, tmp_path):
    params = load_params("va_mapping")
    catalog = DataCatalog({
        **{name: MemoryDataset(table) for name, table in raw_catalogues(shared_data).items()},
        "study_emotion_map": MemoryDataset(_study_map(shared_data)),
        "face_predictions_for_mapping": MemoryDataset(
            pd.read_csv(shared_data / "seed" / "facial-recommendation.csv")),
        "audio_predictions_for_mapping": MemoryDataset(
            pd.read_csv(shared_data / "seed" / "audio-recommendation.csv")),
        "params:va_mapping": MemoryDataset(params),
        "person_va_points": CSVDataset(filepath=str(tmp_path / "persons.csv")),
        "emotion_va_points": CSVDataset(filepath=str(tmp_path / "points.csv")),
        "va_plane_plot": MatplotlibDataset(filepath=str(tmp_path / "plane.png")),
    })
    SequentialRunner().run(create_pipeline(), catalog)
    assert (tmp_path / "plane.png").stat().st_size > 10_000
    persons = catalog.load("person_va_points")
    assert persons["source"].value_counts().to_dict() == {"face": 3533, "audio": 792}
    assert catalog.load("emotion_va_points")["emotion"].tolist() == list(EMOTIONS)


@pytest.mark.parametrize(("source", "face_path"), [
    ("study", "data/01_raw/study/facial-recommendation.csv"),
    ("project", "data/07_model_output/face_predictions.csv"),
])
def test_prediction_source_picks_the_tables(project_root, source, face_path):
    """`kedro run --params prediction_source=...,catalogue=...` switches the tables va_mapping
    reads and the files the run writes."""
    loader = OmegaConfigLoader(str(project_root / "conf"), base_env="base",
                               default_run_env="local",
                               runtime_params={"prediction_source": source,
                                               "catalogue": "pmemo"})
    catalog = loader["catalog"]
    assert catalog["face_predictions_for_mapping"]["filepath"] == face_path
    assert catalog["audio_predictions_for_mapping"]["filepath"].endswith(
        "audio-recommendation.csv" if source == "study" else "audio_predictions.csv")
    assert catalog["person_va_points"]["filepath"].endswith(f"_{source}_pmemo.csv")
    params = loader["parameters"]
    assert params["va_mapping"]["prediction_source"] == source
    assert params["va_mapping"]["catalogue"] == "pmemo"
    assert params["recommendation"]["catalogue"] == "pmemo"


@pytest.mark.parametrize("name", ["facial-recommendation.csv", "audio-recommendation.csv"])
def test_study_tables_with_upper_case_headers_map_the_same(shared_data, tmp_path, name):
    """The issue's case: `EMOTION`/`LABEL`, `ANGER` ... `PRED_LABEL` headers. The true-label
    column is matched like every other (before the one column rule, `EMOTION` was not a
    true-label column: every true label was dropped, and hit@k had no persons)."""
    points = study_emotion_points(_study_map(shared_data))
    table = pd.read_csv(shared_data / "seed" / name)
    upper = tmp_path / name
    table.rename(columns=str.upper).to_csv(upper, index=False)
    loaded = CSVDataset(filepath=str(upper), load_args={"encoding": "utf-8-sig"}).load()
    assert "EMOTION" in loaded.columns or "LABEL" in loaded.columns
    mapped = map_table(loaded, points, dataset="upper", source="face")
    pd.testing.assert_frame_equal(mapped, map_table(table, points, dataset="x", source="face"))
    assert mapped["true_label"].notna().all()
