"""Fixtures for the audio_training tests: synthetic RAVDESS-named tones and small parameters."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from moodrec.audio.datasets import AudioFolderDataset
from tests.audio.synthetic import write_tone_clips

BASE_PARAMS = Path(__file__).resolve().parents[3] / "conf/base/parameters_audio_training.yml"


@pytest.fixture()
def params() -> dict:
    """The base parameters, shrunk: 4 actors (2/1/1), 2 trials of 1 epoch, 1 worker."""
    p = copy.deepcopy(yaml.safe_load(BASE_PARAMS.read_text())["audio_training"])
    p["features"]["n_jobs"] = 1
    p["split"] = {"train_actors": [1, 2], "val_actors": [3], "test_actors": [4]}
    p["search"].update(max_evals=2, max_epochs=1, patience=1)
    p["search"]["space"]["filters"] = {"choice": [8, 16]}
    return p


@pytest.fixture()
def tone_folder(tmp_path) -> Path:
    """12 clips: actors 1-4 x 3 emotions, 22,050 Hz mono WAV."""
    root = tmp_path / "ravdess"
    write_tone_clips(root)
    return root


@pytest.fixture()
def tone_clips(tone_folder) -> dict:
    return AudioFolderDataset(path=str(tone_folder)).load()
