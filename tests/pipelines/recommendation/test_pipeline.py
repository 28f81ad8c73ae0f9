"""Pipeline slices through SequentialRunner, with the project's own catalog entries
(conf/base/catalog_*.yml) pointed at a temporary folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from moodrec.core.emotions import EMOTIONS
from moodrec.pipelines.recommendation.nodes import (
    recommend,
    recommendation_metrics,
)
from moodrec.pipelines.recommendation.pipeline import create_pipeline as recommendation_pipeline
from moodrec.pipelines.va_mapping.pipeline import create_pipeline as va_mapping_pipeline
from moodrec.training.evaluation import prediction_table
from tests.pipelines.va_mapping.params import synthetic_raw

BATCH_OUTPUTS = ("recommendations", "recommendation_metrics")
MAIN_JOB_DATASETS = (
    "soundtracks_set1.ratings", "soundtracks_set1.tracklist", "study_emotion_map",
    "face_predictions_for_mapping", "audio_predictions_for_mapping",
    "soundtracks_set1.items", "emotion_va_points", "person_va_points", "va_plane_plot",
    "recommendable_excerpts", "recommendations", "recommendation_metrics",
)
#: Factory entries of the catalog (conf/base) and the names they stand for here.
PATTERNS = {"soundtracks_set1.ratings": ("soundtracks_{set}.ratings", {"set": "set1"}),
            "soundtracks_set1.tracklist": ("soundtracks_{set}.tracklist", {"set": "set1"}),
            "soundtracks_set1.items": ("{catalogue}.items", {"catalogue": "soundtracks_set1"})}


def batch_pipeline():
    """The batch part of ``recommendation`` (its person path is tested in tests/person)."""
    return recommendation_pipeline().to_outputs(*BATCH_OUTPUTS)


def catalog_entries(project_root: Path, folder: Path) -> dict[str, dict]:
    """The project's catalog entries of the main job, each file moved into ``folder``."""
    loader = OmegaConfigLoader(str(project_root / "conf"), base_env="base",
                               default_run_env="local")
    entries = {}
    for name in MAIN_JOB_DATASETS:
        pattern, fields = PATTERNS.get(name, (name, {}))
        entry = dict(loader["catalog"][pattern])
        entry["filepath"] = str(folder / Path(entry["filepath"].format(**fields)).name)
        entries[name] = entry
    return entries


def project_catalog(entries: dict[str, dict], params: dict) -> DataCatalog:
    catalog = DataCatalog.from_config(entries)
    for key, value in params.items():
        catalog[f"params:{key}"] = MemoryDataset(value)
    return catalog


def _write_inputs(entries: dict[str, dict], ratings, tracklist, probabilities) -> None:
    """The raw files as published: byte-order marks, zero-padded numbers."""
    def with_bom(name: str, table: pd.DataFrame) -> None:
        Path(entries[name]["filepath"]).write_bytes(
            b"\xef\xbb\xbf" + table.to_csv(index=False).encode())

    truth = np.arange(len(probabilities)) % len(EMOTIONS)
    with_bom("soundtracks_set1.ratings", ratings)
    with_bom("soundtracks_set1.tracklist", tracklist)
    with_bom("study_emotion_map", pd.DataFrame({"Mood": ["unused"], "Valence": [1.0],
                                                "Arousal": [1.0]}))
    with_bom("face_predictions_for_mapping", prediction_table(probabilities[:20], truth[:20]))
    with_bom("audio_predictions_for_mapping", prediction_table(probabilities[20:], truth[20:]))


def test_recommendation_slice_in_memory(persons, catalogue, tracklist, points, rec_params):
    """The slice gives what its nodes give."""
    catalog = DataCatalog({
        "recommendable_excerpts": MemoryDataset(catalogue),
        "person_va_points": MemoryDataset(persons),
        "emotion_va_points": MemoryDataset(points),
        "params:recommendation": MemoryDataset(rec_params),
        "recommendations": MemoryDataset(),
        "recommendation_metrics": MemoryDataset(),
    })
    SequentialRunner().run(batch_pipeline(), catalog)
    excerpts = catalogue
    pd.testing.assert_frame_equal(catalog.load("recommendations"),
                                  recommend(persons, excerpts, rec_params))
    assert catalog.load("recommendation_metrics") == recommendation_metrics(
        persons, excerpts, points, rec_params)


def test_main_job_through_the_projects_catalog(tmp_path, project_root, ratings, tracklist,
                                               probabilities, va_params, rec_params):
    """va_mapping + recommendation from published-style CSV files to the reporting layer; then
    `--pipelines recommendation` alone, reading va_mapping's persisted outputs back, gives
    the same recommendations."""
    entries = catalog_entries(project_root, tmp_path)
    catalog = project_catalog(entries, {"va_mapping": va_params, "recommendation": rec_params})
    for name, raw in synthetic_raw(ratings, va_params).items():  # the other catalogues
        if name not in entries:
            catalog[name] = MemoryDataset(raw)
    for name in ("soundtracks_set2.items", "pmemo.items", "songs1000.items"):
        catalog[name] = MemoryDataset()
    _write_inputs(entries, ratings, tracklist, probabilities)
    main_job = (va_mapping_pipeline() + recommendation_pipeline()).to_outputs(
        *BATCH_OUTPUTS, "va_plane_plot")
    SequentialRunner().run(main_job, catalog)

    recommendations = catalog.load("recommendations")
    assert len(recommendations) == 3 * 30
    assert recommendations["source"].value_counts().to_dict() == {"face": 60, "audio": 30}
    assert set(recommendations["mode"]) == {rec_params["mode"]}
    assert recommendations["title"].str.contains(", track ").all()
    metrics = catalog.load("recommendation_metrics")
    assert set(metrics["modes"]) == set(rec_params["metric_modes"])
    assert metrics["modes"][rec_params["mode"]]["all"]["n"] == 30
    assert catalog.load("recommendable_excerpts")["number"].tolist() == list(range(1, 13))
    pd.testing.assert_frame_equal(catalog.load("recommendable_excerpts"),
                                  catalog.load("soundtracks_set1.items"))
    assert Path(entries["va_plane_plot"]["filepath"]).stat().st_size > 10_000

    # `kedro run --pipelines recommendation` on its own reads va_mapping's files back
    again = tmp_path / "again"
    again.mkdir()
    moved = catalog_entries(project_root, again)
    for name in ("recommendable_excerpts", "emotion_va_points", "person_va_points"):
        Path(moved[name]["filepath"]).write_bytes(Path(entries[name]["filepath"]).read_bytes())
    alone = project_catalog(moved, {"recommendation": rec_params})
    SequentialRunner().run(batch_pipeline(), alone)
    pd.testing.assert_frame_equal(alone.load("recommendations"), recommendations)
    assert alone.load("recommendation_metrics") == metrics


@pytest.mark.parametrize("mode", ["cosine", "euclidean"])
def test_mode_is_chosen_by_the_parameter(persons, catalogue, tracklist, points, rec_params,
                                         mode):
    catalog = DataCatalog({
        "recommendable_excerpts": MemoryDataset(catalogue),
        "person_va_points": MemoryDataset(persons),
        "emotion_va_points": MemoryDataset(points),
        "params:recommendation": MemoryDataset(dict(rec_params, mode=mode, k=5)),
        "recommendations": MemoryDataset(),
        "recommendation_metrics": MemoryDataset(),
    })
    SequentialRunner().run(batch_pipeline(), catalog)
    table = catalog.load("recommendations")
    assert set(table["mode"]) == {mode} and table["rank"].max() == 5
    assert catalog.load("recommendation_metrics")["default_mode"] == mode
