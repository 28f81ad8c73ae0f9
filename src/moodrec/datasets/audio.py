"""Kedro datasets for audio (beside the project's other datasets: they do I/O only).

* :class:`AudioClipDataset` - one clip file, the partition type of a ``PartitionedDataset``
  of clips: ``load()`` gives its mono samples at the file's own rate, and that rate.
* :class:`AudioFolderDataset` - a folder of clips, loaded lazily: ``load()`` lists the files
  and returns ``{relative path: loader}``; calling a loader reads that clip (see
  :func:`moodrec.audio.io.load_audio`). Loaders are picklable, so worker processes can call them.
* :class:`HyperoptTrialsDataset` - a hyperopt search checkpoint: ``load()`` returns a
  :class:`TrialsCheckpoint` handle that the search node reads once (to resume) and writes after
  every trial (atomically), so an interrupted search loses no finished trial.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
from kedro.io import AbstractDataset, DatasetError

from moodrec.audio.io import AudioReadError, load_audio
from moodrec.datasets.atomic_file import atomic_file


class AudioClipDataset(AbstractDataset[None, tuple[np.ndarray, int]]):
    """``load()``: the clip as :func:`~moodrec.audio.io.load_audio` reads it at the file's own
    sample rate (mono float32), and that rate. A file that is not audio raises
    :class:`~moodrec.audio.io.AudioReadError` (Kedro wraps it in a ``DatasetError``)."""

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._filepath = filepath
        self.metadata = metadata

    def load(self) -> tuple[np.ndarray, int]:
        import soundfile

        try:
            rate = soundfile.info(self._filepath).samplerate
        except (RuntimeError, OSError) as err:  # soundfile.LibsndfileError
            raise AudioReadError(f"{self._filepath}: cannot read as audio ({err})") from err
        return load_audio(self._filepath, sr=rate), rate

    def save(self, data: Any) -> None:
        raise DatasetError("AudioClipDataset is read-only")

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath}


class AudioFolderDataset(AbstractDataset[None, dict[str, Callable[..., Any]]]):
    """Every file under ``path`` (recursively, hidden files excluded), loaded lazily.

    The loader of a file is ``functools.partial(load_audio, file)``; call it with ``sr``,
    ``offset`` and ``duration``. Files of any extension are listed: the consumer decides what
    it can use and reports the rest (``audio_training.clips.extensions``).

    Example catalog entry::

        ravdess_clips:
          type: moodrec.datasets.audio.AudioFolderDataset
          path: data/01_raw/ravdess
    """

    def __init__(self, path: str, metadata: dict[str, Any] | None = None) -> None:
        self._path = Path(path)
        self.metadata = metadata

    def load(self) -> dict[str, Callable[..., Any]]:
        if not self._path.is_dir():
            raise DatasetError(
                f"audio folder {self._path} does not exist (run `moodrec fetch-data`)")
        files = sorted(
            p for p in self._path.rglob("*")
            if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(self._path).parts)
        )
        return {
            str(PurePosixPath(*p.relative_to(self._path).parts)): functools.partial(load_audio, p)
            for p in files
        }

    def save(self, data: Any) -> None:
        raise DatasetError("AudioFolderDataset is read-only")

    def _exists(self) -> bool:
        return self._path.is_dir()

    def _describe(self) -> dict[str, Any]:
        return {"path": str(self._path)}


class TrialsCheckpoint:
    """Read and write one hyperopt search's state (``{"fingerprint", "trials"}``) as a pickle."""

    def __init__(self, filepath: str | Path) -> None:
        self.filepath = Path(filepath)

    def read(self) -> dict[str, Any] | None:
        """The saved state, or ``None`` when there is none yet."""
        if not self.filepath.is_file():
            return None
        try:
            with self.filepath.open("rb") as handle:
                return pickle.load(handle)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as err:
            raise DatasetError(
                f"{self.filepath}: not a readable hyperopt checkpoint ({err}); delete it to "
                "start the search afresh"
            ) from err

    def write(self, state: dict[str, Any]) -> None:
        """Write atomically: a temporary file in the same folder, then rename."""
        with atomic_file(self.filepath) as tmp, tmp.open("wb") as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def __repr__(self) -> str:
        return f"TrialsCheckpoint({str(self.filepath)!r})"


class HyperoptTrialsDataset(AbstractDataset[None, TrialsCheckpoint]):
    """A hyperopt checkpoint file; ``load()`` gives the :class:`TrialsCheckpoint` handle.

    This is the one place the audio pipeline writes from inside a node, on purpose: the catalog
    saves outputs only when a node returns, which would lose every trial of an interrupted
    search. The path stays in the catalog, so kedro-viz shows it and environments redirect it.
    """

    def __init__(self, filepath: str, metadata: dict[str, Any] | None = None) -> None:
        self._filepath = Path(filepath)
        self.metadata = metadata

    def load(self) -> TrialsCheckpoint:
        return TrialsCheckpoint(self._filepath)

    def save(self, data: Any) -> None:
        raise DatasetError("HyperoptTrialsDataset is written by the search, trial by trial")

    def _exists(self) -> bool:
        return True  # the handle exists even before the first trial is written

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath)}
