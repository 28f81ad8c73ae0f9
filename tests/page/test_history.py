"""The page's mood history (moodrec.page.history): one SQLite file, read back as it was kept."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from moodrec.page.history import COLUMNS, History, HistoryError, mood_summary
from tests.page.answers import answer

WHEN = datetime(2026, 11, 28, 9, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def history(tmp_path) -> History:
    return History(tmp_path / "person" / "history.sqlite")


def test_an_answer_is_kept_with_its_excerpts_and_read_back(history):
    mood_id = history.record(answer(goal="uplift", k=3), WHEN)

    table = history.table()
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == 3 and set(table["mood_id"]) == {mood_id}
    first = table.iloc[0]
    assert first["time"] == "2026-11-28T09:30:00+01:00"
    assert (first["face_emotion"], first["voice_emotion"]) == ("happiness", "sadness")
    assert (first["valence"], first["arousal"], first["goal"]) == (4.9, 4.7, "uplift")
    assert list(table["rank"]) == [1, 2, 3]
    assert list(table["album"]) == ["Album 1", "Album 2", "Album 3"]
    assert table["time_range"].eq("00:55-01:10").all() and table["feedback"].isna().all()


def test_a_sense_not_given_is_kept_as_empty(history):
    history.record(answer(face=None, voice="anger"), WHEN)
    row = history.table().iloc[0]
    assert pd.isna(row["face_emotion"]) and row["voice_emotion"] == "anger"
    assert row["emotion"] == "anger"


def test_feedback_is_kept_changed_and_cleared(history):
    mood_id = history.record(answer(k=3), WHEN)
    history.set_feedback(mood_id, 1, "like")
    history.set_feedback(mood_id, 3, "skip")
    assert history.feedback(mood_id) == {1: "like", 3: "skip"}
    history.set_feedback(mood_id, 3, None)
    assert history.feedback(mood_id) == {1: "like"}
    assert list(history.table()["feedback"].fillna("")) == ["like", "", ""]


@pytest.mark.parametrize("feedback", ["love", "", "LIKE"])
def test_unknown_feedback_is_refused(history, feedback):
    mood_id = history.record(answer(), WHEN)
    with pytest.raises(ValueError, match="feedback must be one of"):
        history.set_feedback(mood_id, 1, feedback)


def test_feedback_on_an_excerpt_not_recommended_says_which(history):
    mood_id = history.record(answer(k=2), WHEN)
    with pytest.raises(KeyError, match=f"no excerpt 5 in mood {mood_id}"):
        history.set_feedback(mood_id, 5, "like")


def test_several_moods_come_back_oldest_first(history):
    later = history.record(answer(goal="calm", k=1), WHEN + timedelta(minutes=5))
    earlier = history.record(answer(goal="match", k=1), WHEN)
    table = history.table()
    assert list(table["mood_id"]) == [earlier, later]
    assert list(table["goal"]) == ["match", "calm"]


def test_media_is_kept_only_when_given(history):
    without = history.record(answer(), WHEN)
    kept = history.record(answer(), WHEN, media=[("photo", "me.jpg", b"\xff\xd8jpeg"),
                                                 ("voice", "me.wav", b"RIFFwav")])
    assert history.media(without) == []
    assert history.media(kept) == [("photo", "me.jpg", b"\xff\xd8jpeg"),
                                   ("voice", "me.wav", b"RIFFwav")]


def test_media_of_an_unknown_kind_is_refused_and_nothing_is_kept(history):
    with pytest.raises(ValueError, match="kind must be one of"):
        history.record(answer(), WHEN, media=[("video", "me.mp4", b"...")])
    assert history.table().empty


def test_the_csv_export_is_the_table(history):
    mood_id = history.record(answer(k=2), WHEN)
    history.set_feedback(mood_id, 2, "skip")
    exported = pd.read_csv(io.BytesIO(history.to_csv()))
    assert list(exported.columns) == list(COLUMNS)
    assert list(exported["reason"]) == ["reason 1", "reason 2"]
    assert list(exported["feedback"].fillna("")) == ["", "skip"]


def test_an_empty_history_reads_empty_without_making_a_file(history):
    assert history.table().empty and list(history.table().columns) == list(COLUMNS)
    assert history.feedback(1) == {} and history.media(1) == []
    assert not history.path.exists()


def test_delete_all_leaves_nothing_readable_in_the_file(history):
    mood_id = history.record(answer(), WHEN, media=[("photo", "me.jpg", b"SECRET-PHOTO-BYTES")])
    history.set_feedback(mood_id, 1, "like")
    history.delete_all()
    assert history.table().empty and history.media(mood_id) == []
    assert b"SECRET-PHOTO-BYTES" not in history.path.read_bytes()
    assert b"Album 1" not in history.path.read_bytes()
    with sqlite3.connect(history.path) as db:
        counts = [db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("moods", "excerpts", "media")]
    assert counts == [0, 0, 0]
    assert history.record(answer(), WHEN) > 0  # usable again afterwards


def test_a_file_that_is_not_a_history_is_named(tmp_path):
    path = tmp_path / "history.sqlite"
    path.write_text("not a database\n" * 100)
    with pytest.raises(HistoryError, match=f"mood history {path}: file is not a database"):
        History(path).table()
    assert path.read_text() == "not a database\n" * 100


def test_the_summary_shows_the_latest_moods_newest_first_with_their_feedback(history):
    for hour, goal in enumerate(("match", "uplift", "calm")):
        history.record(answer(goal=goal, k=2), WHEN + timedelta(hours=hour))
    history.set_feedback(3, 1, "like")
    summary = mood_summary(history.table(), 2)
    assert list(summary["goal"]) == ["calm", "uplift"]
    assert list(summary["time"]) == ["2026-11-28 11:30", "2026-11-28 10:30"]
    assert summary["excerpts"].iloc[0] == ("#1 Album 1, track 1 [00:55-01:10] (like); "
                                           "#2 Album 2, track 2 [00:55-01:10]")
