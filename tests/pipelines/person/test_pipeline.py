"""The ``person`` pipeline, end to end through SequentialRunner.

Inputs are made here: a real FER2013 face enlarged into a colour JPEG, synthetic voice tones in
several formats, and stand-in models with known answers (see conftest). The catalogue and
emotion points come from the real set-1 files through va_mapping's and recommendation's nodes.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
import soundfile
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner

from moodrec.core.emotions import EMOTIONS
from moodrec.person.datasets import (
    PersonFilesDataset,
    PersonRecommendationDataset,
    earlier_readings,
)
from moodrec.person.errors import ModelFileError, PersonInputError
from moodrec.pipelines.person import create_pipeline
from tests.person.conftest import BAD_PHOTO_IDS, BAD_PHOTOS, paste_on_canvas, speech

HAPPINESS, SADNESS = EMOTIONS[2], EMOTIONS[3]


def load_model(path: Path):
    """An ONNX model file as the catalog loads it (``face_model_onnx``, ``audio_model_onnx``)."""
    from moodrec.datasets.onnx import OnnxFaceModelDataset, OnnxVoiceModelDataset

    kind = OnnxFaceModelDataset if "face" in path.name else OnnxVoiceModelDataset
    return kind(str(path)).load()


@pytest.fixture
def run_person(tmp_path, real_catalogue, project_params, happy_face_onnx, sad_voice_onnx):
    """Run the person nodes with these files and settings; returns the written answer."""

    def run(faces=(), voices=(), *, face_model=happy_face_onnx, voice_model=sad_voice_onnx,
            profile=None, **person):
        params = copy.deepcopy(project_params)
        params["person"].update(person)
        output = PersonRecommendationDataset(str(tmp_path / "out" / "person.json"))
        catalog = DataCatalog({
            "person_photos": MemoryDataset(PersonFilesDataset([str(f) for f in faces]).load()),
            "person_voice_clips": MemoryDataset(
                PersonFilesDataset([str(v) for v in voices], kind="voice").load()),
            "face_model_onnx": MemoryDataset(load_model(face_model), copy_mode="assign"),
            "audio_model_onnx": MemoryDataset(load_model(voice_model), copy_mode="assign"),
            "person_voice_profile": MemoryDataset(profile, copy_mode="assign"),
            "person_history": MemoryDataset(earlier_readings(tmp_path / "h.sqlite", None),
                                            copy_mode="assign"),
            "emotion_va_points": MemoryDataset(real_catalogue["emotion_va_points"]),
            "recommendable_excerpts": MemoryDataset(real_catalogue["recommendable_excerpts"]),
            "params:person": MemoryDataset(params["person"]),
            "params:recommendation": MemoryDataset(params["recommendation"]),
            "params:va_mapping": MemoryDataset(params["va_mapping"]),
            "person_recommendation": output,
        })
        SequentialRunner().run(create_pipeline(), catalog)
        return output.load()

    return run


@pytest.fixture
def out_dir(tmp_path) -> Path:
    return tmp_path / "out"


def test_face_and_voice_fused_and_explained(run_person, face_jpeg, voice_wav, out_dir):
    answer = run_person([face_jpeg], [voice_wav], goal="match", top_k=5)
    face, voice = answer["senses"]["face"], answer["senses"]["voice"]
    assert face["used"] and face["emotion"] == HAPPINESS and face["inputs"][0]["faces_found"] == 1
    assert voice["used"] and voice["emotion"] == SADNESS
    assert voice["inputs"][0]["seconds"] == pytest.approx(3.0, abs=0.01)
    assert voice["inputs"][0]["windows"] == [[0.0, 3.0]]  # one window: the clip is 3 s
    # equally sure senses weigh the same; the fused point lies half-way between theirs
    assert face["weight"] == pytest.approx(0.5) and voice["weight"] == pytest.approx(0.5)
    np.testing.assert_allclose(answer["fused"]["point"],
                               np.mean([face["point"], voice["point"]], axis=0), atol=1e-3)
    assert answer["goal"] == "match" and answer["target"]["moved"] == [0.0, 0.0]
    excerpts = answer["excerpts"]
    assert [e["rank"] for e in excerpts] == [1, 2, 3, 4, 5]
    assert all(e["album"] and e["track"] and e["time_range"] for e in excerpts)
    assert all(e["reason"].startswith("close to your ") for e in excerpts)
    assert excerpts[0]["similarity"] >= excerpts[-1]["similarity"]
    assert excerpts[0]["reason"].endswith(
        f"valence {excerpts[0]['valence']:.1f}, energy {excerpts[0]['energy']:.1f}")
    table = (out_dir / "person.csv").read_text().splitlines()
    assert table[0].startswith(
        "rank,item,title,album,track,time_range,category,valence,energy,similarity")
    assert len(table) == 6
    assert json.loads((out_dir / "person.json").read_text()) == answer


def test_the_confident_sense_dominates(run_person, face_jpeg, voice_wav, unsure_voice_model,
                                       real_catalogue):
    answer = run_person([face_jpeg], [voice_wav], voice_model=unsure_voice_model)
    face, voice = answer["senses"]["face"], answer["senses"]["voice"]
    assert voice["confidence"] == pytest.approx(0.0, abs=1e-6) and voice["weight"] == 0.0
    assert answer["fused"]["point"] == face["point"]
    # the face's point is va_mapping's probability-weighted point of its probabilities
    points = real_catalogue["emotion_va_points"].set_index("emotion").loc[list(EMOTIONS)]
    probabilities = np.array(list(face["probabilities"].values()))
    expected = probabilities @ points[["valence", "arousal"]].to_numpy()
    np.testing.assert_allclose(face["point"], expected, atol=1e-3)


@pytest.mark.parametrize("goal", ["uplift", "calm"])
def test_goals_move_the_target_and_the_music(run_person, voice_wav, goal):
    matched = run_person([], [voice_wav], goal="match")
    moved = run_person([], [voice_wav], goal=goal)
    axis = 0 if goal == "uplift" else 1
    delta = moved["target"]["moved"][axis]
    assert (delta > 0.5) if goal == "uplift" else (delta < -0.5)
    mean = lambda a, key: np.mean([e[key] for e in a["excerpts"]])  # noqa: E731
    key = "valence" if goal == "uplift" else "energy"
    assert (mean(moved, key) > mean(matched, key)) if goal == "uplift" else \
        (mean(moved, key) < mean(matched, key))
    word = "brighter" if goal == "uplift" else "calmer"
    assert all(e["reason"].startswith(f"{word} than your") for e in moved["excerpts"])
    assert goal in moved["target"]["description"]


def test_no_input_is_refused_before_any_file(run_person, out_dir):
    with pytest.raises(PersonInputError, match="no input: give a photo and/or a voice clip"):
        run_person([], [])
    assert not out_dir.exists()


def test_several_photos_are_averaged(run_person, tmp_path, detectable_faces):
    paths = []
    for i in range(2):
        paths.append(tmp_path / f"photo{i}.png")
        cv2.imwrite(str(paths[-1]), paste_on_canvas(detectable_faces[i], colour=False))
    answer = run_person(paths, [])
    face = answer["senses"]["face"]
    assert [i["file"] for i in face["inputs"]] == [str(p) for p in paths]
    assert all(i["faces_found"] == 1 for i in face["inputs"])
    assert "voice" not in answer["senses"] and answer["warnings"] == []


def test_several_faces_use_the_largest_with_a_warning(run_person, tmp_path, detectable_faces):
    picture = np.full((600, 900), 128, np.uint8)
    picture[100:244, 50:194] = cv2.resize(detectable_faces[1], (144, 144))
    picture[200:440, 500:740] = cv2.resize(detectable_faces[0], (240, 240))
    path = tmp_path / "group.jpg"
    cv2.imwrite(str(path), picture)
    answer = run_person([path], [])
    entry = answer["senses"]["face"]["inputs"][0]
    assert entry["faces_found"] == 2 and entry["box"][0] > 400
    assert any("2 faces found; using the largest" in w for w in answer["warnings"])


@pytest.mark.parametrize(("ext", "rate", "channels"),
                         [("wav", 44100, 2), ("flac", 48000, 1), ("ogg", 16000, 2),
                          ("mp3", 44100, 1)])
def test_voice_in_any_format_rate_and_channels(run_person, tmp_path, ext, rate, channels):
    path = tmp_path / f"me.{ext}"
    soundfile.write(path, speech(2.0, rate, channels), rate)
    answer = run_person([], [path])
    voice = answer["senses"]["voice"]
    assert voice["used"] and voice["emotion"] == SADNESS
    assert voice["inputs"][0]["seconds"] == pytest.approx(2.0, abs=0.06)  # MP3 adds padding


def test_a_calibrated_person_is_read_against_their_own_voice(run_person, voice_wav,
                                                            sad_voice_model):
    """The stand-in reads sadness, and neutral for a calibrated person (its relative
    classifier): the profile decides which classifier reads the clip."""
    import joblib

    model = joblib.load(sad_voice_model)
    profile = model.profile([speech(3.0, 16000, 1)])
    answer = run_person([], [voice_wav], profile=profile)
    voice = answer["senses"]["voice"]
    assert voice["emotion"] == EMOTIONS[5] and voice["inputs"][0]["calibrated"]
    plain = run_person([], [voice_wav])
    assert plain["senses"]["voice"]["emotion"] == SADNESS


def test_long_clip_sliding_windows_averaged(run_person, tmp_path):
    path = tmp_path / "long.wav"
    soundfile.write(path, speech(7.0, 22050, 1), 22050)
    answer = run_person([], [path])
    windows = answer["senses"]["voice"]["inputs"][0]["windows"]
    assert windows[0] == [0.0, 3.0] and windows[-1] == [4.0, 7.0] and len(windows) == 4


# ---- bad input: each named, fall back to the other sense, or fail with nothing written ----

def _blank_photo(tmp_path: Path) -> Path:
    path = tmp_path / "wall.jpg"
    cv2.imwrite(str(path), np.full((300, 400, 3), 200, np.uint8))
    return path


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_no_face_falls_back_to_the_voice(run_person, tmp_path, voice_wav):
    answer = run_person([_blank_photo(tmp_path)], [voice_wav])
    face = answer["senses"]["face"]
    assert not face["used"] and face["weight"] == 0.0 and face["inputs"][0]["faces_found"] == 0
    assert "wall.jpg: no face found" in face["problems"][0]
    assert "the face could not be used; recommending from the voice alone" in answer["warnings"]
    assert answer["fused"]["point"] == answer["senses"]["voice"]["point"]


@pytest.mark.parametrize(("name", "data", "message"), BAD_PHOTOS, ids=BAD_PHOTO_IDS)
def test_bad_image_falls_back_to_the_voice(run_person, tmp_path, voice_wav, name, data, message):
    answer = run_person([_write(tmp_path, name, data)], [voice_wav])
    assert f"{name}: {message}" in answer["senses"]["face"]["problems"][0]
    assert answer["senses"]["voice"]["used"]


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [("silent.wav", lambda p: soundfile.write(p, np.zeros(3 * 22050), 22050), "silent"),
     ("short.wav", lambda p: soundfile.write(p, speech(0.4, 22050, 1), 22050),
      "too little speech (0.40 s"),
     ("tone.wav", lambda p: soundfile.write(p, 0.5 * np.sign(np.sin(np.arange(3 * 22050) * 0.06)),
                                            22050), "a steady sound, not a voice"),
     ("bytes.wav", lambda p: soundfile.write(
         p, np.random.default_rng(0).uniform(-0.9, 0.9, 3 * 22050), 22050), "noise, not a voice"),
     ("loud.wav", lambda p: soundfile.write(p, 10 * speech(3.0, 22050, 1), 22050, subtype="FLOAT"),
      "clipped"),
     ("corrupt.wav", lambda p: p.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 8),
      "corrupt.wav: not readable as audio"),
     ("photo.mp3", lambda p: cv2.imwrite(str(p.with_suffix(".png")), np.zeros((9, 9), np.uint8))
      and p.write_bytes(p.with_suffix(".png").read_bytes()), "photo.mp3: not readable as audio"),
     ("missing.wav", lambda p: None, "missing.wav: no such file")],
    ids=["silent", "too-short", "square-wave", "random-samples", "beyond-full-scale", "corrupt",
         "not-audio", "missing"],
)
def test_bad_voice_falls_back_to_the_face(run_person, tmp_path, face_jpeg, name, make, message):
    path = tmp_path / name
    make(path)
    answer = run_person([face_jpeg], [path])
    assert message in answer["senses"]["voice"]["problems"][0]
    assert not answer["senses"]["voice"]["used"] and answer["senses"]["face"]["used"]
    assert "the voice could not be used; recommending from the face alone" in answer["warnings"]


def test_neither_input_usable_fails_listing_both_and_writes_nothing(run_person, tmp_path, out_dir):
    silent = tmp_path / "silent.flac"
    soundfile.write(silent, np.zeros(2 * 22050), 22050)
    with pytest.raises(PersonInputError) as err:
        run_person([_blank_photo(tmp_path)], [silent])
    message = str(err.value)
    assert message.startswith("no usable input") and "wall.jpg: no face found" in message
    assert "silent.flac: silent" in message
    assert not out_dir.exists()


@pytest.mark.parametrize(("setting", "message"),
                         [({"goal": "cheer"},
                           "unknown goal 'cheer'; choose one of match, uplift, calm"),
                          ({"top_k": 0},
                           "top k must be from 1 to the catalogue's 180 excerpts; got 0"),
                          ({"top_k": 181}, "got 181"),
                          ({"similarity": "manhattan"}, "unknown similarity mode 'manhattan'")])
def test_bad_request_fails_before_any_file_is_read(run_person, tmp_path, out_dir,
                                                   setting, message):
    with pytest.raises(PersonInputError, match=message):
        run_person([tmp_path / "never_read.jpg"], [], **setting)
    assert not out_dir.exists()


def test_a_model_that_does_not_fit_is_a_clear_error(run_person, face_jpeg, sad_voice_onnx):
    with pytest.raises(ModelFileError, match="face_model_onnx does not fit the person path: "
                                             "not a face model .*kedro run --pipelines "
                                             "face_training"):
        run_person([face_jpeg], [], face_model=sad_voice_onnx)
