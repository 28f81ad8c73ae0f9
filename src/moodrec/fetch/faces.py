"""The face table ``face-data.csv.gz`` from FER2013 as its publishers release it, and its check.

Accepted (a file or folder, or a zip/tar holding one):

* the original ``fer2013.csv`` (columns ``emotion,pixels,Usage``, 7 classes): rows of the
  dropped class (code 1, disgust) are left out, ``emotion`` becomes ``emotion_label`` and the
  emotion's name is added as ``emotion``;
* the image-folder release: ``train/<class>/*.jpg`` gives ``Training``, ``test/<class>/*.jpg``
  gives ``PublicTest`` or ``PrivateTest`` by the file-name prefix; each image becomes a row
  (splits in that order, files by name within a class folder);
* the project's own ``face-data.csv`` or ``face-data.csv.gz`` (copied, or gzip-compressed).

The output is gzip with a fixed timestamp, so the same input gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
import pooch
from PIL import Image

from moodrec.core.emotions import DROPPED, FER2013_CODES, UnknownEmotionError, canonical
from moodrec.core.faces import FaceDataError, parse_pixels, sharpness
from moodrec.fetch.sources import FetchError, VerificationError

COLUMNS = ["emotion_label", "Usage", "pixels", "emotion"]
FER2013_COLUMNS = {"emotion", "pixels", "Usage"}
KEPT: dict[int, str] = {c: n for c, n in FER2013_CODES.items() if n not in DROPPED}
_CODE = {name: code for code, name in FER2013_CODES.items()}
_CHUNK = 4096


@contextmanager
def _gzip_text(out: Path) -> Iterator[IO[str]]:
    with (open(out, "wb") as raw,
          gzip.GzipFile(filename="face-data.csv", mode="wb", fileobj=raw, mtime=0) as gz,
          io.TextIOWrapper(gz, encoding="utf-8", newline="") as text):
        yield text


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _header(path: Path) -> list[str]:
    with (gzip.open if _is_gzip(path) else open)(path, "rt", encoding="utf-8-sig") as fh:
        return [c.strip() for c in fh.readline().rstrip("\r\n").split(",")]


def convert_fer2013(source: Path, out: Path) -> int:
    """The 6-class table from the 7-class ``fer2013.csv``; returns the rows left out.

    Raises:
        VerificationError: an emotion code outside 0-6, naming the file and line.
    """
    dropped = rows = 0
    with _gzip_text(out) as text:
        for i, chunk in enumerate(pd.read_csv(source, dtype=str, keep_default_na=False,
                                              encoding="utf-8-sig", chunksize=_CHUNK)):
            codes = pd.to_numeric(chunk["emotion"].str.strip(), errors="coerce")
            bad = ~codes.isin(list(FER2013_CODES)).to_numpy()
            if bad.any():
                at = int(bad.argmax())
                raise VerificationError(
                    f"{source.name}, line {rows + at + 2}, column 'emotion': "
                    f"{chunk['emotion'].iloc[at]!r} is not a FER2013 code {sorted(FER2013_CODES)}")
            keep = codes.isin(list(KEPT)).to_numpy()
            labels = codes[keep].astype(int)
            pd.DataFrame({"emotion_label": labels, "Usage": chunk["Usage"].to_numpy()[keep],
                          "pixels": chunk["pixels"].to_numpy()[keep],
                          "emotion": labels.map(KEPT)}).to_csv(
                text, index=False, header=i == 0, lineterminator="\n")
            dropped += int((~keep).sum())
            rows += len(chunk)
    return dropped


def _split(path: Path, root: Path) -> str:
    top = path.relative_to(root).parts[0].lower()
    if top == "train":
        return "Training"
    usage = path.name.split("_", 1)[0]
    if top != "test" or usage not in ("PublicTest", "PrivateTest"):
        raise VerificationError(f"{path}: not train/<class>/... nor test/<class>/PublicTest_... "
                                "or PrivateTest_...")
    return usage


def convert_image_folders(root: Path, out: Path) -> int:
    """The 6-class table from the image-folder release under ``root``; returns rows left out.

    Raises:
        VerificationError: an unknown class folder or an image that is not 48x48, naming it.
    """
    rows, dropped = [], 0
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in (".jpg", ".png")):
        try:
            code = _CODE[canonical(path.parent.name, allow_dropped=True)]
        except (UnknownEmotionError, KeyError):
            raise VerificationError(f"{path.parent}: not a FER2013 class folder") from None
        if code not in KEPT:
            dropped += 1
            continue
        image = np.asarray(Image.open(path).convert("L"))
        if image.shape != (48, 48):
            raise VerificationError(f"{path}: {image.shape[1]}x{image.shape[0]} pixels, not 48x48")
        rows.append((_split(path, root), code, " ".join(map(str, image.ravel()))))
    if not rows:
        raise VerificationError(f"{root}: no 48x48 face images under train/ and test/")
    order = {"Training": 0, "PublicTest": 1, "PrivateTest": 2}
    table = pd.DataFrame(rows, columns=["Usage", "emotion_label", "pixels"])
    table = table.sort_values("Usage", key=lambda s: s.map(order), kind="stable")
    table["emotion"] = table["emotion_label"].map(KEPT)
    with _gzip_text(out) as text:
        table[COLUMNS].to_csv(text, index=False, lineterminator="\n")
    return dropped


def _inside(folder: Path) -> Path:
    """The face source inside an unpacked archive."""
    for path in sorted(folder.rglob("*")):
        if path.name.lower() in ("fer2013.csv", "face-data.csv", "face-data.csv.gz") or (
                path.is_dir() and (path / "train").is_dir() and (path / "test").is_dir()):
            return path
    if (folder / "train").is_dir() and (folder / "test").is_dir():
        return folder
    raise FetchError(f"{folder}: no fer2013.csv, face-data.csv or train/ and test/ folders in it")


def prepare_face_data(source: Path, out: Path, scratch: Path) -> str:
    """Write ``face-data.csv.gz`` for any accepted ``source`` to ``out``; says what was done.

    Raises:
        VerificationError: a source of none of the accepted kinds, or one that cannot be read
            (a corrupt archive, image or CSV), naming it.
    """
    try:
        return _prepare(source, out, scratch)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, tarfile.TarError) as err:
        raise VerificationError(f"{source}: cannot read it as FER2013 ({err})") from None


def _prepare(source: Path, out: Path, scratch: Path) -> str:
    left_out = ", ".join(sorted(set(FER2013_CODES.values()) - set(KEPT.values())))
    if source.is_dir():
        return f"converted from images ({convert_image_folders(source, out):,} {left_out} left out)"
    if zipfile.is_zipfile(source) or tarfile.is_tarfile(source):
        unpack = pooch.Unzip if zipfile.is_zipfile(source) else pooch.Untar
        unpack(extract_dir=str(scratch))(str(source), "download", None)
        return _prepare(_inside(scratch), out, scratch / "inner")
    header = _header(source)
    if header == COLUMNS:
        if _is_gzip(source):
            shutil.copyfile(source, out)
            return "copied"
        with open(source, encoding="utf-8-sig", newline="") as plain, _gzip_text(out) as text:
            shutil.copyfileobj(plain, text)
        return "compressed"
    if FER2013_COLUMNS <= set(header):
        return f"converted from fer2013.csv ({convert_fer2013(source, out):,} {left_out} left out)"
    raise VerificationError(f"{source.name}: neither fer2013.csv (columns "
                            f"{sorted(FER2013_COLUMNS)}) nor face-data.csv (columns {COLUMNS}); "
                            f"the header is {header}")


def check_face_table(path: Path, *, name: str, splits: dict[str, int], sample: int,
                     min_ratio: float, strict: bool) -> str:
    """Columns, rows per split (``strict``) and the blur check: the ``Training`` faces' median
    sharpness (:func:`moodrec.core.faces.sharpness`, on the first ``sample`` faces of each
    split) must reach ``min_ratio`` times every test split's (an earlier copy of the shared
    FER2013 had every training face blurred; a model trained on it cannot read sharp faces).

    Raises:
        VerificationError: naming ``name`` and the column or split at fault (the blur check
            only warns when not ``strict``).
    """
    usage: Counter[str] = Counter()
    faces: dict[str, list[str]] = {}
    if not _is_gzip(path):
        raise VerificationError(f"{name}: not a gzip file")
    try:
        if _header(path) != COLUMNS:
            raise VerificationError(f"{name}: columns {_header(path)}, expected {COLUMNS}")
        for chunk in pd.read_csv(path, usecols=["Usage", "pixels"], dtype=str,
                                 compression="gzip", chunksize=_CHUNK):
            usage.update(chunk["Usage"])
            for split, group in chunk.groupby("Usage")["pixels"]:
                kept = faces.setdefault(split, [])
                kept.extend(group.iloc[:sample - len(kept)])
        medians = {split: float(np.median(sharpness(parse_pixels(pd.Series(rows), where=name))))
                   for split, rows in faces.items()}
    except (OSError, EOFError, UnicodeDecodeError, pd.errors.ParserError, FaceDataError) as err:
        raise VerificationError(f"{name}: not a readable face table ({err})") from None
    if strict and dict(usage) != splits:
        raise VerificationError(f"{name}, column 'Usage': rows per split {dict(usage)}, expected "
                                f"{splits}; use --no-count-check for a partial set")
    shown = ", ".join(f"{split} {medians[split]:.1f}" for split in splits if split in medians)
    tests = [v for split, v in medians.items() if split != "Training"]
    if "Training" in medians and tests and medians["Training"] < min_ratio * min(tests):
        message = (f"{name}: the Training faces are much blurrier than the test faces (median "
                   f"sharpness {shown}): a model trained on them cannot read sharp faces")
        if strict:
            raise VerificationError(message)
        warnings.warn(message, stacklevel=2)
    return f"{sum(usage.values()):,} rows ({', '.join(f'{k} {v:,}' for k, v in usage.items())}); " \
           f"median sharpness {shown}"

