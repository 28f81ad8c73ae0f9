"""Model fitness checks (clear errors naming the dataset and training command) and the person
datasets."""

from __future__ import annotations

import os

import joblib
import pytest
from kedro.io import DatasetError

from moodrec.person.datasets import (
    PersonFilesDataset,
    PersonRecommendationDataset,
    VoiceProfileDataset,
    split_paths,
)
from moodrec.person.errors import ModelFileError, UnusableInputError
from moodrec.person.models import checked_face_model, checked_voice_model
from tests.person.conftest import constant_model


def test_a_fitting_face_model_passes(happy_face_model, happy_face_onnx):
    import keras

    from moodrec.datasets.onnx import OnnxFaceModelDataset

    for model in (keras.saving.load_model(happy_face_model),
                  OnnxFaceModelDataset(str(happy_face_onnx)).load()):
        assert checked_face_model(model) is model


def test_model_of_the_wrong_shape(tmp_path):
    import keras

    wrong = keras.saving.load_model(
        constant_model((64, 64, 1), [0.0] * 6, tmp_path / "face_model.keras"))
    with pytest.raises(ModelFileError,
                       match=r"face_model_onnx does not fit .*input is \(None, 64, 64, 1\), "
                             r"expected \(None, 48, 48, 1\).*kedro run --pipelines "
                             r"face_training"):
        checked_face_model(wrong)


def test_voice_model_passes_and_something_else_is_refused(sad_voice_model, sad_voice_onnx):
    from moodrec.datasets.onnx import OnnxVoiceModelDataset

    assert checked_voice_model(joblib.load(sad_voice_model)).sample_rate == 16000
    assert checked_voice_model(OnnxVoiceModelDataset(str(sad_voice_onnx)).load()).sample_rate \
        == 16000
    with pytest.raises(ModelFileError,
                       match="audio_model_onnx does not fit .*not a moodrec voice model"):
        checked_voice_model({"not": "a model"})


def test_voice_profile_dataset_round_trip_absent_and_damaged(tmp_path):
    from moodrec.audio.voice_reader import VoiceProfile

    dataset = VoiceProfileDataset(str(tmp_path / "me" / "profile.json"))
    assert dataset.load() is None and not dataset.exists()
    profile = VoiceProfile("mfcc_stats", ["mfcc_stats.a"], [1.5], 3.0)
    dataset.save(profile)
    assert dataset.load() == profile
    (tmp_path / "me" / "profile.json").write_text("{broken")
    with pytest.raises(DatasetError, match="damaged .*moodrec calibrate"):
        dataset.load()


def test_split_paths():
    assert split_paths(None) == [] and split_paths("") == [] and split_paths("None") == []
    assert split_paths(f"a.jpg{os.pathsep}b.jpg") == ["a.jpg", "b.jpg"]
    assert split_paths(["x.wav"]) == ["x.wav"]


def test_a_comma_in_face_image_is_stopped_by_kedros_command_line():
    """docs/person.md: `kedro run --params face_image=a:b,c.jpg` is split by Kedro at the
    comma, and stopped with its own message naming the piece; the ':' list is ours."""
    import click
    from kedro.framework.cli.utils import _split_params

    context, option = click.Context(click.Command("run")), click.Option(["--params"])
    with pytest.raises(click.UsageError, match="Item `c.jpg` must contain a key and a value"):
        _split_params(context, option, "face_image=a:b,c.jpg")
    parsed = _split_params(context, option, "face_image=a.jpg:b.jpg,goal=calm")
    assert split_paths(parsed["face_image"]) == ["a.jpg", "b.jpg"]


def test_files_dataset_reads_lazily_and_names_bad_files(tmp_path):
    good = tmp_path / "a.jpg"
    good.write_bytes(b"bytes")
    photos = PersonFilesDataset([str(good), str(tmp_path / "missing.jpg"), str(tmp_path)]).load()
    assert list(photos) == [str(good), str(tmp_path / "missing.jpg"), str(tmp_path)]
    assert photos[str(good)](max_megabytes=1) == b"bytes"
    with pytest.raises(UnusableInputError, match="missing.jpg: no such file"):
        photos[str(tmp_path / "missing.jpg")](max_megabytes=1)
    with pytest.raises(UnusableInputError, match="is a folder"):
        photos[str(tmp_path)](max_megabytes=1)
    assert PersonFilesDataset(None, kind="voice").load() == {}


def test_voice_loader_reports_empty_and_non_audio_files(tmp_path):
    empty, text = tmp_path / "empty.wav", tmp_path / "notes.mp3"
    empty.write_bytes(b"")
    text.write_text("not audio at all\n" * 20)
    clips = PersonFilesDataset([str(empty), str(text)], kind="voice").load()
    with pytest.raises(UnusableInputError, match=r"empty.wav: the file is empty \(0 bytes\)"):
        clips[str(empty)](sr=16000, max_seconds=60)
    with pytest.raises(UnusableInputError, match="notes.mp3: not readable as audio"):
        clips[str(text)](sr=16000, max_seconds=60)


def test_answer_written_atomically(tmp_path):
    out = PersonRecommendationDataset(str(tmp_path / "p.json"))
    answer = {"excerpts": [{"rank": 1, "track": "x", "similarity": 0.9}]}
    out.save(answer)
    assert out.load() == answer
    assert (tmp_path / "p.csv").read_text().splitlines() == ["rank,track,similarity", "1,x,0.9"]
    umask = os.umask(0)
    os.umask(umask)
    for name in ("p.json", "p.csv"):  # the usual permissions, not mkstemp's 0600
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(DatasetError, match="not JSON compliant"):  # nothing new is written
        out.save({"excerpts": [], "bad": float("nan")})
    assert out.load() == answer
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv", "p.json"]


@pytest.mark.parametrize(("kind", "what"), [("photo", "photo"), ("voice", "voice clip")])
@pytest.mark.parametrize("case", ["folder", "dash", "pipe", "missing"])
def test_not_a_file_is_named_for_either_sense(tmp_path, kind, what, case):
    """Before: a folder given as --voice got "not readable as audio (... Format not
    recognised)"; `-` got "no such file"; /dev/stdin fed by a pipe, "Format not recognised"."""
    read_end, write_end = os.pipe()
    path = {"folder": str(tmp_path), "dash": "-", "pipe": f"/dev/fd/{read_end}",
            "missing": str(tmp_path / "gone.x")}[case]
    expected = {"folder": f"{what} {path}: is a folder, not an? \\w+ file",
                "dash": rf"{what} -: standard input is not read; save the {what} to a file",
                "pipe": rf"{what} {path}: not a regular file \(a pipe or a device",
                "missing": rf"{what} {path}: no such file"}[case]
    try:
        with pytest.raises(UnusableInputError, match=expected):
            load = PersonFilesDataset([path], kind=kind).load()[path]
            # a clip is read at the model's rate
            load(sr=16000, max_seconds=60) if kind == "voice" else load(max_megabytes=1)
    finally:
        os.close(read_end)
        os.close(write_end)


def test_stdin_redirected_from_a_file_is_read(tmp_path, monkeypatch):
    """`--face /dev/stdin < me.jpg`: standard input is then a regular file, and is read."""
    photo = tmp_path / "me.jpg"
    photo.write_bytes(b"jpeg bytes")
    with photo.open("rb") as handle:
        path = f"/dev/fd/{handle.fileno()}"
        assert PersonFilesDataset([path]).load()[path](max_megabytes=1) == b"jpeg bytes"
