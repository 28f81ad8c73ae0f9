"""``moodrec read``: one row per photo or clip, through the person pipeline's readers."""

from __future__ import annotations

import csv
import io
import json

import cv2
import numpy as np
import pytest
import soundfile

from moodrec.app.exits import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from moodrec.cli import run as moodrec
from moodrec.core.emotions import EMOTIONS
from tests.person.conftest import paste_on_canvas, speech


@pytest.fixture
def read(trained, capsys, restore_process_state):
    """``moodrec read ARGS`` in the project copy with stand-in models: (status, out, err)."""

    def run(*args: str) -> tuple[int, str, str]:
        status = moodrec(["read", *args, "--project-dir", str(trained)])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def folder(tmp_path, detectable_faces):
    """Two photos with a face and one clip in a folder, and a text file that is skipped (and
    named: issue 19)."""
    for i in range(2):
        cv2.imwrite(str(tmp_path / f"face{i}.jpg"), paste_on_canvas(detectable_faces[i]))
    soundfile.write(tmp_path / "voice.wav", speech(3.0), 44100)
    (tmp_path / "notes.txt").write_text("not read")
    return tmp_path


def test_a_folder_gives_one_csv_row_per_file(read, folder):
    status, out, err = read(str(folder), "--csv")
    assert status == EXIT_PARTIAL, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["file"] for r in rows] == [str(folder / n) for n in
                                         ("face0.jpg", "face1.jpg", "voice.wav", "notes.txt")]
    assert list(rows[0]) == ["file", "sense", "emotion", *EMOTIONS, "box_x", "box_y", "box_w",
                             "box_h", "adapted_to", "note", "problem"]
    faces, voice, skipped = rows[:2], rows[2], rows.pop()
    assert skipped["sense"] == "" and skipped["problem"]
    assert all(r["sense"] == "face" and r["emotion"] == EMOTIONS[2] for r in faces)
    assert all(int(r["box_w"]) > 100 and r["problem"] == "" for r in faces)
    assert voice["sense"] == "voice" and voice["emotion"] == EMOTIONS[3] and voice["box_x"] == ""
    for r in rows:
        assert sum(float(r[e]) for e in EMOTIONS) == pytest.approx(1.0, abs=1e-3)


def test_an_unreadable_file_is_named_and_the_others_read(read, folder, tmp_path):
    cv2.imwrite(str(tmp_path / "wall.png"), np.full((200, 300), 200, np.uint8))
    status, out, _ = read(str(folder / "face0.jpg"), str(tmp_path / "wall.png"), "--json")
    rows = json.loads(out)
    assert status == EXIT_PARTIAL and rows[0]["problem"] is None
    assert rows[1]["emotion"] is None and "wall.png: no face found" in rows[1]["problem"]
    status, out, _ = read(str(folder / "voice.wav"))
    assert status == EXIT_OK and out.startswith(f"{folder / 'voice.wav'}: voice: {EMOTIONS[3]} (")


@pytest.mark.parametrize("name", ["notes.txt", "empty_folder"])
def test_a_file_of_no_known_kind_is_a_usage_error(read, tmp_path, name):
    target = tmp_path / name
    target.mkdir() if name == "empty_folder" else target.write_text("x")
    status, out, err = read(str(target))
    assert status == EXIT_USAGE and out == "" and str(target) in err
