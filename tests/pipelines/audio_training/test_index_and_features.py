"""index_clips and extract_feature_table: every file accounted for, bad ones reported."""

import numpy as np
import pandas as pd
import pytest
import soundfile

from moodrec.core.emotions import EMOTIONS, RAVDESS_CODES
from moodrec.datasets.audio import AudioFolderDataset
from moodrec.pipelines.audio_training.nodes import extract_feature_table, index_clips
from tests.audio.synthetic import ravdess_name, speech_like, tone

DROPPED_CODES = [code for code, name in RAVDESS_CODES.items() if name not in EMOTIONS]


def _fake(names):
    return {name: (lambda **_: None) for name in names}


def test_index_parses_keeps_six_emotions_and_reports_the_rest(params):
    names = [
        "Actor_01/" + ravdess_name(EMOTIONS[0], 1),
        "Actor_01/" + ravdess_name(EMOTIONS[5], 1, ext=".flac"),
        *[f"Actor_01/03-01-{code}-01-01-01-01.wav" for code in DROPPED_CODES],
        "Actor_01/03-02-05-01-01-01-01.wav",  # song
        "Actor_01/my_voice.wav",  # not RAVDESS-shaped
        "Actor_01/03-01-05-01-01-01-01.mp3",  # other extension
        "Actor_02/" + ravdess_name(EMOTIONS[0], 1),  # same clip id again
        "README.md",
    ]
    index, skipped = index_clips(_fake(names), params["clips"])
    assert index.kept.sum() == 2
    assert set(index[index.kept].label) == {EMOTIONS[0], EMOTIONS[5]}
    dropped = index[~index.kept]
    assert {"emotion calm is dropped", "emotion disgust is dropped", "vocal channel song"} <= set(
        dropped.reason)
    assert set(skipped.file) == {"Actor_01/my_voice.wav", "Actor_01/03-01-05-01-01-01-01.mp3",
                                 "Actor_02/" + ravdess_name(EMOTIONS[0], 1), "README.md"}
    assert skipped.reason.str.len().min() > 10
    assert {"statement", "repetition", "intensity", "actor", "sex"} <= set(index.columns)


def test_index_with_no_usable_clip_is_an_error(params):
    with pytest.raises(ValueError, match="no usable RAVDESS clip"):
        index_clips(_fake(["a.wav", "b.flac"]), params["clips"])


def test_subset_spreads_over_each_actors_clips(params):
    names = [f"Actor_{a:02d}/" + ravdess_name(e, a, statement=s) for a in (1, 2, 3)
             for e in EMOTIONS for s in (1, 2)]
    index, _ = index_clips(_fake(names), {**params["clips"],
                                          "subset": {"actors": [1, 2], "per_actor": 3}})
    kept = index[index.kept]
    assert kept.groupby("actor").size().to_dict() == {1: 3, 2: 3}
    assert kept.label.nunique() == 3


def test_features_one_row_per_clip_and_variant(voice_clips, params):
    index, skipped = index_clips(voice_clips, params["clips"])
    features, report, extraction = extract_feature_table(voice_clips, index, skipped,
                                                         params["features"])
    assert len(features) == 24 * 2 and report.empty
    assert list(features.columns[:5]) == ["clip_id", "actor", "variant", "label", "statement"]
    assert all(c.startswith("mfcc_stats.") for c in features.columns[5:])
    per_clip = features.groupby("clip_id").variant.apply(tuple)
    assert set(per_clip) == {("original", "aug1")}
    assert np.isfinite(features[features.columns[5:]].to_numpy()).all()
    assert extraction["clips"] == 24 and extraction["clips_per_s"] > 0
    again, _, _ = extract_feature_table(voice_clips, index, skipped, params["features"])
    pd.testing.assert_frame_equal(features, again)  # seeded augmentation: same rows


def test_bad_clips_are_reported_and_good_ones_kept(voice_folder, params):
    folder = voice_folder / "Actor_05"
    folder.mkdir()
    (folder / ravdess_name(EMOTIONS[0], 5)).write_bytes(b"")  # empty file
    (folder / ravdess_name(EMOTIONS[1], 5)).write_bytes(b"not audio" * 50)  # unreadable
    soundfile.write(folder / ravdess_name(EMOTIONS[2], 5), np.zeros(16000 * 3, np.float32), 16000)
    soundfile.write(folder / ravdess_name(EMOTIONS[3], 5), tone(300.0, 3.0), 22050)  # a tone
    soundfile.write(folder / ravdess_name(EMOTIONS[4], 5, ext=".flac"),
                    np.stack([speech_like(sr=48000)] * 2, axis=1), 48000)  # stereo 48 kHz: works
    clips = AudioFolderDataset(path=str(voice_folder)).load()
    index, skipped = index_clips(clips, params["clips"])
    features, report, extraction = extract_feature_table(clips, index, skipped,
                                                         params["features"])
    assert extraction["clips_rejected"] == 4
    reasons = dict(zip(report.file.str.slice(15, 17), report.reason, strict=True))
    codes = {name: code for code, name in RAVDESS_CODES.items()}
    assert "cannot read" in reasons[codes[EMOTIONS[0]]]
    assert "cannot read" in reasons[codes[EMOTIONS[1]]]
    assert "silent" in reasons[codes[EMOTIONS[2]]]
    assert "not a voice" in reasons[codes[EMOTIONS[3]]]
    assert (report.stage == "extraction").all()
    assert (features.actor == 5).sum() == 2  # the stereo 48 kHz clip, two variants


def test_all_clips_bad_is_an_error(tmp_path, params):
    (tmp_path / "Actor_01").mkdir()
    (tmp_path / "Actor_01" / ravdess_name(EMOTIONS[0], 1)).write_bytes(b"")
    clips = AudioFolderDataset(path=str(tmp_path)).load()
    index, skipped = index_clips(clips, params["clips"])
    with pytest.raises(ValueError, match="no clip gave features"):
        extract_feature_table(clips, index, skipped, params["features"])
