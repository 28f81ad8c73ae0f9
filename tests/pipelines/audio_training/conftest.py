"""Fixtures for the audio_training tests: synthetic RAVDESS-named voices, small parameters."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from moodrec.datasets.audio import AudioFolderDataset
from tests.audio.synthetic import write_voice_clips

BASE_PARAMS = Path(__file__).resolve().parents[3] / "conf/base/parameters_audio_training.yml"


@pytest.fixture()
def params() -> dict:
    """The base parameters, shrunk: 4 actors in 2 folds, one augmented copy, quick features
    (MFCC statistics), 2 trials, 2 robustness conditions, 1 worker."""
    p = copy.deepcopy(yaml.safe_load(BASE_PARAMS.read_text())["audio_training"])
    p["features"].update(n_jobs=1, feature_set="mfcc_stats")
    p["features"]["augmentation"]["copies"] = 1
    p["evaluation"].update(folds=2, fixed_split={"train_actors": [1, 2, 3], "test_actors": [4]})
    p["evaluation"]["robustness"] = p["evaluation"]["robustness"][:1] + [
        {"name": "noise 10 dB SNR", "kind": "noise", "snr_db": 10}]
    p["search"]["max_evals"] = 2
    p["search"]["space"]["feature_set"] = {"choice": ["mfcc_stats"]}
    p["search"]["space"]["family"] = {"choice": ["logreg"]}
    return p


@pytest.fixture()
def voice_folder(tmp_path) -> Path:
    """24 clips: actors 1-4 x 3 emotions x 2 statements, 16 kHz mono WAV."""
    root = tmp_path / "ravdess"
    write_voice_clips(root, statements=(1, 2))
    return root


@pytest.fixture()
def voice_clips(voice_folder) -> dict:
    return AudioFolderDataset(path=str(voice_folder)).load()
