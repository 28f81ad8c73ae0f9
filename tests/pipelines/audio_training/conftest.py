"""Fixtures for the audio_training tests: synthetic voices named as RAVDESS and EmoDB name
clips, small parameters."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from moodrec.datasets.audio import AudioFolderDataset
from tests.audio.synthetic import write_emodb_clips, write_voice_clips

BASE_PARAMS = Path(__file__).resolve().parents[3] / "conf/base/parameters_audio_training.yml"


@pytest.fixture()
def params() -> dict:
    """The base parameters, shrunk: two corpora (RAVDESS, EmoDB) of 4 and 2 speakers, 2 folds,
    one augmented copy, quick features (MFCC statistics), 2 trials, 2 robustness conditions,
    1 worker."""
    p = copy.deepcopy(yaml.safe_load(BASE_PARAMS.read_text())["audio_training"])
    p["corpora"] = ["ravdess", "emodb"]
    p["features"].update(n_jobs=1, feature_set="mfcc_stats")
    p["features"]["augmentation"]["copies"] = 1
    p["evaluation"].update(folds=2, fixed_split={"test_speakers": ["ravdess:04"]})
    p["evaluation"]["robustness"] = p["evaluation"]["robustness"][:1] + [
        {"name": "noise 10 dB SNR", "kind": "noise", "snr_db": 10}]
    p["search"].update(max_evals=2, objective="grouped_cv")  # two corpora: no inner LOCO
    p["search"]["space"]["feature_set"] = {"choice": ["mfcc_stats"]}
    p["search"]["space"]["family"] = {"choice": ["logreg"]}
    return p


@pytest.fixture()
def voice_folder(tmp_path) -> Path:
    """The raw folder: ``ravdess/`` with 24 clips (actors 1-4 x 3 emotions x 2 statements)
    and ``emodb/`` with 6 (speakers 03, 08 x the same 3 emotions), 16 kHz mono."""
    root = tmp_path / "01_raw"
    write_voice_clips(root / "ravdess", statements=(1, 2))
    write_emodb_clips(root / "emodb", speakers=("03", "08"))
    return root


@pytest.fixture()
def voice_clips(voice_folder) -> dict:
    return AudioFolderDataset(path=str(voice_folder)).load()
