"""Checks of what was fetched: schema always, the published row counts when ``strict``.

Every function takes the path to check (often a temporary file) and ``name``, the name the
user knows it by (``soundtracks/set1_tracklist.csv``), which every error message starts with.
Lines in messages are file lines: line 1 is the header, line 2 the first data row.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from moodrec.audio.naming import RavdessClip, RavdessNameError, parse_ravdess_name
from moodrec.core.emotions import FER2013_CODES, UnknownEmotionError, probability_columns
from moodrec.core.faces import parse_pixels, sharpness
from moodrec.fetch.errors import VerificationError
from moodrec.fetch.layout import FER2013_KEPT, CsvSpec, FaceSpec, RavdessSpec, Spec

SPEECH_EXTENSIONS = (".wav", ".flac")


def speech_clip(name: str) -> RavdessClip | None:
    """The parsed name of a RAVDESS audio-only speech file (``03-01-EE-II-SS-RR-AA.wav`` or
    ``.flac``), or ``None`` for any other file."""
    if not name.lower().endswith(SPEECH_EXTENSIONS):
        return None
    try:
        clip = parse_ravdess_name(name)
    except RavdessNameError:
        return None
    return clip if (clip.modality, clip.vocal_channel) == ("audio-only", "speech") else None

ACTOR_FOLDER = re.compile(r"^Actor_(\d\d)$")
_FACE_CHUNK = 4096
_SHARPNESS_SAMPLE = 300
_BLUR_RATIO = 0.5


def verify(spec: Spec, path: Path, *, name: str, strict: bool = True) -> str:
    """Check ``path`` against ``spec``; returns a one-line summary, raises on any problem.

    Raises:
        VerificationError: naming ``name`` and the column, line or file at fault.
    """
    if isinstance(spec, FaceSpec):
        return verify_face_data(spec, path, name=name, strict=strict)
    if isinstance(spec, RavdessSpec):
        return verify_ravdess(spec, path, name=name, strict=strict)
    return verify_csv(spec, path, name=name, strict=strict)


def _read_csv(path: Path, name: str, **kwargs) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise VerificationError(f"{name}: not a readable CSV file ({err})") from None


def _first_bad_line(mask: np.ndarray | pd.Series, offset: int = 0) -> int:
    """File line of the first True in ``mask`` (line 1 = header)."""
    return int(np.flatnonzero(np.asarray(mask))[0]) + offset + 2


def _check_columns(found: list[str], expected: tuple[str, ...], name: str) -> None:
    missing = [c for c in expected if c not in found]
    if missing:
        raise VerificationError(
            f"{name}: missing column(s) {', '.join(map(repr, missing))}; the header is {found}"
        )
    if list(found) != list(expected):
        extra = [c for c in found if c not in expected]
        what = f"unexpected column(s) {', '.join(map(repr, extra))}" if extra else "column order"
        raise VerificationError(f"{name}: {what}: expected {list(expected)}, found {found}")


def _check_rows(rows: int, expected: int, name: str, strict: bool) -> None:
    if rows == 0:
        raise VerificationError(f"{name}: no data rows")
    if strict and rows != expected:
        raise VerificationError(
            f"{name}: {rows:,} data rows, expected {expected:,} (the full published file); "
            "use --no-count-check for a partial set"
        )


def verify_csv(spec: CsvSpec, path: Path, *, name: str, strict: bool = True) -> str:
    """A byte-for-byte published CSV: header, numbers, row count."""
    frame = _read_csv(path, name)
    columns = list(frame.columns)
    numeric = list(spec.numeric)
    if spec.probabilities:
        try:
            emotion_columns = probability_columns(columns)
        except UnknownEmotionError as err:
            raise VerificationError(f"{name}: {err}") from None
        _check_columns([c for c in columns if c not in emotion_columns], spec.columns_also, name)
        numeric += list(emotion_columns)
    else:
        _check_columns(columns, spec.columns or (), name)
    _check_rows(len(frame), spec.rows, name, strict)
    for column in numeric:
        values = pd.to_numeric(frame[column].str.strip(), errors="coerce")
        if values.isna().any():
            line = _first_bad_line(values.isna())
            raise VerificationError(
                f"{name}, line {line}, column {column!r}: "
                f"{frame[column].iloc[line - 2]!r} is not a number"
            )
    return f"{len(frame):,} rows, {len(columns)} columns"


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def verify_face_data(spec: FaceSpec, path: Path, *, name: str, strict: bool = True) -> str:
    """The face table, read in chunks: header, labels, names, splits, pixel counts."""
    if not is_gzip(path):
        raise VerificationError(f"{name}: not a gzip file")
    usage: Counter[str] = Counter()
    samples: dict[str, list[str]] = {}
    rows = 0
    try:
        with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
            header = fh.readline().rstrip("\r\n").split(",")
            _check_columns(header, spec.columns, name)
            fh.seek(0)
            reader = pd.read_csv(fh, dtype=str, keep_default_na=False, chunksize=_FACE_CHUNK)
            bar = tqdm(desc=f"verify {name}", unit=" rows", leave=False, disable=None)
            for chunk in reader:
                _check_face_chunk(chunk, spec, rows, name)
                for split, group in chunk.groupby("Usage")["pixels"]:
                    kept = samples.setdefault(split, [])
                    kept.extend(group.iloc[:_SHARPNESS_SAMPLE - len(kept)])
                usage.update(chunk["Usage"])
                rows += len(chunk)
                bar.update(len(chunk))
            bar.close()
    except (OSError, EOFError, gzip.BadGzipFile) as err:  # truncated or corrupt gzip stream
        raise VerificationError(f"{name}: corrupt gzip data after {rows:,} rows ({err})") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise VerificationError(f"{name}: not a readable CSV file ({err})") from None
    _check_rows(rows, spec.rows, name, strict)
    if strict:
        for split, expected in spec.usage_rows.items():
            if usage[split] != expected:
                raise VerificationError(
                    f"{name}, column 'Usage': {usage[split]:,} {split} rows, expected "
                    f"{expected:,}; use --no-count-check for a partial set"
                )
    splits = ", ".join(f"{k} {usage[k]:,}" for k in spec.usage_rows)
    return f"{rows:,} rows ({splits}); {_check_face_sharpness(samples, name, strict)}"


def _check_face_sharpness(samples: dict[str, list[str]], name: str, strict: bool) -> str:
    """Median sharpness per split (on up to ``_SHARPNESS_SAMPLE`` faces each): a training
    split much blurrier than every test split teaches a model faces it will never see (an
    earlier copy of the shared FER2013 file had every training face blurred)."""
    medians = {
        split: float(np.median(sharpness(parse_pixels(pd.Series(rows), where=name))))
        for split, rows in sorted(samples.items(), key=lambda item: item[0] != "Training")
        if rows
    }
    shown = ", ".join(f"{split} {value:.1f}" for split, value in medians.items())
    tests = [value for split, value in medians.items() if split != "Training"]
    if "Training" in medians and tests and medians["Training"] < _BLUR_RATIO * min(tests):
        message = (f"{name}: the Training faces are much blurrier than the test faces "
                   f"(median sharpness {shown}; mean |Laplacian| per pixel, on up to "
                   f"{_SHARPNESS_SAMPLE} faces per split): a model trained on them cannot read "
                   f"sharp faces; fetch an unblurred copy of FER2013")
        if strict:
            raise VerificationError(message)
        warnings.warn(message, stacklevel=2)
    return f"median sharpness {shown}"


def _check_face_chunk(
    chunk: pd.DataFrame, spec: FaceSpec, offset: int, name: str
) -> None:
    codes = pd.to_numeric(chunk["emotion_label"], errors="coerce")
    kept = FER2013_KEPT
    bad = codes.isna() | ~codes.isin(list(kept))
    if bad.any():
        line = _first_bad_line(bad, offset)
        value = chunk["emotion_label"].iloc[line - offset - 2]
        code = pd.to_numeric(value, errors="coerce")
        dropped = FER2013_CODES.get(int(code)) if code == code and code % 1 == 0 else None
        hint = f" ({dropped}, which the project drops)" if dropped else ""
        raise VerificationError(
            f"{name}, line {line}, column 'emotion_label': {value!r}{hint} is not one of "
            f"the codes {sorted(kept)}"
        )
    wrong_name = chunk["emotion"].to_numpy() != codes.astype(int).map(kept).to_numpy()
    if wrong_name.any():
        i = int(np.flatnonzero(wrong_name)[0])
        raise VerificationError(
            f"{name}, line {i + offset + 2}, column 'emotion': {chunk['emotion'].iloc[i]!r} "
            f"does not match emotion_label {int(codes.iloc[i])} "
            f"({kept[int(codes.iloc[i])]!r})"
        )
    bad_usage = ~chunk["Usage"].isin(list(spec.usage_rows))
    if bad_usage.any():
        line = _first_bad_line(bad_usage, offset)
        raise VerificationError(
            f"{name}, line {line}, column 'Usage': {chunk['Usage'].iloc[line - offset - 2]!r} "
            f"is not one of {list(spec.usage_rows)}"
        )
    pixels = chunk["pixels"].str.strip()
    # Fast count for single-space separators; rows that differ are counted exactly.
    counts = np.array([p.count(" ") + 1 if p else 0 for p in pixels])
    for i in np.flatnonzero(counts != spec.pixels):
        count = len(pixels.iloc[i].split())
        if count != spec.pixels:
            raise VerificationError(
                f"{name}, line {i + offset + 2}, column 'pixels': {count} values, "
                f"expected {spec.pixels} (48x48)"
            )
    for i in range(min(len(chunk), spec.pixel_sample)):  # values, on a sample
        try:
            values = np.array(pixels.iloc[i].split(), dtype=np.int64)
        except ValueError:
            values = np.array([-1])
        if values.min() < 0 or values.max() > 255:
            raise VerificationError(
                f"{name}, line {i + offset + 2}, column 'pixels': values must be integers 0-255"
            )


def _audio_magic(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(12)
    if head[:4] == b"fLaC":
        return "flac"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    return None


def verify_ravdess(spec: RavdessSpec, root: Path, *, name: str, strict: bool = True) -> str:
    """RAVDESS speech folders: names, actor folders, audio headers, counts."""
    if not root.is_dir():
        raise VerificationError(f"{name}: not a folder")
    per_actor: dict[str, int] = {}
    for folder in sorted(p for p in root.iterdir() if not p.name.startswith(".")):
        match = ACTOR_FOLDER.match(folder.name)
        if not folder.is_dir() or not match:
            raise VerificationError(f"{name}/{folder.name}: expected only Actor_NN folders")
        count = 0
        for file in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
            where = f"{name}/{folder.name}/{file.name}"
            clip = speech_clip(file.name)
            if clip is None:
                raise VerificationError(
                    f"{where}: not a RAVDESS speech file name (03-01-EE-II-SS-RR-AA.wav|flac)"
                )
            if clip.actor != int(match[1]):
                raise VerificationError(f"{where}: actor {clip.actor:02d} in folder {folder.name}")
            ext = file.suffix.lower().lstrip(".")
            if _audio_magic(file) != ext:
                raise VerificationError(f"{where}: not a valid {ext} file (bad header)")
            count += 1
        per_actor[folder.name] = count
    files = sum(per_actor.values())
    if files == 0:
        raise VerificationError(f"{name}: no speech files")
    if strict:
        expected = [f"Actor_{i:02d}" for i in range(1, spec.actors + 1)]
        if sorted(per_actor) != expected:
            missing = sorted(set(expected) - set(per_actor))
            raise VerificationError(
                f"{name}: {len(per_actor)} actor folders, expected {spec.actors} "
                f"(missing: {', '.join(missing) or 'none'}); use --no-count-check for a partial set"
            )
        short = {k: v for k, v in per_actor.items() if v != spec.files_per_actor}
        if short:
            folder, count = next(iter(short.items()))
            raise VerificationError(
                f"{name}/{folder}: {count} files, expected {spec.files_per_actor}; "
                "use --no-count-check for a partial set"
            )
    return f"{files:,} files in {len(per_actor)} actor folders"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
