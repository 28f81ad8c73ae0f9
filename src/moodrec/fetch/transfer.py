"""Downloads and copies with progress bars, written so that no half-written file remains.

Everything is first written to a hidden temporary file or folder next to its target
(``.name.XXXX.part``), checked by the caller, and only then moved into place with
:func:`os.replace`. On any error, or Ctrl-C, the temporary is removed and an existing target
is left as it was.
"""

from __future__ import annotations

import http.client
import os
import shutil
import stat
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm.auto import tqdm

from moodrec.datasets.atomic_file import umask
from moodrec.fetch.errors import FetchError

_BLOCK = 1 << 20
_USER_AGENT = "moodrec-fetch-data/0.1 (python urllib)"
TIMEOUT_S = 60


def _make_writable(path: Path) -> None:
    """Let :func:`shutil.rmtree` delete a tree copied from a read-only mirror."""
    for folder, _, _ in os.walk(path):
        os.chmod(folder, os.stat(folder).st_mode | stat.S_IWUSR | stat.S_IXUSR)


def remove_tree(path: Path) -> None:
    if path.exists():
        _make_writable(path)
        shutil.rmtree(path)


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """A temporary folder next to ``target``; it replaces ``target`` if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part"))
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~umask())
        moved_old = target.exists()
        if moved_old:
            os.replace(target, old)
        try:
            os.replace(tmp, target)
        except OSError:
            if moved_old:
                os.replace(old, target)
            raise
    finally:
        remove_tree(tmp)
        remove_tree(old)


def _bar(desc: str, total: int | None) -> tqdm:
    return tqdm(
        total=total,
        desc=desc,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        leave=False,
        disable=None,
    )


def download(url: str, out: Path, *, desc: str) -> int:
    """Download ``url`` (http, https or file) into ``out``; returns the bytes received.

    Raises:
        FetchError: HTTP error status, unreachable host, or fewer bytes than the server's
            ``Content-Length`` (a truncated download).
    """
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    received = 0
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            with open(out, "wb") as fh, _bar(desc, total) as bar:
                for block in iter(lambda: response.read(_BLOCK), b""):
                    fh.write(block)
                    received += len(block)
                    bar.update(len(block))
    except urllib.error.HTTPError as err:
        raise FetchError(f"{url}: HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        raise FetchError(f"{url}: cannot reach it ({err.reason})") from None
    except (http.client.HTTPException, ConnectionError, TimeoutError) as err:
        raise FetchError(f"{url}: download broken off after {received:,} bytes ({err!r})") from None
    if total is not None and received != total:
        raise FetchError(f"{url}: truncated download, {received:,} of {total:,} bytes received")
    return received


def copy_file(source: Path, out: Path, *, desc: str) -> int:
    """Copy ``source`` to ``out`` (not its permissions) with a progress bar."""
    size = source.stat().st_size
    with open(source, "rb") as src, open(out, "wb") as dst, _bar(desc, size) as bar:
        for block in iter(lambda: src.read(_BLOCK), b""):
            dst.write(block)
            bar.update(len(block))
    return size


def copy_files(pairs: list[tuple[Path, Path]], *, desc: str) -> None:
    """Copy many files (``(source, destination)`` pairs) with one progress bar over files."""
    for source, out in tqdm(pairs, desc=desc, unit=" files", leave=False, disable=None):
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, out)


@contextmanager
def scratch_file(folder: Path, name: str) -> Iterator[Path]:
    """A hidden temporary file in ``folder`` that is always removed afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, path = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".download")
    os.close(fd)
    try:
        yield Path(path)
    finally:
        Path(path).unlink(missing_ok=True)
