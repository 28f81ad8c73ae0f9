"""Resumable face training: an interrupted run resumes after its last completed epoch; a
changed configuration starts fresh; a finished run leaves no checkpoint behind."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest
import yaml

import moodrec.training.keras_support
from moodrec.pipelines.face_training.nodes import train_face_model
from moodrec.pipelines.face_training.training import run_folder

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def options(tmp_path: Path) -> dict:
    options = yaml.safe_load(
        (ROOT / "conf/smoke/parameters_face_training.yml").read_text())["face_training"]
    options["resume_dir"] = str(tmp_path / "resume")
    options["architectures"]["compact"]["model"]["widths"] = [4, 4, 8, 8]
    options["architectures"]["compact"]["model"]["head_width"] = 8
    options["architectures"]["compact"]["training"]["epochs"] = 3
    return options


@pytest.fixture
def faces() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (64, 48, 48, 1), dtype=np.uint8), rng.integers(0, 6, 64)


def _interrupt_after(epochs: int):
    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 == epochs:
                raise KeyboardInterrupt

    return lambda: Interrupt()


def test_interrupted_training_resumes_after_the_last_completed_epoch(
        options, faces, monkeypatch):
    images, labels = faces
    monkeypatch.setattr(moodrec.training.keras_support, "logging_callback", _interrupt_after(2))
    with pytest.raises(KeyboardInterrupt):
        train_face_model(images, labels, images[:16], labels[:16], options)
    folder = run_folder(options["resume_dir"], {})
    assert len(list(Path(options["resume_dir"]).iterdir())) == 1
    assert not folder.exists()  # named after the configuration, not an empty one

    monkeypatch.setattr(moodrec.training.keras_support, "logging_callback", _interrupt_after(99))
    _, history, summary = train_face_model(images, labels, images[:16], labels[:16], options)
    assert history["epoch"].tolist() == [1, 2, 3]
    assert summary["epochs_this_run"] == 1 and summary["epochs_run"] == 3
    assert not any(Path(options["resume_dir"]).iterdir())  # finished: checkpoint removed


def test_a_changed_configuration_starts_fresh(options, faces, monkeypatch):
    images, labels = faces
    monkeypatch.setattr(moodrec.training.keras_support, "logging_callback", _interrupt_after(2))
    with pytest.raises(KeyboardInterrupt):
        train_face_model(images, labels, images[:16], labels[:16], options)
    options["architectures"]["compact"]["training"]["learning_rate"] = 1e-3
    monkeypatch.setattr(moodrec.training.keras_support, "logging_callback", _interrupt_after(99))
    _, history, summary = train_face_model(images, labels, images[:16], labels[:16], options)
    assert summary["epochs_this_run"] == 3 and history["epoch"].tolist() == [1, 2, 3]
    assert len(list(Path(options["resume_dir"]).iterdir())) == 1  # the other run's folder


def test_run_folder_depends_on_every_setting(tmp_path):
    assert run_folder(tmp_path, {"a": 1}) == run_folder(tmp_path, {"a": 1})
    assert run_folder(tmp_path, {"a": 1}) != run_folder(tmp_path, {"a": 2})
