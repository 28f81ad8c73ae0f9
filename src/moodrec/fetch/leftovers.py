"""What a stopped fetch leaves behind, and Ctrl-C itself.

* :func:`fetch_lock`: one fetch at a time into a destination (an advisory lock on
  ``DEST/.fetch-data.lock``). Holding it, every temporary of a fetch found in ``DEST`` is
  known to be stale: no other fetch is writing it.
* :func:`remove_stale`: removes the temporaries a killed fetch left (a killed process runs no
  clean-up): ``.<target>.XXXX.part`` files or folders and ``.XXXX.download`` scratch files;
  a ``.<target>.PID.old`` copy moved aside just before its replacement is put back when the
  target is missing, else removed.
* :func:`ctrl_c_guard`: remembers a Ctrl-C, so that the fetch stops even where a library
  turned the ``KeyboardInterrupt`` into an error of its own (a reader's "not a readable CSV
  file"), which would otherwise count as one failed item and let the fetch go on.
"""

from __future__ import annotations

import fcntl
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from moodrec.fetch.errors import FetchError
from moodrec.fetch.transfer import remove_tree

LOCK_NAME = ".fetch-data.lock"
TEMPORARY_SUFFIXES = (".part", ".download", ".old")


@contextmanager
def fetch_lock(dest: Path) -> Iterator[None]:
    """Hold ``dest``'s fetch lock for the block.

    Raises:
        FetchError: another fetch holds it.
    """
    dest.mkdir(parents=True, exist_ok=True)
    handle = os.open(dest / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)  # never written to
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(
                f"{dest}: another moodrec fetch-data is writing into it; let it finish first"
            ) from None
        yield
    finally:
        os.close(handle)


def stale_temporaries(dest: Path, targets: Iterable[str]) -> list[tuple[Path, Path]]:
    """``(temporary, its target)`` for the hidden temporaries of ``targets`` (paths relative
    to ``dest``) found in ``dest``."""
    found: dict[Path, Path] = {}
    for target in targets:
        path = dest / target
        if path.parent.is_dir():
            found |= {p: path for p in path.parent.glob(f".{path.name}.*")
                      if p.name.endswith(TEMPORARY_SUFFIXES)}
    return sorted(found.items())


def remove_stale(dest: Path, targets: Iterable[str]) -> list[str]:
    """Remove (or put back, see above) the stale temporaries of ``targets``; call it holding
    :func:`fetch_lock`. Returns one line per temporary, saying what was done."""
    done = []
    for path, target in stale_temporaries(dest, targets):
        if path.suffix == ".old" and not target.exists():
            os.replace(path, target)
            done.append(f"put back {target}, moved aside by a fetch that was stopped")
            continue
        if path.is_dir():
            remove_tree(path)
        else:
            path.unlink(missing_ok=True)
        done.append(f"removed {path}, left by a fetch that was stopped")
    return done


@contextmanager
def ctrl_c_guard() -> Iterator[Callable[[], None]]:
    """Yield ``stop_if_pressed()``, which raises ``KeyboardInterrupt`` if Ctrl-C (SIGINT)
    came during the block, whatever became of the first ``KeyboardInterrupt``. Outside the
    main thread (where no signal handler can be set) it never raises."""
    pressed: list[int] = []

    def stop_if_pressed() -> None:
        if pressed:
            raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield stop_if_pressed
        return

    def handler(signum: int, frame: Any) -> None:
        pressed.append(signum)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield stop_if_pressed
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
