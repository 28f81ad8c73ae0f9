"""The face table from FER2013 as published, or from the study's ``face-data.csv``.

Accepted sources (a file, or a ``.zip``/``.tar``/``.tar.gz`` archive holding one):

* the original Kaggle ``fer2013.csv``: columns ``emotion,pixels,Usage``, 7 classes. It is
  converted: rows of the dropped class (code 1, ``disgust``) are left out, ``emotion`` becomes
  ``emotion_label`` and the canonical name is added as ``emotion``;
* the study's ``face-data.csv`` (columns ``emotion_label,Usage,pixels,emotion``), plain or
  gzip-compressed; a gzip file is copied byte-for-byte, a plain one compressed.

The output is always the gzip CSV ``face-data.csv.gz`` (written with a fixed gzip timestamp,
so the same input gives the same bytes).
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

import pandas as pd
from tqdm.auto import tqdm

from moodrec.core.emotions import FER2013_CODES
from moodrec.fetch.errors import FetchError, VerificationError
from moodrec.fetch.layout import FER2013_KEPT, FaceSpec
from moodrec.fetch.transfer import copy_file
from moodrec.fetch.verify import is_gzip

FER2013_COLUMNS = ("emotion", "pixels", "Usage")
_CHUNK = 4096
_CSV_NAMES = ("fer2013.csv", "face-data.csv", "face-data.csv.gz")


def _pick_member(names: list[str], source: Path) -> str:
    """The archive member to read: ``fer2013.csv`` or ``face-data.csv(.gz)``, else the only CSV."""
    for wanted in _CSV_NAMES:
        hits = [n for n in names if Path(n).name.lower() == wanted]
        if hits:
            return hits[0]
    csvs = [n for n in names if n.lower().endswith((".csv", ".csv.gz"))]
    if len(csvs) == 1:
        return csvs[0]
    raise FetchError(
        f"{source}: found no fer2013.csv or face-data.csv in the archive (CSV members: {csvs})"
    )


@contextmanager
def _open_binary(source: Path) -> Iterator[tuple[IO[bytes], str]]:
    """The raw bytes of the face CSV inside ``source`` and the member's name."""
    with ExitStack() as stack:
        with open(source, "rb") as fh:
            magic = fh.read(4)
        if magic.startswith(b"PK\x03\x04"):
            archive = stack.enter_context(zipfile.ZipFile(source))
            member = _pick_member(archive.namelist(), source)
            yield stack.enter_context(archive.open(member)), member
        elif tarfile.is_tarfile(source):
            archive = stack.enter_context(tarfile.open(source))
            member = _pick_member([m.name for m in archive.getmembers() if m.isfile()], source)
            yield stack.enter_context(archive.extractfile(member)), member
        else:
            yield stack.enter_context(open(source, "rb")), source.name


@contextmanager
def _open_text(raw: IO[bytes]) -> Iterator[IO[str]]:
    """Text of a stream that may itself be gzip-compressed."""
    buffered = io.BufferedReader(raw) if not hasattr(raw, "peek") else raw
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        buffered = gzip.GzipFile(fileobj=buffered, mode="rb")
    with io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="") as text:
        yield text


@contextmanager
def _gzip_writer(out: Path) -> Iterator[IO[str]]:
    with (
        open(out, "wb") as raw,
        gzip.GzipFile(filename="face-data.csv", mode="wb", fileobj=raw, mtime=0) as gz,
        io.TextIOWrapper(gz, encoding="utf-8", newline="") as text,
    ):
        yield text


def _header(text: IO[str]) -> list[str]:
    line = text.readline()
    return [c.strip() for c in line.rstrip("\r\n").split(",")] if line else []


def convert_fer2013(text: IO[str], out: Path, *, name: str) -> int:
    """Write the 6-class face table from the 7-class ``fer2013.csv`` text; returns rows dropped.

    Raises:
        VerificationError: a missing column or an emotion code outside 0-6, naming the line.
    """
    reader = pd.read_csv(text, dtype=str, keep_default_na=False, chunksize=_CHUNK)
    dropped = rows = 0
    with (
        _gzip_writer(out) as fh,
        tqdm(desc=f"convert {name}", unit=" rows", leave=False, disable=None) as bar,
    ):
        for i, chunk in enumerate(reader):
            missing = [c for c in FER2013_COLUMNS if c not in chunk.columns]
            if missing:
                raise VerificationError(
                    f"{name}: missing column(s) {', '.join(map(repr, missing))}; "
                    f"the header is {list(chunk.columns)}"
                )
            codes = pd.to_numeric(chunk["emotion"].str.strip(), errors="coerce")
            bad = ~codes.isin(list(FER2013_CODES))
            if bad.any():
                j = int(bad.to_numpy().nonzero()[0][0])
                raise VerificationError(
                    f"{name}, line {rows + j + 2}, column 'emotion': {chunk['emotion'].iloc[j]!r} "
                    f"is not a FER2013 code {sorted(FER2013_CODES)}"
                )
            keep = codes.isin(list(FER2013_KEPT)).to_numpy()
            labels = codes[keep].astype(int)
            pd.DataFrame(
                {
                    "emotion_label": labels,
                    "Usage": chunk["Usage"].to_numpy()[keep],
                    "pixels": chunk["pixels"].to_numpy()[keep],
                    "emotion": labels.map(FER2013_KEPT),
                }
            ).to_csv(fh, index=False, header=i == 0, lineterminator="\n")
            dropped += int((~keep).sum())
            rows += len(chunk)
            bar.update(len(chunk))
    if rows == 0:
        raise VerificationError(f"{name}: no data rows")
    return dropped


def prepare_face_data(source: Path, out: Path, *, name: str = "face-data.csv.gz") -> str:
    """Write ``face-data.csv.gz`` content for any accepted ``source`` into ``out``.

    Returns a note saying what was done. Raises :class:`FetchError` for an unknown format.
    """
    spec = FaceSpec()
    try:
        with _open_binary(source) as (raw, member), _open_text(raw) as text:
            header = _header(text)
            where = f"{source.name}:{member}" if member != source.name else source.name
            if set(FER2013_COLUMNS) <= set(header) and "emotion_label" not in header:
                text.seek(0)
                dropped = convert_fer2013(text, out, name=where)
                left_out = sorted(set(FER2013_CODES.values()) - set(FER2013_KEPT.values()))
                return (
                    f"converted from 7-class fer2013.csv ({dropped:,} rows of "
                    f"{', '.join(left_out)} left out)"
                )
            if header != list(spec.columns):
                raise VerificationError(
                    f"{where}: neither fer2013.csv (columns {list(FER2013_COLUMNS)}) nor "
                    f"face-data.csv (columns {list(spec.columns)}); the header is {header}"
                )
            if member == source.name and is_gzip(source):
                copy_file(source, out, desc=f"copy {source.name}")
                return "copied"
            text.seek(0)
            with _gzip_writer(out) as fh:
                for line in tqdm(
                    text, desc=f"compress {where}", unit=" rows", leave=False, disable=None
                ):
                    fh.write(line)
            return "compressed"
    except (zipfile.BadZipFile, tarfile.TarError, gzip.BadGzipFile, EOFError) as err:
        raise FetchError(f"{source}: corrupt or truncated archive ({err})") from None


