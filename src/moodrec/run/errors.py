"""Short messages for the project's own errors (``kedro run``, ``moodrec recommend``).

An error raised by the project's code (its class is defined in a ``moodrec`` module:
``BadInputError``, ``RunChoiceError``, ``PersonInputError``, ``MissingInputError``, the
datasets' file errors ...) already names the dataset or parameter, the column and the row:
a 200-line traceback only hides that line. :func:`short_message` finds such an error in an
exception's chain (Kedro wraps a dataset's error as ``DatasetError('<name>: ...')``); any
other error (a bug, a library's) gives ``None`` and keeps its traceback.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

#: Where ``kedro run`` keeps the full traceback of an error it reports in one message.
TRACEBACK_FILE = Path("logs") / "kedro_run_error.log"


def project_error(err: BaseException | None) -> BaseException | None:
    """The first error in ``err``'s chain (itself, its cause, its context ...) whose class
    the project defines; ``None`` when there is none."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if type(err).__module__.partition(".")[0] == "moodrec":
            return err
        err = err.__cause__ or err.__context__
    return None


def short_message(err: BaseException) -> str | None:
    """The message of the project's error in ``err``'s chain, with the dataset name Kedro put
    in front of it and the notes added to it (the node's input files: :mod:`moodrec.run.hooks`);
    ``None`` for an error the project did not raise."""
    own = project_error(err)
    if own is None:
        return None
    outer, inner = str(err).strip(), str(own).strip()
    message = outer if inner and outer.endswith(inner) else inner or type(own).__name__
    notes = dict.fromkeys([*getattr(own, "__notes__", []), *getattr(err, "__notes__", [])])
    return "\n".join([message, *notes])


def write_traceback(err: BaseException, root: Path) -> Path:
    """Write ``err``'s full traceback (with the time and the command) to
    ``root / TRACEBACK_FILE``, replacing the last one; returns the file."""
    path = root / TRACEBACK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(err))
    path.write_text(f"{stamp}  {' '.join(sys.argv)}\n\n{text}", encoding="utf-8")
    return path
