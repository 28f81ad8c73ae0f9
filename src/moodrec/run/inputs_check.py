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

from moodrec.run.catalog_files import dataset_filepath

RAW_FOLDER = "01_raw"


class MissingInputError(FileNotFoundError):
    """An input file of the run is missing; the message says which command makes it."""


class OutputNotWritableError(PermissionError):
    """An output folder of the run cannot be written; the message names it."""


def _same_file(a: str, b: str) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def makers(filepath: str, catalog: Any, pipelines: Mapping[str, Any]) -> list[str]:
    """Names of the registered pipelines (not ``__default__`` nor ``all``, which only gather
    others) with an output dataset whose file is ``filepath``."""
    found = []
    for name, pipeline in pipelines.items():
        if name in ("__default__", "all") or pipeline is None:
            continue
        outputs = (dataset_filepath(catalog, out) for out in pipeline.all_outputs())
        if any(path and _same_file(path, filepath) for path in outputs):
            found.append(name)
    return found


def how_to_make(filepath: str, catalog: Any, pipelines: Mapping[str, Any]) -> str | None:
    """The command that makes a missing input file, or ``None`` (it may be absent)."""
    if RAW_FOLDER in Path(filepath).parts:
        return "fetch the raw data with `moodrec fetch-data`"
    names = makers(filepath, catalog, pipelines)
    if names:
        return "make it with " + " or ".join(f"`kedro run --pipelines {n}`" for n in names)
    return None


def missing_inputs(
    pipeline: Any, catalog: Any, pipelines: Callable[[], Mapping[str, Any]]
) -> list[str]:
    """One line per free input of ``pipeline`` whose file is missing and that a pipeline or
    ``moodrec fetch-data`` makes: ``cannot read <dataset>: no file <path>; <how>``.
    ``pipelines`` is called (it builds every pipeline) only for a missing file outside the
    raw data."""
    own = [dataset_filepath(catalog, out) for out in pipeline.all_outputs()]
    problems: list[str] = []
    registered: Mapping[str, Any] = {}
    for name in sorted(pipeline.inputs()):
        path = dataset_filepath(catalog, name)
        if (path is None or getattr(catalog.get(name), "may_be_absent", False)
                or catalog.exists(name) or any(p and _same_file(p, path) for p in own)):
            continue
        if not registered and RAW_FOLDER not in Path(path).parts:
            registered = pipelines()
        how = how_to_make(path, catalog, registered)
        if how is not None:
            problems.append(f"cannot read {name}: no file {path}; {how}")
    return problems


def check_inputs(pipeline: Any, catalog: Any,
                 pipelines: Callable[[], Mapping[str, Any]]) -> None:
    """Raise :class:`MissingInputError` listing :func:`missing_inputs`, if any."""
    problems = missing_inputs(pipeline, catalog, pipelines)
    if problems:
        raise MissingInputError("\n".join(problems))


def unwritable(path: str) -> str | None:
    """Why a file cannot be written at ``path`` (its nearest existing folder is read-only or
    is a file), or ``None``."""
    folder = Path(path).absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is read-only"
    return None


def check_outputs(pipeline: Any, catalog: Any, leave_out: tuple[str, ...] = ()) -> None:
    """Raise :class:`OutputNotWritableError` naming each folder the file outputs of
    ``pipeline`` (but ``leave_out``) cannot be written to, with the datasets written there."""
    blocked: dict[str, list[str]] = {}
    for name in sorted(set(pipeline.all_outputs()) - set(leave_out)):
        path = dataset_filepath(catalog, name)
        why = unwritable(path) if path else None
        if why:
            blocked.setdefault(why, []).append(name)
    if blocked:
        raise OutputNotWritableError("\n".join(
            f"cannot write {', '.join(names)}: {why}; make it writable (chmod u+w) or write "
            "elsewhere (output_root in conf/local/globals.yml)" for why, names in blocked.items()))
