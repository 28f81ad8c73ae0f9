"""Where the moodrec Kedro project is, for the ``moodrec`` commands."""

from __future__ import annotations

from pathlib import Path

from kedro.utils import find_kedro_project


def project_root(start: Path | None = None) -> Path | None:
    """The Kedro project at or above ``start`` (default: the working folder); else the
    checkout this package was installed from (an editable install); else ``None``."""
    found = find_kedro_project(Path(start or Path.cwd()).resolve())
    if found is not None:
        return Path(found)
    checkout = Path(__file__).resolve().parents[2]
    return checkout if find_kedro_project(checkout) == checkout else None
