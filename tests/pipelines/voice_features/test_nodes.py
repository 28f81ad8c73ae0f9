"""voice_features: the training features of every clip of a folder, the same in this process,
on two Dask worker processes and in audio_training; bad files listed with the reason."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import soundfile
from distributed import get_task_stream
from kedro_datasets.partitions import PartitionedDataset
from threadpoolctl import threadpool_limits

from moodrec.core.checks import BadInputError
from moodrec.core.emotions import EMOTIONS
from moodrec.datasets.audio import AudioFolderDataset
from moodrec.pipelines.audio_training.nodes import extract_feature_table, index_clips
from moodrec.pipelines.voice_features.nodes import extract_voice_features
from tests.audio.synthetic import speech_like, write_voice_clips
from tests.pipelines.audio_training.conftest import params  # noqa: F401 (fixture)

#: 3 clips a task: 24 clips make 8 tasks.
BULK = {"clips_per_task": 3, "augmented_copies": 1}


def clip_folder(path) -> dict:
    """The catalog's ``voice_feature_clips`` (conf/base/catalog_01_raw.yml) on ``path``."""
    return PartitionedDataset(path=str(path),
                              dataset="moodrec.datasets.audio.AudioClipDataset").load()


@pytest.fixture
def folder(tmp_path):
    """24 speech-like clips (4 actors x 3 emotions x 2 statements) and three bad files."""
    root = tmp_path / "raw" / "ravdess"  # a voice corpus of audio_training's raw folder
    write_voice_clips(root, statements=(1, 2))
    (root / "notes.txt").write_text("not a clip")
    (root / "Actor_01" / "broken.wav").write_bytes(b"not audio" * 50)
    soundfile.write(root / "silence.flac", np.zeros(16000 * 3, np.float32), 16000)
    return root


def test_the_features_are_audio_training_s_and_bad_files_are_listed(folder, params):  # noqa: F811
    features, refused = extract_voice_features(clip_folder(folder), params, BULK)
    assert refused["file"].tolist() == ["Actor_01/broken.wav", "notes.txt", "silence.flac"]
    assert "cannot read" in refused["reason"][0] and "extension .txt" in refused["reason"][1]
    assert refused["reason"][2].startswith("silent")
    assert set(features.groupby("file")["variant"].apply(tuple)) == {("original", "aug1")}
    assert features["file"].nunique() == 24

    clips = AudioFolderDataset(path=str(folder.parent)).load()  # audio_training's
    index, skipped = index_clips(clips, ["ravdess"], params["clips"])
    with threadpool_limits(limits=1):  # one BLAS thread, as each task has
        trained, _, _ = extract_feature_table(clips, index, skipped, params["features"])
    trained["file"] = trained["file"].str.removeprefix("ravdess/")
    names = [c for c in features.columns if c not in ("file", "variant")]
    # the recordings' rows (augmented copies are seeded by the clip's id: here its path)
    ours = features[features["variant"] == "original"].set_index("file")[names].sort_index()
    theirs = trained[trained["variant"] == "original"].set_index("file")[names].sort_index()
    pd.testing.assert_frame_equal(ours, theirs)  # clip_rows unchanged: the same numbers


def test_two_dask_workers_give_the_same_table(tmp_path, params, dask_client):  # noqa: F811
    """8 clips (one augmented copy each) in 4 tasks."""
    write_voice_clips(tmp_path, actors=(1, 2), emotions=EMOTIONS[:2], statements=(1, 2))
    clips = clip_folder(tmp_path)
    few = {**BULK, "clips_per_task": 2}
    here = extract_voice_features(clips, params, few)
    with dask_client.as_current(), get_task_stream(dask_client) as stream:
        there = extract_voice_features(clips, params, few)
    assert len([t for t in stream.data if t["key"].startswith("extract_batch")]) == 4
    for ours, theirs in zip(here, there, strict=True):
        pd.testing.assert_frame_equal(ours, theirs)  # bit for bit, augmented copies too


@pytest.mark.parametrize("bad, message", [
    ({"clips_per_task": 0}, r"voice_features\.clips_per_task = 0: must be a whole number >= 1"),
    ({"augmented_copies": -1}, r"voice_features\.augmented_copies = -1"),
])
def test_bad_parameters_are_named(tmp_path, params, bad, message):  # noqa: F811
    soundfile.write(tmp_path / "a.wav", speech_like(), 16000)
    clips = clip_folder(tmp_path)
    with pytest.raises(BadInputError, match=message):
        extract_voice_features(clips, params, {**BULK, **bad})
