"""The whole job: every requested item from a mirror, a local file or its publisher, verified.

Each item is fetched into a temporary file or folder next to its target, verified there, and
only then moved into place. An item that is already present and passes verification is left
alone unless ``force``. A failing item does not stop the others; its :class:`Outcome` says why.
Ctrl-C stops the whole fetch (:mod:`.leftovers`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from moodrec.datasets.atomic_file import atomic_file
from moodrec.fetch.errors import FetchError, VerificationError
from moodrec.fetch.face_source import prepare_face_data
from moodrec.fetch.layout import GROUPS, CsvSpec, FaceSpec, Item, RavdessSpec
from moodrec.fetch.leftovers import ctrl_c_guard, fetch_lock, remove_stale
from moodrec.fetch.ravdess import copy_speech, extract_speech
from moodrec.fetch.sources import Source, Sources
from moodrec.fetch.transfer import (
    atomic_directory,
    copy_file,
    download,
    scratch_file,
)
from moodrec.fetch.verify import sha256, verify

__all__ = ["GROUPS", "Outcome", "fetch_data"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What happened to one item: ``fetched``, ``present`` (kept as it was) or ``failed``."""

    item: Item
    status: str
    detail: str

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def _is_url(location: str) -> bool:
    return "://" in location


def _where(item: Item, *, mirror: Path | None, local: Path | None, source: Source | None) -> str:
    """Where to take ``item`` from: a local path or a URL (as text)."""
    if local is not None:
        if not local.exists():
            raise FetchError(f"{local}: no such file")
        return str(local)
    if mirror is not None:
        for relative in item.mirror_paths:
            if (mirror / relative).exists():
                return str(mirror / relative)
        raise FetchError(
            f"{item.target}: not in the mirror {mirror} (looked for {', '.join(item.mirror_paths)})"
        )
    if source is None or not source.url:
        hint = " or pass --fer2013 PATH" if isinstance(item.spec, FaceSpec) else ""
        hint = " or pass --ravdess-zip PATH" if isinstance(item.spec, RavdessSpec) else hint
        raise FetchError(
            f"{item.target}: no source; set {item.group}.{item.key}.url in "
            f"conf/local/data_sources.yml, use --mirror DIR{hint}"
        )
    return source.url


def _obtain(location: str, out: Path, *, desc: str) -> None:
    """Put the bytes at ``location`` (URL or local file) into ``out``."""
    if _is_url(location):
        download(location, out, desc=desc)
    else:
        copy_file(Path(location), out, desc=desc)


def _fetch_csv(item: Item, location: str, target: Path, strict: bool, source: Source | None) -> str:
    with atomic_file(target) as tmp:
        _obtain(location, tmp, desc=item.target)
        summary = verify(item.spec, tmp, name=item.target, strict=strict)
        if source is not None and source.sha256:
            same = sha256(tmp) == source.sha256.lower()
            summary += "; sha256 " + (
                "matches the reference copy"
                if same
                else "DIFFERS from the reference copy (content verified)"
            )
    return summary


def _fetch_faces(item: Item, location: str, target: Path, strict: bool) -> str:
    with atomic_file(target) as tmp:
        if _is_url(location):
            with scratch_file(target.parent, target.name) as raw:
                download(location, raw, desc=item.target)
                note = prepare_face_data(raw, tmp, name=item.target)
        else:
            note = prepare_face_data(Path(location), tmp, name=item.target)
        summary = verify(item.spec, tmp, name=item.target, strict=strict)
    return f"{summary}; {note}"


def _fetch_voices(item: Item, location: str, target: Path, strict: bool) -> str:
    with atomic_directory(target) as tmp:
        if _is_url(location):
            with scratch_file(target.parent, "ravdess.zip") as raw:
                download(location, raw, desc=item.target)
                extract_speech(raw, tmp, name=item.target)
        elif Path(location).is_dir():
            copy_speech(Path(location), tmp, name=item.target)
        else:
            extract_speech(Path(location), tmp, name=item.target)
        summary = verify(item.spec, tmp, name=item.target, strict=strict)
    return summary


def fetch_item(
    item: Item,
    dest: Path,
    *,
    mirror: Path | None = None,
    local: Path | None = None,
    source: Source | None = None,
    force: bool = False,
    strict: bool = True,
) -> Outcome:
    """Fetch and verify one item (see :func:`fetch_data`)."""
    target = dest / item.target
    stale = ""
    if target.exists() and not force:
        try:
            return Outcome(
                item, "present", verify(item.spec, target, name=item.target, strict=strict)
            )
        except VerificationError as err:
            stale = f" (the copy present failed verification: {err})"
    try:
        location = _where(item, mirror=mirror, local=local, source=source)
        if isinstance(item.spec, CsvSpec):
            detail = _fetch_csv(item, location, target, strict, source)
        elif isinstance(item.spec, FaceSpec):
            detail = _fetch_faces(item, location, target, strict)
        else:
            detail = _fetch_voices(item, location, target, strict)
    except FetchError as err:
        return Outcome(item, "failed", f"{err}{stale}")
    return Outcome(item, "fetched", f"{detail}; from {location}")


def fetch_data(
    dest: Path,
    *,
    mirror: Path | None = None,
    only: Iterable[str] | None = None,
    force: bool = False,
    strict: bool = True,
    fer2013: Path | None = None,
    ravdess_zip: Path | None = None,
    sources: Sources | None = None,
    report: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Put the raw data sets into ``dest`` (``data/01_raw``) and verify them.

    Args:
        dest: the destination folder.
        mirror: a folder laid out like ``../shared/data`` (or like ``data/01_raw``); when
            given, nothing is downloaded.
        only: groups to fetch (``faces``, ``voices``, ``soundtracks``, ``study``); all if None.
        force: fetch again even what is present and verified.
        strict: enforce the published row and file counts (schema is always checked).
        fer2013: a local FER2013 file (``fer2013.csv`` or ``face-data.csv[.gz]``, or an archive
            holding one); takes precedence over the mirror and the URL.
        ravdess_zip: a local ``Audio_Speech_Actors_01-24.zip`` (or a folder of speech files).
        sources: publisher URLs by group and item (see :mod:`moodrec.fetch.sources`).
        report: called with each outcome as soon as it is known.

    Temporaries left in ``dest`` by a fetch that was killed are removed first; one fetch at a
    time writes into ``dest``.

    Raises:
        FetchError: an unknown group in ``only``, or another fetch writing into ``dest``.
            Failures of single items are returned.
        KeyboardInterrupt: Ctrl-C, even where a reader turned it into an error of its own.
    """
    groups = list(GROUPS) if only is None else list(only)
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise FetchError(f"unknown group(s) {', '.join(unknown)}; groups are {', '.join(GROUPS)}")
    sources = sources or {}
    local = {"faces": fer2013, "voices": ravdess_zip}
    outcomes = []
    with fetch_lock(dest), ctrl_c_guard() as stop_if_pressed:
        targets = [item.target for items in GROUPS.values() for item in items]
        for line in remove_stale(dest, targets):
            logger.warning("%s", line)
        for group in groups:
            for item in GROUPS[group]:
                outcome = fetch_item(
                    item,
                    dest,
                    mirror=mirror,
                    local=local.get(group),
                    source=sources.get(group, {}).get(item.key),
                    force=force,
                    strict=strict,
                )
                stop_if_pressed()  # a Ctrl-C that a reader turned into a failed item
                outcomes.append(outcome)
                if report is not None:
                    report(outcome)
    return outcomes
