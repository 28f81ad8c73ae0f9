"""What the report reads: the datasets each section names, through the catalog by name."""

from __future__ import annotations

from pathlib import Path

from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset

from moodrec.report.collect import SECTIONS, collect
from tests.conftest import PROJECT_ROOT


def test_every_named_dataset_is_a_reporting_entry_of_the_catalog():
    """The names in SECTIONS are the catalog's: JSON metrics and PNG plots, reporting layer."""
    entries = OmegaConfigLoader(str(PROJECT_ROOT / "conf"), base_env="base",
                                default_run_env="local")["catalog"]
    for section in SECTIONS:
        for name in section.metrics + section.plots:
            assert entries[name]["metadata"]["kedro-viz"]["layer"] == "reporting", name
        assert all(entries[n]["filepath"].endswith(".json") for n in section.metrics)
        assert all(entries[n]["filepath"].endswith(".png") for n in section.plots)


def test_metrics_are_loaded_plots_located_and_the_rest_listed_missing(tmp_path: Path):
    catalog = DataCatalog({"face_metrics": MemoryDataset({"accuracy": 0.7})})
    plot = tmp_path / "out" / "confusion.png"
    plot.parent.mkdir()
    plot.write_bytes(b"\x89PNG")
    config = {name: {"filepath": f"out/{name}.png"} for s in SECTIONS for name in s.plots}
    config["face_confusion_matrix"] = {"filepath": "out/confusion.png"}
    found = collect(catalog, config, tmp_path)
    assert found["face_training"] == {"face_metrics": {"accuracy": 0.7},
                                      "face_ckplus_metrics": None,
                                      "face_confusion_matrix": plot, "face_training_curves": None}
    assert found["recommendation"]["recommendation_metrics"] is None
    assert set(found) == {s.pipeline for s in SECTIONS}
