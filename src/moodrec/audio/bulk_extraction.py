"""Voice features of every clip of a folder of any size, a batch of clips per task.

Each clip goes through :func:`moodrec.audio.extraction.clip_rows`, unchanged: the function that
makes the training features (read, check that it is speech, trim, level, feature set; plus
seeded augmented copies when asked). A task is :func:`extract_batch` over a few clips: it
calls the clips' loaders, so the files are read where the task runs (a Dask worker, or this
process). :func:`feature_tables` joins the tasks' results into one table and the list of
clips that gave none, with the reason.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from moodrec.audio.extraction import clip_rows
from moodrec.core.checks import BadInputError

#: The refused files' table: the file (relative to the folder) and why it gave no features.
REFUSED_COLUMNS = ["file", "reason"]

Clip = tuple[str, Callable[..., np.ndarray]]
Result = tuple[list[str], np.ndarray, list[str]] | str


def extraction_settings(features: Mapping[str, Any], augmented_copies: Any) -> dict[str, Any]:
    """Training's feature settings with ``augmented_copies`` copies per clip (0: the
    recordings only)."""
    if isinstance(augmented_copies, bool) or not isinstance(augmented_copies, int) \
            or augmented_copies < 0:
        raise BadInputError(f"parameters voice_features.augmented_copies = {augmented_copies!r}: "
                            "must be a whole number >= 0")
    settings = copy.deepcopy(dict(features))
    settings["augmentation"]["copies"] = augmented_copies
    return settings


def split_by_extension(files: Sequence[str], extensions: Sequence[str]
                       ) -> tuple[list[str], list[tuple[str, str]]]:
    """The files with one of ``extensions`` (sorted), and the others with the reason."""
    wanted = {e.lower() for e in extensions}
    kept, refused = [], []
    for file in sorted(files):
        suffix = PurePosixPath(file).suffix.lower()
        if suffix in wanted:
            kept.append(file)
        else:
            refused.append((file, f"extension {suffix or '(none)'} is not one of "
                                  f"{sorted(wanted)}"))
    return kept, refused


def batches(items: Sequence[Any], size: int) -> list[list[Any]]:
    """``items`` in consecutive batches of ``size`` (the last one shorter)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise BadInputError(f"parameters voice_features.clips_per_task = {size!r}: must be a "
                            "whole number >= 1")
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def extract_batch(clips: Sequence[Clip], settings: Mapping[str, Any]) -> list[Result]:
    """One task: :func:`clip_rows` of each clip (its relative path is its id, which seeds its
    augmented copies)."""
    return [clip_rows(load, file, settings) for file, load in clips]


def feature_tables(files: Sequence[str], results: Sequence[Result],
                   refused: Sequence[tuple[str, str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The features (``file``, ``variant``, then one column per feature; one row per clip and
    variant, in file order) and the refused files (:data:`REFUSED_COLUMNS`)."""
    frames, names, refusals = [], None, list(refused)
    for file, result in zip(files, results, strict=True):
        if isinstance(result, str):
            refusals.append((file, result))
            continue
        variants, values, names = result
        frame = pd.DataFrame(values, columns=names)
        frame.insert(0, "variant", variants)
        frame.insert(0, "file", file)
        frames.append(frame)
    refusals_table = pd.DataFrame(refusals, columns=REFUSED_COLUMNS)
    if not frames:
        raise ValueError(f"no clip gave features ({len(refusals)} refused), e.g. "
                         f"{refusals[:3]}")
    return pd.concat(frames, ignore_index=True), refusals_table.sort_values(
        "file", ignore_index=True)
