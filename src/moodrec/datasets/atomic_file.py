"""Files written so that no half-written one remains, with the usual permissions.

Everything is first written to a hidden temporary next to its target (``.name.XXXX.part``)
and moved into place with :func:`os.replace` only when the writing block succeeded; on any
error, or Ctrl-C, the temporary is removed and an existing target is left as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def umask() -> int:
    """The process's file-creation mask (read without changing it)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """A temporary path next to ``target``; moved onto ``target`` if the block succeeds.

    The file gets the permissions a plain ``open(..., "w")`` would give (``mkstemp`` alone
    makes owner-only files).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~umask())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
