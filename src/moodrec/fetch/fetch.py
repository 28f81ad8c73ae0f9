"""The whole job: every requested item from a local file, a mirror or its publisher, checked.

Downloads are pooch's (the known sha256 enforced, a temporary file until complete, a progress
bar); archives are unpacked with pooch's ``Unzip``/``Untar``, only the members the item's
``files`` pattern names. Each item is written to ``.<target>.part`` next to its target,
checked there, and only then moved into place, so a failed fetch leaves the copy in place as
it was. One fetch at a time writes into a destination (a ``filelock`` lock); what a killed
fetch left is cleaned up by the next.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import sys
import tarfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import filelock
import pooch
from tqdm.auto import tqdm

from moodrec.fetch.faces import prepare_face_data
from moodrec.fetch.sources import FetchError, Item, Sources, VerificationError
from moodrec.fetch.verify import verify

LOCK = ".fetch-data.lock"
SCRATCH = ".downloads"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchResult:
    """What became of one item: ``fetched``, ``present`` (checked, kept) or ``failed``."""

    name: str
    target: str
    status: str
    detail: str

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _clean(dest: Path) -> None:
    """Remove what a killed fetch left (``.part``, the scratch folder); put back a folder it
    had moved aside (``.old``) when its replacement never arrived."""
    _remove(dest / SCRATCH)
    for path in [*dest.rglob(".*.part"), *dest.rglob(".*.old")]:
        target = path.with_name(path.name[1:].rsplit(".", 1)[0])
        restore = path.suffix == ".old" and not target.exists()
        if restore:
            os.replace(path, target)
        else:
            _remove(path)
        logger.warning("%s: left by a fetch that was stopped; %s", path,
                       f"put back as {target}" if restore else "removed")


@contextmanager
def _ctrl_c() -> Iterator[list[int]]:
    """Remembers a Ctrl-C, so that the fetch stops even where a reader turned the
    ``KeyboardInterrupt`` into an error of its own (one failed item, and the fetch went on)."""
    pressed: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield pressed
        return

    def handler(signum: int, frame: object) -> None:
        pressed.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)


@contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """``.<target>.part`` to write into; it replaces ``target`` when the block succeeds."""
    tmp, old = (target.with_name(f".{target.name}.{suffix}") for suffix in ("part", "old"))
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove(tmp)
    try:
        yield tmp
        if target.is_dir():
            os.replace(target, old)
        os.replace(tmp, target)
    finally:
        _remove(tmp)
        if target.exists():
            _remove(old)


def _relative(path: str, pattern: str) -> str | None:
    """The end of ``path`` (an archive member, a file in a mirror) that matches an item's
    ``files`` pattern (its path in the item's folder), or ``None``: the member filter."""
    match = re.search(rf"(?:^|/)({pattern})$", path)
    return match[1] if match and ".." not in path.split("/") else None


def _download(url: str, item: Item, folder: Path) -> Path:
    try:
        return Path(pooch.retrieve(url, known_hash=item.sha256, path=folder,
                                   progressbar=sys.stderr.isatty()))
    except ValueError as err:  # pooch: the sha256 differs from the known one
        raise VerificationError(f"{url}: {err}") from None
    except OSError as err:  # requests' errors: an HTTP status, no connection, broken off
        raise FetchError(f"{url}: {err}") from None


def _unpack(archive: Path, pattern: str, folder: Path) -> dict[str, Path]:
    """Unpack the members of ``archive`` that ``pattern`` names; ``{path in the item: file}``."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                names, unpack = zf.namelist(), pooch.Unzip
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as tf:
                names, unpack = tf.getnames(), pooch.Untar
        else:
            raise FetchError(f"{archive}: not a zip or tar archive")
        members = {m: rel for m in names if (rel := _relative(m, pattern))}
        if members:
            unpack(members=list(members), extract_dir=str(folder))(str(archive), "download", None)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError) as err:
        raise FetchError(f"{archive}: corrupt or truncated archive ({err})") from None
    return {rel: folder / member for member, rel in members.items()}


def _install(item: Item, source: Path, tmp: Path, scratch: Path) -> str:
    """Put ``item`` from ``source`` (a file, folder or archive) into ``tmp``; says how."""
    if item.splits is not None:
        return prepare_face_data(source, tmp, scratch)
    if item.files is None:
        shutil.copyfile(source, tmp)
        return "copied"
    if source.is_dir():
        found = {rel: path for path in sorted(source.rglob("*"))
                 if path.is_file() and (rel := _relative(path.relative_to(source).as_posix(),
                                                         item.files))}
    else:
        found = _unpack(source, item.files, scratch)
    if not found:
        raise FetchError(f"{source}: no file in it matches {item.files}")
    for rel, path in tqdm(found.items(), desc=item.target, unit=" files", leave=False,
                          disable=None):
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, tmp / rel)
    return f"{len(found):,} files copied"


def _source(item: Item, mirror: Path | None, local: Path | None) -> str:
    if local is not None:
        return str(local)
    if mirror is not None:
        for place in (mirror / item.mirror, mirror / item.target):
            if place.exists():
                return str(place)
        raise FetchError(f"not in the mirror {mirror} (looked for {item.mirror}, {item.target})")
    if not item.url:
        raise FetchError("no public URL is known: download it from its publisher (docs/data.md) "
                         "and give it with --file NAME=PATH, or use --mirror DIR")
    return item.url


def fetch_item(name: str, item: Item, dest: Path, *, mirror: Path | None, local: Path | None,
               force: bool, strict: bool) -> FetchResult:
    """Fetch ``item`` into ``dest`` unless it is there and passes its check (or ``force``)."""
    target = dest / item.target
    replacing = ""
    if target.exists() and not force:
        try:
            return FetchResult(name, item.target, "present",
                               verify(item, target, name=item.target, strict=strict))
        except VerificationError as err:
            replacing = f" (the copy in place failed its check: {err})"
    scratch = dest / SCRATCH / name
    try:
        source = _source(item, mirror, local)
        with _staged(target) as tmp:
            path = _download(source, item, scratch) if "://" in source else Path(source)
            if not path.exists():
                raise FetchError(f"{path}: no such file or folder")
            note = _install(item, path, tmp, scratch / "unpacked")
            summary = verify(item, tmp, name=item.target, strict=strict)
    except (FetchError, OSError) as err:  # OSError: writing it (a full disk, no permission)
        return FetchResult(name, item.target, "failed", f"{err}{replacing}")
    finally:
        _remove(scratch)
    return FetchResult(name, item.target, "fetched", f"{summary}; {note} from {source}{replacing}")


def fetch_data(dest: Path, sources: Sources, *, mirror: Path | None = None,
               local: dict[str, Path] | None = None, only: list[str] | None = None,
               force: bool = False, strict: bool = True,
               report: Callable[[FetchResult], None] | None = None) -> list[FetchResult]:
    """Put the raw data sets into ``dest`` (``data/01_raw``) and check them.

    Args:
        sources: the items by group (:func:`moodrec.fetch.sources.load_sources`).
        mirror: a folder laid out like ``../shared/data`` (or like ``data/01_raw``); nothing
            is downloaded.
        local: item name -> a local file, archive or folder, taken before the mirror or URL.
        only: groups to fetch (all if None); ``force``: fetch even what is present and
            checked; ``strict``: the published counts too, not only names and hashes.
        report: called with each result as soon as it is known.

    Raises:
        FetchError: an unknown group or item name, or another fetch writing into ``dest``.
            A failing item does not stop the others; its result says why.
        KeyboardInterrupt: Ctrl-C, even where a reader turned it into an error of its own.
    """
    groups, local = list(sources) if only is None else only, local or {}
    names = {name for items in sources.values() for name in items}
    unknown = sorted(set(groups) - set(sources)) + sorted(set(local) - names)
    if unknown:
        raise FetchError(f"unknown group or item {unknown}; groups are {list(sources)}, items "
                         f"{sorted(names)}")
    pooch.get_logger().setLevel(logging.WARNING)  # not a line per unpacked member
    dest.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        with filelock.FileLock(dest / LOCK, timeout=0), _ctrl_c() as pressed:
            _clean(dest)
            try:
                for group in groups:
                    for name, item in sources[group].items():
                        result = fetch_item(name, item, dest, mirror=mirror, force=force,
                                            local=local.get(name), strict=strict)
                        if pressed:
                            raise KeyboardInterrupt
                        results.append(result)
                        if report is not None:
                            report(result)
            finally:
                _remove(dest / SCRATCH)
    except filelock.Timeout:
        raise FetchError(f"{dest}: another moodrec fetch-data is writing into it; let it "
                         "finish first") from None
    return results
