"""``--person``: one person's readings adapt their later ones, are kept in their history only,
and can be forgotten; bad names and unusable history files lose nothing."""

from __future__ import annotations

import json
import os

import cv2
import pytest

from moodrec.app.exits import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from moodrec.cli import run as moodrec
from moodrec.person.history import History
from tests.person.conftest import paste_on_canvas


@pytest.fixture
def command(trained, capsys, restore_process_state):
    """``moodrec ARGS --project-dir <copy with stand-in models>``: (status, out, err)."""

    def run(*args: str) -> tuple[int, str, str]:
        status = moodrec([*args, "--project-dir", str(trained)])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def photos(tmp_path, detectable_faces):
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"face{i}.jpg")
        cv2.imwrite(str(paths[-1]), paste_on_canvas(detectable_faces[i]))
    return [str(p) for p in paths]


def _read(command, db, *args):
    status, out, err = command("read", *args, "--history", str(db), "--json")
    assert status == EXIT_OK, err
    return json.loads(out)


def test_files_are_read_in_order_each_adapted_by_those_before(command, photos, tmp_path):
    db = tmp_path / "h.sqlite"
    rows = _read(command, db, *photos, "--person", "ann")
    assert [r["file"] for r in rows] == photos
    assert [r["adapted_to"] for r in rows] == [0, 1, 2]  # never by itself or a later one
    assert len(History(db).readings("ann", "face")) == 3
    rows = _read(command, db, photos[0], "--person", "ann")
    assert rows[0]["adapted_to"] == 3


def test_one_persons_readings_never_adapt_anothers(command, photos, tmp_path):
    db = tmp_path / "h.sqlite"
    _read(command, db, *photos, "--person", "ann")
    rows = _read(command, db, photos[0], "--person", "bob")
    assert rows[0]["adapted_to"] == 0
    assert len(History(db).readings("bob", "face")) == 1


def test_without_person_nothing_is_kept_and_no_adapt_keeps_unadapted(command, photos, tmp_path):
    db = tmp_path / "h.sqlite"
    plain = _read(command, db, photos[0])
    assert not db.exists() and plain[0]["adapted_to"] == 0
    _read(command, db, photos[0], "--person", "ann")
    rows = _read(command, db, photos[0], "--person", "ann", "--no-adapt")
    assert rows[0]["adapted_to"] == 0 and rows[0]["emotion"] == plain[0]["emotion"]
    assert len(History(db).readings("ann", "face")) == 2


def test_forget_removes_the_person_only(command, photos, tmp_path):
    db = tmp_path / "h.sqlite"
    _read(command, db, photos[0], "--person", "ann")
    _read(command, db, photos[0], "--person", "bob")
    status, _, err = command("person", "ann", "--forget", "--history", str(db))
    assert status == EXIT_OK, err
    assert len(History(db).readings("ann", "face")) == 0
    assert len(History(db).readings("bob", "face")) == 1
    assert _read(command, db, photos[0], "--person", "ann")[0]["adapted_to"] == 0


@pytest.mark.parametrize("name", ["", "../x", "a;b", "x" * 80])
def test_a_bad_person_name_is_refused_and_nothing_written(command, photos, tmp_path, name):
    db = tmp_path / "h.sqlite"
    status, _, err = command("read", photos[0], "--person", name, "--history", str(db))
    assert status == EXIT_USAGE and "person" in err
    assert not db.exists()


def test_an_unusable_history_is_named_and_kept(command, photos, tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes(os.urandom(2048))
    before = db.read_bytes()
    status, _, err = command("read", photos[0], "--person", "ann", "--history", str(db))
    assert status == EXIT_FAILED and str(db) in err
    assert db.read_bytes() == before


def test_recommend_keeps_the_answer_and_like_marks_an_offer(command, photos, tmp_path):
    db = tmp_path / "h.sqlite"
    for expected in (0, 1):
        status, out, err = command("recommend", "--face", photos[0], "--person", "ann",
                                   "--history", str(db), "--json")
        assert status == EXIT_OK, err
        answer = json.loads(out)
        assert answer["senses"]["face"]["adapted_to"] == expected
    status, _, err = command("person", "ann", "--like", "2", "--history", str(db))
    assert status == EXIT_OK, err
    assert History(db).feedback("ann", answer["mood_id"]) == {2: "like"}
    status, _, _ = command("person", "ann", "--skip", "99", "--history", str(db))
    assert status == EXIT_USAGE


def test_recommend_with_an_unusable_history_still_answers_and_says_why(command, photos,
                                                                       tmp_path):
    db = tmp_path / "h.sqlite"
    db.write_bytes(os.urandom(2048))
    before = db.read_bytes()
    status, out, err = command("recommend", "--face", photos[0], "--person", "ann",
                               "--history", str(db), "--json")
    assert status == EXIT_PARTIAL, err
    answer = json.loads(out)
    assert answer["excerpts"] and "mood_id" not in answer
    assert any(str(db) in w for w in answer["warnings"])
    assert db.read_bytes() == before
