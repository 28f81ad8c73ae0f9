"""A run's input files are there before its first node runs, or the run stops saying who
makes them.

Without this, ``kedro run --params prediction_source=project`` before training ran the first
``va_mapping`` nodes (writing their outputs), then failed on a ``FileNotFoundError`` deep in
a ``DatasetError``. Now the missing file is named with the command that makes it: the
pipeline that writes a dataset with the same file (``kedro run --pipelines face_training``),
or ``moodrec fetch-data`` for raw data. Inputs that no pipeline writes and that are not raw
data, a search checkpoint the pipeline itself resumes from, and datasets that say they may be
absent (``may_be_absent = True``: the voice profile) are not checked.

Outputs too (:func:`check_outputs`): a run whose output folder is read-only (or a file) stops
before its first node, naming the folder, instead of failing after the nodes before it wrote.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


class MissingInputError(FileNotFoundError):
    """An input file of the run is missing; the message says which command makes it."""


class OutputNotWritableError(PermissionError):
    """An output folder of the run cannot be written; the message names it."""


def dataset_filepath(catalog: Any, name: str) -> str | None:
    """The ``filepath`` (or ``path``) of dataset ``name``'s entry or the dataset factory it
    matches (Kedro's public ``config_resolver``; no dataset is made); ``None`` for an in-memory
    dataset, a parameter, or a dataset not made from configuration."""
    config = catalog.config_resolver.resolve_pattern(name) or {}
    path = config.get("filepath") or config.get("path")
    return str(path) if path else None


def _files(pipeline: Any, catalog: Any) -> set[str]:
    """The absolute paths of ``pipeline``'s file outputs."""
    paths = (dataset_filepath(catalog, name) for name in pipeline.all_outputs())
    return {os.path.abspath(path) for path in paths if path}


def check_inputs(pipeline: Any, catalog: Any,
                 pipelines: Callable[[], Mapping[str, Any]]) -> None:
    """Raise :class:`MissingInputError` with one line per free input of ``pipeline`` whose
    file is missing and that a pipeline or ``moodrec fetch-data`` makes: ``cannot read
    <dataset>: no file <path>; <how>``. ``pipelines`` (the registered ones; it builds every
    pipeline) is called only for a missing file outside the raw data."""
    own, problems = _files(pipeline, catalog), []
    registered: dict[str, set[str]] | None = None
    for name in sorted(pipeline.inputs()):
        path = dataset_filepath(catalog, name)
        if (path is None or getattr(catalog.get(name), "may_be_absent", False)
                or catalog.exists(name) or os.path.abspath(path) in own):
            continue
        if "01_raw" in Path(path).parts:
            problems.append(f"cannot read {name}: no file {path}; fetch the raw data with "
                            "`moodrec fetch-data`")
            continue
        if registered is None:  # not __default__ nor all, which only gather others
            registered = {n: _files(p, catalog) for n, p in pipelines().items()
                          if n not in ("__default__", "all") and p is not None}
        makers = [n for n, files in registered.items() if os.path.abspath(path) in files]
        if makers:
            problems.append(f"cannot read {name}: no file {path}; make it with " + " or ".join(
                f"`kedro run --pipelines {n}`" for n in makers))
    if problems:
        raise MissingInputError("\n".join(problems))


def _unwritable(path: str) -> str | None:
    """Why a file cannot be written at ``path`` (its nearest existing folder is read-only or
    is a file), or ``None``."""
    folder = Path(path).absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    return None if os.access(folder, os.W_OK | os.X_OK) else f"the folder {folder} is read-only"


def check_outputs(pipeline: Any, catalog: Any) -> None:
    """Raise :class:`OutputNotWritableError` naming each folder the file outputs of
    ``pipeline`` cannot be written to, with the datasets written there."""
    blocked: dict[str, list[str]] = {}
    for name in sorted(pipeline.all_outputs()):
        path = dataset_filepath(catalog, name)
        why = _unwritable(path) if path else None
        if why:
            blocked.setdefault(why, []).append(name)
    if blocked:
        raise OutputNotWritableError("\n".join(
            f"cannot write {', '.join(names)}: {why}; make it writable (chmod u+w) or write "
            "elsewhere (output_root in conf/local/globals.yml)" for why, names in blocked.items()))
