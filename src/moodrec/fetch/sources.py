"""What ``moodrec fetch-data`` fetches and from where: ``conf/base/data_sources.yml``.

``conf/local/data_sources.yml`` (git-ignored) or ``--sources FILE`` override single fields,
e.g. a URL and its sha256, or a local path as the URL of a file downloaded by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

SOURCE_FILES = ("conf/base/data_sources.yml", "conf/local/data_sources.yml")


class FetchError(RuntimeError):
    """Raw data could not be fetched (no source, a network or HTTP error, a bad archive)."""


class VerificationError(FetchError):
    """A fetched file or folder is not what it must be: hash, counts, names or content."""


class BlurCheck(BaseModel):
    """The face table's blur check (see :func:`moodrec.fetch.faces.check_face_table`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    faces_per_split: int
    min_ratio: float


class Item(BaseModel):
    """One data set or file: where it goes, where a mirror and its publisher have it, and what
    it must be. ``files`` makes it a folder, ``splits`` the face table, else a single file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    target: str                     # under data/01_raw
    mirror: str                     # under a mirror laid out like ../shared/data
    url: str | None                 # the publisher's file (http(s) or a local path); null: none
    sha256: str | None = None       # of the file at url (for a single file: of the file itself)
    files: str | None = None        # a folder: regex every file's path in it matches
    count: int | None = None        # rows (tables, JSON lists) or files (folders) in the full set
    splits: dict[str, int] | None = None  # the face table: rows per Usage
    blur_check: BlurCheck | None = None

    @field_validator("files")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            re.compile(value)
        return value


Sources = dict[str, dict[str, Item]]


def default_source_files(root: Path | None) -> list[Path]:
    """The project's ``data_sources.yml`` files that exist, base first."""
    return [root / f for f in SOURCE_FILES if root and (root / f).is_file()]


def _merge(into: dict, new: dict) -> dict:
    for key, value in new.items():
        into[key] = _merge(dict(into.get(key) or {}), value) if isinstance(value, dict) else value
    return into


def load_sources(files: list[Path]) -> Sources:
    """``{group: {item name: Item}}`` from ``files``, later ones overriding earlier field by field.

    Raises:
        FetchError: unreadable YAML, or an item that is not valid, naming the file and field.
    """
    merged: dict = {}
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise FetchError(f"{file}: cannot read it ({err})") from None
        if not isinstance(data, dict) or not all(isinstance(g, dict) for g in data.values()):
            raise FetchError(f"{file}: expected groups of items (group: {{item: {{url: ...}}}})")
        if merged:
            for group, items in data.items():
                unknown = sorted(set(items) - set(merged.get(group, {})))
                if unknown:
                    raise FetchError(f"{file}: {group}: unknown item(s) {unknown}; items are "
                                     f"{sorted(merged.get(group, {}))}")
        _merge(merged, data)
    sources: Sources = {}
    for group, items in merged.items():
        for name, fields in items.items():
            try:
                sources.setdefault(group, {})[name] = Item.model_validate(fields or {})
            except ValidationError as err:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                     for e in err.errors())
                raise FetchError(f"{', '.join(map(str, files))}: {group}.{name}: {problems}"
                                 ) from None
    return sources
