"""Where the moodrec Kedro project is, for the ``moodrec`` commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from kedro.utils import find_kedro_project


class ProjectNotFoundError(FileNotFoundError):
    """No Kedro project where one was asked for (``--project-dir``) or could be found."""


class Project(NamedTuple):
    """The project a command works in; ``note`` says why, when it is not the obvious one."""

    root: Path
    note: str | None = None


def _kedro_project(folder: Path) -> Path | None:
    found = find_kedro_project(Path(folder).expanduser().resolve())
    return Path(found) if found is not None else None


def installed_checkout() -> Path | None:
    """The checkout this package was installed from (editable), if it is a Kedro project."""
    checkout = Path(__file__).resolve().parents[3]
    return checkout if _kedro_project(checkout) == checkout else None


def locate_project(explicit: Path | None = None, cwd: Path | None = None) -> Project:
    """The project given (``--project-dir``: it, or a folder above it, must be a Kedro
    project), else the one at or above ``cwd`` (default: the working folder), else the
    installed checkout, with a note naming it.

    Raises:
        ProjectNotFoundError: ``explicit`` is not in a Kedro project, or none can be found.
    """
    if explicit is not None:
        found = _kedro_project(explicit)
        if found is None:
            raise ProjectNotFoundError(
                f"--project-dir {explicit}: not a Kedro project (no pyproject.toml with a "
                "[tool.kedro] section in it or above it); give the moodrec project's folder"
            )
        return Project(found)
    where = Path(cwd or Path.cwd())
    found = _kedro_project(where)
    if found is not None:
        return Project(found)
    checkout = installed_checkout()
    if checkout is None:
        raise ProjectNotFoundError(
            f"no moodrec Kedro project at {where} or above it, and moodrec is not installed "
            "from one; run it from the project folder"
        )
    return Project(checkout, f"no Kedro project at {where} or above it: using the moodrec "
                             f"project {checkout} (where moodrec is installed from)")


def project_root(start: Path | None = None) -> Path | None:
    """:func:`locate_project`'s root around ``start``, or ``None``."""
    try:
        return locate_project(cwd=start).root
    except ProjectNotFoundError:
        return None


def find_project(start: Path | None = None) -> Path:
    """:func:`locate_project`'s root; its note, if any, on stderr."""
    project = locate_project(start)
    if project.note:
        print(f"moodrec: note: {project.note}", file=sys.stderr)
    return project.root
