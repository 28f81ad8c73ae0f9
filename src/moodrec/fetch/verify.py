"""What a fetched item must pass before it is moved into place: the face table's schema, splits
and sharpness; a folder's file names and count; a file's sha256 (enforced when pinned) and its
published row count."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pooch

from moodrec.fetch.faces import check_face_table
from moodrec.fetch.sources import Item, VerificationError


def _count(found: int, item: Item, name: str, what: str, strict: bool) -> None:
    if found == 0:
        raise VerificationError(f"{name}: no {what}")
    if strict and item.count is not None and found != item.count:
        raise VerificationError(f"{name}: {found:,} {what}, expected {item.count:,} (the full "
                                "published set); use --no-count-check for a partial set")


def verify(item: Item, path: Path, *, name: str, strict: bool) -> str:
    """Check ``path`` (the item's file or folder, or its ``.part``); returns a summary.

    Raises:
        VerificationError: naming ``name`` and the file, field or count at fault.
    """
    if item.splits is not None:
        return check_face_table(path, name=name, splits=item.splits, strict=strict,
                                sample=item.blur_check.faces_per_split,
                                min_ratio=item.blur_check.min_ratio)
    if item.files is not None:
        if not path.is_dir():
            raise VerificationError(f"{name}: not a folder")
        files = [p.relative_to(path).as_posix() for p in sorted(path.rglob("*"))
                 if p.is_file() and not p.name.startswith(".")]
        wrong = next((f for f in files if not re.fullmatch(item.files, f)), None)
        if wrong is not None:
            raise VerificationError(f"{name}/{wrong}: not a file of this set ({item.files})")
        _count(len(files), item, name, "files", strict)
        folders = {f.rpartition("/")[0] for f in files} - {""}
        return f"{len(files):,} files" + (f" in {len(folders)} folders" if folders else "")
    digest = pooch.file_hash(str(path))
    if item.sha256 and digest != item.sha256.lower():
        raise VerificationError(f"{name}: sha256 {digest}, expected {item.sha256}")
    try:
        rows = (len(json.loads(path.read_text(encoding="utf-8")))
                if item.target.endswith(".json") else
                len(pd.read_csv(path, dtype=str, encoding="utf-8-sig")))
    except ValueError as err:  # JSON, CSV and Unicode errors
        raise VerificationError(f"{name}: not readable ({err})") from None
    _count(rows, item, name, "rows", strict)
    return f"{rows:,} rows; sha256 " + ("as pinned" if item.sha256 else f"{digest} (not pinned)")
