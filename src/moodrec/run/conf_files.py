"""The configuration files, checked before Kedro reads them: a file that is not text, a YAML
syntax error, or a parameters file whose top-level entry was left empty (``person:`` with
nothing under it) is named with its line and what to do, instead of a ``UnicodeDecodeError``
that names no file, a 200-line traceback, or a ``TypeError`` far from the file.

:class:`CheckedConfigLoader` is the project's ``CONFIG_LOADER_CLASS`` (``settings.py``): every
reader of the configuration (``kedro run``, the commands, the page) gets the check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from kedro.config import OmegaConfigLoader

SUFFIXES = (".yml", ".yaml", ".json")


class ConfFileError(ValueError):
    """A configuration file Kedro cannot read; the message names it, the line and the fix."""


def file_problem(path: Path) -> str | None:
    """Why Kedro cannot read ``path`` (one line), or ``None``."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return (f"{path}: not a text file (byte {err.start} is not UTF-8 text); put the file "
                "back as it was (`git diff` shows what changed) or save it as UTF-8")
    try:
        content = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        return f"{path}{where}: not valid YAML ({problem}); fix the file there"
    if path.name.startswith("parameters") and isinstance(content, dict):
        empty = [str(key) for key, value in content.items() if value is None]
        if empty:
            return (f"{path}: {', '.join(f'`{key}:`' for key in empty)} left empty (no settings "
                    "under it); put its settings back (`git diff` shows what was removed)")
    return None


def check_conf_files(loader: Any) -> None:
    """Every configuration file of ``loader``'s base and run environments reads.

    Raises:
        ConfFileError: one line per file that does not.
    """
    root = Path(loader.conf_source)
    folders = dict.fromkeys([loader.base_env, loader.env or loader.default_run_env])
    files = sorted(path for folder in folders if folder for path in (root / folder).rglob("*")
                   if path.suffix in SUFFIXES and path.is_file()
                   and not any(part.startswith(".") for part in path.relative_to(root).parts))
    problems = [problem for problem in map(file_problem, files) if problem]
    if problems:
        raise ConfFileError("\n".join(problems))


class CheckedConfigLoader(OmegaConfigLoader):
    """Kedro's ``OmegaConfigLoader``; when a configuration cannot be read, or a parameters
    entry is empty, the files are checked (:func:`check_conf_files`) to name the one at fault
    (only then: reading them twice on every start would cost each command's cold start)."""

    def __getitem__(self, key: str) -> Any:
        try:
            config = super().__getitem__(key)
        except Exception:
            check_conf_files(self)
            raise
        if key == "parameters" and any(value is None for value in config.values()):
            check_conf_files(self)
        return config
