"""A person's mood history: one local SQLite file (stdlib ``sqlite3``), nothing else.

Each answer of the page becomes one *mood* (time, each sense's emotion, the fused point, the
goal) with its recommended *excerpts* (rank, album, track, time range, reason) and the person's
like / skip on each. Photos and recordings are kept only when the person asks (:meth:`History.
record` with ``media``), in the same file, so that :meth:`History.delete_all` removes
everything in one step. SQLite writes in transactions: a page stopped mid-write leaves the
previous history whole.

A plain module (no Streamlit, no Kedro): the page and the tests drive it alike. Every call opens
and closes its own connection, so Streamlit's per-session threads never share one.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

FEEDBACK: tuple[str, ...] = ("like", "skip")
MEDIA_KINDS: tuple[str, ...] = ("photo", "voice")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS moods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    face_emotion TEXT,
    voice_emotion TEXT,
    emotion TEXT NOT NULL,
    mood TEXT NOT NULL,
    valence REAL NOT NULL,
    arousal REAL NOT NULL,
    goal TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS excerpts (
    mood_id INTEGER NOT NULL REFERENCES moods(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    number TEXT, album TEXT, track TEXT, time_range TEXT, reason TEXT,
    feedback TEXT CHECK (feedback IS NULL OR feedback IN ('like', 'skip')),
    PRIMARY KEY (mood_id, rank)
);
CREATE TABLE IF NOT EXISTS media (
    mood_id INTEGER NOT NULL REFERENCES moods(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'voice')),
    name TEXT NOT NULL,
    data BLOB NOT NULL
);
"""
#: Columns of :meth:`History.table` and of the CSV export, one row per recommended excerpt.
COLUMNS: tuple[str, ...] = ("mood_id", "time", "face_emotion", "voice_emotion", "emotion",
                            "mood", "valence", "arousal", "goal", "rank", "album", "track",
                            "time_range", "reason", "feedback")


class HistoryError(RuntimeError):
    """The history file cannot be used (not a SQLite file, not writable); names the file."""


def _sense_emotion(answer: Mapping[str, Any], sense: str) -> str | None:
    """The emotion a sense read, or ``None`` when it was not given or could not be used."""
    reading = answer["senses"].get(sense) or {}
    return reading.get("emotion") if reading.get("used") else None


class History:
    """The mood history kept in the SQLite file ``path`` (made on first write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection to the (new or existing) history, in one transaction: committed on
        success, rolled back on error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(self.path)
        except sqlite3.Error as err:
            raise HistoryError(f"mood history {self.path}: cannot be opened ({err})") from err
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten
            connection.executescript(_SCHEMA)
            with connection:
                yield connection
        except sqlite3.DatabaseError as err:
            raise HistoryError(f"mood history {self.path}: {err}; move the file away (or "
                               "delete it) and the page starts a new history") from err
        finally:
            connection.close()

    def record(self, answer: Mapping[str, Any], when: datetime,
               media: Sequence[tuple[str, str, bytes]] = ()) -> int:
        """Keep one answer (the person path's dict); returns its mood id.

        ``media``: ``(kind, file name, bytes)`` of the photos/recordings the person chose to
        keep; nothing of the kind is stored otherwise.
        """
        for kind, name, _ in media:
            if kind not in MEDIA_KINDS:
                raise ValueError(f"media {name!r}: kind must be one of {MEDIA_KINDS}, not {kind!r}")
        fused = answer["fused"]
        valence, arousal = (float(v) for v in fused["point"])
        with self._connect() as db:
            mood_id = db.execute(
                "INSERT INTO moods (time, face_emotion, voice_emotion, emotion, mood, valence, "
                "arousal, goal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (when.isoformat(timespec="seconds"), _sense_emotion(answer, "face"),
                 _sense_emotion(answer, "voice"), fused["emotion"], fused["mood"], valence,
                 arousal, answer["goal"]),
            ).lastrowid
            db.executemany(
                "INSERT INTO excerpts (mood_id, rank, number, album, track, time_range, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(mood_id, e["rank"], str(e.get("number", "")), e.get("album"), e.get("track"),
                  e.get("time_range"), e.get("reason")) for e in answer["excerpts"]],
            )
            db.executemany("INSERT INTO media (mood_id, kind, name, data) VALUES (?, ?, ?, ?)",
                           [(mood_id, kind, name, data) for kind, name, data in media])
        return int(mood_id)

    def set_feedback(self, mood_id: int, rank: int, feedback: str | None) -> None:
        """The person's ``like`` / ``skip`` (``None``: neither) on one recommended excerpt."""
        if feedback is not None and feedback not in FEEDBACK:
            raise ValueError(f"feedback must be one of {FEEDBACK} or None, not {feedback!r}")
        with self._connect() as db:
            changed = db.execute(
                "UPDATE excerpts SET feedback = ? WHERE mood_id = ? AND rank = ?",
                (feedback, mood_id, rank)).rowcount
        if not changed:
            raise KeyError(f"mood history {self.path}: no excerpt {rank} in mood {mood_id}")

    def feedback(self, mood_id: int) -> dict[int, str]:
        """``{rank: like/skip}`` of one mood's excerpts that have feedback."""
        if not self.path.is_file():
            return {}
        with self._connect() as db:
            rows = db.execute("SELECT rank, feedback FROM excerpts WHERE mood_id = ? AND "
                              "feedback IS NOT NULL", (mood_id,)).fetchall()
        return {int(rank): value for rank, value in rows}

    def table(self) -> pd.DataFrame:
        """The whole history, one row per recommended excerpt (:data:`COLUMNS`), oldest first."""
        if not self.path.is_file():
            return pd.DataFrame(columns=list(COLUMNS))
        with self._connect() as db:
            return pd.read_sql_query(
                "SELECT m.id AS mood_id, m.time, m.face_emotion, m.voice_emotion, m.emotion, "
                "m.mood, m.valence, m.arousal, m.goal, e.rank, e.album, e.track, e.time_range, "
                "e.reason, e.feedback FROM moods m LEFT JOIN excerpts e ON e.mood_id = m.id "
                "ORDER BY m.time, m.id, e.rank", db)

    def media(self, mood_id: int) -> list[tuple[str, str, bytes]]:
        """The photos/recordings kept with one mood: ``(kind, name, bytes)``."""
        if not self.path.is_file():
            return []
        with self._connect() as db:
            return [(k, n, bytes(d)) for k, n, d in db.execute(
                "SELECT kind, name, data FROM media WHERE mood_id = ? ORDER BY rowid", (mood_id,))]

    def to_csv(self) -> bytes:
        """The history as UTF-8 CSV (:meth:`table`), for the page's download button."""
        buffer = io.StringIO()
        self.table().to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8")

    def delete_all(self) -> None:
        """Delete every mood, excerpt, photo and recording, and compact the file, so that
        nothing deleted can be read back from it."""
        if not self.path.is_file():
            return
        with self._connect() as db:
            for table in ("media", "excerpts", "moods"):
                db.execute(f"DELETE FROM {table}")
        with contextlib.closing(sqlite3.connect(self.path)) as db:
            db.execute("VACUUM")


def _excerpt_line(row: pd.Series) -> str:
    mark = f" ({row['feedback']})" if isinstance(row["feedback"], str) else ""
    return f"#{int(row['rank'])} {row['album']}, track {row['track']} [{row['time_range']}]{mark}"


def mood_summary(table: pd.DataFrame, latest: int) -> pd.DataFrame:
    """The ``latest`` moods of ``table`` (:meth:`History.table`), newest first, one row each:
    time, senses' emotions, point, goal, and the excerpts with their feedback on one line."""
    shown = table["mood_id"].drop_duplicates().iloc[-latest:]  # not the whole history
    rows = []
    for _, group in table[table["mood_id"].isin(shown)].groupby("mood_id", sort=False):
        first = group.iloc[0]
        excerpts = group.dropna(subset=["rank"])
        rows.append({
            "time": first["time"].replace("T", " ")[:16],
            "face": first["face_emotion"] if isinstance(first["face_emotion"], str) else "-",
            "voice": first["voice_emotion"] if isinstance(first["voice_emotion"], str) else "-",
            "mood": f"{first['mood']} ({first['emotion']})",
            "valence, arousal": f"{first['valence']:.2f}, {first['arousal']:.2f}",
            "goal": first["goal"],
            "excerpts": "; ".join(_excerpt_line(r) for _, r in excerpts.iterrows()),
        })
    return pd.DataFrame(rows[::-1])
