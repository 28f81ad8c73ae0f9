"""Issue 19, families 1 and 3, through the commands: one bad file costs only itself, and every
file that is not read is named. Before: ``moodrec recommend --face bomb.png --voice good.wav``
exited 1 with a 247-line OpenCV traceback, throwing the good voice away; ``moodrec read`` on
a folder of good photos and that one gave no row at all; the photos of a sub-folder and a file
of another suffix were left out without a word."""

from __future__ import annotations

import json

import cv2
import pytest
import soundfile

from moodrec.app.exits import EXIT_PARTIAL
from moodrec.cli import run as moodrec
from moodrec.core.emotions import EMOTIONS
from tests.person.conftest import paste_on_canvas, speech
from tests.person.test_bounds import png_header


@pytest.fixture
def bomb(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_header(40000, 40000))
    return path


def test_a_photo_bomb_costs_only_itself(trained, bomb, voice_wav, capsys, restore_process_state):
    status = moodrec(["recommend", "--face", str(bomb), "--voice", str(voice_wav), "--json",
                      "--project-dir", str(trained)])
    out, err = capsys.readouterr()
    answer = json.loads(out)
    assert status == EXIT_PARTIAL and "Traceback" not in err
    assert answer["senses"]["voice"]["used"] and answer["excerpts"]
    (problem,) = answer["senses"]["face"]["problems"]
    assert str(bomb) in problem and "max_pixels" in problem


@pytest.fixture
def folder(tmp_path, detectable_faces, bomb):
    """Two photos and a clip, the bomb, a text file, and a sub-folder with a photo."""
    photos = tmp_path / "photos"
    (photos / "sub").mkdir(parents=True)
    for i, place in enumerate((photos / "a.jpg", photos / "sub" / "b.jpg")):
        cv2.imwrite(str(place), paste_on_canvas(detectable_faces[i]))
    soundfile.write(photos / "c.wav", speech(3.0), 44100)
    bomb.rename(photos / "bomb.png")
    (photos / "notes.txt").write_text("not a photo")
    return photos


def test_read_gives_the_good_rows_and_names_every_other_file(trained, folder, capsys,
                                                            restore_process_state):
    status = moodrec(["read", str(folder), "--json", "--project-dir", str(trained)])
    rows = {row["file"]: row for row in json.loads(capsys.readouterr().out)}
    assert status == EXIT_PARTIAL
    assert rows[str(folder / "a.jpg")]["emotion"] == EMOTIONS[2]
    assert rows[str(folder / "c.wav")]["emotion"] == EMOTIONS[3]
    assert "max_pixels" in rows[str(folder / "bomb.png")]["problem"]
    for skipped in ("notes.txt", "sub"):  # named, not left out
        row = rows[str(folder / skipped)]
        assert row["problem"] and row["sense"] is None
    assert len(rows) == 5


def test_recursive_reads_the_sub_folders(trained, folder, capsys, restore_process_state):
    moodrec(["read", str(folder), "--recursive", "--json", "--project-dir", str(trained)])
    rows = {row["file"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows[str(folder / "sub" / "b.jpg")]["emotion"] == EMOTIONS[2]
    assert str(folder / "sub") not in rows and rows[str(folder / "notes.txt")]["problem"]


def test_a_file_named_follows_the_folders_rule(trained, folder, capsys, restore_process_state):
    """The same file is read, or skipped and named, whether named or found in a folder."""
    status = moodrec(["read", str(folder / "a.jpg"), str(folder / "notes.txt"), "--json",
                      "--project-dir", str(trained)])
    rows = json.loads(capsys.readouterr().out)
    assert status == EXIT_PARTIAL and [r["file"] for r in rows] == [
        str(folder / "a.jpg"), str(folder / "notes.txt")]
    assert rows[1]["problem"] and rows[1]["sense"] is None


def test_a_long_clip_and_an_animation_are_said(trained, tmp_path, detectable_faces, capsys,
                                               restore_process_state):
    from PIL import Image

    face = Image.fromarray(paste_on_canvas(detectable_faces[0])[..., ::-1])
    face.save(tmp_path / "moving.gif", save_all=True, append_images=[face.rotate(10)])
    soundfile.write(tmp_path / "long.wav", speech(65.0, sr=16000, channels=1), 16000)
    moodrec(["read", str(tmp_path / "moving.gif"), str(tmp_path / "long.wav"), "--json",
             "--project-dir", str(trained)])
    gif, clip = json.loads(capsys.readouterr().out)
    assert gif["emotion"] and str(tmp_path / "moving.gif") in gif["note"]
    assert clip["emotion"] and "max_seconds" in clip["note"]


def test_an_answer_that_cannot_be_written_is_printed_all_the_same(trained, face_jpeg, capsys,
                                                                 monkeypatch,
                                                                 restore_process_state):
    """Before: "cannot read person_recommendation" (it was a write), and no answer printed.
    (A read-only folder does not stop root, so the write is made to fail as it would.)"""
    folder = trained / "data" / "07_model_output"

    def denied(target):
        raise PermissionError(13, "Permission denied", str(folder / f".{target.name}.part"))

    monkeypatch.setattr("moodrec.person.datasets.atomic_file", denied)
    moodrec(["recommend", "--face", str(face_jpeg), "--json", "--project-dir", str(trained)])
    out, err = capsys.readouterr()
    assert json.loads(out)["excerpts"] and str(folder) in err and "Traceback" not in err
