"""Where the publishers' files are: ``conf/base/data_sources.yml`` (+ ``conf/local/``).

The file maps each ``--only`` group to its items (see :mod:`moodrec.fetch.layout`)::

    soundtracks:
      mean_ratings_set1:
        url: https://...           # http(s)://, file://, or a local path
        sha256: 86ec...            # optional: the reference copy's digest (reported, not enforced)

``conf/local/data_sources.yml`` (git-ignored) overrides single entries, e.g. a URL the user
found or a file they downloaded by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from moodrec.fetch.errors import FetchError
from moodrec.fetch.layout import GROUPS

SOURCE_FILES = ("conf/base/data_sources.yml", "conf/local/data_sources.yml")
_FIELDS = {"url", "sha256", "note"}


@dataclass(frozen=True)
class Source:
    """A publisher's copy of one item."""

    url: str | None = None
    sha256: str | None = None
    note: str | None = None


Sources = dict[str, dict[str, Source]]


def default_source_files(root: Path | None) -> list[Path]:
    """The project's ``data_sources.yml`` files that exist, base first."""
    if root is None:
        return []
    return [root / f for f in SOURCE_FILES if (root / f).is_file()]


def load_sources(files: list[Path]) -> Sources:
    """Merge the files, later ones overriding earlier ones entry by entry.

    Raises:
        FetchError: unreadable YAML, or a group, item or field that does not exist, named
            with the file.
    """
    merged: dict[str, dict[str, dict]] = {}
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise FetchError(f"{file}: cannot read it ({err})") from None
        if not isinstance(data, dict):
            raise FetchError(f"{file}: expected a mapping of groups {list(GROUPS)}")
        for group, items in data.items():
            if group not in GROUPS:
                raise FetchError(f"{file}: unknown group {group!r}; groups are {list(GROUPS)}")
            keys = [item.key for item in GROUPS[group]]
            for key, entry in (items or {}).items():
                if key not in keys:
                    raise FetchError(f"{file}: {group}: unknown item {key!r}; items are {keys}")
                entry = entry or {}
                if not isinstance(entry, dict) or set(entry) - _FIELDS:
                    raise FetchError(
                        f"{file}: {group}.{key}: expected a mapping with fields {sorted(_FIELDS)}"
                    )
                merged.setdefault(group, {}).setdefault(key, {}).update(entry)
    return {
        group: {key: Source(**entry) for key, entry in items.items()}
        for group, items in merged.items()
    }
