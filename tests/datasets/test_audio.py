"""Kedro datasets: a clip file, the lazily loaded clip folder and the hyperopt checkpoint."""

import pickle

import numpy as np
import pytest
import soundfile
from kedro.io import DatasetError

from moodrec.audio.io import AudioReadError
from moodrec.core.emotions import EMOTIONS
from moodrec.datasets.audio import (
    AudioClipDataset,
    AudioFolderDataset,
    HyperoptTrialsDataset,
    TrialsCheckpoint,
)
from tests.audio.synthetic import tone, write_tone_clips


def test_folder_is_listed_lazily_and_loaders_pickle(tmp_path):
    paths = write_tone_clips(tmp_path, actors=(1, 2), emotions=EMOTIONS[:1])
    (tmp_path / ".DS_Store").write_text("x")
    (tmp_path / "Actor_01" / "notes.txt").write_text("x")
    clips = AudioFolderDataset(path=str(tmp_path)).load()
    assert sorted(clips) == sorted(
        [str(p.relative_to(tmp_path)) for p in paths] + ["Actor_01/notes.txt"])
    loader = pickle.loads(pickle.dumps(clips[str(paths[0].relative_to(tmp_path))]))
    assert loader(sr=22050, offset=0.0, duration=1.0).shape == (22050,)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DatasetError, match="does not exist"):
        AudioFolderDataset(path=str(tmp_path / "nowhere")).load()


def test_checkpoint_round_trip_atomic_and_corrupt(tmp_path):
    handle = HyperoptTrialsDataset(filepath=str(tmp_path / "sub" / "trials.pkl")).load()
    assert isinstance(handle, TrialsCheckpoint) and handle.read() is None
    handle.write({"fingerprint": "abc", "trials": [1, 2]})
    assert handle.read() == {"fingerprint": "abc", "trials": [1, 2]}
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["trials.pkl"]  # no temp left
    (tmp_path / "sub" / "trials.pkl").write_bytes(b"garbage")
    with pytest.raises(DatasetError, match="not a readable hyperopt checkpoint"):
        handle.read()


def test_a_clip_is_read_at_its_own_rate_and_a_bad_one_is_named(tmp_path):
    path = tmp_path / "stereo.flac"
    soundfile.write(path, tone(500.0, 1.0, sr=48000, channels=2), 48000)
    signal, rate = AudioClipDataset(filepath=str(path)).load()  # stereo 48 kHz FLAC: mono
    assert rate == 48000 and signal.shape == (48000,) and signal.dtype == np.float32
    (tmp_path / "bad.wav").write_bytes(b"not audio" * 50)
    with pytest.raises(DatasetError, match="bad.wav") as info:
        AudioClipDataset(filepath=str(tmp_path / "bad.wav")).load()
    assert isinstance(info.value.__cause__, AudioReadError)
