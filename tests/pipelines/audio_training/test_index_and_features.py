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
        "ravdess/Actor_01/" + ravdess_name(EMOTIONS[0], 1),
        "ravdess/Actor_01/" + ravdess_name(EMOTIONS[5], 1, ext=".flac"),
        *[f"ravdess/Actor_01/03-01-{code}-01-01-01-01.wav" for code in DROPPED_CODES],
        "ravdess/Actor_01/03-02-05-01-01-01-01.wav",  # song
        "ravdess/Actor_01/my_voice.wav",  # not RAVDESS-shaped
        "ravdess/Actor_01/03-01-05-01-01-01-01.mp3",  # other extension
        "ravdess/Actor_02/" + ravdess_name(EMOTIONS[0], 1),  # same clip id again
        "ravdess/README.md",
        "emodb/03a01Wa.flac", "emodb/03a01La.flac",  # anger; boredom (dropped)
        "emodb/03a01Xa.flac",  # no such emotion letter
        "urdu/Angry/SM1_F10_A010.flac",  # a corpus not chosen: not part of the input
        "face-data.csv.gz",
    ]
    index, skipped = index_clips(_fake(names), params["corpora"], params["clips"])
    assert index.kept.sum() == 3
    kept = index[index.kept]
    assert set(kept.label) == {EMOTIONS[0], EMOTIONS[5]}
    assert set(kept.speaker) == {"ravdess:01", "emodb:03"}
    assert set(kept.corpus) == {"ravdess", "emodb"}
    dropped = index[~index.kept]
    assert {"emotion calm is dropped", "emotion disgust is dropped", "emotion boredom is dropped",
            "vocal channel song"} <= set(dropped.reason)
    assert set(skipped.file) == {
        "ravdess/Actor_01/my_voice.wav", "ravdess/Actor_01/03-01-05-01-01-01-01.mp3",
        "ravdess/Actor_02/" + ravdess_name(EMOTIONS[0], 1), "ravdess/README.md",
        "emodb/03a01Xa.flac"}
    assert skipped.reason.str.len().min() > 10


def test_an_extra_class_can_be_mapped_to_one_of_the_six(params):
    clips = {**params["clips"], "extra_classes": {**params["clips"]["extra_classes"],
                                                  "boredom": "neutral"}}
    index, _ = index_clips(_fake(["emodb/03a01La.flac", "ravdess/Actor_01/"
                                  + ravdess_name(EMOTIONS[0], 1)]), params["corpora"], clips)
    assert index.set_index("clip_id").loc["03a01La", "label"] == "neutral"


def test_an_extra_class_the_parameters_do_not_name_is_an_error(params):
    clips = {**params["clips"], "extra_classes": {"calm": "drop"}}
    with pytest.raises(ValueError, match="extra_classes") as err:
        index_clips(_fake(["emodb/03a01La.flac"]), ["emodb"], clips)
    assert "emodb/03a01La.flac" in str(err.value) and "boredom" in str(err.value)


def test_a_corpus_with_no_usable_clip_is_an_error(params):
    with pytest.raises(ValueError, match="emodb") as err:
        index_clips(_fake(["ravdess/Actor_01/" + ravdess_name(EMOTIONS[0], 1), "emodb/a.wav"]),
                    params["corpora"], params["clips"])
    assert "corpus" in str(err.value)


def test_subset_spreads_over_each_speakers_clips(params):
    names = [f"ravdess/Actor_{a:02d}/" + ravdess_name(e, a, statement=s) for a in (1, 2, 3)
             for e in EMOTIONS for s in (1, 2)] + ["emodb/03a01Wa.flac"]
    index, _ = index_clips(_fake(names), params["corpora"], {
        **params["clips"], "subset": {"speakers": ["ravdess:01", "ravdess:02", "emodb:03"],
                                      "per_speaker": 3}})
    kept = index[index.kept]
    assert kept.groupby("speaker").size().to_dict() == {"emodb:03": 1, "ravdess:01": 3,
                                                        "ravdess:02": 3}
    assert kept[kept.corpus == "ravdess"].label.nunique() == 3


def test_features_one_row_per_clip_and_variant(voice_clips, params):
    index, skipped = index_clips(voice_clips, params["corpora"], params["clips"])
    features, report, extraction = extract_feature_table(voice_clips, index, skipped,
                                                         params["features"])
    assert len(features) == 30 * 2 and report.empty
    assert list(features.columns[:7]) == ["file", "clip_id", "corpus", "speaker", "variant",
                                          "label", "sentence"]
    assert all(c.startswith("mfcc_stats.") for c in features.columns[7:])
    per_clip = features.groupby("clip_id").variant.apply(tuple)
    assert set(per_clip) == {("original", "aug1")}
    assert np.isfinite(features[features.columns[7:]].to_numpy()).all()
    assert extraction["clips"] == 30 and extraction["clips_per_s"] > 0
    assert extraction["clips_by_corpus"]["emodb"] == {e: 2 for e in EMOTIONS[:3]}
    again, _, _ = extract_feature_table(voice_clips, index, skipped, params["features"])
    pd.testing.assert_frame_equal(features, again)  # seeded augmentation: same rows


def test_bad_clips_are_reported_and_good_ones_kept(voice_folder, params):
    folder = voice_folder / "ravdess" / "Actor_05"
    folder.mkdir()
    (folder / ravdess_name(EMOTIONS[0], 5)).write_bytes(b"")  # empty file
    (folder / ravdess_name(EMOTIONS[1], 5)).write_bytes(b"not audio" * 50)  # unreadable
    soundfile.write(folder / ravdess_name(EMOTIONS[2], 5), np.zeros(16000 * 3, np.float32), 16000)
    soundfile.write(folder / ravdess_name(EMOTIONS[3], 5), tone(300.0, 3.0), 22050)  # a tone
    soundfile.write(folder / ravdess_name(EMOTIONS[4], 5, ext=".flac"),
                    np.stack([speech_like(sr=48000)] * 2, axis=1), 48000)  # stereo 48 kHz: works
    clips = AudioFolderDataset(path=str(voice_folder)).load()
    index, skipped = index_clips(clips, params["corpora"], params["clips"])
    features, report, extraction = extract_feature_table(clips, index, skipped,
                                                         params["features"])
    assert extraction["clips_rejected"] == 4
    reasons = dict(zip(report.file.str.slice(23, 25), report.reason, strict=True))
    codes = {name: code for code, name in RAVDESS_CODES.items()}
    assert "cannot read" in reasons[codes[EMOTIONS[0]]]
    assert "cannot read" in reasons[codes[EMOTIONS[1]]]
    assert "silent" in reasons[codes[EMOTIONS[2]]]
    assert "not a voice" in reasons[codes[EMOTIONS[3]]]
    assert (report.stage == "extraction").all()
    assert (features.speaker == "ravdess:05").sum() == 2  # the stereo 48 kHz clip, two variants


def test_all_clips_bad_is_an_error(tmp_path, params):
    (tmp_path / "ravdess" / "Actor_01").mkdir(parents=True)
    (tmp_path / "ravdess" / "Actor_01" / ravdess_name(EMOTIONS[0], 1)).write_bytes(b"")
    clips = AudioFolderDataset(path=str(tmp_path)).load()
    index, skipped = index_clips(clips, ["ravdess"], params["clips"])
    with pytest.raises(ValueError, match="no clip gave features"):
        extract_feature_table(clips, index, skipped, params["features"])
