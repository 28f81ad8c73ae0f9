"""Every person's history, in one local SQLite file (stdlib ``sqlite3``): the one store that the
adaptation, the page's history and like/skip learning read and write.

Per person it keeps
- *readings*: each sense's log-probabilities for one photo or clip (and, for a voice, the
  feature vector the model read), oldest first: what adapts that person's later readings;
- *moods*: each answer (time, the senses' emotions, the fused point, the goal), with the
  *offers* (the recommended items, their rank and reason) and the person's like / skip on each;
- *media*: photos and recordings, only when the person asks for them to be kept.

Every query names its person, so one person's rows are never read for another, and
:meth:`History.forget` removes all of a person's rows in one transaction and compacts the file
so nothing deleted can be read back. SQLite writes in transactions: an interrupted write leaves
the previous history whole. Every call opens and closes its own connection (the page's threads
never share one).
"""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from moodrec.core.emotions import EMOTIONS

FEEDBACK: tuple[str, ...] = ("like", "skip")
MEDIA_KINDS: tuple[str, ...] = ("photo", "voice")
SENSES: tuple[str, ...] = ("face", "voice")
_VERSION = 2  # PRAGMA user_version of this schema (1: the page's single-person history)
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS readings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person TEXT NOT NULL,
    time TEXT NOT NULL,
    sense TEXT NOT NULL CHECK (sense IN ('face', 'voice')),
    source TEXT NOT NULL,
    log_probabilities BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS readings_person ON readings (person, sense, id);
CREATE TABLE IF NOT EXISTS moods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person TEXT NOT NULL,
    time TEXT NOT NULL,
    face_emotion TEXT,
    voice_emotion TEXT,
    emotion TEXT NOT NULL,
    mood TEXT NOT NULL,
    valence REAL NOT NULL,
    arousal REAL NOT NULL,
    goal TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS moods_person ON moods (person, id);
CREATE TABLE IF NOT EXISTS offers (
    mood_id INTEGER NOT NULL REFERENCES moods(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    item TEXT NOT NULL,
    title TEXT NOT NULL,
    reason TEXT,
    feedback TEXT CHECK (feedback IS NULL OR feedback IN ('like', 'skip')),
    PRIMARY KEY (mood_id, rank)
);
CREATE TABLE IF NOT EXISTS media (
    mood_id INTEGER NOT NULL REFERENCES moods(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('photo', 'voice')),
    name TEXT NOT NULL,
    data BLOB NOT NULL
);
PRAGMA user_version = {_VERSION};
"""
#: Columns of :meth:`History.table` and of the CSV export, one row per offered item.
COLUMNS: tuple[str, ...] = ("mood_id", "time", "face_emotion", "voice_emotion", "emotion",
                            "mood", "valence", "arousal", "goal", "rank", "item", "title",
                            "reason", "feedback")


class HistoryError(RuntimeError):
    """The history file cannot be used (not SQLite, not writable, a folder ...); names it."""

    def __init__(self, path: Path, problem: str, fix: str) -> None:
        super().__init__(f"history {path}: {problem}; {fix}")
        self.path = path


class PersonNameError(ValueError):
    """A person's name the history cannot key on; ``field`` is ``"person"``."""

    field = "person"


def check_person(name: str) -> str:
    """``name`` stripped, if it is 1-64 letters, digits, spaces or ``. _ @ -`` starting with a
    letter or digit (it is shown on the page and typed on the command line)."""
    stripped = name.strip() if isinstance(name, str) else ""
    if not _NAME.fullmatch(stripped):
        raise PersonNameError(f"person {name!r}: use 1-64 letters, digits, spaces or . _ @ -, "
                              "starting with a letter or digit")
    return stripped


def _sense_emotion(answer: Mapping[str, Any], sense: str) -> str | None:
    """The emotion a sense read, or ``None`` when it was not given or could not be used."""
    reading = answer["senses"].get(sense) or {}
    return reading.get("emotion") if reading.get("used") else None


class History:
    """The histories kept in the SQLite file ``path`` (made on first write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: committed on success, rolled back on error."""
        if self.path.is_dir():
            raise HistoryError(self.path, "is a folder", "give the path of a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path)
        except (OSError, sqlite3.Error) as err:
            raise HistoryError(self.path, f"cannot be opened ({err})",
                               "check that its folder exists and is writable") from err
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            tables = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables and version != _VERSION:
                raise HistoryError(self.path, f"is a history of another format ({version})",
                                   "move it away to start a new one (nothing was changed)")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten
            if not tables:
                connection.executescript(_SCHEMA)
            with connection:
                yield connection
        except sqlite3.OperationalError as err:
            raise HistoryError(self.path, f"cannot be written or read ({err})",
                               "check its permissions and free space (nothing was changed)"
                               ) from err
        except sqlite3.DatabaseError as err:
            raise HistoryError(self.path, f"is not a usable history ({err})",
                               "move it away to start a new one") from err
        finally:
            connection.close()

    def _exists(self) -> bool:
        if self.path.is_dir():
            raise HistoryError(self.path, "is a folder", "give the path of a file")
        return self.path.is_file()

    # Readings: what adapts a person's later readings.
    def readings(self, person: str, sense: str) -> np.ndarray:
        """``person``'s earlier readings of ``sense``: their log-probabilities ``(n, 6)``,
        oldest first (none: zero rows)."""
        person, rows = check_person(person), []
        if self._exists():
            with self._connect() as db:
                rows = db.execute("SELECT log_probabilities FROM readings WHERE person = ? AND "
                                  "sense = ? ORDER BY id", (person, sense)).fetchall()
        return np.array([np.frombuffer(r[0], dtype="<f8") for r in rows]
                        ).reshape(len(rows), len(EMOTIONS))

    def add_reading(self, person: str, sense: str, source: str, log_probabilities: np.ndarray,
                    when: datetime) -> int:
        """Keep one reading (``source``: the file's name, not its content); returns its id."""
        person = check_person(person)
        if sense not in SENSES:
            raise ValueError(f"sense must be one of {SENSES}, not {sense!r}")
        log_p = np.asarray(log_probabilities, dtype=np.float64)
        if log_p.shape != (len(EMOTIONS),) or not np.all(np.isfinite(log_p)):
            raise ValueError(f"reading {source!r}: {len(EMOTIONS)} finite log-probabilities "
                             f"expected, got shape {log_p.shape}")
        with self._connect() as db:
            return int(db.execute(
                "INSERT INTO readings (person, time, sense, source, log_probabilities) "
                "VALUES (?, ?, ?, ?, ?)",
                (person, when.isoformat(timespec="seconds"), sense, source,
                 log_p.astype("<f8").tobytes()),
            ).lastrowid)

    # Moods and offers: the page's history and what like/skip learning reads.
    def record(self, person: str, answer: Mapping[str, Any], when: datetime,
               media: Sequence[tuple[str, str, bytes]] = ()) -> int:
        """Keep one answer (the person path's dict) for ``person``; returns its mood id.

        ``media``: ``(kind, file name, bytes)`` of the photos/recordings the person chose to
        keep; nothing of the kind is stored otherwise.
        """
        person = check_person(person)
        for kind, name, _ in media:
            if kind not in MEDIA_KINDS:
                raise ValueError(f"media {name!r}: kind must be one of {MEDIA_KINDS}, not {kind!r}")
        fused = answer["fused"]
        valence, arousal = (float(v) for v in fused["point"])
        with self._connect() as db:
            mood_id = db.execute(
                "INSERT INTO moods (person, time, face_emotion, voice_emotion, emotion, mood, "
                "valence, arousal, goal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (person, when.isoformat(timespec="seconds"), _sense_emotion(answer, "face"),
                 _sense_emotion(answer, "voice"), fused["emotion"], fused["mood"], valence,
                 arousal, answer["goal"]),
            ).lastrowid
            db.executemany(
                "INSERT INTO offers (mood_id, rank, item, title, reason) VALUES (?, ?, ?, ?, ?)",
                [(mood_id, e["rank"], str(e["item"]), e["title"], e.get("reason"))
                 for e in answer["excerpts"]],
            )
            db.executemany("INSERT INTO media (mood_id, kind, name, data) VALUES (?, ?, ?, ?)",
                           [(mood_id, kind, name, data) for kind, name, data in media])
        return int(mood_id)

    def set_feedback(self, person: str, mood_id: int, rank: int, feedback: str | None) -> None:
        """``person``'s ``like`` / ``skip`` (``None``: neither) on one offered item."""
        if feedback is not None and feedback not in FEEDBACK:
            raise ValueError(f"feedback must be one of {FEEDBACK} or None, not {feedback!r}")
        person = check_person(person)
        with self._connect() as db:
            changed = db.execute(
                "UPDATE offers SET feedback = ? WHERE rank = ? AND mood_id = (SELECT id FROM "
                "moods WHERE id = ? AND person = ?)",
                (feedback, rank, mood_id, person)).rowcount
        if not changed:
            raise KeyError(f"history {self.path}: {person} has no offer {rank} in mood {mood_id}")

    def feedback(self, person: str, mood_id: int) -> dict[int, str]:
        """``{rank: like/skip}`` of one of ``person``'s moods."""
        table = self.offers(person)
        rows = table[(table["mood_id"] == mood_id) & table["feedback"].notna()]
        return {int(r): str(f) for r, f in zip(rows["rank"], rows["feedback"], strict=True)}

    def offers(self, person: str) -> pd.DataFrame:
        """Every item offered to ``person``, oldest first: ``mood_id, time, rank, item, title,
        feedback`` (what like/skip learning and the cool-down of repeats read)."""
        return self.table(person)[["mood_id", "time", "rank", "item", "title", "feedback"]
                                  ].dropna(subset=["item"]).reset_index(drop=True)

    def table(self, person: str) -> pd.DataFrame:
        """``person``'s whole history, one row per offered item (:data:`COLUMNS`), oldest first."""
        person = check_person(person)
        if not self._exists():
            return pd.DataFrame(columns=list(COLUMNS))
        with self._connect() as db:
            return pd.read_sql_query(
                "SELECT m.id AS mood_id, m.time, m.face_emotion, m.voice_emotion, m.emotion, "
                "m.mood, m.valence, m.arousal, m.goal, o.rank, o.item, o.title, o.reason, "
                "o.feedback FROM moods m LEFT JOIN offers o ON o.mood_id = m.id "
                "WHERE m.person = ? ORDER BY m.id, o.rank", db, params=(person,))

    def media(self, person: str, mood_id: int) -> list[tuple[str, str, bytes]]:
        """The photos/recordings kept with one of ``person``'s moods: ``(kind, name, bytes)``."""
        if not self._exists():
            return []
        with self._connect() as db:
            return [(k, n, bytes(d)) for k, n, d in db.execute(
                "SELECT kind, name, data FROM media WHERE mood_id = (SELECT id FROM moods WHERE "
                "id = ? AND person = ?) ORDER BY rowid", (mood_id, check_person(person)))]

    def to_csv(self, person: str) -> bytes:
        """``person``'s history as UTF-8 CSV (:meth:`table`), for the page's download button;
        text cells a spreadsheet would run as a formula are written as text."""
        from moodrec.datasets.tables import formula_safe

        buffer = io.StringIO()
        formula_safe(self.table(person)).to_csv(buffer, index=False)
        return buffer.getvalue().encode("utf-8")

    def forget(self, person: str) -> None:
        """Delete every reading, mood, offer, photo and recording of ``person`` and compact the
        file, so nothing deleted can be read back; other persons' rows are untouched."""
        person = check_person(person)
        if not self._exists():
            return
        with self._connect() as db:
            db.execute("DELETE FROM readings WHERE person = ?", (person,))
            db.execute("DELETE FROM moods WHERE person = ?", (person,))  # cascades
        try:
            with contextlib.closing(sqlite3.connect(self.path)) as db:
                db.execute("VACUUM")
        except sqlite3.Error as err:
            raise HistoryError(self.path, f"forgotten, but not compacted ({err})",
                               "run it again when the file is writable") from err
