"""The one person history: per person, forgetting, bad names and unusable files."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime

import numpy as np
import pytest

from moodrec.person.history import History, HistoryError, PersonNameError, check_person

WHEN = datetime(2026, 12, 7, 12, 0, 0)


def _answer(emotion: str = "happiness") -> dict:
    return {
        "senses": {"face": {"used": True, "emotion": emotion}, "voice": None},
        "fused": {"emotion": emotion, "mood": "calm, positive", "point": [6.0, 4.0]},
        "goal": "match",
        "excerpts": [{"rank": 1, "item": "set1:029", "title": "#29 Vertigo OST, track 6",
                      "reason": "close"},
                     {"rank": 2, "item": "set1:015", "title": "#15 Big Fish", "reason": "near"}],
    }


@pytest.fixture
def history(tmp_path):
    return History(tmp_path / "h" / "history.sqlite")


def test_readings_are_per_person_and_in_order(history):
    for i in range(3):
        history.add_reading("ann", "face", f"a{i}.jpg", np.log(np.full(6, 1 / 6)) + i, WHEN)
    history.add_reading("bob", "face", "b.jpg", np.zeros(6), WHEN)
    history.add_reading("ann", "voice", "a.wav", np.arange(6.0), WHEN)
    ann = history.readings("ann", "face")
    assert ann.shape == (3, 6) and np.allclose(ann[:, 0] - ann[0, 0], [0, 1, 2])
    assert history.readings("bob", "face").shape == (1, 6)
    assert history.readings("carl", "face").shape == (0, 6)
    assert np.array_equal(history.readings("ann", "voice"), [np.arange(6.0)])


def test_moods_offers_and_feedback_are_per_person(history):
    ann = history.record("ann", _answer(), WHEN)
    bob = history.record("bob", _answer("sadness"), WHEN)
    history.set_feedback("ann", ann, 2, "skip")
    with pytest.raises(KeyError):
        history.set_feedback("ann", bob, 1, "like")  # another person's mood
    assert history.feedback("ann", ann) == {2: "skip"}
    assert history.feedback("bob", bob) == {}
    assert list(history.offers("ann")["item"]) == ["set1:029", "set1:015"]
    assert set(history.table("bob")["emotion"]) == {"sadness"}
    assert set(history.table("ann")["emotion"]) == {"happiness"}


def test_forget_removes_one_person_only(history):
    history.add_reading("ann", "face", "a.jpg", np.zeros(6), WHEN)
    mood = history.record("ann", _answer(), WHEN, media=[("photo", "a.jpg", b"secret-bytes")])
    history.record("bob", _answer(), WHEN)
    history.forget("ann")
    assert len(history.readings("ann", "face")) == 0 and history.table("ann").empty
    assert history.media("ann", mood) == []
    assert len(history.table("bob")) == 2
    assert b"secret-bytes" not in history.path.read_bytes()


@pytest.mark.parametrize("name", ["", "  ", "../etc", "a" * 65, "x;DROP", None, "-ann"])
def test_bad_person_names_are_refused(history, name):
    with pytest.raises(PersonNameError) as err:
        history.add_reading(name, "face", "a.jpg", np.zeros(6), WHEN)
    assert err.value.field == "person"
    assert not history.path.exists()


def test_names_are_stripped():
    assert check_person("  Ann Lee ") == "Ann Lee"


def test_unreadable_file_is_named_and_kept(tmp_path):
    path = tmp_path / "history.sqlite"
    path.write_bytes(os.urandom(4096))
    before = path.read_bytes()
    with pytest.raises(HistoryError) as err:
        History(path).readings("ann", "face")
    assert err.value.path == path and path.read_bytes() == before


def test_a_folder_or_an_older_format_is_refused(tmp_path):
    with pytest.raises(HistoryError) as err:
        History(tmp_path).table("ann")
    assert err.value.path == tmp_path
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE moods (id INTEGER)")
    with pytest.raises(HistoryError):
        History(old).record("ann", _answer(), WHEN)


def test_read_only_history_is_named(history, monkeypatch):
    history.record("ann", _answer(), WHEN)
    connect = sqlite3.connect  # read-only as SQLite sees it (root ignores file modes)
    monkeypatch.setattr(sqlite3, "connect", lambda p: connect(f"file:{p}?mode=ro", uri=True))
    with pytest.raises(HistoryError) as err:
        history.record("ann", _answer(), WHEN)
    assert err.value.path == history.path
    assert len(history.table("ann")) == 2


def test_the_csv_export_is_formula_safe(history):
    answer = _answer()
    answer["excerpts"][0]["title"] = "=HYPERLINK(\"http://x\")"
    history.record("ann", answer, WHEN)
    assert "'=HYPERLINK" in history.to_csv("ann").decode()
