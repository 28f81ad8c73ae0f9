"""RAVDESS speech files from the publisher's zip or from a mirror folder.

Only speech files (``03-01-*``) are taken; each goes into the ``Actor_NN`` folder its name's
last code names, whatever folders the archive uses (Zenodo's zip has ``Actor_NN/``; copies
found elsewhere often nest them one level deeper or twice). A file name seen twice is taken once.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path, PurePosixPath

from tqdm.auto import tqdm

from moodrec.fetch.errors import FetchError
from moodrec.fetch.transfer import copy_files
from moodrec.fetch.verify import speech_clip


def _destination(name: str, out_dir: Path) -> Path | None:
    clip = speech_clip(name)
    return out_dir / f"Actor_{clip.actor:02d}" / name if clip else None


def extract_speech(archive: Path, out_dir: Path, *, name: str) -> int:
    """Extract the speech files of ``archive`` into ``out_dir/Actor_NN/``; returns the count.

    Raises:
        FetchError: not a zip, a corrupt member (CRC error), or no speech file in it.
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            members: dict[Path, zipfile.ZipInfo] = {}
            for info in zf.infolist():
                target = _destination(PurePosixPath(info.filename).name, out_dir)
                if target is not None and not info.is_dir() and target not in members:
                    members[target] = info
            if not members:
                raise FetchError(
                    f"{name}: no RAVDESS speech files (Actor_NN/03-01-*.wav) in the archive"
                )
            for target, info in tqdm(
                members.items(), desc=f"extract {name}", unit=" files", leave=False, disable=None
            ):
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, EOFError) as err:
        raise FetchError(f"{name}: corrupt or truncated zip archive ({err})") from None
    return len(members)


def copy_speech(source_dir: Path, out_dir: Path, *, name: str) -> int:
    """Copy the speech files found under ``source_dir`` into ``out_dir/Actor_NN/``."""
    pairs: dict[Path, Path] = {}
    for path in sorted(source_dir.rglob("*")):
        target = _destination(path.name, out_dir)
        if target is not None and path.is_file() and target not in pairs:
            pairs[target] = path
    if not pairs:
        raise FetchError(f"{source_dir}: no RAVDESS speech files (Actor_NN/03-01-*.wav|flac)")
    copy_files([(src, dst) for dst, src in pairs.items()], desc=f"copy {name}")
    return len(pairs)
