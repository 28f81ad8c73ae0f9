"""One question of the page to the person path, without Streamlit: what was given in, what
came back, and which message belongs next to which input.

The person's photos and recordings arrive as bytes. They are written to a private temporary
folder only while the person path reads them (it reads files, as ``moodrec recommend`` does),
and the folder is removed before the answer is shown. The person path names an input by its
file in every message (``photo /tmp/.../me.jpg: no face found ...``); those paths are put back
to the names the person knows (``photo me.jpg: ...``), and each message is placed next to the
input it is about.
"""

from __future__ import annotations

import logging
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from moodrec.page.service import SharedService
from moodrec.person.errors import ModelFileError, PersonInputError, UnusableInputError
from moodrec.person.history import HistoryError

logger = logging.getLogger(__name__)

#: The page's inputs: photos for the face, clips for the voice.
SLOTS: tuple[str, ...] = ("photo", "voice")
NOTHING_GIVEN = ("Take or upload a photo and/or record or upload a voice clip, then ask "
                 "again.")


@dataclass(frozen=True)
class Upload:
    """One input as the page received it: which slot, the name the person knows, the bytes."""

    slot: str
    name: str
    data: bytes


@dataclass
class Outcome:
    """What the page shows after asking: the answer (or ``None``), the messages placed next to
    each slot (``notes``), the messages about the request as a whole (``general``), and why
    the history could not be used (``history``, shown next to it)."""

    answer: dict[str, Any] | None
    notes: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SLOTS})
    general: list[str] = field(default_factory=list)
    history: str | None = None


def safe_name(name: str, fallback: str) -> str:
    """A file name without folders or odd characters (the suffix kept: it tells the reader
    what kind of file to expect)."""
    cleaned = re.sub(r"[^\w.\- ]+", "_", Path(name).name).strip(" .")
    return cleaned or fallback


def place_messages(messages: list[str], files: dict[Path, Upload], outcome: Outcome) -> None:
    """Each message next to the input whose file it names (that file's path replaced by the
    name the person knows); a message naming no input goes to ``outcome.general``."""
    for message in messages:
        slot = None
        for path, upload in files.items():
            if str(path) in message:
                message, slot = message.replace(str(path), upload.name), upload.slot
        (outcome.notes[slot] if slot else outcome.general).append(message)


def _answer(service: SharedService, photos: list[Path], clips: list[Path], goal: str,
            top_k: int, person: str, media: list[tuple[str, str, bytes]]
            ) -> tuple[dict[str, Any], str | None]:
    """``person``'s answer (``media`` kept with it), and ``None``; when their history cannot
    be used, the answer without it (not adapted, not kept) and why."""
    try:
        return service.answer(photos, clips, goal, top_k, person, media), None
    except HistoryError as err:
        return service.answer(photos, clips, goal, top_k, None, []), str(err)


def ask(service: SharedService, uploads: list[Upload], goal: str, top_k: int,
        person: str, keep_media: bool = False) -> Outcome:
    """The person path's answer to ``uploads`` for ``person`` (the uploads kept in their
    history when ``keep_media``); never raises for the person's input, a model or a history
    problem: every message is in the :class:`Outcome`."""
    if not uploads:
        return Outcome(None, general=[NOTHING_GIVEN])
    with tempfile.TemporaryDirectory(prefix="moodrec-page-") as folder:
        files: dict[Path, Upload] = {}
        for number, upload in enumerate(uploads):
            if upload.slot not in SLOTS:
                raise ValueError(f"unknown input slot {upload.slot!r}; known: {SLOTS}")
            path = Path(folder) / f"{number}-{upload.slot}" / safe_name(upload.name, upload.slot)
            path.parent.mkdir()
            path.write_bytes(upload.data)
            files[path] = upload
        photos = [p for p, u in files.items() if u.slot == "photo"]
        clips = [p for p, u in files.items() if u.slot == "voice"]
        try:
            media = [(u.slot, u.name, u.data) for u in uploads] if keep_media else []
            answer, history_problem = _answer(service, photos, clips, goal, top_k, person, media)
        except PersonInputError as err:
            outcome = Outcome(None)
            place_messages(err.problems, files, outcome)
            outcome.general.insert(0, str(err).splitlines()[0])
            return outcome
        except (UnusableInputError, ModelFileError) as err:
            outcome = Outcome(None)
            place_messages([str(err)], files, outcome)
            return outcome
        except Exception as err:  # a dataset or setting of the project: said, page stays up
            from moodrec.run.errors import short_message

            logger.exception("the person path failed")
            return Outcome(None, general=[short_message(err) or f"{type(err).__name__}: {err}"])
    names = {str(path): upload.name for path, upload in files.items()}
    for reading in answer["senses"].values():  # the temporary files are gone: their names
        for item in reading["inputs"]:
            item["file"] = names.get(str(item.get("file")), item.get("file"))
    outcome = Outcome(answer, history=history_problem)
    problems = [p for reading in answer["senses"].values() for p in reading["problems"]]
    place_messages(problems + list(answer.get("warnings", [])), files, outcome)
    return outcome
