"""The face_training pipeline: data nodes, and the whole pipeline end to end on smoke-sized
real data through SequentialRunner (one epoch), plus catalog/smoke configuration checks."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import yaml
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.json import JSONDataset
from kedro_datasets.matplotlib import MatplotlibDataset
from kedro_datasets.pandas import CSVDataset
from kedro_datasets.tensorflow import TensorFlowModelDataset
from kedro_datasets.text import TextDataset
from PIL import Image

from moodrec.core.emotions import EMOTIONS
from moodrec.core.faces import FaceDataError
from moodrec.pipelines.face_training import create_pipeline
from moodrec.pipelines.face_training.nodes import parse_faces, split_face_table
from moodrec.pipelines.face_training.pipeline import OUTPUTS
from moodrec.pipelines.face_training.test_time import (
    averaged_probabilities,
    view_log_probabilities,
)

ROOT = Path(__file__).resolve().parents[3]
SPLITS = {"train": "Training", "select": "PrivateTest", "report": "PublicTest",
          "max_rows": {"train": None, "select": None, "report": None}}


def _params(env: str) -> dict:
    return yaml.safe_load((ROOT / f"conf/{env}/parameters_face_training.yml").read_text())


def test_split_face_table_roles_and_seeded_sampling(table):
    train, select, report = split_face_table(table, SPLITS, seed=0)
    assert set(train["Usage"]) == {"Training"} and set(select["Usage"]) == {"PrivateTest"}
    assert set(report["Usage"]) == {"PublicTest"}
    limited = {**SPLITS, "max_rows": {"train": 3, "select": None, "report": 2}}
    a = split_face_table(table, limited, seed=5)
    b = split_face_table(table, limited, seed=5)
    assert [len(t) for t in a] == [3, 6, 2]
    assert a[0].index.tolist() == b[0].index.tolist()


def test_missing_or_empty_split_is_an_error(table):
    no_private = table[table["Usage"] != "PrivateTest"]
    with pytest.raises(FaceDataError, match="no rows with Usage == 'PrivateTest' for the select"):
        split_face_table(no_private, SPLITS, seed=0)
    with pytest.raises(FaceDataError, match="max_rows.train must be at least 1"):
        split_face_table(table, {**SPLITS, "max_rows": {"train": 0, "select": None,
                                                        "report": None}}, seed=0)
    only_disgust = table.iloc[:2].assign(emotion="disgust", emotion_label=1)
    with pytest.raises(FaceDataError, match="no usable rows"):
        parse_faces(only_disgust)


def test_pipeline_inputs_outputs_and_namespace():
    pipeline = create_pipeline()
    assert pipeline.inputs() == {"face_data", "ckplus_faces", "params:face_training",
                                 "params:face_training.splits", "params:face_training.seed",
                                 "params:face_training.splits.report",
                                 "params:face_training.test_time",
                                 "params:face_training.ckplus.dropped_classes"}
    assert set(OUTPUTS.values()) <= pipeline.all_outputs()
    assert any(n.name == "face_training.train_model" for n in pipeline.nodes)


@pytest.mark.parametrize("env", ["local", "smoke"])
def test_catalog_has_every_output_and_smoke_never_writes_models(env):
    """The catalog as Kedro resolves it: the smoke environment's one location variable
    (output_root) sends every output under data/smoke/, never to the shipped models/."""
    entries = OmegaConfigLoader(str(ROOT / "conf"), base_env="base", default_run_env="local",
                                env=env)["catalog"]
    for name in OUTPUTS.values():
        assert entries[name]["metadata"]["kedro-viz"]["layer"], name
    if env == "local":
        assert entries["face_model"]["filepath"] == "models/face/face_model.keras"
    else:
        for name in OUTPUTS.values():
            assert entries[name]["filepath"].startswith("data/smoke/"), name


@pytest.mark.slow
@pytest.mark.real_data
def test_pipeline_end_to_end_on_smoke_data(real_face_data, tmp_path):
    params = _params("smoke")["face_training"]
    params["resume_dir"] = str(tmp_path / "resume")
    params["splits"]["max_rows"] = {"train": 192, "select": 64, "report": 64}
    # Inputs in memory; outputs through the dataset types of the base catalog, in tmp_path.
    outputs = {
        "face_model": TensorFlowModelDataset(filepath=str(tmp_path / "face_model.keras")),
        "face_network": TensorFlowModelDataset(filepath=str(tmp_path / "network.keras")),
        "face_predictions": CSVDataset(filepath=str(tmp_path / "predictions.csv")),
        "face_training_history": CSVDataset(filepath=str(tmp_path / "history.csv")),
        "face_metrics": JSONDataset(filepath=str(tmp_path / "metrics.json")),
        "face_confusion_matrix": MatplotlibDataset(filepath=str(tmp_path / "cm.png")),
        "face_training_curves": MatplotlibDataset(filepath=str(tmp_path / "curves.png")),
        "face_model_card": TextDataset(filepath=str(tmp_path / "MODEL_CARD.md")),
        "face_ckplus_metrics": JSONDataset(filepath=str(tmp_path / "ckplus.json")),
    }
    ckplus = {f"{name}/S{i:03d}_001_0000000{i}": (lambda i=i: Image.fromarray(
        np.full((48, 48), 20 * i, np.uint8))) for i, name in enumerate(
            ["anger", "fear", "happy", "contempt", "surprise", "sadness"])}
    catalog = DataCatalog({
        **outputs,
        "face_data": MemoryDataset(real_face_data),
        "ckplus_faces": MemoryDataset(ckplus, copy_mode="assign"),
        "params:face_training.test_time": MemoryDataset(params["test_time"]),
        "params:face_training.ckplus.dropped_classes": MemoryDataset(
            params["ckplus"]["dropped_classes"]),
        "params:face_training": MemoryDataset(params),
        "params:face_training.splits": MemoryDataset(params["splits"]),
        "params:face_training.splits.report": MemoryDataset(params["splits"]["report"]),
        "params:face_training.seed": MemoryDataset(params["seed"]),
    })
    SequentialRunner().run(create_pipeline(), catalog)

    predictions = catalog["face_predictions"].load()
    assert list(predictions.columns) == [*EMOTIONS, "pred_label", "true_label"]
    assert len(predictions) == 64
    assert np.allclose(predictions[list(EMOTIONS)].sum(axis=1), 1, atol=1e-4)
    metrics = catalog["face_metrics"].load()
    assert metrics["n"] == 64 and 0 <= metrics["accuracy"] <= 1
    assert np.asarray(metrics["confusion_matrix"]).sum() == 64
    assert metrics["training"]["epochs_run"] == 1
    assert metrics["training"]["parameters"] == 1_766_950
    assert sum(metrics["prediction_share"].values()) == pytest.approx(1.0)
    unseen = metrics["without_train_repeats"]
    assert unseen["n"] + unseen["faces_removed"] == 64
    history = catalog["face_training_history"].load()
    assert isinstance(history, pd.DataFrame) and {"loss", "val_accuracy"} <= set(history)
    assert (tmp_path / "cm.png").stat().st_size > 10_000
    assert (tmp_path / "curves.png").stat().st_size > 10_000
    assert f"Accuracy {metrics['accuracy']:.4f}" in catalog["face_model_card"].load()
    model = catalog["face_model"].load()
    assert getattr(model, "optimizer", None) is None  # shipped without optimizer state (small file)
    assert (tmp_path / "face_model.keras").stat().st_size < 8_000_000
    assert model.predict(np.zeros((1, 48, 48, 1), np.uint8), verbose=0).shape == (1, 6)
    # The shipped model is the trained network over the test-time views, with the bias.
    faces = real_face_data_faces(real_face_data)
    network = catalog["face_network"].load()
    bias = np.array([metrics["training"]["test_time"]["bias"][name] for name in EMOTIONS])
    expected = averaged_probabilities(
        view_log_probabilities([network], faces, params["test_time"]["views"]), bias)
    assert np.abs(model.predict(faces, verbose=0) - expected).max() < 1e-4
    ck = catalog["face_ckplus_metrics"].load()
    assert ck["n"] == 5 and ck["subjects"] == 5 and ck["dropped"] == {"contempt": 1,
                                                                      "disgust": 0}
    assert not (tmp_path / "resume").exists() or not any((tmp_path / "resume").iterdir())
    plt.close("all")


def real_face_data_faces(table: pd.DataFrame) -> np.ndarray:
    images, _ = parse_faces(table[table["Usage"] == "PublicTest"].head(8))
    return images.astype(np.float32)
