"""Kedro datasets of the person path.

* :class:`PersonFilesDataset` - the photos or voice clips of one request, named by a runtime
  parameter (``--params face_image=a.jpg`` or several: ``face_image=a.jpg:b.jpg``, separated by
  ``os.pathsep``; a list when given from Python). ``load()`` returns ``{path: loader}``, like
  ``PartitionedDataset``: reading happens when the node calls a loader, so one unreadable file
  is reported (and the other sense used) instead of failing the whole run. No path: ``{}``.
* :class:`PersonRecommendationDataset` - the answer as JSON plus a CSV table of the excerpts
  (same name, ``.csv``; text that a spreadsheet would run as a formula written as text),
  both written to temporary files first and renamed together.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pandas as pd
from kedro.io import AbstractDataset, DatasetError

from moodrec.datasets.atomic_file import atomic_file
from moodrec.datasets.tables import formula_safe
from moodrec.person.errors import UnusableInputError


def split_paths(paths: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """``"a.jpg:b.jpg"`` (``os.pathsep``) or a list -> ``["a.jpg", "b.jpg"]``; ``None``: ``[]``."""
    if paths is None:
        return []
    if isinstance(paths, str):
        items = paths.split(os.pathsep)
    else:
        items = [str(p) for p in paths]
    return [p.strip() for p in items if p and str(p).strip() and str(p).strip().lower() != "none"]


def not_a_file(path: str, what: str) -> str | None:
    """Why ``path`` cannot be read as a person's ``what`` ("photo", "voice clip") file:
    standard input (``-``), a pipe or a device (``/dev/stdin`` fed by a pipe), a folder, or no
    such file; ``None`` for a regular file (``/dev/stdin`` redirected from a file is one)."""
    file = Path(path)
    if path.strip() == "-":
        return (f"{what} -: standard input is not read; save the {what} to a file and give "
                "its path")
    if file.is_dir():
        kind = "an image" if what == "photo" else "an audio"
        return f"{what} {path}: is a folder, not {kind} file"
    if file.exists() and not file.is_file():
        return (f"{what} {path}: not a regular file (a pipe or a device, such as /dev/stdin fed "
                f"by a pipe); save the {what} to a file and give its path")
    if not file.exists():
        return f"{what} {path}: no such file"
    return None


def read_photo_bytes(path: str, max_megabytes: float) -> bytes:
    """The photo file's bytes (at most ``max_megabytes``: ``person.face.max_megabytes``);
    :class:`UnusableInputError` naming it if it cannot be read or is larger."""
    problem = not_a_file(path, "photo")
    if problem:
        raise UnusableInputError(problem)
    limit = int(max_megabytes * 2**20)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise UnusableInputError(f"photo {path}: cannot be read ({err.strerror or err})") from err
    if len(data) > limit:
        raise UnusableInputError(f"photo {path}: larger than {max_megabytes:g} MB "
                                 "(person.face.max_megabytes); send a smaller copy of the photo")
    return data


def read_voice_signal(path: str, sr: int, max_seconds: float | None) -> tuple[Any, list[str]]:
    """The clip's first ``max_seconds`` (``person.voice.max_seconds``; ``None``: all of it) as
    mono float32 at ``sr`` (the training loader, ``moodrec.audio.io.load_audio``), and what
    was assumed: a longer clip cut, a header that does not agree with the data."""
    from moodrec.audio.io import AudioReadError, header_doubt, load_audio

    problem = not_a_file(path, "voice clip")
    if problem:
        raise UnusableInputError(problem)
    file = Path(path)
    if file.stat().st_size == 0:
        raise UnusableInputError(f"voice clip {path}: the file is empty (0 bytes)")
    try:
        seconds, doubt = header_doubt(file)
        signal = load_audio(file, sr=sr, duration=max_seconds)
    except AudioReadError as err:
        reason = str(err).removeprefix(f"{file}: ")
        raise UnusableInputError(
            f"voice clip {path}: not readable as audio ({reason}); use WAV, FLAC, OGG or MP3"
        ) from err
    notes = [f"voice clip {path}: {doubt}; re-save the clip if it sounds wrong"] if doubt else []
    if max_seconds is not None and seconds > max_seconds:
        notes.append(f"voice clip {path}: {seconds:.0f} s long; read its first {max_seconds:g} s "
                     "only (person.voice.max_seconds)")
    return signal, notes


class PersonFilesDataset(AbstractDataset[None, dict[str, Callable[..., Any]]]):
    """The photos (``kind: photo``) or voice clips (``kind: voice``) of one request."""

    def __init__(self, filepath: str | list[str] | None = None, kind: str = "photo",
                 metadata: dict[str, Any] | None = None) -> None:
        if kind not in ("photo", "voice"):
            raise DatasetError(f"PersonFilesDataset kind must be 'photo' or 'voice', not {kind!r}")
        self._paths = split_paths(filepath)
        self._kind = kind
        self.metadata = metadata

    def load(self) -> dict[str, Callable[..., Any]]:
        reader = read_photo_bytes if self._kind == "photo" else read_voice_signal
        return {path: functools.partial(reader, path) for path in self._paths}

    def save(self, data: Any) -> None:
        raise DatasetError("PersonFilesDataset is read-only: it names a person's input files")

    def _exists(self) -> bool:
        return True  # no file named is a valid state: the other sense may be given

    def _describe(self) -> dict[str, Any]:
        return {"kind": self._kind, "paths": self._paths}


class PersonRecommendationDataset(AbstractDataset[dict[str, Any], dict[str, Any]]):
    """A person's answer: ``filepath`` (JSON) and, beside it with the suffix ``.csv``, the table
    of the excerpts (one path, so Kedro makes both absolute alike).

    ``save`` writes both through temporary files in the target folder and renames them only
    when both are complete.
    """

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._json = Path(filepath)
        self._csv = self._json.with_suffix(".csv")
        self.metadata = metadata

    def load(self) -> dict[str, Any]:
        if not self._json.is_file():
            raise DatasetError(f"no person recommendation yet at {self._json}")
        return json.loads(self._json.read_text(encoding="utf-8"))

    def save(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        table = formula_safe(pd.DataFrame(data.get("excerpts", [])))
        # Both files are written before either is moved into place.
        with ExitStack() as stack:
            for target, write in (
                (self._json, lambda h: h.write(text)),
                (self._csv, lambda h: table.to_csv(h, index=False, lineterminator="\n")),
            ):
                tmp = stack.enter_context(atomic_file(target))
                with tmp.open("w", encoding="utf-8", newline="") as handle:
                    write(handle)

    def _exists(self) -> bool:
        return self._json.is_file() and self._csv.is_file()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._json), "table": str(self._csv)}


class VoiceProfileDataset(AbstractDataset[Any, Any]):
    """A person's voice profile (``moodrec calibrate``) as JSON; ``load()`` gives ``None``
    when there is none (no calibration), a :class:`~moodrec.audio.voice_reader.VoiceProfile`
    otherwise. Written atomically: an interrupted calibration leaves the old profile."""

    #: No profile is a valid state (no calibration): :mod:`moodrec.run.inputs_check` skips it.
    may_be_absent = True

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(filepath)
        self.metadata = metadata

    def load(self) -> Any:
        from moodrec.audio.voice_reader import VoiceProfile

        if not self._path.is_file():
            return None
        try:
            return VoiceProfile(**json.loads(self._path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as err:
            raise DatasetError(f"voice profile {self._path} is damaged ({err}); make it again "
                               "with `moodrec calibrate --voice CALM_SPEECH.wav`") from err

    def save(self, data: Any) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(self._path) as tmp:
            tmp.write_text(json.dumps(data.as_dict(), indent=2) + "\n", encoding="utf-8")

    def _exists(self) -> bool:
        return self._path.is_file()

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._path)}


def earlier_readings(path: str | Path, person: str | None) -> dict[str, Any]:
    """What a request is adapted and ranked by: ``person``'s earlier readings per sense and the
    items offered to them (``None``: an anonymous request, no history)."""
    import numpy as np

    from moodrec.core.emotions import EMOTIONS
    from moodrec.person.history import COLUMNS, SENSES, History

    if person is None:
        empty = np.empty((0, len(EMOTIONS)))
        return {"person": None, **{s: empty for s in SENSES},
                "offers": pd.DataFrame(columns=list(COLUMNS))}
    history = History(path)
    return {"person": person, **{s: history.readings(person, s) for s in SENSES},
            "offers": history.offers(person)}


class PersonHistoryDataset(AbstractDataset[Any, dict[str, Any]]):
    """The earlier readings and offers of the person named at run time (``--params
    person=NAME``; none: an anonymous request) from the history file (:mod:`moodrec.person.
    history`). Read-only here: ``moodrec recommend/read --person`` add to the history."""

    may_be_absent = True  # no history yet is a valid state

    def __init__(self, filepath: str, person: str | None,
                 metadata: dict[str, Any] | None = None) -> None:
        self._path, self._person, self.metadata = Path(filepath), person, metadata

    def load(self) -> dict[str, Any]:
        return earlier_readings(self._path, self._person)

    def save(self, data: Any) -> None:
        raise DatasetError("person_history is read-only in a run: `moodrec recommend --person "
                           "NAME` keeps a person's readings")

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._path), "person": self._person}
